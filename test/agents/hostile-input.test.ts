/**
 * A careless (or hostile) caller: options of the wrong type are refused
 * before any call with an InvalidInputError naming the field, never a
 * TypeError, and never echoing the value given (it may be a secret).
 */
import { describe, expect, it } from "vitest";
import { BudgetExceededError, run } from "../../src/agents.js";
import { InvalidInputError } from "../../src/index.js";
import { runTools } from "../../src/skills.js";
import { reply } from "../../src/testing.js";
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
		["maxTurns NaN", { maxTurns: Number.NaN }, /maxTurns/],
		["maxTurns Infinity", { maxTurns: Number.POSITIVE_INFINITY }, /maxTurns/],
		["maxTurns negative", { maxTurns: -3 }, /maxTurns/],
		[
			"maxCostIdr Infinity",
			{ maxCostIdr: Number.POSITIVE_INFINITY },
			/maxCostIdr/,
		],
		[
			"maxCostIdr -Infinity",
			{ maxCostIdr: Number.NEGATIVE_INFINITY },
			/maxCostIdr/,
		],
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

describe("run refuses a workflow not made by sequential() or parallel() before any call", () => {
	const a = () => agent("a");
	const cases: [string, unknown, RegExp][] = [
		[
			"a step that is not runnable",
			{ kind: "sequential", name: "s", steps: [a(), 5] },
			/sequential "s": \[1\]/,
		],
		["no steps", { kind: "sequential", name: "s", steps: [] }, /non-empty/],
		[
			"a merge that is not a function",
			{ kind: "parallel", name: "p", steps: [a()], merge: "x" },
			/merge/,
		],
		[
			"a name that is not a name",
			{ kind: "parallel", name: "n".repeat(100_000), steps: [a()] },
			/name/,
		],
		[
			"a name that is a symbol",
			{ kind: "parallel", name: Symbol("x"), steps: [a()] },
			/name/,
		],
		[
			"a malformed workflow nested in a well-made one",
			{
				kind: "sequential",
				name: "outer",
				steps: [a(), { kind: "parallel", name: "p", steps: [a(), null] }],
			},
			/parallel "p": \[1\]/,
		],
	];
	for (const [what, workflow, message] of cases)
		it(what, async () => {
			const { client, gateway } = kitClient([answer("ok"), answer("ok")]);
			const error = await rejection(run(client, workflow as never, "x"));
			expect(error).toBeInstanceOf(InvalidInputError);
			expect((error as Error).message).toMatch(message);
			expect((error as Error).message.length).toBeLessThan(300);
			expect(gateway.calls).toHaveLength(0);
		});
});

describe("maxCostIdr 0", () => {
	it("makes the first call, and no other once a cost was reported", async () => {
		const { client, gateway } = kitClient([
			reply.toolCalls([{ name: "transfer_to_b", arguments: {} }], {
				governance: { cost_idr: 0.01 },
			}),
			answer("never"),
		]);
		const error = await rejection(
			run(client, agent("a", { handoffs: [agent("b")] }), "x", {
				maxCostIdr: 0,
			}),
		);
		expect(error).toBeInstanceOf(BudgetExceededError);
		expect(gateway.calls).toHaveLength(1);
	});

	it("lets a run whose calls report no cost (or 0) go on", async () => {
		const { client, gateway } = kitClient([
			reply.toolCalls([{ name: "transfer_to_b", arguments: {} }], {
				governance: { cost_idr: 0 },
			}),
			answer("ok", 0),
		]);
		const result = await run(
			client,
			agent("a", { handoffs: [agent("b")] }),
			"x",
			{ maxCostIdr: 0 },
		);
		expect(result.finalOutput).toBe("ok");
		expect(result.cost_idr).toBe(0);
		expect(gateway.calls).toHaveLength(2);
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
