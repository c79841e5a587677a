/**
 * A careless (or hostile) caller: options of the wrong type are refused
 * before any call with an InvalidInputError naming the field, never a
 * TypeError, and never echoing the value given (it may be a secret).
 */
import { describe, expect, it } from "vitest";
import { run } from "../../src/agents.js";
import { InvalidInputError } from "../../src/index.js";
import { runTools } from "../../src/skills.js";
import { agent, answer, kitClient, rejection } from "./helpers.js";

const SECRET = "sk-mng-careless-0001";

describe("run refuses malformed options before any call", () => {
	const cases: [string, Record<string, unknown>, RegExp][] = [
		["maxTurns as a symbol", { maxTurns: Symbol("x") }, /maxTurns/],
		["maxTurns as a secret", { maxTurns: SECRET }, /maxTurns/],
		[
			"maxTurns as an object",
			{ maxTurns: { toString: () => SECRET } },
			/maxTurns/,
		],
		["maxCostIdr as a secret", { maxCostIdr: SECRET }, /maxCostIdr/],
		["signal as a string", { signal: SECRET }, /signal/],
		["signal as a plain object", { signal: {} }, /signal/],
	];
	for (const [what, options, field] of cases)
		it(what, async () => {
			const { client, gateway } = kitClient([answer("never")]);
			const error = await rejection(run(client, agent("a"), "x", options));
			expect(error).toBeInstanceOf(InvalidInputError);
			expect((error as Error).message).toMatch(field);
			expect((error as Error).message).not.toContain(SECRET);
			expect(gateway.calls).toHaveLength(0);
		});

	it("still names a number it refuses", async () => {
		const { client } = kitClient([answer("never")]);
		const error = await rejection(
			run(client, agent("a"), "x", { maxTurns: 0.5 }),
		);
		expect((error as Error).message).toMatch(/maxTurns .* got 0\.5/);
	});
});

describe("runTools refuses malformed options before any call", () => {
	const body = {
		model: "gpt-5.4-mini",
		messages: [{ role: "user" as const, content: "x" }],
	};
	for (const [what, options] of [
		["maxSteps as a symbol", { maxSteps: Symbol("x") }],
		["maxSteps as a secret", { maxSteps: SECRET }],
		["signal as a string", { signal: SECRET }],
	] as const)
		it(what, async () => {
			const { client, gateway } = kitClient([answer("never")]);
			const error = await rejection(
				Promise.resolve(runTools(client, body, options as never)),
			);
			expect(error).toBeInstanceOf(InvalidInputError);
			expect((error as Error).message).not.toContain(SECRET);
			expect(gateway.calls).toHaveLength(0);
		});
});
