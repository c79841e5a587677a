/**
 * The tracing plugin on streams, against a node:http SSE stub on 127.0.0.1
 * and the real OpenTelemetry SDK: a stream's span ends when the stream ends,
 * whether it finishes, fails mid-way, is broken out of or is aborted.
 */
import type { ServerResponse } from "node:http";
import { SpanStatusCode } from "@opentelemetry/api";
import { afterEach, describe, expect, it } from "vitest";
import { AbortError, Atrium, PIIBlockedError } from "../../src/index.js";
import { otel } from "../../src/otel.js";
import { traceparentOf, useTelemetry } from "../helpers/otel.js";
import { chunk, data } from "../helpers/sse.js";
import { CHAT, GOVERNANCE_HEADERS, useStubs } from "../helpers/stub-server.js";

const telemetry = useTelemetry();
const serve = useStubs();
const BODY = { ...CHAT, stream: true as const };

afterEach(() => {
	expect(telemetry.open.size, "a span was left open").toBe(0);
});

const client = (url: string) =>
	new Atrium({
		apiKey: "sk-mng-otel-stream",
		baseURL: url,
		logLevel: "off",
		maxRetries: 0,
		plugins: [
			otel({
				tracerProvider: telemetry.tracerProvider,
				meterProvider: telemetry.meterProvider,
			}),
		],
	});

function openSSE(res: ServerResponse) {
	res.writeHead(200, {
		"Content-Type": "text/event-stream",
		...GOVERNANCE_HEADERS,
	});
	res.flushHeaders();
}

const USAGE = {
	...chunk({}),
	choices: [],
	usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
};

/** Resolves once the span of the call has ended (a stream's end is its call's end). */
const ended = async (count = 1) => {
	for (let i = 0; i < 400 && telemetry.finished().length < count; i++)
		await new Promise((resolve) => setTimeout(resolve, 5));
	return telemetry.finished();
};

