/**
 * reply.stream through the real client: the SSE wire form, governance
 * events, usage, and every way a stream can end (a block after chunk n, a
 * provider error, a dropped connection, no [DONE], an abort).
 */
import { describe, expect, it } from "vitest";
import {
	Atrium,
	type AtriumOptions,
	type ChatCompletionChunk,
} from "../../src/index.js";
import { mockGateway, type Reply, reply } from "../../src/testing.js";

const BODY = {
	model: "gpt-5.4-mini",
	messages: [{ role: "user" as const, content: "Batuk berapa lama?" }],
	stream: true as const,
};

function streamFrom(answer: Reply, options: AtriumOptions = {}) {
	const gateway = mockGateway(answer);
	const client = new Atrium({
		apiKey: "sk-mng-kit",
		fetch: gateway.fetch,
		maxRetries: 0,
		...options,
	});
	return { gateway, create: () => client.chat.completions.create(BODY) };
}

/** Reads a stream to its end: the content of each chunk, and the error it ended with. */
async function drain(stream: AsyncIterable<ChatCompletionChunk>) {
	const pieces: string[] = [];
	try {
		for await (const chunk of stream) {
			// The last, usage-only chunk has no choices.
			if (chunk.choices.length)
				pieces.push(chunk.choices[0]?.delta?.content ?? "");
		}
		return { pieces, error: null };
	} catch (error) {
		return { pieces, error: error as Error & Record<string, unknown> };
	}
}

