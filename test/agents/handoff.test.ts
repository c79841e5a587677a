/**
 * An agent run with a handoff: triage hands the conversation to a
 * specialist, who uses a tool and answers. One run id on every gateway call
 * (with the agent and its step), the trail of what happened in order, the
 * cost per agent, the conversation carried over (the first agent's system
 * message replaced), and the handoff's options.
 */
import { describe, expect, it } from "vitest";
import {
	type Agent,
	handoff,
	run,
	type TrailRecord,
	verifyTrail,
} from "../../src/agents.js";
import { InvalidInputError } from "../../src/index.js";
import { reply } from "../../src/testing.js";
import {
	agent,
	answer,
	kitClient,
	recordTool,
	rejection,
	sent,
	toolNames,
	transfer,
} from "./helpers.js";

function triageAndCardiology(seen: unknown[] = []) {
	const cardiology = agent("cardiology", {
		description: "Heart complaints",
		tools: [recordTool(seen)],
	});
	const billing = agent("billing", { description: "Invoices and payment" });
	const triage = agent("triage", { handoffs: [cardiology, billing] });
	return { triage, cardiology, billing };
}

const SCRIPT = [
	transfer("cardiology", 12.5),
	reply.toolCalls([{ name: "read_record", arguments: { mrn: "MRN-7" } }], {
		governance: { cost_idr: 20 },
	}),
	answer("Segera rekam EKG.", 20.1),
];

describe("run: triage hands over to a specialist, who answers", () => {
	it("answers with the specialist's text, the cost per agent, and one run id, agent and step on every call", async () => {
		const seen: unknown[] = [];
		const { client, gateway } = kitClient(SCRIPT, {
			metadata: { user_id: "dr-123" },
		});
		const { triage } = triageAndCardiology(seen);
		const result = await run(client, triage, "Nyeri dada sejak pagi", {
			metadata: { ticket: "T-9", agent: "mine", run_id: "mine" },
		});
		expect(result.finalOutput).toBe("Segera rekam EKG.");
		expect(result.lastAgent.name).toBe("cardiology");
		expect(result.run_id).toMatch(/^run-[0-9a-f-]{36}$/);
		expect(result.cost_idr).toBeCloseTo(52.6, 10);
		expect(result.costByAgent).toEqual({ triage: 12.5, cardiology: 40.1 });
		expect(result.turns).toBe(3);
		expect(result.audit_ids).toEqual([
			"audit-mock-1",
			"audit-mock-2",
			"audit-mock-3",
		]);
		expect(seen).toEqual([{ mrn: "MRN-7" }]);
		// The SDK's values win for run_id and agent; the client's and the run's own keys stay.
		expect(gateway.calls.map((call) => call.metadata)).toEqual([
			{
				user_id: "dr-123",
				ticket: "T-9",
				run_id: result.run_id,
				agent: "triage",
				step: "1",
			},
			{
				user_id: "dr-123",
				ticket: "T-9",
				run_id: result.run_id,
				agent: "cardiology",
				step: "1",
			},
			{
				user_id: "dr-123",
				ticket: "T-9",
				run_id: result.run_id,
				agent: "cardiology",
				step: "2",
			},
		]);
	});

	it("offers each handoff as a transfer_to_<name> tool, and carries the conversation over with the next agent's own system message", async () => {
		const { client, gateway } = kitClient(SCRIPT);
		const { triage } = triageAndCardiology();
		const result = await run(client, triage, "Nyeri dada sejak pagi");
		expect(toolNames(gateway.calls[0])).toEqual([
			"transfer_to_cardiology",
			"transfer_to_billing",
		]);
		expect(sent(gateway.calls[0]).tools?.[0]?.function.description).toBe(
			'Hand the conversation over to the agent "cardiology": Heart complaints',
		);
		const second = sent(gateway.calls[1]);
		expect(second.messages.map((m) => m.role)).toEqual([
			"system",
			"user",
			"assistant",
			"tool",
		]);
		expect(second.messages[0]).toEqual({
			role: "system",
			content: "You are cardiology.",
		});
		expect(second.messages[2]?.tool_calls?.[0]?.function.name).toBe(
			"transfer_to_cardiology",
		);
		expect(second.messages[3]?.content).toBe(
			'Handed over to the agent "cardiology".',
		);
		expect(toolNames(gateway.calls[1])).toEqual(["read_record"]);
		// The result's conversation is the last agent's, without its system message.
		expect(result.messages.map((m) => m.role)).toEqual([
			"user",
			"assistant",
			"tool",
			"assistant",
			"tool",
			"assistant",
		]);
	});

	it("writes one record per model call, tool call and handoff, in order, closed by an end record; the trail verifies", async () => {
		const { client } = kitClient(SCRIPT);
		const told: TrailRecord[] = [];
		const result = await run(
			client,
			triageAndCardiology().triage,
			"Nyeri dada",
			{
				onRecord: (record) => {
					told.push(record);
				},
			},
		);
		const trail = result.trail;
		expect(
			trail.map((r) => [r.seq, r.kind, r.agent, r.tool, r.audit_id]),
		).toEqual([
			[1, "model", "triage", null, "audit-mock-1"],
			[2, "handoff", "triage", "transfer_to_cardiology", null],
			[3, "model", "cardiology", null, "audit-mock-2"],
			[4, "tool", "cardiology", "read_record", null],
			[5, "model", "cardiology", null, "audit-mock-3"],
			[6, "end", "cardiology", null, null],
		]);
		expect(told).toEqual([...trail]);
		expect(trail.every((r) => r.run_id === result.run_id)).toBe(true);
		expect(trail[1]?.result_summary).toEqual({
			step: 1,
			call_id: "call_mock_1_1",
			to: "cardiology",
		});
		expect(trail[0]).toMatchObject({
			cost_idr: 12.5,
			governance: { audit_id: "audit-mock-1", policy_decision: "allowed" },
			result_summary: {
				step: 1,
				finish_reason: "tool_calls",
				tool_calls: ["transfer_to_cardiology"],
			},
		});
		expect(trail[5]).toMatchObject({
			result_summary: { outcome: "ok", records: 6, turns: 3 },
			error: null,
		});
		expect(trail[5]?.cost_idr).toBeCloseTo(52.6, 10);
		expect(trail.head).toBe(trail[5]?.hash);
		expect(trail[0]?.prev_hash).toBeNull();
		for (let i = 1; i < trail.length; i++)
			expect(trail[i]?.prev_hash).toBe(trail[i - 1]?.hash);
		expect(await verifyTrail(trail, { head: trail.head })).toEqual({
			ok: true,
			records: 6,
			run_id: result.run_id,
			head: trail.head,
		});
	});

	it("takes the caller's run id, and a conversation as input", async () => {
		const { client, gateway } = kitClient([answer("Halo")]);
		const result = await run(
			client,
			agent("triage"),
			[
				{ role: "user", content: "Halo" },
				{ role: "assistant", content: "Ada yang bisa dibantu?" },
				{ role: "user", content: "Nyeri dada" },
			],
			{ runId: "run-visit-42" },
		);
		expect(result.run_id).toBe("run-visit-42");
		expect(gateway.calls[0]?.metadata.run_id).toBe("run-visit-42");
		expect(sent(gateway.calls[0]).messages).toHaveLength(4);
	});
});

