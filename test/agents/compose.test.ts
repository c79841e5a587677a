/**
 * Agents composed: an agent called as a tool by another (its own loop, its
 * records in the same trail, a block inside it ending the whole run), and
 * sequential workflows (the output of one is the input of the next), nested
 * with parallel ones.
 */
import { describe, expect, it } from "vitest";
import {
	agentRunOf,
	parallel,
	run,
	sequential,
	verifyTrail,
} from "../../src/agents.js";
import { PIIBlockedError } from "../../src/index.js";
import { defineTool } from "../../src/skills.js";
import { reply } from "../../src/testing.js";
import {
	agent,
	answer,
	kitClient,
	rejection,
	sent,
	toolNames,
} from "./helpers.js";

const ASK = (input: string) =>
	reply.toolCalls([{ name: "pharmacist", arguments: { input } }], {
		governance: { cost_idr: 5 },
	});

function supervisor(audit?: "full") {
	const pharmacist = agent("pharmacist", {
		description: "Checks drug interactions",
	});
	return agent("supervisor", {
		tools: [pharmacist.asTool(audit ? { audit } : {})],
	});
}

describe("agent.asTool", () => {
	it("runs the agent's own loop when the model calls it; its answer is the tool's result and its records join the trail", async () => {
		const { client, gateway } = kitClient([
			ASK("Interaksi warfarin dan aspirin?"),
			answer("Hindari kombinasi; risiko perdarahan.", 7),
			answer("Jangan beri aspirin.", 3),
		]);
		const result = await run(
			client,
			supervisor(),
			"Pasien minum warfarin, boleh aspirin?",
		);
		expect(result.finalOutput).toBe("Jangan beri aspirin.");
		expect(result.lastAgent.name).toBe("supervisor");
		expect(result.costByAgent).toEqual({ supervisor: 8, pharmacist: 7 });
		expect(toolNames(gateway.calls[0])).toEqual(["pharmacist"]);
		expect(sent(gateway.calls[0]).tools?.[0]?.function.description).toBe(
			"Checks drug interactions",
		);
		expect(sent(gateway.calls[1]).messages).toEqual([
			{ role: "system", content: "You are pharmacist." },
			{ role: "user", content: "Interaksi warfarin dan aspirin?" },
		]);
		expect(sent(gateway.calls[2]).messages.at(-1)).toMatchObject({
			role: "tool",
			content: "Hindari kombinasi; risiko perdarahan.",
		});
		expect(
			gateway.calls.map((c) => [
				c.metadata.run_id,
				c.metadata.agent,
				c.metadata.step,
			]),
		).toEqual([
			[result.run_id, "supervisor", "1"],
			[result.run_id, "pharmacist", "1"],
			[result.run_id, "supervisor", "2"],
		]);
		expect(result.trail.map((r) => [r.kind, r.agent, r.tool])).toEqual([
			["model", "supervisor", null],
			["model", "pharmacist", null],
			["tool", "supervisor", "pharmacist"],
			["model", "supervisor", null],
			["end", "supervisor", null],
		]);
		// The question and the answer are values: kept out unless the audit is full.
		expect(result.trail[2]?.arguments).toEqual({
			type: "object",
			keys: ["input"],
		});
		expect(result.trail.toJSONL()).not.toContain("warfarin");
	});

	it("writes the question and the answer with audit full", async () => {
		const { client } = kitClient([
			ASK("warfarin?"),
			answer("Hindari."),
			answer("ok"),
		]);
		const result = await run(client, supervisor("full"), "x");
		expect(result.trail[2]).toMatchObject({
			arguments: { input: "warfarin?" },
			result_summary: { outcome: "ok", result: "Hindari." },
		});
	});

	it("ends the whole run when the agent inside is blocked, with the trail of both", async () => {
		const { client, gateway } = kitClient([
			ASK("NIK 3201..."),
			reply.block("pii", { audit_id: "audit-blk-in" }),
			answer("never"),
		]);
		const error = await rejection(run(client, supervisor(), "x"));
		expect(error).toBeInstanceOf(PIIBlockedError);
		expect(gateway.calls).toHaveLength(2);
		const ended = agentRunOf(error);
		expect(ended?.agent).toBe("pharmacist");
		expect(
			ended?.trail.map((r) => [r.kind, r.agent, r.audit_id ?? r.error]),
		).toEqual([
			["model", "supervisor", "audit-mock-1"],
			["model", "pharmacist", "audit-blk-in"],
			["tool", "supervisor", "aborted"],
			["error", "pharmacist", "audit-blk-in"],
			["end", "pharmacist", expect.stringMatching(/^PIIBlockedError: /)],
		]);
		expect(await verifyTrail(ended?.trail ?? [])).toMatchObject({ ok: true });
	});

	it("checks its options", () => {
		const a = agent("a");
		expect(() => a.asTool({ name: "transfer_to_b" })).toThrow(
			/not starting with "transfer_to_"/,
		);
		expect(() => a.asTool({ audit: "all" as "full" })).toThrow(/audit must be/);
		expect(a.asTool({ name: "ask_a" })).toMatchObject({
			kind: "agent_tool",
			name: "ask_a",
			audit: "summary",
		});
	});
});

