/**
 * A second pass of a hostile gateway, proxy, fetch and caller: the edges a
 * review by attack found after the first hardening. Each test failed on the
 * code before its fix.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { inspect } from "node:util";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
	AbortError,
	APIError,
	Atrium,
	AtriumError,
	type AtriumOptions,
	type AtriumPlugin,
	type Fetch,
	PIIBlockedError,
} from "../../src/index.js";
import { chunk, data } from "../helpers/sse.js";
import {
	CHAT,
	completionBody,
	GOVERNANCE_HEADERS,
	sendJSON,
	useStubs,
} from "../helpers/stub-server.js";

const KEY = "sk-mng-edges/key+0001";
const serve = useStubs();

const client = (url: string, options: AtriumOptions = {}) =>
	new Atrium({
		apiKey: KEY,
		baseURL: url,
		logLevel: "off",
		maxRetries: 0,
		...options,
	});

const STREAM = { ...CHAT, stream: true as const };

/** Every way a value is shown: none may hold the key. */
function shown(value: unknown): string {
	return [
		inspect(value, { depth: 20, showHidden: true }),
		JSON.stringify(value),
		String(value),
		(value as Error)?.stack ?? "",
	].join("\n");
}

/** Answers a stream with the given SSE text, a whole call with a completion of `content`. */
function answer(content: string) {
	return serve((_req, res, seen) => {
		if (JSON.parse(seen.body).stream) {
			res.writeHead(200, {
				"Content-Type": "text/event-stream",
				...GOVERNANCE_HEADERS,
			});
			res.end(`${data(chunk({ content }))}data: [DONE]\n\n`);
		} else sendJSON(res, 200, completionBody(content));
	});
}

describe("scrubbing raw JSON keeps it JSON", () => {
	it.each([
		[
			'Set it like this: ATRIUM_API_KEY="sk-mng-XXXXXXXX"',
			'Set it like this: ATRIUM_API_KEY="[redacted]"',
		],
		[
			'curl -H "Authorization: Bearer abc123def456ghi" https://x',
			'curl -H "Authorization: Bearer [redacted]" https://x',
		],
		["a path sk-mng-ab/cd\\", "a path [redacted]\\"],
	])("an answer quoting a key shape: %s", async (content, expected) => {
		const stub = await answer(content);
		const atrium = client(stub.url);
		const whole = await atrium.chat.completions.create(CHAT);
		expect(whole.content).toBe(expected);
		const stream = await atrium.chat.completions.create(STREAM);
		expect((await stream.finalCompletion()).content).toBe(expected);
	});
});