describe("handoff options", () => {
	it("trims what the next agent gets with inputFilter, told who hands over to whom", async () => {
		const { client, gateway } = kitClient([
			transfer("billing"),
			answer("Rp 150.000"),
		]);
		const asked: unknown[] = [];
		const billing = agent("billing");
		const triage = agent("triage", {
			handoffs: [
				handoff(billing, {
					description: "Questions about a bill",
					inputFilter: ({ messages, from, to, run_id }) => {
						asked.push({
							from,
							to,
							run_id,
							roles: messages.map((m) => m.role),
						});
						return messages.filter((m) => m.role === "user");
					},
				}),
			],
		});
		const result = await run(client, triage, "Berapa tagihan saya?", {
			runId: "run-b",
		});
		expect(asked).toEqual([
			{
				from: "triage",
				to: "billing",
				run_id: "run-b",
				roles: ["user", "assistant", "tool"],
			},
		]);
		expect(sent(gateway.calls[0]).tools?.[0]?.function.description).toBe(
			"Questions about a bill",
		);
		expect(sent(gateway.calls[1]).messages).toEqual([
			{ role: "system", content: "You are billing." },
			{ role: "user", content: "Berapa tagihan saya?" },
		]);
		expect(result.finalOutput).toBe("Rp 150.000");
	});

	it("ends the run when inputFilter returns no messages, with the trail so far", async () => {
		const { client, gateway } = kitClient([transfer("billing")]);
		const triage = agent("triage", {
			handoffs: [handoff(agent("billing"), { inputFilter: () => [] })],
		});
		const error = await rejection(run(client, triage, "Tagihan?"));
		expect(error).toBeInstanceOf(InvalidInputError);
		expect((error as Error).message).toMatch(
			/inputFilter of the handoff from "triage" to "billing"/,
		);
		expect(gateway.calls).toHaveLength(1);
		const trail = (error as { run: { trail: TrailRecord[] } }).run.trail;
		expect(trail.map((r) => r.kind)).toEqual([
			"model",
			"handoff",
			"error",
			"end",
		]);
	});

	it("follows handoffs back and forth when given as a function (a cycle)", async () => {
		const { client } = kitClient([
			transfer("billing"),
			transfer("triage"),
			answer("Kembali ke triase: silakan ke IGD."),
		]);
		let billing: Agent | undefined;
		const triage = agent("triage", {
			handoffs: () => (billing ? [billing] : []),
		});
		billing = agent("billing", { handoffs: [triage] });
		const result = await run(client, triage, "Tagihan dan nyeri dada");
		expect(result.lastAgent).toBe(triage);
		expect(
			result.trail
				.filter((r) => r.kind === "handoff")
				.map((r) => [r.agent, r.result_summary]),
		).toEqual([
			["triage", { step: 1, call_id: "call_mock_1_1", to: "billing" }],
			["billing", { step: 1, call_id: "call_mock_2_1", to: "triage" }],
		]);
	});

	it("takes the first handoff of a step; a second one in the same step is an error the model is told of", async () => {
		const { client, gateway } = kitClient([
			reply.toolCalls([
				{ name: "transfer_to_cardiology", arguments: {} },
				{ name: "transfer_to_billing", arguments: {} },
			]),
			answer("EKG"),
		]);
		const result = await run(
			client,
			triageAndCardiology().triage,
			"Nyeri dada",
		);
		expect(result.lastAgent.name).toBe("cardiology");
		const tool = sent(gateway.calls[1]).messages[4];
		expect(tool?.content).toMatch(/already goes to the agent "cardiology"/);
		expect(result.trail.map((r) => r.kind)).toEqual([
			"model",
			"handoff",
			"tool",
			"model",
			"end",
		]);
		expect(result.trail[2]).toMatchObject({
			tool: "transfer_to_billing",
			error: "error",
		});
	});
});
