/**
 * A hostile gateway or fetch against the SDK's bounds: nothing hangs,
 * nothing grows without a limit, nothing from the wire is used as a key.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
	AbortError,
	APIError,
	Atrium,
	type AtriumOptions,
	type Fetch,
	TimeoutError,
} from "../../src/index.js";
import { root } from "../helpers/bundle.js";
import { chunk, data } from "../helpers/sse.js";
import {
	CHAT,
	completionBody,
	GOVERNANCE_HEADERS,
	sendJSON,
	useStubs,
} from "../helpers/stub-server.js";

const serve = useStubs();
const STREAM = { ...CHAT, stream: true as const };
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const client = (url: string, options: AtriumOptions = {}) =>
	new Atrium({
		apiKey: "sk-mng-bounds",
		baseURL: url,
		logLevel: "off",
		maxRetries: 0,
		...options,
	});

/** A fetch that never settles and ignores its signal. */
const deaf: Fetch = () => new Promise<Response>(() => {});

describe("a fetch that ignores the signal", () => {
	it("still settles the call at its timeout, at the caller's abort, and at close()", async () => {
		const atrium = client("https://gateway.test/v1", {
			fetch: deaf,
			timeout: 100,
		});
		await expect(atrium.chat.completions.create(CHAT)).rejects.toBeInstanceOf(
			TimeoutError,
		);
		const controller = new AbortController();
		const aborted = client("https://gateway.test/v1", {
			fetch: deaf,
		}).chat.completions.create(CHAT, {
			signal: controller.signal,
		});
		setTimeout(() => controller.abort(), 20);
		await expect(aborted).rejects.toBeInstanceOf(AbortError);
		const closing = client("https://gateway.test/v1", { fetch: deaf });
		const pending = closing.chat.completions.create(CHAT);
		setTimeout(() => void closing.close(), 20);
		await expect(pending).rejects.toThrow("The Atrium client was closed");
	});

	it("settles the call at its timeout when the body never ends", async () => {
		const endless: Fetch = async () =>
			new Response(
				new ReadableStream<Uint8Array>({
					pull: () => new Promise<void>(() => {}),
				}),
				{
					headers: { "content-type": "application/json" },
				},
			);
		await expect(
			client("https://gateway.test/v1", {
				fetch: endless,
				timeout: 100,
			}).chat.completions.create(CHAT),
		).rejects.toBeInstanceOf(TimeoutError);
	});
});

describe("streams that would hang", () => {
	it("end when the answer to a stream is not an event stream and trickles or stays silent", async () => {
		const stub = await serve((_req, res) => {
			res.writeHead(200, { "Content-Type": "application/json" });
			res.write("{");
		});
		const error = await client(stub.url, { streamIdleTimeout: 150 })
			.chat.completions.create(STREAM)
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(APIError);
		expect((error as Error).message).toMatch(
			/asked for a stream, got application\/json/,
		);
	});

	it("fail when keep-alive comments come but no chunk, at streamFirstChunkTimeout", async () => {
		const stub = await serve((_req, res) => {
			res.writeHead(200, {
				"Content-Type": "text/event-stream",
				...GOVERNANCE_HEADERS,
			});
			const beat = setInterval(() => res.write(": keep-alive\n\n"), 20);
			res.on("close", () => clearInterval(beat));
		});
		const stream = await client(stub.url, {
			streamFirstChunkTimeout: 200,
			streamIdleTimeout: 5_000,
		}).chat.completions.create(STREAM);
		await expect(stream.finalCompletion()).rejects.toThrow(
			/no chunk within 200 ms/,
		);
	});

	it("do not count the time the caller spends between reads as a stall", async () => {
		// The gateway is done in about 100 ms; the caller takes 250 ms a chunk.
		const stub = await serve(async (_req, res) => {
			res.writeHead(200, {
				"Content-Type": "text/event-stream",
				...GOVERNANCE_HEADERS,
			});
			for (const word of ["a", "b", "c"]) {
				res.write(data(chunk({ content: word })));
				await wait(30);
			}
			res.end("data: [DONE]\n\n");
		});
		const stream = await client(stub.url, {
			streamIdleTimeout: 100,
		}).chat.completions.create(STREAM);
		let text = "";
		for await (const part of stream) {
			text += part.choices[0]?.delta?.content ?? "";
			await wait(250); // slower than the stall timeout, on the caller's side
		}
		expect(text).toBe("abc");
	});
});

