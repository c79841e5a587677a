/**
 * A hostile gateway and a hostile tool against an agent run: cost headers
 * that sum past the largest number, usage counts that are not numbers, a
 * key-shaped secret in what a tool returns or throws. The run's sums stay
 * finite, its trail closes and verifies, and no key reaches a record.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { agentRunOf, parallel, run, verifyTrail } from "../../src/agents.js";
import { defineTool } from "../../src/skills.js";
import { reply } from "../../src/testing.js";
import { agent, answer, kitClient, rejection, transfer } from "./helpers.js";

const KEY = "sk-mng-agents";

const noop = defineTool({
	name: "noop",
	description: "Does nothing",
	parameters: { type: "object", properties: {} },
	run: () => "done",
});

describe("costs a hostile gateway reports", () => {
	it("sum past the largest number without breaking the run: its cost, costByAgent and end record stay finite, and the trail verifies", async () => {
		const { client } = kitClient([
			transfer("b", 1e308),
			reply.toolCalls([{ name: "noop", arguments: {} }], {
				governance: { cost_idr: 1e308 },
			}),
			answer("ok", 1e308),
		]);
		const b = agent("b", { tools: [noop] });
		const result = await run(client, agent("a", { handoffs: [b] }), "x");
		expect(result.finalOutput).toBe("ok");
		expect(Number.isFinite(result.cost_idr)).toBe(true);
		expect(result.cost_idr).toBe(Number.MAX_VALUE);
		expect(result.costByAgent).toEqual({ a: 1e308, b: Number.MAX_VALUE });
		const end = result.trail.at(-1);
		expect(end?.kind).toBe("end");
		expect(end?.cost_idr).toBe(Number.MAX_VALUE);
		expect(
			await verifyTrail(result.trail.toJSONL(), { head: result.trail.head }),
		).toMatchObject({ ok: true, records: 6 });
	});

	it("stop the run on the budget once their sum passes it, even when the sum overflows", async () => {
		const { client, gateway } = kitClient([
			reply.toolCalls([{ name: "noop", arguments: {} }], {
				governance: { cost_idr: 1e308 },
			}),
			reply.toolCalls([{ name: "noop", arguments: {} }], {
				governance: { cost_idr: 1e308 },
			}),
			answer("never"),
		]);
		const error = await rejection(
			run(client, agent("a", { tools: [noop] }), "x", {
				maxCostIdr: 1.5e308,
			}),
		);
		expect((error as Error).name).toBe("BudgetExceededError");
		expect(gateway.calls).toHaveLength(2);
		const ended = agentRunOf(error);
		expect(ended?.cost_idr).toBe(Number.MAX_VALUE);
		expect(ended?.trail.at(-1)?.kind).toBe("end");
		expect(
			await verifyTrail(ended?.trail ?? [], { head: ended?.trail.head }),
		).toMatchObject({ ok: true });
	});
});

describe("usage a hostile gateway reports", () => {
	it("counts only whole token counts: a string, a negative or a huge count is not added as text or past the largest number", async () => {
		const { client } = kitClient([
			reply.completion({
				content: "one",
				usage: {
					prompt_tokens: "12" as unknown as number,
					completion_tokens: -5,
					total_tokens: 1e308,
				},
			}),
			reply.completion({
				content: "two",
				usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 1e308 },
			}),
		]);
		const result = await run(client, parallel([agent("a"), agent("b")]), "x");
		expect(result.finalOutput).toEqual(["one", "two"]);
		expect(result.usage).toEqual({
			prompt_tokens: 3,
			completion_tokens: 2,
			total_tokens: Number.MAX_VALUE,
		});
		expect(result.trail[0]?.result_summary).toMatchObject({
			usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 1e308 },
		});
	});
});

describe("a key-shaped secret from a tool", () => {
	it("is scrubbed from a full-audit tool's arguments, result and error text in the trail", async () => {
		const { client } = kitClient([
			reply.toolCalls([
				{ name: "echo", arguments: { token: `Bearer ${KEY}-123` } },
				{ name: "fail", arguments: {} },
			]),
			answer("ok"),
		]);
		const echo = defineTool<{ token: string }>({
			name: "echo",
			description: "Echoes",
			audit: "full",
			parameters: {
				type: "object",
				properties: { token: { type: "string" } },
			},
			run: ({ token }) => ({ [KEY]: token, note: `key ${KEY}` }),
		});
		const fail = defineTool({
			name: "fail",
			description: "Fails",
			audit: "full",
			parameters: { type: "object", properties: {} },
			run: () => {
				throw new Error(`upstream refused Authorization: Bearer ${KEY}`);
			},
		});
		const result = await run(client, agent("a", { tools: [echo, fail] }), "x");
		const jsonl = result.trail.toJSONL();
		expect(jsonl).not.toContain(KEY);
		expect(jsonl).toContain("[redacted]");
		expect(inspect(result.trail, { depth: 10 })).not.toContain(KEY);
		expect(await verifyTrail(jsonl, { head: result.trail.head })).toMatchObject(
			{ ok: true },
		);
	});

	it("is scrubbed from the error record when what ends the run quotes it", async () => {
		const { client } = kitClient([transfer("b"), answer("never")]);
		const error = await rejection(
			run(client, agent("a", { handoffs: [agent("b")] }), "x", {
				onRecord: (record) => {
					if (record.seq === 2)
						throw new Error(`store refused the token ${KEY}`);
				},
			}),
		);
		const trail = agentRunOf(error)?.trail;
		expect(trail?.map((r) => r.kind)).toEqual([
			"model",
			"handoff",
			"error",
			"end",
		]);
		expect(trail?.toJSONL()).not.toContain(KEY);
		expect(trail?.at(-2)?.error).toContain("[redacted]");
	});
});

/** A 200 answer whose assistant message carries `tool_calls` as given. */
const toolCallsAs = (tool_calls: unknown) =>
	reply.completion({
		choices: [
			{
				index: 0,
				finish_reason: "tool_calls",
				message: { role: "assistant", content: null, tool_calls },
			},
		],
	} as never);

