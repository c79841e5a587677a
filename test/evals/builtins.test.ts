/**
 * The built-in evaluators on their own: keywords' case and word rules and
 * allow list, and what pii() and keywords() keep back on a partial (stream)
 * evaluation when a finding touches the end of the text so far.
 */
import { describe, expect, it } from "vitest";
import {
	keywords,
	type PostInput,
	pii,
	type Verdict,
} from "../../src/evals.js";
import type { CallContext } from "../../src/index.js";
import { NIK } from "./helpers.js";

const post = (text: string, partial = false, from = 0): PostInput => ({
	phase: "post",
	output: text,
	toolCalls: [],
	segments: [
		{ text, from, message: null, part: null, choice: 0, tool_call: null },
	],
	completion: null,
	partial,
	signal: new AbortController().signal,
});

const run = (e: ReturnType<typeof keywords>, input: PostInput) =>
	e.evaluate(input, {} as CallContext) as Verdict;

describe("keywords()", () => {
	it.each([
		[{ deny: ["diagnosis"] }, "Hasil DIAGNOSIS: flu", false],
		[
			{ deny: ["diagnosis"], caseSensitive: true },
			"Hasil DIAGNOSIS: flu",
			true,
		],
		[{ deny: ["diagnosis"] }, "prediagnosisnya", false],
		[{ deny: ["diagnosis"], wholeWords: true }, "prediagnosisnya", true],
		[{ deny: ["diagnosis"], wholeWords: true }, "(diagnosis)", false],
		[{ deny: ["état"] }, "ÉTAT civil", false],
		[{ deny: [/diagnosis/] }, "DIAGNOSIS", true],
		[{ deny: [/diagnosis/i] }, "DIAGNOSIS", false],
		[{ deny: [/a.c/y] }, "xxabc", false],
		[{ deny: ["a+b (c)"] }, "x a+b (c) y", false],
		[
			{ deny: ["diagnosis"], allow: ["no diagnosis"] },
			"There is no diagnosis yet",
			true,
		],
		[
			{ deny: ["diagnosis"], allow: ["no diagnosis"] },
			"no diagnosis, one diagnosis",
			false,
		],
		[{ deny: [/x*/] }, "abc", true],
	])("%j on %j passes: %s", (options, text, pass) => {
		expect(run(keywords(options), post(text)).pass).toBe(pass);
	});

	it("names the deny entry and the place, never the text", () => {
		const verdict = run(
			keywords({ deny: ["flu", /batuk/i] }),
			post("Batuk dan flu"),
		);
		expect(verdict).toMatchObject({
			pass: false,
			label: "deny",
			reason: "deny[1] in choice 0 at 0-5; deny[0] in choice 0 at 10-13",
		});
	});

	it("keeps a match at the end of a stream's text back, and one that may still become allowed", () => {
		const deny = keywords({ deny: ["diagnosis"], allow: ["diagnosis awal"] });
		expect(run(deny, post("ini diagnosis", true))).toEqual({
			pass: true,
			hold: [{ segment: 0, at: 4 }],
		});
		expect(run(deny, post("ini diagnosis aw", true)).pass).toBe(true);
		expect(run(deny, post("ini diagnosis awal.", true)).pass).toBe(true);
		expect(
			run(deny, post("ini diagnosis lain, dan seterusnya", true)).pass,
		).toBe(false);
	});
});

describe("pii() on a stream's text so far", () => {
	it("keeps a finding at the very end back (it may still grow), and decides once text follows", () => {
		const evaluator = pii({ phase: "post" });
		expect(run(evaluator, post(`NIK ${NIK}`, true))).toEqual({
			pass: true,
			hold: [{ segment: 0, at: 4 }],
		});
		expect(run(evaluator, post(`NIK ${NIK}.`, true)).pass).toBe(false);
		expect(run(evaluator, post(`NIK ${NIK}`, false)).pass).toBe(false);
	});

	it("looks again from a little before the new text, not from the start", () => {
		const evaluator = pii({ phase: "post" });
		const text = `${NIK} ${"x".repeat(1000)} ok`;
		expect(run(evaluator, post(text, true, text.length - 3)).pass).toBe(true);
		expect(run(evaluator, post(text, true, 10)).pass).toBe(false);
	});
});
