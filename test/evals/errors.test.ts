/**
 * Evaluators that fail to decide (throw, time out, answer nonsense) fail
 * the call closed by default, or are recorded with `failOpen`; the caller's
 * abort stops an evaluation; malformed options are refused up front.
 */
import { describe, expect, it } from "vitest";
import {
	EvaluatorError,
	evaluate,
	evaluator,
	isEvaluatorError,
	judge,
	keywords,
	pii,
} from "../../src/evals.js";
import {
	AbortError,
	type AtriumError,
	InvalidInputError,
	isAtriumError,
	PolicyBlockedError,
} from "../../src/index.js";
import {
	CHAT,
	completionBody,
	sendJSON,
	useStubs,
} from "../helpers/stub-server.js";
import { client } from "./helpers.js";

const serve = useStubs();
const answering = () =>
	serve((_req, res) => sendJSON(res, 200, completionBody("ok")));
const never = () => new Promise<never>(() => {});

const throwing = (phase: "pre" | "post", failOpen?: boolean) =>
	evaluator({
		name: "broken",
		phase,
		failOpen,
		evaluate: () => {
			throw new TypeError("lookup table missing");
		},
	});

describe("an evaluator that throws", () => {
	it("fails a call closed before sending: EvaluatorError, nothing sent, the throw as cause", async () => {
		const stub = await answering();
		const error = (await client(stub.url, {
			plugins: [evaluate([throwing("pre")])],
		})
			.chat.completions.create(CHAT)
			.catch((e: unknown) => e)) as EvaluatorError;
		expect(stub.requests).toHaveLength(0);
		expect(error).toBeInstanceOf(EvaluatorError);
		expect(isEvaluatorError(error)).toBe(true);
		expect(isAtriumError(error)).toBe(true);
		expect(error).not.toBeInstanceOf(PolicyBlockedError);
		expect(error.cause).toBeInstanceOf(TypeError);
		expect(error.message).toBe(
			'POST /chat/completions: nothing was sent (no audit record): evaluator "broken" (pre) failed: lookup table missing; it fails closed (failOpen: false)',
		);
		expect(error.evaluation).toMatchObject({
			pass: false,
			label: "error",
			reason: "lookup table missing",
			action: "block",
		});
		expect(error.evaluations).toEqual([error.evaluation]);
	});

	it("is recorded and the call carries on when it fails open (the plugin's or its own setting)", async () => {
		const stub = await answering();
		const open = await client(stub.url, {
			plugins: [evaluate([throwing("post")], { failOpen: true })],
		}).chat.completions.create(CHAT);
		expect(open.evaluations[0]).toMatchObject({
			pass: false,
			label: "error",
			action: "flag",
		});
		const own = await client(stub.url, {
			plugins: [evaluate([throwing("pre", true)])],
		}).chat.completions.create(CHAT);
		expect(own.evaluations[0]).toMatchObject({
			label: "error",
			action: "flag",
		});
		await expect(
			client(stub.url, {
				plugins: [evaluate([throwing("post", false)], { failOpen: true })],
			}).chat.completions.create(CHAT),
		).rejects.toBeInstanceOf(EvaluatorError);
	});
});

describe("an evaluator that times out", () => {
	it("fails closed with label timeout, and its signal is aborted", async () => {
		const stub = await answering();
		let signal: AbortSignal | undefined;
		const slow = evaluator({
			name: "slow",
			phase: "post",
			timeout: 30,
			evaluate: (input) => {
				signal = input.signal;
				return never();
			},
		});
		const error = (await client(stub.url, { plugins: [evaluate([slow])] })
			.chat.completions.create(CHAT)
			.catch((e: unknown) => e)) as EvaluatorError;
		expect(error).toBeInstanceOf(EvaluatorError);
		expect(error.evaluation).toMatchObject({
			label: "timeout",
			reason: "timed out after 30 ms",
		});
		expect(error.audit_id).toBe("audit-stub-1");
		expect(signal?.aborted).toBe(true);
	});

	it("is recorded when it fails open, with evaluate()'s evaluatorTimeout", async () => {
		const stub = await answering();
		const res = await client(stub.url, {
			plugins: [
				evaluate([evaluator({ name: "slow", phase: "pre", evaluate: never })], {
					evaluatorTimeout: 20,
					failOpen: true,
				}),
			],
		}).chat.completions.create(CHAT);
		expect(res.evaluations[0]).toMatchObject({
			label: "timeout",
			action: "flag",
		});
		expect(stub.requests).toHaveLength(1);
	});
});

