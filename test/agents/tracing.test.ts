/**
 * Agent runs traced with the otel plugin and a real OpenTelemetry SDK:
 * `invoke_agent` spans with the chat and `execute_tool` spans of their
 * calls under them, a handed-over agent's span under the agent that handed
 * over, an agent called as a tool under its tool's span, workflows as
 * `invoke_workflow`; one trace, and the run id on every span.
 */
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { afterEach, describe, expect, it } from "vitest";
import { parallel, run, sequential } from "../../src/agents.js";
import { otel } from "../../src/otel.js";
import { reply } from "../../src/testing.js";
import { useTelemetry } from "../helpers/otel.js";
import { agent, answer, kitClient, recordTool, transfer } from "./helpers.js";

const telemetry = useTelemetry();

afterEach(() => {
	expect(telemetry.open.size, "a span was left open").toBe(0);
});

function tracedClient(script: Parameters<typeof kitClient>[0]) {
	return kitClient(script, {
		plugins: [otel({ tracerProvider: telemetry.tracerProvider })],
	});
}

/** The finished spans as a tree of names, children in start order. */
function tree(spans: readonly ReadableSpan[]): unknown[] {
	const byParent = new Map<string | undefined, ReadableSpan[]>();
	const ids = new Set(spans.map((s) => s.spanContext().spanId));
	for (const span of spans) {
		const parent = span.parentSpanContext?.spanId;
		const key = parent && ids.has(parent) ? parent : undefined;
		byParent.set(key, [...(byParent.get(key) ?? []), span]);
	}
	const build = (parent: string | undefined): unknown[] =>
		(byParent.get(parent) ?? [])
			.sort(
				(a, b) =>
					a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1],
			)
			.map((span) => {
				const children = build(span.spanContext().spanId);
				return children.length ? { [span.name]: children } : span.name;
			});
	return build(undefined);
}

describe("agent runs traced", () => {
	it("nests a handoff's spans: chat and execute_tool under invoke_agent, the next agent under the one that handed over; one trace, the run id on every span", async () => {
		const { client } = tracedClient([
			transfer("cardiology"),
			reply.toolCalls([{ name: "read_record", arguments: { mrn: "MRN-1" } }]),
			answer("EKG"),
		]);
		const triage = agent("triage", {
			handoffs: [agent("cardiology", { tools: [recordTool()] })],
		});
		const result = await run(client, triage, "Nyeri dada");
		const spans = telemetry.finished();
		expect(tree(spans)).toEqual([
			{
				"invoke_agent triage": [
					"chat gpt-5.4-mini",
					"execute_tool transfer_to_cardiology",
					{
						"invoke_agent cardiology": [
							"chat gpt-5.4-mini",
							"execute_tool read_record",
							"chat gpt-5.4-mini",
						],
					},
				],
			},
		]);
		expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
		for (const span of spans)
			expect(span.attributes["monago.atrium.run_id"], span.name).toBe(
				result.run_id,
			);
		const agents = telemetry.finished("invoke_agent cardiology");
		expect(agents[0]?.attributes).toMatchObject({
			"gen_ai.operation.name": "invoke_agent",
			"gen_ai.agent.name": "cardiology",
		});
		const tool = telemetry.finished("execute_tool read_record")[0];
		expect(tool?.attributes).toMatchObject({
			"gen_ai.tool.name": "read_record",
			"gen_ai.tool.call.id": "call_mock_2_1",
			"gen_ai.agent.name": "cardiology",
		});
		const chats = telemetry.finished("chat gpt-5.4-mini");
		expect(
			chats.map((c) => [
				c.attributes["monago.atrium.agent"],
				c.attributes["monago.atrium.step"],
			]),
		).toEqual([
			["triage", "1"],
			["cardiology", "1"],
			["cardiology", "2"],
		]);
	});

	it("puts an agent called as a tool under its tool's span, and workflows in invoke_workflow spans", async () => {
		const { client } = tracedClient((call) => {
			if (call.metadata.agent === "supervisor" && call.metadata.step === "1")
				return reply.toolCalls([
					{ name: "pharmacist", arguments: { input: "?" } },
				]);
			return answer(`dari ${call.metadata.agent}`);
		});
		const supervisor = agent("supervisor", {
			tools: [agent("pharmacist").asTool()],
		});
		await run(
			client,
			sequential(
				[
					parallel([supervisor, agent("cardiology")], { name: "consult" }),
					agent("writer"),
				],
				{
					name: "visit",
				},
			),
			"x",
		);
		const roots = tree(telemetry.finished()) as Record<string, unknown[]>[];
		expect(roots.map((root) => Object.keys(root))).toEqual([
			["invoke_workflow visit"],
		]);
		const [consult, writer] = (roots[0] as Record<string, unknown[]>)[
			"invoke_workflow visit"
		] as [Record<string, unknown[]>, unknown];
		expect(writer).toEqual({ "invoke_agent writer": ["chat gpt-5.4-mini"] });
		const branches = consult["invoke_workflow consult"] ?? [];
		expect(branches).toHaveLength(2);
		expect(branches).toContainEqual({
			"invoke_agent cardiology": ["chat gpt-5.4-mini"],
		});
		expect(branches).toContainEqual({
			"invoke_agent supervisor": [
				"chat gpt-5.4-mini",
				{
					"execute_tool pharmacist": [
						{ "invoke_agent pharmacist": ["chat gpt-5.4-mini"] },
					],
				},
				"chat gpt-5.4-mini",
			],
		});
		expect(
			telemetry.finished("invoke_workflow consult")[0]?.attributes,
		).toMatchObject({
			"gen_ai.operation.name": "invoke_workflow",
			"gen_ai.workflow.name": "consult",
		});
	});

	it("marks the spans an error went through", async () => {
		const { client } = tracedClient([
			transfer("cardiology"),
			reply.block("pii"),
		]);
		const triage = agent("triage", { handoffs: [agent("cardiology")] });
		await run(client, triage, "x").catch(() => {});
		for (const name of ["invoke_agent triage", "invoke_agent cardiology"])
			expect(telemetry.finished(name)[0]?.attributes["error.type"], name).toBe(
				"PIIBlockedError",
			);
	});
});
