/**
 * What ends a run: maxTurns and maxCostIdr (no call after the budget is
 * passed), a gateway block or an evaluator's block in the second agent, an
 * abort. Each error keeps its class and carries the run so far: the trail,
 * closed by an error and an end record, which still verifies.
 */
import { describe, expect, it } from "vitest";
import {
	type AgentRunSnapshot,
	agentRunOf,
	BudgetExceededError,
	isBudgetExceededError,
	isMaxTurnsExceededError,
	MaxTurnsExceededError,
	run,
	sequential,
	verifyTrail,
} from "../../src/agents.js";
import { evaluate, pii } from "../../src/evals.js";
import {
	AbortError,
	AtriumError,
	PIIBlockedError,
	PolicyBlockedError,
} from "../../src/index.js";
import { reply } from "../../src/testing.js";
import {
	agent,
	answer,
	deferred,
	kitClient,
	recordTool,
	rejection,
	transfer,
} from "./helpers.js";

const READ = (cost?: number) =>
	reply.toolCalls(
		[{ name: "read_record", arguments: { mrn: "MRN-1" } }],
		cost === undefined ? {} : { governance: { cost_idr: cost } },
	);

const runOfError = (error: unknown) => agentRunOf(error) as AgentRunSnapshot;

describe("maxTurns", () => {
	it("counts every agent's model calls, and stops after the last allowed one asks for tools (they do not run)", async () => {
		const seen: unknown[] = [];
		const { client, gateway } = kitClient([
			transfer("cardiology"),
			READ(),
			READ(),
		]);
		const cardiology = agent("cardiology", { tools: [recordTool(seen)] });
		const triage = agent("triage", { handoffs: [cardiology] });
		const error = await rejection(
			run(client, triage, "Nyeri dada", { maxTurns: 3 }),
		);
		expect(error).toBeInstanceOf(MaxTurnsExceededError);
		expect(error).toBeInstanceOf(AtriumError);
		expect(isMaxTurnsExceededError(error)).toBe(true);
		expect((error as MaxTurnsExceededError).max_turns).toBe(3);
		expect((error as Error).message).toMatch(/3 model calls \(maxTurns 3\)/);
		expect(gateway.calls).toHaveLength(3);
		expect(seen).toHaveLength(1);
		const ended = runOfError(error);
		expect(ended).toBe((error as { run: unknown }).run);
		expect(ended.agent).toBe("cardiology");
		expect(ended.turns).toBe(3);
		expect(ended.trail.map((r) => r.kind)).toEqual([
			"model",
			"handoff",
			"model",
			"tool",
			"model",
			"error",
			"end",
		]);
		expect(ended.trail.at(-1)?.result_summary).toEqual({
			outcome: "error",
			records: 7,
			turns: 3,
		});
		expect(ended.trail.at(-1)?.error).toMatch(/^MaxTurnsExceededError: /);
		expect(
			await verifyTrail(ended.trail, { head: ended.trail.head }),
		).toMatchObject({ ok: true });
	});

	it("defaults to 10 model calls", async () => {
		const { client, gateway } = kitClient(() => READ());
		const error = await rejection(
			run(client, agent("looper", { tools: [recordTool()] }), "Ulangi"),
		);
		expect(error).toBeInstanceOf(MaxTurnsExceededError);
		expect(gateway.calls).toHaveLength(10);
	});

	it("lets a run whose last allowed call answers finish", async () => {
		const { client } = kitClient([READ(), answer("Selesai")]);
		const result = await run(
			client,
			agent("a", { tools: [recordTool()] }),
			"x",
			{ maxTurns: 2 },
		);
		expect(result.finalOutput).toBe("Selesai");
		expect(result.turns).toBe(2);
	});
});

describe("maxCostIdr", () => {
	it("makes no call after the gateway-reported cost passes it: the call that passed it asked for tools, which do not run", async () => {
		const seen: unknown[] = [];
		const { client, gateway } = kitClient([
			READ(30),
			READ(30),
			answer("never", 1),
		]);
		const error = await rejection(
			run(client, agent("cardiology", { tools: [recordTool(seen)] }), "x", {
				maxCostIdr: 50,
			}),
		);
		expect(error).toBeInstanceOf(BudgetExceededError);
		expect(isBudgetExceededError(error)).toBe(true);
		expect(error).toMatchObject({ max_cost_idr: 50, cost_idr: 60 });
		expect(gateway.calls).toHaveLength(2);
		expect(seen).toHaveLength(1);
		const ended = runOfError(error);
		expect(ended.cost_idr).toBe(60);
		expect(ended.costByAgent).toEqual({ cardiology: 60 });
		expect(ended.trail.map((r) => r.kind)).toEqual([
			"model",
			"tool",
			"model",
			"error",
			"end",
		]);
	});

	it("lets no next agent start once the cost passed it", async () => {
		const { client, gateway } = kitClient([
			answer("ringkasan", 80),
			answer("never"),
		]);
		const error = await rejection(
			run(client, sequential([agent("intake"), agent("summary")]), "x", {
				maxCostIdr: 50,
			}),
		);
		expect(error).toBeInstanceOf(BudgetExceededError);
		expect((error as Error).message).toMatch(
			/before the first call of the agent "summary"/,
		);
		expect(gateway.calls).toHaveLength(1);
		expect(runOfError(error).agent).toBe("summary");
	});

	it("gives the answer of a run whose last call passed it: nothing more was to be called", async () => {
		const { client } = kitClient([answer("jawaban", 80)]);
		const result = await run(client, agent("a"), "x", { maxCostIdr: 50 });
		expect(result.finalOutput).toBe("jawaban");
		expect(result.cost_idr).toBe(80);
	});
});