describe("reply.stream", () => {
	it("sends text one word a chunk, the role first and the finish reason last, then usage and [DONE]", async () => {
		const gateway = mockGateway(reply.stream("Batuk dua minggu."));
		const response = await gateway.fetch(
			"https://api.monago.io/v1/chat/completions",
			{
				method: "POST",
				body: JSON.stringify({
					...BODY,
					stream_options: { include_usage: true },
				}),
			},
		);
		expect(response.headers.get("content-type")).toBe(
			"text/event-stream; charset=utf-8",
		);
		expect(response.headers.get("x-monago-audit-id")).toBe("audit-mock-1");
		const events = (await response.text()).split("\n\n").filter(Boolean);
		const data = events.map((event) => event.replace(/^data: /, ""));
		expect(data.at(-1)).toBe("[DONE]");
		const chunks = data.slice(0, -1).map((line) => JSON.parse(line));
		expect(chunks.map((chunk) => chunk.choices[0]?.delta)).toEqual([
			{ role: "assistant", content: "Batuk ", refusal: null },
			{ content: "dua " },
			{ content: "minggu." },
			undefined,
		]);
		expect(chunks.map((chunk) => chunk.choices[0]?.finish_reason)).toEqual([
			null,
			null,
			"stop",
			undefined,
		]);
		expect(chunks[3]).toMatchObject({
			id: "chatcmpl-mock-1",
			object: "chat.completion.chunk",
			choices: [],
		});
		expect(chunks[3].usage.completion_tokens).toBeGreaterThan(0);
	});

	it("gives the client governance before the first chunk and a final completion with usage", async () => {
		const { create } = streamFrom(
			reply.stream(["Batuk ", "dua minggu."], {
				governance: { pii_redacted: ["NIK"] },
			}),
		);
		const stream = await create();
		expect(stream.governance).toMatchObject({
			audit_id: "audit-mock-1",
			policy_decision: "allowed",
			pii_redacted: ["NIK"],
		});
		const done = await stream.finalCompletion();
		expect(done.content).toBe("Batuk dua minggu.");
		expect(done.choices[0]?.finish_reason).toBe("stop");
		expect(done.usage.total_tokens).toBeGreaterThan(0);
	});

	it("sends the usage you give, or none", async () => {
		const usage = { prompt_tokens: 21, completion_tokens: 2, total_tokens: 23 };
		const given = await (
			await streamFrom(reply.stream("a b", { usage })).create()
		).finalCompletion();
		expect(given.usage).toEqual(usage);
		const none = await (
			await streamFrom(reply.stream("a b", { usage: false })).create()
		).finalCompletion();
		expect(none.usage.total_tokens).toBe(0);
	});

	it("merges governance events: mid-way after chunk n, and at the end", async () => {
		const { create } = streamFrom(
			reply.stream(["one ", "two ", "three"], {
				governanceEvents: [
					{
						after: 1,
						governance: { pii_detected: true, pii_redacted: ["EMAIL"] },
					},
					{ governance: { cost_idr: 91.5 } },
				],
			}),
		);
		const stream = await create();
		const seen: unknown[] = [];
		for await (const chunk of stream) {
			const content = chunk.choices[0]?.delta?.content;
			if (content) seen.push([content, stream.governance.pii_redacted]);
		}
		expect(seen).toEqual([
			["one ", []],
			["two ", ["EMAIL"]],
			["three", ["EMAIL"]],
		]);
		expect(stream.governance).toMatchObject({
			pii_detected: true,
			pii_redacted: ["EMAIL"],
			cost_idr: 91.5,
			policy_decision: "allowed",
		});
	});

	it("places a governance event after chunk n (past the end: after the last chunk), one without n just before [DONE]", async () => {
		const gateway = mockGateway(
			reply.stream("a b", {
				usage: true,
				governanceEvents: [
					{ governance: { cost_idr: 3 } },
					{ after: 0, governance: { pii_detected: true } },
					{ after: 9, governance: { latency_ms: 5 } },
				],
			}),
		);
		const response = await gateway.fetch(
			"https://api.monago.io/v1/chat/completions",
			{
				method: "POST",
				body: JSON.stringify(BODY),
			},
		);
		const order = (await response.text())
			.split("\n\n")
			.filter(Boolean)
			.map((event) => {
				const data = event.slice(event.indexOf("data: ") + 6);
				if (data === "[DONE]") return data;
				const value = JSON.parse(data);
				if (event.startsWith("event: governance"))
					return Object.keys(value).join();
				return value.usage ? "usage" : value.choices[0].delta.content;
			});
		expect(order).toEqual([
			"pii_detected",
			"a ",
			"b",
			"latency_ms",
			"usage",
			"cost_idr",
			"[DONE]",
		]);
	});

	it("blockAfter: the chunks before it, then the mapped error with the merged governance", async () => {
		const { create } = streamFrom(
			reply.stream(["Pasien ", "NIK ", "3201"], { blockAfter: 2 }),
		);
		const { pieces, error } = await drain(await create());
		expect(pieces).toEqual(["Pasien ", "NIK "]);
		expect(error).toMatchObject({
			name: "PIIBlockedError",
			status_code: 400,
			code: "pii_blocked",
			audit_id: "audit-mock-1",
			policy_decision: "blocked",
			block_reason: "PII detected: NIK",
		});
		expect(error?.governance).toMatchObject({
			blocked: true,
			pii_detected: true,
			provider: "openai",
		});
	});

	it("blockAfter takes the kind and reply.block's options, a status among them", async () => {
		const { create } = streamFrom(
			reply.stream("a b c", {
				blockAfter: 0,
				block: {
					kind: "security",
					status: 451,
					block_reason: "Jailbreak in output",
					audit_id: "audit-out-1",
				},
			}),
		);
		const { pieces, error } = await drain(await create());
		expect(pieces).toEqual([]);
		expect(error).toMatchObject({
			name: "SecurityBlockedError",
			status_code: 451,
			audit_id: "audit-out-1",
			block_reason: "Jailbreak in output",
		});
		const model = await drain(
			await streamFrom(
				reply.stream("a", { blockAfter: 9, block: "model" }),
			).create(),
		);
		expect(model.pieces).toEqual(["a"]);
		expect(model.error?.name).toBe("ModelNotAllowedError");
	});

	it("errorAfter: the provider's error event, an APIError (503) after the chunks before it", async () => {
		const { pieces, error } = await drain(
			await streamFrom(reply.stream("a b c", { errorAfter: 1 })).create(),
		);
		expect(pieces).toEqual(["a "]);
		expect(error).toMatchObject({
			name: "APIError",
			status_code: 503,
			code: "provider_unavailable",
		});
	});

	it("disconnectAfter: the connection drops, an APIError from the loop, never a retry", async () => {
		const { gateway, create } = streamFrom(
			reply.stream("a b c", { disconnectAfter: 2 }),
			{ maxRetries: 2 },
		);
		const { pieces, error } = await drain(await create());
		expect(pieces).toEqual(["a ", "b "]);
		expect(error?.name).toBe("APIError");
		expect(error?.message).toContain("the stream was interrupted: terminated");
		expect(gateway.calls).toHaveLength(1);
	});

	it("withoutDone: a stream that ends without [DONE] is an APIError", async () => {
		const { pieces, error } = await drain(
			await streamFrom(reply.stream("a b", { withoutDone: true })).create(),
		);
		expect(pieces).toEqual(["a ", "b"]);
		expect(error?.message).toContain("ended without [DONE]");
	});

	it("takes chunk fields of your own, such as tool-call deltas", async () => {
		const call = (index: number, args: string, first = false) => ({
			choices: [
				{
					index: 0,
					delta: {
						tool_calls: [
							{
								index,
								...(first
									? { id: `call_${index}`, type: "function" as const }
									: {}),
								function: {
									...(first ? { name: "lookup" } : {}),
									arguments: args,
								},
							},
						],
					},
					finish_reason: null,
				},
			],
		});
		const { create } = streamFrom(
			reply.stream([call(0, '{"id":', true), call(0, '"P-1"}')], {
				usage: false,
			}),
		);
		const done = await (await create()).finalCompletion();
		expect(done.choices[0]?.message.tool_calls).toEqual([
			{
				id: "call_0",
				type: "function",
				function: { name: "lookup", arguments: '{"id":"P-1"}' },
			},
		]);
	});

	it("a block before the stream began is an ordinary error response", async () => {
		await expect(streamFrom(reply.block("pii")).create()).rejects.toMatchObject(
			{ name: "PIIBlockedError", status_code: 400 },
		);
	});

	it("answers only a streaming request, and says so", async () => {
		const gateway = mockGateway(reply.stream("a"));
		await expect(
			gateway.fetch("https://api.monago.io/v1/chat/completions", {
				method: "POST",
				body: "{}",
			}),
		).rejects.toThrow(
			"mockGateway: call 1 did not ask for a stream (stream: true), but its reply is reply.stream(...)",
		);
	});

	it("fails the body with the signal's reason when the caller aborts mid-stream", async () => {
		const controller = new AbortController();
		const gateway = mockGateway(reply.stream("a b c d"));
		const client = new Atrium({
			apiKey: "sk-mng-kit",
			fetch: gateway.fetch,
			maxRetries: 0,
		});
		const stream = await client.chat.completions.create(BODY, {
			signal: controller.signal,
		});
		const pieces: string[] = [];
		const error = await (async () => {
			for await (const chunk of stream) {
				pieces.push(chunk.choices[0]?.delta?.content ?? "");
				if (pieces.length === 2) controller.abort(new Error("user left"));
			}
		})().catch((e: unknown) => e);
		expect(pieces).toEqual(["a ", "b "]);
		expect(error).toMatchObject({ name: "AbortError" });
		const raw = await gateway
			.fetch("https://x.test/", {
				method: "POST",
				body: JSON.stringify(BODY),
				signal: AbortSignal.abort(new Error("before the body")),
			})
			.catch((e: Error) => e.message);
		expect(raw).toBe("before the body");
	});
});
