/**
 * The tracing plugin on whole calls, against a node:http stub on 127.0.0.1
 * and the real OpenTelemetry SDK: the span's attributes, governance, attempt
 * events, blocks and failures, and the trace context the gateway receives.
 */
import {
	propagation,
	SpanKind,
	SpanStatusCode,
	trace,
} from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { afterEach, describe, expect, it } from "vitest";
import packageJson from "../../package.json" with { type: "json" };
import {
	APIError,
	Atrium,
	type AtriumOptions,
	PIIBlockedError,
} from "../../src/index.js";
import { otel } from "../../src/otel.js";
import { traceparentOf, useTelemetry } from "../helpers/otel.js";

const PACKAGE_VERSION = packageJson.version;

import {
	CHAT,
	completionBody,
	GOVERNANCE_HEADERS,
	sendJSON,
	useStubs,
} from "../helpers/stub-server.js";

const telemetry = useTelemetry();
const serve = useStubs();

afterEach(() => {
	expect(telemetry.open.size, "a span was left open").toBe(0);
});

const client = (url: string, options: AtriumOptions = {}) =>
	new Atrium({
		apiKey: "sk-mng-otel",
		baseURL: `${url}/v1`,
		logLevel: "off",
		maxRetries: 0,
		plugins: [otel({ tracerProvider: telemetry.tracerProvider })],
		...options,
	});

const BLOCK_HEADERS = {
	"X-Monago-Audit-Id": "audit-blk",
	"X-Monago-Policy-Decision": "blocked",
	"X-Monago-Block-Reason": "PII detected: NIK",
	"X-Monago-Pii-Detected": "true",
	"X-Monago-Pii-Redacted": "NIK, EMAIL",
	"X-Monago-Provider": "openai",
};