describe("a stream's span", () => {
	it("ends when the stream finishes, with usage, finish reasons, time to first chunk and the in-stream governance", async () => {
		const stub = await serve((_req, res) => {
			openSSE(res);
			res.write(data(chunk({ content: "Batuk " })));
			res.write(
				data({
					...chunk({ content: "dua minggu." }),
					choices: [
						{
							index: 0,
							delta: { content: "dua minggu." },
							finish_reason: "stop",
						},
					],
				}),
			);
			res.write('event: governance\ndata: {"cost_idr": 9.25}\n\n');
			res.write(data(USAGE));
			res.end("data: [DONE]\n\n");
		});
		const stream = await client(stub.url).chat.completions.create(BODY);
		// Not ended while the caller has not read the stream.
		expect(telemetry.finished()).toHaveLength(0);
		expect(telemetry.open.size).toBe(1);
		let text = "";
		for await (const part of stream)
			text += part.choices[0]?.delta?.content ?? "";
		expect(text).toBe("Batuk dua minggu.");
		const [span] = telemetry.finished();
		expect(span?.name).toBe("chat gpt-5.4-mini");
		expect(span?.status.code).toBe(SpanStatusCode.UNSET);
		expect(span?.attributes).toMatchObject({
			"gen_ai.request.stream": true,
			"gen_ai.response.id": "chatcmpl-s",
			"gen_ai.response.model": "gpt-5.4-mini",
			"gen_ai.response.finish_reasons": ["stop"],
			"gen_ai.usage.input_tokens": 3,
			"gen_ai.usage.output_tokens": 2,
			"monago.atrium.audit_id": "audit-stub-1",
			"monago.atrium.cost_idr": 9.25,
			"monago.atrium.attempts": 1,
		});
		const ttfc = span?.attributes["gen_ai.response.time_to_first_chunk"];
		expect(typeof ttfc).toBe("number");
		expect(ttfc as number).toBeGreaterThan(0);
		const [seconds, nanos] = span?.duration ?? [0, 0];
		expect(ttfc as number).toBeLessThanOrEqual(seconds + nanos / 1e9);
		expect(stub.requests[0]?.headers.traceparent).toBe(
			traceparentOf(span as NonNullable<typeof span>),
		);
	});

	it("ends with ERROR and the block's class when the stream fails mid-way, keeping what came before", async () => {
		const stub = await serve((_req, res) => {
			openSSE(res);
			res.write(data(chunk({ content: "Pasien " })));
			res.write(
				'event: governance\ndata: {"policy_decision":"blocked","block_reason":"PII detected: NIK"}\n\n',
			);
			res.end(
				'event: error\ndata: {"error":{"message":"PII","code":"pii_blocked"}}\n\n',
			);
		});
		const stream = await client(stub.url).chat.completions.create(BODY);
		await expect(
			(async () => {
				for await (const _ of stream);
			})(),
		).rejects.toBeInstanceOf(PIIBlockedError);
		const [span] = telemetry.finished();
		expect(span?.status.code).toBe(SpanStatusCode.ERROR);
		expect(span?.attributes).toMatchObject({
			"error.type": "PIIBlockedError",
			"gen_ai.response.id": "chatcmpl-s",
			"gen_ai.response.model": "gpt-5.4-mini",
			"monago.atrium.policy_decision": "blocked",
			"monago.atrium.blocked": true,
			"monago.atrium.block_reason": "PII detected: NIK",
		});
		expect(span?.attributes["gen_ai.response.time_to_first_chunk"]).toBeTypeOf(
			"number",
		);
		expect(span?.attributes["gen_ai.usage.input_tokens"]).toBeUndefined();
	});

	it("ends with an AbortError when the caller breaks out of the loop", async () => {
		const stub = await serve((_req, res) => {
			openSSE(res);
			res.write(data(chunk({ content: "one" })));
			// ...and never ends.
		});
		const stream = await client(stub.url).chat.completions.create(BODY);
		for await (const _ of stream) break;
		const [span] = await ended();
		expect(span?.status.code).toBe(SpanStatusCode.ERROR);
		expect(span?.attributes["error.type"]).toBe("AbortError");
	});

	it("ends with an AbortError when the caller's signal aborts a stream nobody reads", async () => {
		const stub = await serve((_req, res) => {
			openSSE(res);
			res.write(data(chunk({ content: "one" })));
		});
		const controller = new AbortController();
		await client(stub.url).chat.completions.create(BODY, {
			signal: controller.signal,
		});
		controller.abort();
		const [span] = await ended();
		expect(span?.attributes["error.type"]).toBe("AbortError");
		expect(
			span?.attributes["gen_ai.response.time_to_first_chunk"],
		).toBeUndefined();
	});

	it("ends with an AbortError when the stream is aborted with abort()", async () => {
		const stub = await serve((_req, res) => {
			openSSE(res);
			res.write(data(chunk({ content: "one" })));
		});
		const stream = await client(stub.url).chat.completions.create(BODY);
		const reading = stream.finalCompletion();
		stream.abort();
		await expect(reading).rejects.toBeInstanceOf(AbortError);
		const [span] = await ended();
		expect(span?.attributes["error.type"]).toBe("AbortError");
	});

	it("passes every chunk on unchanged", async () => {
		const stub = await serve((_req, res) => {
			openSSE(res);
			for (const content of ["a", "b", "c"])
				res.write(data(chunk({ content })));
			res.write(data(USAGE));
			res.end("data: [DONE]\n\n");
		});
		const stream = await client(stub.url).chat.completions.create(BODY);
		const seen: unknown[] = [];
		for await (const part of stream) seen.push(part);
		expect(seen).toEqual([
			chunk({ content: "a" }),
			chunk({ content: "b" }),
			chunk({ content: "c" }),
			USAGE,
		]);
		expect((await stream.finalCompletion()).content).toBe("abc");
	});
});