describe("a block in the second agent", () => {
	it("throws the gateway's typed error, carrying the trail so far with the blocked call's audit id", async () => {
		const { client, gateway } = kitClient([
			transfer("cardiology", 12.5),
			reply.block("pii", {
				block_reason: "PII detected: NIK",
				audit_id: "audit-blk-2",
			}),
		]);
		const triage = agent("triage", { handoffs: [agent("cardiology")] });
		const error = await rejection(run(client, triage, "Pasien NIK 3201..."));
		expect(error).toBeInstanceOf(PIIBlockedError);
		const blocked = error as PIIBlockedError;
		expect(blocked.audit_id).toBe("audit-blk-2");
		expect(blocked.metadata).toMatchObject({ agent: "cardiology", step: "1" });
		expect(gateway.calls).toHaveLength(2);
		const ended = runOfError(error);
		expect(ended.agent).toBe("cardiology");
		expect(ended.audit_ids).toEqual(["audit-mock-1", "audit-blk-2"]);
		expect(ended.trail.map((r) => [r.kind, r.agent, r.audit_id])).toEqual([
			["model", "triage", "audit-mock-1"],
			["handoff", "triage", null],
			["model", "cardiology", "audit-blk-2"],
			["error", "cardiology", "audit-blk-2"],
			["end", "cardiology", null],
		]);
		expect(ended.trail[2]?.governance).toMatchObject({
			blocked: true,
			block_reason: "PII detected: NIK",
		});
		expect(ended.trail[2]?.error).toMatch(/^PIIBlockedError: /);
		expect(
			await verifyTrail(ended.trail.toJSONL(), { head: ended.trail.head }),
		).toMatchObject({
			ok: true,
			records: 5,
		});
		// The run stays out of the error's JSON (it holds the conversation).
		expect(Object.keys(blocked.toJSON())).not.toContain("run");
	});

	it("records an evaluator's block (a plugin of that agent only) with its verdict; nothing reached the gateway for it", async () => {
		const { client, gateway } = kitClient([
			transfer("cardiology"),
			answer("never"),
		]);
		const cardiology = agent("cardiology", {
			plugins: [evaluate([pii({ phase: "pre", action: "block" })])],
		});
		const triage = agent("triage", { handoffs: [cardiology] });
		const error = await rejection(
			run(client, triage, "Pasien NIK 3201010101010001 nyeri dada"),
		);
		expect(error).toBeInstanceOf(PolicyBlockedError);
		expect((error as Error).name).toBe("EvaluationBlockedError");
		expect(gateway.calls).toHaveLength(1);
		const trail = runOfError(error).trail;
		expect(trail.map((r) => r.kind)).toEqual([
			"model",
			"handoff",
			"model",
			"evaluation",
			"error",
			"end",
		]);
		expect(trail[3]).toMatchObject({
			agent: "cardiology",
			audit_id: null,
			result_summary: {
				name: "pii",
				phase: "pre",
				pass: false,
				action: "block",
				label: "NIK",
			},
		});
		expect(JSON.stringify(trail)).not.toContain("3201010101010001");
	});
});

describe("abort", () => {
	it("aborts the call in flight in the second agent, and ends the run with AbortError and its trail", async () => {
		const arrived = deferred();
		const { client } = kitClient((_call, index) => {
			if (index === 0) return transfer("cardiology");
			arrived.resolve();
			return reply.timeout();
		});
		const controller = new AbortController();
		const triage = agent("triage", { handoffs: [agent("cardiology")] });
		const running = run(client, triage, "x", { signal: controller.signal });
		await arrived.promise;
		controller.abort();
		const error = await rejection(running);
		expect(error).toBeInstanceOf(AbortError);
		const trail = runOfError(error).trail;
		expect(trail.map((r) => r.kind)).toEqual([
			"model",
			"handoff",
			"model",
			"error",
			"end",
		]);
		expect(trail[2]?.error).toMatch(/^AbortError: /);
	});

	it("aborts a tool in flight through its signal", async () => {
		const started = deferred();
		let toolSignal: AbortSignal | undefined;
		const { client, gateway } = kitClient([READ(), answer("never")]);
		const slow = recordTool([]);
		const waiting = {
			...slow,
			run: (_args: unknown, ctx: { signal: AbortSignal }) => {
				toolSignal = ctx.signal;
				started.resolve();
				return new Promise(() => {});
			},
		};
		const controller = new AbortController();
		const running = run(client, agent("a", { tools: [waiting] }), "x", {
			signal: controller.signal,
		});
		await started.promise;
		controller.abort();
		const error = await rejection(running);
		expect(error).toBeInstanceOf(AbortError);
		expect(toolSignal?.aborted).toBe(true);
		expect(gateway.calls).toHaveLength(1);
		expect(runOfError(error).trail.map((r) => [r.kind, r.error])).toEqual([
			["model", null],
			["tool", "aborted"],
			["error", expect.stringMatching(/^AbortError: /)],
			["end", expect.stringMatching(/^AbortError: /)],
		]);
	});

	it("makes no call when the signal was aborted before the run", async () => {
		const { client, gateway } = kitClient([answer("never")]);
		const error = await rejection(
			run(client, agent("a"), "x", { signal: AbortSignal.abort() }),
		);
		expect(error).toBeInstanceOf(AbortError);
		expect(gateway.calls).toHaveLength(0);
		expect(runOfError(error).trail.map((r) => r.kind)).toEqual([
			"error",
			"end",
		]);
	});
});