describe("the key spelled so that a plain search misses it", () => {
	// "\u0073" is "s": JSON.parse would turn the text back into the key.
	const escaped = `\\u0073${KEY.slice(1)}`;

	it("is scrubbed from a body, a chunk and a governance event that spell it with \\u escapes", async () => {
		const stub = await serve((_req, res, seen) => {
			if (JSON.parse(seen.body).stream) {
				res.writeHead(200, {
					"Content-Type": "text/event-stream",
					...GOVERNANCE_HEADERS,
				});
				res.end(
					`data: {"choices":[{"index":0,"delta":{"content":"echo ${escaped}"}}]}\n\n` +
						`event: governance\ndata: {"block_reason":"${escaped}"}\n\n` +
						"data: [DONE]\n\n",
				);
			} else
				sendJSON(
					res,
					200,
					completionBody("PLACEHOLDER").replace(
						"PLACEHOLDER",
						`echo ${escaped}`,
					),
				);
		});
		const atrium = client(stub.url);
		const whole = await atrium.chat.completions.create(CHAT);
		expect(whole.content).toBe("echo [redacted]");
		expect(shown(whole)).not.toContain(KEY);
		const stream = await atrium.chat.completions.create(STREAM);
		const chunks = [];
		for await (const piece of stream) chunks.push(piece);
		expect(shown(chunks)).not.toContain(KEY);
		expect(stream.governance.block_reason).toBe("[redacted]");
	});

	it("is scrubbed from finalCompletion() when the gateway splits it across two chunks", async () => {
		const stub = await serve((_req, res) => {
			res.writeHead(200, {
				"Content-Type": "text/event-stream",
				...GOVERNANCE_HEADERS,
			});
			res.end(
				data(chunk({ content: KEY.slice(0, 7) })) +
					data(chunk({ content: KEY.slice(7) })) +
					"data: [DONE]\n\n",
			);
		});
		const stream = await client(stub.url).chat.completions.create(STREAM);
		const final = await stream.finalCompletion();
		expect(final.content).toBe("[redacted]");
		expect(shown(final)).not.toContain(KEY);
	});

	it("is scrubbed from a redirect's target and from a content type that echo it", async () => {
		const stub = await serve((req, res, seen) => {
			const key = String(req.headers.authorization).slice(7);
			if (JSON.parse(seen.body).stream) {
				res.writeHead(200, {
					"Content-Type": `text/plain; auth="Bearer ${key}"`,
				});
				res.end("not a stream");
			} else {
				res.writeHead(302, { Location: `https://login.example/s/${key}` });
				res.end();
			}
		});
		const atrium = client(stub.url);
		for (const body of [CHAT, STREAM]) {
			const error = await atrium.chat.completions
				.create(body)
				.catch((e: unknown) => e);
			expect(error).toBeInstanceOf(AtriumError);
			expect(shown(error)).not.toContain(KEY);
			expect((error as Error).message).toContain("[redacted]");
		}
	});

	it("is never shown from a custom fetch's error through its name or code", async () => {
		const fetches: Fetch[] = [
			async (_url, init) => {
				const auth = (init.headers as Record<string, string>).Authorization;
				throw Object.assign(new TypeError("fetch failed"), {
					cause: Object.assign(new Error("refused"), { code: `E(${auth})` }),
				});
			},
			async (_url, init) => {
				const error = new Error("proxy refused");
				error.name = `ProxyError[${(init.headers as Record<string, string>).Authorization}]`;
				throw error;
			},
			async (_url, init) => {
				// An SDK error from a fetch that wraps another Atrium client.
				throw new APIError(
					`upstream: ${(init.headers as Record<string, string>).Authorization}`,
				);
			},
		];
		for (const fetch of fetches) {
			const error = await client("http://127.0.0.1:9", { fetch })
				.chat.completions.create(CHAT)
				.catch((e: unknown) => e);
			expect(error).toBeInstanceOf(APIError);
			expect(shown(error)).not.toContain(KEY.slice(7));
		}
	});
});

describe("bodies stay bounded when the gateway compresses them", () => {
	const completion = completionBody("a".repeat(2_000_000));

	it("refuses a gzip body whose declared length fits but whose decoded size does not", async () => {
		const gzipped = gzipSync(completion);
		const stub = await serve((_req, res) => {
			res.writeHead(200, {
				"Content-Type": "application/json",
				"Content-Encoding": "gzip",
				"Content-Length": String(gzipped.length),
				...GOVERNANCE_HEADERS,
			});
			res.end(gzipped);
		});
		expect(gzipped.length).toBeLessThan(100_000);
		const error = await client(stub.url, { maxResponseBytes: 100_000 })
			.chat.completions.create(CHAT)
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(APIError);
		expect((error as APIError).code).toBe("response_too_large");
	});

	it("keeps at most 64 KiB of a gzip error body and of an in-stream error event", async () => {
		const pad = "b".repeat(5_000_000);
		const gzipped = gzipSync(
			JSON.stringify({ error: { message: "x", code: "server_error", pad } }),
		);
		const stub = await serve((_req, res, seen) => {
			if (JSON.parse(seen.body).stream) {
				res.writeHead(200, {
					"Content-Type": "text/event-stream",
					...GOVERNANCE_HEADERS,
				});
				res.end(
					`${data(chunk({ content: "hi" }))}event: error\ndata: {"error":{"message":"blocked","code":"pii_blocked","pad":"${pad}"}}\n\n`,
				);
			} else {
				res.writeHead(500, {
					"Content-Type": "application/json",
					"Content-Encoding": "gzip",
					"Content-Length": String(gzipped.length),
					...GOVERNANCE_HEADERS,
				});
				res.end(gzipped);
			}
		});
		const atrium = client(stub.url);
		const whole = await atrium.chat.completions
			.create(CHAT)
			.catch((e: unknown) => e);
		expect(whole).toBeInstanceOf(APIError);
		expect(
			JSON.stringify((whole as APIError).response_body).length,
		).toBeLessThan(70_000);
		const stream = await atrium.chat.completions.create(STREAM);
		const streamed = await stream.finalCompletion().catch((e: unknown) => e);
		// Cut to 64 KiB, the event is no longer JSON: no block can be read from it.
		expect(streamed).not.toBeInstanceOf(PIIBlockedError);
		expect(streamed).toBeInstanceOf(APIError);
		expect(
			JSON.stringify((streamed as APIError).response_body).length,
		).toBeLessThan(70_000);
	});
});

