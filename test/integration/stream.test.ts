/**
 * Streaming end to end against a node:http SSE stub on 127.0.0.1 (Prism
 * sends SSE in one piece, so real pacing is tested here).
 */
import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import {
	AbortError,
	APIError,
	Atrium,
	isChatCompletionStream,
	PIIBlockedError,
	SecurityBlockedError,
	TimeoutError,
	UsageError,
} from "../../src/index.js";
import { chunk, data } from "../helpers/sse.js";
import {
	CHAT,
	GOVERNANCE_HEADERS,
	type Stub,
	sendJSON,
	useStubs,
} from "../helpers/stub-server.js";

const BODY = { ...CHAT, stream: true as const };
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let stub: Stub | undefined;
const serve = useStubs();

const client = (
	url: string,
	options: Partial<ConstructorParameters<typeof Atrium>[0]> = {},
) =>
	new Atrium({
		apiKey: "sk-mng-stream",
		baseURL: url,
		logLevel: "off",
		...options,
	});

function openSSE(
	res: ServerResponse,
	headers: Record<string, string> = GOVERNANCE_HEADERS,
) {
	res.writeHead(200, {
		"Content-Type": "text/event-stream",
		"Cache-Control": "no-cache",
		...headers,
	});
	res.flushHeaders();
}