describe("a whole call's span", () => {
	it("is a CLIENT span `chat {model}` with the request, the response and the gateway's governance", async () => {
		const stub = await serve((_req, res) =>
			sendJSON(
				res,
				200,
				JSON.stringify({
					...JSON.parse(completionBody("hi")),
					model: "gpt-5.4-mini-2026-01-01",
					service_tier: "default",
					system_fingerprint: "fp_1",
					usage: {
						prompt_tokens: 30,
						completion_tokens: 7,
						total_tokens: 37,
						prompt_tokens_details: { cached_tokens: 10 },
						completion_tokens_details: { reasoning_tokens: 2 },
					},
				}),
				{
					...GOVERNANCE_HEADERS,
					"X-Monago-Pii-Redacted": "NIK",
					"X-Monago-Security-Incident": "prompt_injection",
				},
			),
		);
		const port = Number(new URL(stub.url).port);
		await client(stub.url, {
			metadata: { session_id: "visit-9", user_id: "dr-123" },
		}).chat.completions.create({
			...CHAT,
			max_completion_tokens: 100,
			temperature: 0.2,
			top_p: 0.9,
			frequency_penalty: 0.1,
			presence_penalty: 0.3,
			stop: ["END", "STOP"],
			seed: 42,
			n: 2,
			response_format: { type: "json_object" },
			service_tier: "flex",
		});
		const [span] = telemetry.finished();
		expect(telemetry.finished()).toHaveLength(1);
		expect(span?.name).toBe("chat gpt-5.4-mini");
		expect(span?.kind).toBe(SpanKind.CLIENT);
		expect(span?.status.code).toBe(SpanStatusCode.UNSET);
		expect(span?.instrumentationScope).toMatchObject({
			name: "@monagoio/atrium-sdk",
			version: PACKAGE_VERSION,
			schemaUrl: "https://opentelemetry.io/schemas/1.41.0",
		});
		expect(span?.attributes).toEqual({
			"gen_ai.operation.name": "chat",
			"gen_ai.provider.name": "openai",
			"gen_ai.request.model": "gpt-5.4-mini",
			"server.address": "127.0.0.1",
			"server.port": port,
			"gen_ai.request.stream": false,
			"openai.api.type": "chat_completions",
			"gen_ai.request.max_tokens": 100,
			"gen_ai.request.temperature": 0.2,
			"gen_ai.request.top_p": 0.9,
			"gen_ai.request.frequency_penalty": 0.1,
			"gen_ai.request.presence_penalty": 0.3,
			"gen_ai.request.stop_sequences": ["END", "STOP"],
			"gen_ai.request.seed": 42,
			"gen_ai.request.choice.count": 2,
			"gen_ai.output.type": "json",
			"openai.request.service_tier": "flex",
			"gen_ai.conversation.id": "visit-9",
			"gen_ai.response.id": "chatcmpl-stub",
			"gen_ai.response.model": "gpt-5.4-mini-2026-01-01",
			"gen_ai.response.finish_reasons": ["stop"],
			"gen_ai.usage.input_tokens": 30,
			"gen_ai.usage.output_tokens": 7,
			"gen_ai.usage.cache_read.input_tokens": 10,
			"gen_ai.usage.reasoning.output_tokens": 2,
			"openai.response.service_tier": "default",
			"openai.response.system_fingerprint": "fp_1",
			"monago.atrium.audit_id": "audit-stub-1",
			"monago.atrium.policy_decision": "allowed",
			"monago.atrium.blocked": false,
			"monago.atrium.pii_detected": false,
			"monago.atrium.pii_redacted": ["NIK"],
			"monago.atrium.security_incidents": ["prompt_injection"],
			"monago.atrium.provider": "openai",
			"monago.atrium.latency_ms": 12,
			"monago.atrium.cost_idr": 3.5,
			"monago.atrium.attempts": 1,
		});
		// The user id is personal data: it is not put on the span.
		expect(JSON.stringify(span?.attributes)).not.toContain("dr-123");
		expect(span?.events.map((e) => [e.name, e.attributes])).toEqual([
			[
				"monago.atrium.attempt",
				{
					"monago.atrium.attempt": 1,
					"http.response.status_code": 200,
					"monago.atrium.audit_id": "audit-stub-1",
				},
			],
		]);
	});

	it("sends the gateway a traceparent with the call span's trace id and span id", async () => {
		const stub = await serve((_req, res) =>
			sendJSON(res, 200, completionBody()),
		);
		await client(stub.url).chat.completions.create(CHAT);
		const [span] = telemetry.finished();
		expect(span).toBeDefined();
		expect(stub.requests[0]?.headers.traceparent).toBe(
			traceparentOf(span as NonNullable<typeof span>),
		);
	});

	it("nests under a span the user started, in the same trace", async () => {
		const stub = await serve((_req, res) =>
			sendJSON(res, 200, completionBody()),
		);
		const tracer = telemetry.tracerProvider.getTracer("app");
		const atrium = client(stub.url);
		await tracer.startActiveSpan("handle visit", async (parent) => {
			await atrium.chat.completions.create(CHAT);
			parent.end();
		});
		const [call] = telemetry.finished("chat gpt-5.4-mini");
		const [parent] = telemetry.finished("handle visit");
		expect(call?.parentSpanContext?.spanId).toBe(parent?.spanContext().spanId);
		expect(call?.spanContext().traceId).toBe(parent?.spanContext().traceId);
		const sent = stub.requests[0]?.headers.traceparent;
		expect(sent).toBe(traceparentOf(call as NonNullable<typeof call>));
		expect(sent).toContain(parent?.spanContext().traceId);
	});

	it("records a block as such: ERROR status, the class as error.type, the governance of the block", async () => {
		const stub = await serve((_req, res) =>
			sendJSON(
				res,
				451,
				'{"error":{"message":"PII detected","code":"pii_blocked"}}',
				BLOCK_HEADERS,
			),
		);
		await expect(
			client(stub.url).chat.completions.create(CHAT),
		).rejects.toBeInstanceOf(PIIBlockedError);
		const [span] = telemetry.finished();
		expect(span?.status.code).toBe(SpanStatusCode.ERROR);
		expect(span?.status.message).toContain("451 PII detected");
		expect(span?.attributes).toMatchObject({
			"error.type": "PIIBlockedError",
			"http.response.status_code": 451,
			"monago.atrium.audit_id": "audit-blk",
			"monago.atrium.policy_decision": "blocked",
			"monago.atrium.blocked": true,
			"monago.atrium.block_reason": "PII detected: NIK",
			"monago.atrium.pii_detected": true,
			"monago.atrium.pii_redacted": ["NIK", "EMAIL"],
			"monago.atrium.attempts": 1,
		});
		expect(span?.attributes["gen_ai.response.id"]).toBeUndefined();
		expect(span?.events[0]?.attributes).toEqual({
			"monago.atrium.attempt": 1,
			"http.response.status_code": 451,
			"monago.atrium.audit_id": "audit-blk",
			"error.type": "PIIBlockedError",
		});
	});

	it("shows every attempt of a retried call as an event with its status and audit id", async () => {
		const stub = await serve((_req, res, _seen, index) =>
			index < 2
				? sendJSON(res, 503, '{"error":{"message":"busy"}}', {
						"retry-after-ms": "1",
						"X-Monago-Audit-Id": `audit-${index}`,
					})
				: sendJSON(res, 200, completionBody()),
		);
		await client(stub.url, { maxRetries: 2 }).chat.completions.create(CHAT);
		const [span] = telemetry.finished();
		expect(span?.events.map((e) => e.attributes)).toEqual([
			{
				"monago.atrium.attempt": 1,
				"http.response.status_code": 503,
				"monago.atrium.audit_id": "audit-0",
				"error.type": "APIError",
			},
			{
				"monago.atrium.attempt": 2,
				"http.response.status_code": 503,
				"monago.atrium.audit_id": "audit-1",
				"error.type": "APIError",
			},
			{
				"monago.atrium.attempt": 3,
				"http.response.status_code": 200,
				"monago.atrium.audit_id": "audit-stub-1",
			},
		]);
		expect(span?.attributes["monago.atrium.attempts"]).toBe(3);
		expect(span?.status.code).toBe(SpanStatusCode.UNSET);
		// One call, one span, one trace context on every attempt.
		const parents = stub.requests.map((r) => r.headers.traceparent);
		expect(new Set(parents).size).toBe(1);
		expect(parents[0]).toBe(traceparentOf(span as NonNullable<typeof span>));
	});

	it("records a network failure: APIError, no status code, no governance", async () => {
		const stub = await serve((_req, res) => {
			res.destroy();
		});
		await expect(
			client(stub.url).chat.completions.create(CHAT),
		).rejects.toBeInstanceOf(APIError);
		const [span] = telemetry.finished();
		expect(span?.status.code).toBe(SpanStatusCode.ERROR);
		expect(span?.attributes["error.type"]).toBe("APIError");
		expect(span?.attributes["http.response.status_code"]).toBeUndefined();
		expect(
			Object.keys(span?.attributes ?? {}).filter(
				(k) => k.startsWith("monago.atrium.") && k !== "monago.atrium.attempts",
			),
		).toEqual([]);
		expect(span?.events).toHaveLength(1);
		expect(span?.events[0]?.attributes).toEqual({
			"monago.atrium.attempt": 1,
			"error.type": "APIError",
		});
	});

	it("bounds what the gateway sends before it goes on the span", async () => {
		const long = "x".repeat(5000);
		const stub = await serve((_req, res) =>
			sendJSON(
				res,
				200,
				JSON.stringify({
					...JSON.parse(completionBody()),
					id: long,
					model: long,
					choices: Array.from({ length: 100 }, (_, index) => ({
						index,
						message: { role: "assistant", content: "" },
						finish_reason: long,
					})),
				}),
				{ ...GOVERNANCE_HEADERS, "X-Monago-Block-Reason": long },
			),
		);
		await client(stub.url).chat.completions.create(CHAT);
		const attributes = telemetry.finished()[0]?.attributes ?? {};
		expect(String(attributes["gen_ai.response.id"])).toHaveLength(256);
		expect(String(attributes["gen_ai.response.model"]).endsWith("…")).toBe(
			true,
		);
		expect(String(attributes["monago.atrium.block_reason"])).toHaveLength(1024);
		expect(attributes["gen_ai.response.finish_reasons"]).toHaveLength(32);
	});
});