describe("a malformed answer from a hostile gateway", () => {
	for (const [what, toolCalls] of [
		["tool_calls as a string", "abc"],
		["tool_calls as an object with a length", { length: 3 }],
		["a tool call that is null", [null]],
		["a tool call that is a number", [5]],
		[
			"more tool calls than a stream may carry (129), each of which would be a record",
			Array.from({ length: 129 }, (_, i) => ({
				id: `call-${i}`,
				type: "function",
				function: { name: "noop", arguments: "{}" },
			})),
		],
	] as const)
		it(`ends the run with an APIError, its call in the trail: ${what}`, async () => {
			const { client, gateway } = kitClient([
				toolCallsAs(toolCalls),
				answer("never"),
			]);
			const error = await rejection(
				run(client, agent("a", { tools: [noop] }), "x"),
			);
			expect((error as Error).name).toBe("APIError");
			expect((error as Error).message).toMatch(/tool_calls/);
			expect(gateway.calls).toHaveLength(1);
			const ended = agentRunOf(error);
			expect(ended?.trail.map((r) => r.kind)).toEqual([
				"model",
				"error",
				"end",
			]);
			expect(ended?.audit_ids).toEqual(["audit-mock-1"]);
			expect(
				await verifyTrail(ended?.trail ?? [], { head: ended?.trail.head }),
			).toMatchObject({ ok: true });
		});
});

describe("a hostile value thrown by the caller's code", () => {
	for (const [what, thrown] of [
		["a name that is a symbol", { name: Symbol("x"), message: "m" }],
		[
			"a name getter that throws",
			{
				get name(): string {
					throw new Error("getter");
				},
			},
		],
		[
			"a message whose toString throws",
			{
				message: {
					toString() {
						throw new Error("toString");
					},
				},
			},
		],
	] as const)
		it(`ends the run with that value, the trail closed: ${what}`, async () => {
			const { client } = kitClient([transfer("b"), answer("never")]);
			const error = await rejection(
				run(client, agent("a", { handoffs: [agent("b")] }), "x", {
					onRecord: (record) => {
						if (record.seq === 2) throw thrown;
					},
				}),
			);
			expect(error).toBe(thrown);
			const ended = agentRunOf(error);
			expect(ended?.trail.map((r) => r.kind)).toEqual([
				"model",
				"handoff",
				"error",
				"end",
			]);
			expect(
				await verifyTrail(ended?.trail ?? [], { head: ended?.trail.head }),
			).toMatchObject({ ok: true });
		});
});
