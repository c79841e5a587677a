/**
 * Work above single calls and evaluations: `plugin.wrap(...)` around real
 * calls against a stub gives an INTERNAL `execute_tool` / `invoke_agent` /
 * `invoke_workflow` span that the calls' spans nest under, and every
 * evaluation an evaluator plugin adds becomes a `gen_ai.evaluation.result`
 * event on the call's span.
 */
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { afterEach, describe, expect, it } from "vitest";
import {
	Atrium,
	type AtriumPlugin,
	type CallContext,
	type EvaluationResult,
	PolicyBlockedError,
} from "../../src/index.js";
import { otel } from "../../src/otel.js";
import { traceparentOf, useTelemetry } from "../helpers/otel.js";
import {
	CHAT,
	completionBody,
	sendJSON,
	useStubs,
} from "../helpers/stub-server.js";

const telemetry = useTelemetry();
const serve = useStubs();

afterEach(() => {
	expect(telemetry.open.size, "a span was left open").toBe(0);
});

async function setup(more: AtriumPlugin[] = []) {
	const stub = await serve((_req, res) =>
		sendJSON(res, 200, completionBody("ok")),
	);
	const plugin = otel({ tracerProvider: telemetry.tracerProvider });
	const client = new Atrium({
		apiKey: "sk-mng-otel-wrap",
		baseURL: stub.url,
		logLevel: "off",
		maxRetries: 0,
		plugins: [plugin, ...more],
	});
	const wrap = plugin.wrap?.bind(plugin);
	if (!wrap) throw new Error("otel() must have wrap");
	return { stub, client, wrap };
}

const span = (name: string) => {
	const found = telemetry.finished(name);
	expect(found, `one span named ${name}`).toHaveLength(1);
	return found[0] as NonNullable<(typeof found)[0]>;
};

describe("wrap", () => {
	it("makes an agent span, a tool span inside it, and nests the calls made inside each", async () => {
		const { stub, client, wrap } = await setup();
		const result = await wrap(
			{
				kind: "invoke_agent",
				name: "triage",
				attributes: { "monago.atrium.run_id": "run-1" },
			},
			async () => {
				await client.chat.completions.create(CHAT);
				return wrap(
					{
						kind: "execute_tool",
						name: "book_xray",
						attributes: {
							"gen_ai.tool.call.id": "call_1",
							"monago.atrium.run_id": "run-1",
						},
					},
					async () => (await client.chat.completions.create(CHAT)).content,
				);
			},
		);
		expect(result).toBe("ok");
		const agent = span("invoke_agent triage");
		const tool = span("execute_tool book_xray");
		const calls = telemetry.finished("chat gpt-5.4-mini");
		expect(calls).toHaveLength(2);
		expect(agent.kind).toBe(SpanKind.INTERNAL);
		expect(tool.kind).toBe(SpanKind.INTERNAL);
		expect(agent.attributes).toEqual({
			"monago.atrium.run_id": "run-1",
			"gen_ai.operation.name": "invoke_agent",
			"gen_ai.agent.name": "triage",
		});
		expect(tool.attributes).toEqual({
			"gen_ai.tool.call.id": "call_1",
			"monago.atrium.run_id": "run-1",
			"gen_ai.operation.name": "execute_tool",
			"gen_ai.tool.name": "book_xray",
		});
		expect(tool.parentSpanContext?.spanId).toBe(agent.spanContext().spanId);
		expect(calls[0]?.parentSpanContext?.spanId).toBe(
			agent.spanContext().spanId,
		);
		expect(calls[1]?.parentSpanContext?.spanId).toBe(tool.spanContext().spanId);
		const traceId = agent.spanContext().traceId;
		for (const s of [tool, ...calls])
			expect(s.spanContext().traceId).toBe(traceId);
		// The gateway gets each call's own span as the parent.
		expect(stub.requests.map((r) => r.headers.traceparent)).toEqual(
			calls.map((c) => traceparentOf(c)),
		);
	});

	it("names a workflow span after the workflow", async () => {
		const { wrap } = await setup();
		await wrap(
			{ kind: "invoke_workflow", name: "discharge", attributes: {} },
			async () => undefined,
		);
		expect(span("invoke_workflow discharge").attributes).toEqual({
			"gen_ai.operation.name": "invoke_workflow",
			"gen_ai.workflow.name": "discharge",
		});
	});

	it("ends the span with ERROR and error.type when the work throws, and rethrows it unchanged", async () => {
		const { client, wrap } = await setup();
		const thrown = new PolicyBlockedError("tool refused");
		const error = await wrap(
			{ kind: "execute_tool", name: "send_email", attributes: {} },
			async () => {
				await client.chat.completions.create(CHAT);
				throw thrown;
			},
		).catch((e: unknown) => e);
		expect(error).toBe(thrown);
		const tool = span("execute_tool send_email");
		expect(tool.status).toEqual({
			code: SpanStatusCode.ERROR,
			message: "tool refused",
		});
		expect(tool.attributes["error.type"]).toBe("PolicyBlockedError");
		expect(span("chat gpt-5.4-mini").parentSpanContext?.spanId).toBe(
			tool.spanContext().spanId,
		);
	});

	it("bounds the attributes it is given", async () => {
		const { wrap } = await setup();
		await wrap(
			{
				kind: "execute_tool",
				name: "t".repeat(1000),
				attributes: {
					long: "v".repeat(5000),
					list: Array.from({ length: 100 }, () => "x"),
					[`k${"e".repeat(300)}`]: "dropped",
					nan: Number.NaN,
				},
			},
			async () => undefined,
		);
		const [tool] = telemetry.finished();
		expect(tool?.name).toHaveLength("execute_tool ".length + 256);
		expect(String(tool?.attributes.long)).toHaveLength(1024);
		expect(tool?.attributes.list).toHaveLength(32);
		expect(tool?.attributes.nan).toBeUndefined();
		expect(Object.keys(tool?.attributes ?? {})).toHaveLength(4);
	});
});