describe("the trace context sent to the gateway", () => {
	it("never carries a value the propagator gives with CR or LF, and the call still goes", async () => {
		const stub = await serve((_req, res) =>
			sendJSON(res, 200, completionBody()),
		);
		const hostile = {
			inject(
				_context: unknown,
				carrier: Record<string, string>,
				setter: {
					set(c: Record<string, string>, k: string, v: string): void;
				},
			) {
				setter.set(carrier, "tracestate", "a=1\r\nX-Injected: yes");
				setter.set(carrier, "bad header", "1");
				setter.set(carrier, "Baggage", "k=v");
			},
			extract: (context: unknown) => context,
			fields: () => ["tracestate", "baggage"],
		};
		propagation.disable();
		propagation.setGlobalPropagator(hostile as never);
		try {
			const res = await client(stub.url).chat.completions.create(CHAT, {
				headers: { BAGGAGE: "older=1" },
			});
			expect(res.content).toBe("hello");
		} finally {
			propagation.disable();
			propagation.setGlobalPropagator(new W3CTraceContextPropagator());
		}
		const headers = stub.requests[0]?.headers ?? {};
		expect(headers.tracestate).toBeUndefined();
		expect(headers["x-injected"]).toBeUndefined();
		// The propagator's value replaces the call's own header of any case.
		expect(headers.baggage).toBe("k=v");
	});

	it("is absent when no span context is valid (no SDK, no parent)", async () => {
		const stub = await serve((_req, res) =>
			sendJSON(res, 200, completionBody()),
		);
		const noSdk = client(stub.url, {
			plugins: [otel({ tracerProvider: trace.getTracerProvider() })],
		});
		await noSdk.chat.completions.create(CHAT);
		expect(stub.requests[0]?.headers.traceparent).toBeUndefined();
		expect(telemetry.finished()).toHaveLength(0);
	});
});