describe("an evaluator that answers nonsense", () => {
	it.each([
		[null, "not an object"],
		[{ pass: "yes" }, "no boolean `pass`"],
		[{ pass: true, score: Number.NaN }, "`score`"],
		[{ pass: true, reason: 7 }, "`reason`"],
		[
			{
				pass: false,
				redactions: [{ segment: 9, start: 0, end: 1, label: "X" }],
			},
			"`redactions`",
		],
		[
			{
				pass: false,
				redactions: [{ segment: 0, start: 0, end: 99, label: "X" }],
			},
			"`redactions`",
		],
		[
			{
				pass: false,
				redactions: [{ segment: 0, start: 0, end: 1, label: "[X]" }],
			},
			"`redactions`",
		],
	])(
		"fails with an EvaluatorError naming what is wrong: %j",
		async (verdict, what) => {
			const stub = await answering();
			const error = (await client(stub.url, {
				plugins: [
					evaluate([
						evaluator({
							name: "odd",
							phase: "pre",
							action: "redact",
							evaluate: () => verdict as never,
						}),
					]),
				],
			})
				.chat.completions.create(CHAT)
				.catch((e: unknown) => e)) as EvaluatorError;
			expect(error).toBeInstanceOf(EvaluatorError);
			expect(error.evaluation.reason).toContain(what);
			expect(stub.requests).toHaveLength(0);
		},
	);
});

describe("the caller's abort", () => {
	it("stops an evaluation with AbortError, and aborts the evaluator's signal", async () => {
		const stub = await answering();
		const controller = new AbortController();
		let signal: AbortSignal | undefined;
		const pending = client(stub.url, {
			plugins: [
				evaluate([
					evaluator({
						name: "waits",
						phase: "pre",
						evaluate: (input) => {
							signal = input.signal;
							setTimeout(() => controller.abort(), 5);
							return never();
						},
					}),
				]),
			],
		}).chat.completions.create(CHAT, { signal: controller.signal });
		const error = (await pending.catch((e: unknown) => e)) as AtriumError;
		expect(error).toBeInstanceOf(AbortError);
		expect(signal?.aborted).toBe(true);
		expect(stub.requests).toHaveLength(0);
	});
});

describe("malformed options", () => {
	const refused: [string, () => unknown][] = [
		["a list", () => evaluate("pii" as never)],
		["holdBack", () => evaluate([], { holdBack: -1 })],
		["holdBack", () => evaluate([], { holdBack: 1.5 })],
		["evaluatorTimeout", () => evaluate([], { evaluatorTimeout: 0 })],
		["failOpen", () => evaluate([], { failOpen: "yes" as never })],
		["needs a name", () => evaluate([{ phase: "pre" } as never])],
		[
			"phase",
			() =>
				evaluator({
					name: "x",
					phase: "mid" as never,
					evaluate: () => ({ pass: true }),
				}),
		],
		[
			"evaluate must be a function",
			() => evaluator({ name: "x", phase: "pre" } as never),
		],
		["redact", () => pii({ phase: "post", action: "redact" })],
		["action", () => pii({ action: "warn" as never })],
		["detect", () => pii({ detect: ["SSN" as never] })],
		["deny must not be empty", () => keywords({ deny: [] })],
		["deny[0]", () => keywords({ deny: [""] })],
		["maxMatch", () => keywords({ deny: ["x"], maxMatch: 0 })],
		["model", () => judge({ model: "", rubric: "r" })],
		["rubric", () => judge({ model: "m", rubric: " " })],
		["threshold", () => judge({ model: "m", rubric: "r", threshold: 2 })],
	];
	it.each(refused)(
		"are refused with InvalidInputError naming %s",
		(what, make) => {
			expect(make).toThrow(InvalidInputError);
			expect(make).toThrow(what);
		},
	);
});