describe("bodies are bounded", () => {
	it("refuses a success body that declares more than maxResponseBytes before reading it, and never retries", async () => {
		const stub = await serve((_req, res) => {
			res.writeHead(200, {
				"Content-Type": "application/json",
				"Content-Length": String(2 ** 21),
			});
			res.write("{");
		});
		const error = await client(stub.url, {
			maxResponseBytes: 2 ** 20,
			maxRetries: 2,
		})
			.chat.completions.create(CHAT)
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(APIError);
		expect((error as APIError).code).toBe("response_too_large");
		expect(stub.requests).toHaveLength(1);
	});

	it("stops reading a success body without a length once it passes maxResponseBytes", async () => {
		const stub = await serve((_req, res) => {
			res.writeHead(200, { "Content-Type": "application/json" });
			const piece = "x".repeat(64 * 1024);
			for (let i = 0; i < 80; i++) res.write(piece); // 5 MiB, chunked
			res.end();
		});
		const error = await client(stub.url, { maxResponseBytes: 2 ** 20 })
			.chat.completions.create(CHAT)
			.catch((e: unknown) => e);
		expect((error as APIError).code).toBe("response_too_large");
		expect((error as APIError).attempts[0]?.audit_id).toBeNull();
	});

	it("keeps at most 64 KiB of an error body and a short message", async () => {
		const stub = await serve((_req, res) => {
			res.writeHead(500, { "Content-Type": "text/plain" });
			res.end("e".repeat(5 * 2 ** 20));
		});
		const error = (await client(stub.url)
			.chat.completions.create(CHAT)
			.catch((e: unknown) => e)) as APIError;
		expect(error).toBeInstanceOf(APIError);
		expect((error.response_body as string).length).toBe(64 * 1024);
		expect(error.message.length).toBeLessThan(600);
	});

	it("fails an endless stream at maxResponseBytes, iterated or not", async () => {
		const stub = await serve((_req, res) => {
			res.writeHead(200, { "Content-Type": "text/event-stream" });
			const line = data(chunk({ content: "y".repeat(1000) }));
			const flood = () => {
				while (res.write(line));
				res.once("drain", flood);
			};
			flood();
		});
		const stream = await client(stub.url, {
			maxResponseBytes: 2 ** 20,
		}).chat.completions.create(STREAM);
		const error = await (async () => {
			for await (const _ of stream);
		})().catch((e: unknown) => e);
		expect((error as APIError).code).toBe("response_too_large");
	});
});

describe("values from the wire never used as keys or counts unchecked", () => {
	it("fails a stream whose chunk names choice __proto__, leaving Array.prototype alone", async () => {
		const stub = await serve((_req, res) => {
			res.writeHead(200, { "Content-Type": "text/event-stream" });
			res.write(
				data({
					...chunk({}),
					choices: [{ index: "__proto__", delta: { content: "x" } }],
				}),
			);
			res.end("data: [DONE]\n\n");
		});
		const stream = await client(stub.url).chat.completions.create(STREAM);
		await expect(stream.finalCompletion()).rejects.toThrow(
			/index is not a whole number from 0 to 127/,
		);
		expect(Object.keys(Array.prototype)).toEqual([]);
	});

	it("keeps a body's own __proto__ member, classifying by the members beside it", async () => {
		const stub = await serve((_req, res) =>
			sendJSON(
				res,
				400,
				'{"__proto__":{"polluted":true},"error":{"message":"m","code":"pii_blocked"}}',
			),
		);
		const error = (await client(stub.url)
			.chat.completions.create(CHAT)
			.catch((e: unknown) => e)) as APIError;
		expect(error.name).toBe("PIIBlockedError");
		const body = error.response_body as Record<string, unknown>;
		expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
		expect(Object.getOwnPropertyDescriptor(body, "__proto__")?.value).toEqual({
			polluted: true,
		});
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it("parses a 200,000-digit latency header at once, in a child process that would block otherwise", () => {
		const script = `
			const { parseGovernance } = await import(${JSON.stringify(`${root}dist/index.js`)});
			const digits = "1".repeat(200000) + "x";
			const g = parseGovernance(new Headers({ "x-monago-latency-ms": digits, "x-monago-cost-idr": "-5" }));
			console.log(JSON.stringify([g.latency_ms, g.cost_idr]));`;
		const run = spawnSync(
			process.execPath,
			["--input-type=module", "-e", script],
			{
				encoding: "utf8",
				timeout: 10_000,
			},
		);
		expect(run.error).toBeUndefined();
		expect(run.stdout.trim()).toBe("[null,null]");
	});

	it("takes at most 64 entries of a governance list", async () => {
		const stub = await serve((_req, res) =>
			sendJSON(res, 200, completionBody(), {
				"X-Monago-Pii-Redacted": Array.from(
					{ length: 1000 },
					(_, i) => `T${i}`,
				).join(","),
			}),
		);
		const res = await client(stub.url).chat.completions.create(CHAT);
		expect(res.governance.pii_redacted).toHaveLength(64);
	});
});