describe("streaming", () => {
	it("has governance before the first chunk, joins the text, and gives a final completion", async () => {
		let sendRest: () => void = () => {};
		stub = await serve((_req, res) => {
			openSSE(res, { ...GOVERNANCE_HEADERS, "X-Monago-Pii-Redacted": "NIK" });
			sendRest = () => {
				res.write(data(chunk({ role: "assistant", content: "Batuk " })));
				res.write(data(chunk({ content: "dua minggu." })));
				res.write(
					data({
						...chunk({}),
						choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
					}),
				);
				res.write(
					data({
						...chunk({}),
						choices: [],
						usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 },
					}),
				);
				res.end("data: [DONE]\n\n");
			};
		});
		const stream = await client(stub.url).chat.completions.create(BODY);
		expect(isChatCompletionStream(stream)).toBe(true);
		expect(isChatCompletionStream({ finalCompletion() {} })).toBe(false);
		// The head is in; no chunk has been sent yet.
		expect(stream.governance).toMatchObject({
			audit_id: "audit-stub-1",
			pii_redacted: ["NIK"],
		});
		sendRest();
		const parts: string[] = [];
		for await (const part of stream)
			parts.push(part.choices[0]?.delta?.content ?? "");
		expect(parts.join("")).toBe("Batuk dua minggu.");
		const done = await stream.finalCompletion();
		expect(done).toMatchObject({
			content: "Batuk dua minggu.",
			usage: { total_tokens: 12 },
			governance: { audit_id: "audit-stub-1" },
		});
		expect(done.choices[0]?.finish_reason).toBe("stop");
		expect(done.attempts).toHaveLength(1);
		const sent = JSON.parse(stub.requests[0]?.body ?? "{}");
		expect(sent.stream_options).toEqual({ include_usage: true });
		expect(stub.requests[0]?.headers.accept).toBe("text/event-stream");
	});

	it("finalCompletion drains a stream nobody iterated", async () => {
		stub = await serve((_req, res) => {
			openSSE(res);
			res.end(
				`${data(chunk({ content: "all " }))}${data(chunk({ content: "of it" }))}data: [DONE]\n\n`,
			);
		});
		const stream = await client(stub.url).chat.completions.create(BODY);
		expect((await stream.finalCompletion()).content).toBe("all of it");
	});

	it("delivers the chunks before an in-stream error, then raises the mapped error with merged governance", async () => {
		stub = await serve((_req, res) => {
			openSSE(res);
			res.write(data(chunk({ content: "Pasien " })));
			res.write(
				`event: governance\ndata: ${JSON.stringify({ policy_decision: "blocked", pii_detected: true, pii_redacted: ["NIK"], block_reason: "PII detected: NIK" })}\n\n`,
			);
			res.end(
				`event: error\ndata: ${JSON.stringify({ error: { message: "Output contained PII", code: "pii_blocked" } })}\n\n`,
			);
		});
		const stream = await client(stub.url).chat.completions.create(BODY);
		const seen: string[] = [];
		const error = await (async () => {
			for await (const part of stream)
				seen.push(part.choices[0]?.delta?.content ?? "");
		})().catch((e: unknown) => e);
		expect(seen).toEqual(["Pasien "]);
		expect(error).toBeInstanceOf(PIIBlockedError);
		expect(error).toMatchObject({
			status_code: 400,
			message: "POST /chat/completions: 400 Output contained PII",
			audit_id: "audit-stub-1",
			policy_decision: "blocked",
			block_reason: "PII detected: NIK",
			governance: { pii_redacted: ["NIK"], blocked: true },
		});
		expect(stream.governance.blocked).toBe(true);
		await expect(stream.finalCompletion()).rejects.toBe(error);
	});

	it("maps an in-stream error by its numeric status field", async () => {
		stub = await serve((_req, res) => {
			openSSE(res);
			res.end(
				`event: error\ndata: ${JSON.stringify({ status: 451, error: { message: "jailbreak", code: "security_block" } })}\n\n`,
			);
		});
		const stream = await client(stub.url).chat.completions.create(BODY);
		await expect(stream.finalCompletion()).rejects.toThrow(
			SecurityBlockedError,
		);
		await expect(stream.finalCompletion()).rejects.toMatchObject({
			status_code: 451,
		});
	});

	it("merges a governance event that comes alone, such as the final cost", async () => {
		stub = await serve((_req, res) => {
			openSSE(res);
			res.write(data(chunk({ content: "x" })));
			res.end(
				`event: governance\ndata: {"cost_idr": 120.5, "latency_ms": "88"}\n\ndata: [DONE]\n\n`,
			);
		});
		const stream = await client(stub.url).chat.completions.create(BODY);
		expect(stream.governance.cost_idr).toBe(3.5);
		const done = await stream.finalCompletion();
		expect(done.governance).toMatchObject({
			cost_idr: 120.5,
			latency_ms: 88,
			audit_id: "audit-stub-1",
			provider: "openai",
		});
	});

	it("raises a block decided before the stream began as an ordinary typed error", async () => {
		stub = await serve((_req, res) =>
			sendJSON(res, 451, '{"error":{"message":"PII","code":"pii_blocked"}}', {
				...GOVERNANCE_HEADERS,
				"X-Monago-Audit-Id": "audit-blk",
			}),
		);
		await expect(
			client(stub.url).chat.completions.create(BODY),
		).rejects.toMatchObject({ name: "PIIBlockedError", audit_id: "audit-blk" });
	});

	it("closes the connection when the loop breaks", async () => {
		let closed: Promise<void> = Promise.resolve();
		stub = await serve((req, res) => {
			closed = new Promise((resolve) =>
				req.socket.once("close", () => resolve()),
			);
			openSSE(res);
			const timer = setInterval(
				() => res.write(data(chunk({ content: "more " }))),
				10,
			);
			res.once("close", () => clearInterval(timer));
		});
		const stream = await client(stub.url).chat.completions.create(BODY);
		let count = 0;
		for await (const _ of stream) if (++count === 3) break;
		await closed;
		await expect(stream.finalCompletion()).rejects.toThrow(AbortError);
	});

	it("fails with TimeoutError when no byte comes for streamIdleTimeout, keep-alives keeping it alive until then", async () => {
		stub = await serve(async (_req, res) => {
			openSSE(res);
			res.write(data(chunk({ content: "a" })));
			for (let i = 0; i < 4; i++) {
				await wait(80);
				res.write(": keep-alive\n\n");
			}
			// then silence
		});
		const stream = await client(stub.url, {
			streamIdleTimeout: 60_000,
		}).chat.completions.create(BODY, { streamIdleTimeout: 200 });
		const started = Date.now();
		const error = await stream.finalCompletion().catch((e: unknown) => e);
		expect(error).toBeInstanceOf(TimeoutError);
		expect((error as Error).message).toBe(
			"POST /chat/completions: the stream stalled: no bytes for 200 ms",
		);
		expect(Date.now() - started).toBeGreaterThanOrEqual(450);
	});

	it("times out a read asked for before the last one came (two next() in flight)", async () => {
		stub = await serve((_req, res) => {
			openSSE(res);
			res.write(data(chunk({ content: "a" })));
			// then silence
		});
		const stream = await client(stub.url).chat.completions.create(BODY, {
			streamIdleTimeout: 200,
		});
		const iterator = stream[Symbol.asyncIterator]();
		const first = iterator.next();
		const second = iterator.next().then(
			() => "settled",
			(error: unknown) => error,
		);
		expect((await first).value?.choices[0]?.delta.content).toBe("a");
		// Bounded so a read that never times out fails here, not by hanging.
		const outcome = await Promise.race([
			second,
			wait(5_000).then(() => "hung"),
		]);
		expect(outcome).toBeInstanceOf(TimeoutError);
	});

	it("abort() stops the stream with AbortError", async () => {
		stub = await serve((_req, res) => {
			openSSE(res);
			res.write(data(chunk({ content: "a" })));
		});
		const stream = await client(stub.url).chat.completions.create(BODY);
		setTimeout(() => stream.abort(), 50);
		await expect(stream.finalCompletion()).rejects.toThrow(
			/the stream was aborted/,
		);
	});

	it("abort() before reading makes the next read fail with AbortError", async () => {
		stub = await serve((_req, res) => {
			openSSE(res);
			res.write(data(chunk({ content: "a" })));
		});
		const stream = await client(stub.url).chat.completions.create(BODY);
		stream.abort();
		await expect(stream.finalCompletion()).rejects.toThrow(AbortError);
	});

	it("the caller's signal stops a stream in the middle with AbortError", async () => {
		stub = await serve((_req, res) => {
			openSSE(res);
			res.write(data(chunk({ content: "a" })));
		});
		const controller = new AbortController();
		const stream = await client(stub.url).chat.completions.create(BODY, {
			signal: controller.signal,
		});
		setTimeout(() => controller.abort(), 50);
		await expect(stream.finalCompletion()).rejects.toThrow(
			/aborted by the caller/,
		);
	});

	it("is retried when it fails before it begins, and not once it has begun", async () => {
		stub = await serve((req, res, _seen, index) => {
			if (index === 0)
				return sendJSON(res, 503, "{}", {
					...GOVERNANCE_HEADERS,
					"X-Monago-Audit-Id": "audit-503",
					"retry-after-ms": "1",
				});
			openSSE(res);
			res.write(data(chunk({ content: "half" })));
			setTimeout(() => req.socket.destroy(), 20);
		});
		const stream = await client(stub.url).chat.completions.create(BODY);
		expect(stream.attempts.map((a) => [a.status_code, a.audit_id])).toEqual([
			[503, "audit-503"],
			[200, "audit-stub-1"],
		]);
		const error = await stream.finalCompletion().catch((e: unknown) => e);
		expect(error).toBeInstanceOf(APIError);
		expect((error as Error).message).toMatch(
			/stream was interrupted|ended without \[DONE\]/,
		);
		expect(stub.requests).toHaveLength(2);
	});

	it("gives the chunks as NDJSON through toReadableStream", async () => {
		stub = await serve((_req, res) => {
			openSSE(res);
			res.end(
				`${data(chunk({ content: "a" }))}${data(chunk({ content: "b" }))}data: [DONE]\n\n`,
			);
		});
		const stream = await client(stub.url).chat.completions.create(BODY);
		const text = await new Response(stream.toReadableStream()).text();
		expect(
			text
				.trim()
				.split("\n")
				.map((line) => JSON.parse(line).choices[0].delta.content),
		).toEqual(["a", "b"]);
	});

	it("refuses a second iteration of the same stream", async () => {
		stub = await serve((_req, res) => {
			openSSE(res);
			res.end("data: [DONE]\n\n");
		});
		const stream = await client(stub.url).chat.completions.create(BODY);
		for await (const _ of stream);
		expect(() => stream[Symbol.asyncIterator]()).toThrow(UsageError);
		expect(() => stream[Symbol.asyncIterator]()).toThrow(/already being read/);
		expect((await stream.finalCompletion()).content).toBe("");
	});

	it("fails with APIError when a stream request is answered with JSON", async () => {
		stub = await serve((_req, res) => sendJSON(res, 200, '{"id":"x"}'));
		const error = await client(stub.url)
			.chat.completions.create(BODY)
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(APIError);
		expect(error).toMatchObject({ response_body: { id: "x" } });
		expect((error as Error).message).toContain(
			"asked for a stream, got application/json",
		);
	});
});