describe("plugins keep their promise when the call ends in a hook", () => {
	it.each([
		"abort in onStreamEnd",
		"abort in onResponse",
		"close() in onResponse",
	])(
		"%s: every plugin sees onResponse or onError, exactly once",
		async (where) => {
			const stub = await answer("hi");
			const seen: Record<string, string[]> = { outer: [], inner: [] };
			const controller = new AbortController();
			let atrium: Atrium | undefined;
			const end = () =>
				where.startsWith("close") ? atrium?.close() : controller.abort();
			const plugin = (name: "outer" | "inner"): AtriumPlugin => ({
				name,
				async onStreamEnd() {
					if (where === "abort in onStreamEnd" && name === "outer") {
						end();
						await sleep(50);
					}
				},
				async onResponse() {
					seen[name]?.push("response");
					if (where !== "abort in onStreamEnd" && name === "inner") {
						end();
						await sleep(50);
					}
				},
				onError(_ctx, error) {
					seen[name]?.push(`error:${error.name}`);
				},
			});
			atrium = client(stub.url, {
				plugins: [plugin("outer"), plugin("inner")],
			});
			const stream = await atrium.chat.completions.create(STREAM, {
				signal: controller.signal,
			});
			await stream.finalCompletion().catch(() => {});
			await sleep(100);
			expect(seen.outer).toHaveLength(1);
			expect(seen.inner).toHaveLength(1);
		},
	);
});

describe("what a call leaves behind", () => {
	it("closes a stream's connection when onAttempt throws on its success", async () => {
		let closed = false;
		const stub = await serve((_req, res) => {
			res.writeHead(200, {
				"Content-Type": "text/event-stream",
				...GOVERNANCE_HEADERS,
			});
			res.write(data(chunk({ content: "hi" })));
			const beat = setInterval(() => res.write(": keep-alive\n\n"), 20);
			res.on("close", () => {
				clearInterval(beat);
				closed = true;
			});
		});
		const atrium = client(stub.url, {
			plugins: [
				{
					name: "exporter",
					onAttempt() {
						throw new Error("export failed");
					},
				},
			],
		});
		await expect(atrium.chat.completions.create(STREAM)).rejects.toThrow(
			/exporter.*onAttempt/,
		);
		for (let i = 0; i < 50 && !closed; i++) await sleep(20);
		expect(closed).toBe(true);
	});

	it("ends a retry wait that starts after close() at once", async () => {
		const stub = await serve((_req, res) =>
			sendJSON(res, 503, '{"error":{"message":"busy"}}', {
				...GOVERNANCE_HEADERS,
				"Retry-After": "5",
			}),
		);
		const atrium = client(stub.url, {
			maxRetries: 1,
			// close() lands while this runs, before the retry wait begins.
			plugins: [{ name: "slow", onAttempt: () => sleep(200) }],
		});
		const started = Date.now();
		const pending = atrium.chat.completions
			.create(CHAT)
			.catch((e: unknown) => e);
		await sleep(100);
		await atrium.close();
		const error = await pending;
		expect(error).toBeInstanceOf(AbortError);
		expect(Date.now() - started).toBeLessThan(2_000);
		expect(stub.requests).toHaveLength(1);
	});

	it("gives two calls that one signal aborts an error each, with its own metadata", async () => {
		const stub = await serve(async (_req, res) => {
			await sleep(500);
			sendJSON(res, 200, completionBody());
		});
		const atrium = client(stub.url);
		const controller = new AbortController();
		const calls = ["patient-A", "patient-B"].map((user_id) =>
			atrium.chat.completions
				.create(CHAT, { signal: controller.signal, metadata: { user_id } })
				.catch((e: unknown) => e as AbortError),
		);
		await sleep(50);
		controller.abort(new AbortError("shutting down"));
		const [a, b] = await Promise.all(calls);
		expect(a).toBeInstanceOf(AbortError);
		expect(a).not.toBe(b);
		expect(a?.message).toBe("shutting down");
		expect(a?.metadata.user_id).toBe("patient-A");
		expect(b?.metadata.user_id).toBe("patient-B");
	});
});