describe("sequential", () => {
	it("gives each step the output of the one before as a user message; the output is the last step's", async () => {
		const { client, gateway } = kitClient([
			answer("Ringkasan: nyeri dada 2 jam."),
			answer("Kode: R07.4"),
		]);
		const result = await run(
			client,
			sequential([agent("summariser"), agent("coder")], { name: "intake" }),
			"Catatan panjang pasien...",
		);
		expect(result.finalOutput).toBe("Kode: R07.4");
		expect(result.lastAgent.name).toBe("coder");
		expect(sent(gateway.calls[1]).messages).toEqual([
			{ role: "system", content: "You are coder." },
			{ role: "user", content: "Ringkasan: nyeri dada 2 jam." },
		]);
		expect(new Set(gateway.calls.map((c) => c.metadata.run_id))).toEqual(
			new Set([result.run_id]),
		);
		expect(result.trail.map((r) => [r.kind, r.agent])).toEqual([
			["model", "summariser"],
			["model", "coder"],
			["end", "coder"],
		]);
	});

	it("nests a parallel: its merged outputs go on as JSON text", async () => {
		const { client, gateway } = kitClient((call) =>
			answer(
				call.metadata.agent === "final"
					? "selesai"
					: `dari ${call.metadata.agent}`,
			),
		);
		const flow = sequential([
			parallel([agent("cardiology"), agent("pharmacy")]),
			agent("final"),
		]);
		const result = await run(client, flow, "x");
		expect(result.finalOutput).toBe("selesai");
		expect(sent(gateway.calls[2]).messages[1]).toEqual({
			role: "user",
			content: '["dari cardiology","dari pharmacy"]',
		});
	});

	it("checks its steps and name", () => {
		expect(() => sequential([])).toThrow(/non-empty array/);
		expect(() => sequential([{} as never])).toThrow(/\[0\] must be an Agent/);
		expect(() => parallel([agent("a")], { name: "no spaces" })).toThrow(
			/name must be/,
		);
		expect(() => parallel([agent("a")], { merge: 1 as never })).toThrow(
			/merge must be a function/,
		);
	});
});

describe("approve", () => {
	it("is asked about a tool call that needs approval, with the agent whose model asked", async () => {
		const { client } = kitClient([
			reply.toolCalls([{ name: "discharge", arguments: { mrn: "MRN-1" } }]),
			answer("Belum dipulangkan."),
		]);
		const discharge = defineTool({
			name: "discharge",
			parameters: { type: "object" },
			needsApproval: true,
			run: () => "done",
		});
		const asked: unknown[] = [];
		const result = await run(
			client,
			agent("ward", { tools: [discharge] }),
			"x",
			{
				approve: (request) => {
					asked.push([
						request.agent,
						request.name,
						request.run_id,
						request.step,
					]);
					return false;
				},
			},
		);
		expect(asked).toEqual([["ward", "discharge", result.run_id, 1]]);
		expect(result.trail[1]).toMatchObject({
			kind: "tool",
			tool: "discharge",
			error: "refused",
		});
	});
});