/** An evaluator plugin that adds its verdict to the call's evaluations. */
function evaluator(result: Partial<EvaluationResult>): AtriumPlugin {
	return {
		name: `eval-${result.name}`,
		onResponse(ctx: CallContext) {
			ctx.evaluations.push({
				name: "x",
				phase: "post",
				pass: true,
				score: null,
				label: null,
				reason: null,
				action: "flag",
				duration_ms: 1,
				audit_id: null,
				...result,
			});
		},
	};
}

describe("evaluations on the call's span", () => {
	it("become gen_ai.evaluation.result events, the otel plugin being first so it sees them all", async () => {
		const { client } = await setup([
			evaluator({
				name: "relevance",
				score: 0.82,
				label: "relevant",
				reason: "On topic.",
				audit_id: "audit-judge-1",
			}),
			evaluator({ name: "no_pii", pass: false, action: "flag" }),
		]);
		await client.chat.completions.create(CHAT);
		const call = span("chat gpt-5.4-mini");
		const events = call.events.filter(
			(e) => e.name === "gen_ai.evaluation.result",
		);
		// Hooks on the way back run in reverse: the last evaluator first.
		expect(events.map((e) => e.attributes)).toEqual([
			{
				"gen_ai.evaluation.name": "no_pii",
				"gen_ai.evaluation.score.label": "fail",
				"gen_ai.response.id": "chatcmpl-stub",
				"monago.atrium.evaluation.phase": "post",
				"monago.atrium.evaluation.pass": false,
				"monago.atrium.evaluation.action": "flag",
			},
			{
				"gen_ai.evaluation.name": "relevance",
				"gen_ai.evaluation.score.value": 0.82,
				"gen_ai.evaluation.score.label": "relevant",
				"gen_ai.evaluation.explanation": "On topic.",
				"gen_ai.response.id": "chatcmpl-stub",
				"monago.atrium.evaluation.phase": "post",
				"monago.atrium.evaluation.pass": true,
				"monago.atrium.evaluation.action": "flag",
				"monago.atrium.audit_id": "audit-judge-1",
			},
		]);
	});

	it("are recorded when an evaluator fails the call, with the failure on the span", async () => {
		const blocker: AtriumPlugin = {
			name: "blocker",
			onResponse(ctx) {
				ctx.evaluations.push({
					name: "policy",
					phase: "post",
					pass: false,
					score: 0.1,
					label: null,
					reason: "Off policy.",
					action: "block",
					duration_ms: 2,
					audit_id: null,
				});
				throw new PolicyBlockedError("blocked by evaluator policy");
			},
		};
		const { client } = await setup([blocker]);
		await expect(client.chat.completions.create(CHAT)).rejects.toBeInstanceOf(
			PolicyBlockedError,
		);
		const call = span("chat gpt-5.4-mini");
		expect(call.attributes["error.type"]).toBe("PolicyBlockedError");
		const [event] = call.events.filter(
			(e) => e.name === "gen_ai.evaluation.result",
		);
		expect(event?.attributes).toMatchObject({
			"gen_ai.evaluation.name": "policy",
			"gen_ai.evaluation.score.value": 0.1,
			"gen_ai.evaluation.score.label": "fail",
			"gen_ai.evaluation.explanation": "Off policy.",
			"monago.atrium.evaluation.action": "block",
		});
	});
});