describe("a stream read at the caller's pace", () => {
	it("does not count the caller's time before its first read against streamFirstChunkTimeout", async () => {
		const stub = await serve((_req, res) => {
			res.writeHead(200, {
				"Content-Type": "text/event-stream",
				...GOVERNANCE_HEADERS,
			});
			res.write(data(chunk({ content: "hi" })));
			setTimeout(() => res.end("data: [DONE]\n\n"), 300);
		});
		const stream = await client(stub.url, {
			streamFirstChunkTimeout: 100,
			streamIdleTimeout: 1_000,
		}).chat.completions.create(STREAM);
		await sleep(250); // the caller's own work before it reads
		expect((await stream.finalCompletion()).content).toBe("hi");
	});

	it("gives two concurrent finalCompletion() calls the same whole answer, with an async onChunk", async () => {
		const digits = "01234567890123456789";
		const stub = await serve(async (_req, res) => {
			res.writeHead(200, {
				"Content-Type": "text/event-stream",
				...GOVERNANCE_HEADERS,
			});
			const events = [...digits].map((digit) =>
				data(chunk({ content: digit })),
			);
			res.write(events.slice(0, 10).join(""));
			await sleep(30);
			res.end(`${events.slice(10).join("")}data: [DONE]\n\n`);
		});
		const stream = await client(stub.url, {
			plugins: [{ name: "slow", onChunk: () => sleep(1) }],
		}).chat.completions.create(STREAM);
		const [a, b] = await Promise.all([
			stream.finalCompletion(),
			stream.finalCompletion(),
		]);
		expect(a.content).toBe(digits);
		expect(b).toBe(a);
	});
});

describe("withOptions", () => {
	it("refuses metadata or defaultHeaders that are not objects, at once", async () => {
		const stub = await answer("hi");
		const atrium = client(stub.url);
		for (const overrides of [
			{ metadata: "abc" },
			{ metadata: ["v"] },
			{ defaultHeaders: "xyz" },
		]) {
			expect(() =>
				atrium.withOptions(overrides as unknown as AtriumOptions),
			).toThrow(/^(metadata|defaultHeaders) must be an object$/);
		}
		expect(stub.requests).toHaveLength(0);
	});

	it("warns again when a derived client moves to plain http", () => {
		const warnings: string[] = [];
		const logger = {
			error() {},
			warn: (message: string) => warnings.push(message),
			info() {},
			debug() {},
		};
		const secure = new Atrium({
			apiKey: KEY,
			baseURL: "https://gw.example/v1",
			logger,
		});
		secure.withOptions({ timeout: 5_000 });
		expect(warnings).toHaveLength(0);
		secure.withOptions({ baseURL: "http://gw.example/v1" });
		expect(warnings).toEqual([
			"[atrium] baseURL http://gw.example/v1 is plain http: the key and prompts travel unencrypted",
		]);
	});
});
