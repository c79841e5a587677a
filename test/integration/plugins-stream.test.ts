/**
 * Plugins on streams, against a node:http SSE stub on 127.0.0.1: a stream's
 * end is its call's end, whether it finishes, fails, is broken out of or is
 * aborted; chunks pass through onChunk and may be held back.
 */
import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import {
	AbortError,
	Atrium,
	type AtriumOptions,
	type AtriumPlugin,
	type ChatCompletionChunk,
	isPluginError,
	PIIBlockedError,
	PolicyBlockedError,
} from "../../src/index.js";
import { chunk, data } from "../helpers/sse.js";
import { CHAT, GOVERNANCE_HEADERS, useStubs } from "../helpers/stub-server.js";

const BODY = { ...CHAT, stream: true as const };
const serve = useStubs();

const client = (url: string, options: AtriumOptions = {}) =>
	new Atrium({
		apiKey: "sk-mng-plugin-stream",
		baseURL: url,
		logLevel: "off",
		maxRetries: 0,
		...options,
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

/** A stub that streams the given pieces of text, then usage and [DONE]. */
const streaming = (pieces: string[]) =>
	serve((_req, res) => {
		openSSE(res);
		for (const content of pieces) res.write(data(chunk({ content })));
		res.write(data(USAGE));
		res.end("data: [DONE]\n\n");
	});

/** A plugin that logs its name and hook for every hook but onChunk. */
function recorder(name: string, log: string[]): AtriumPlugin {
	return {
		name,
		onRequest: () => void log.push(`${name}:onRequest`),
		onStreamEnd: () => void log.push(`${name}:onStreamEnd`),
		onResponse: (_ctx, c) => void log.push(`${name}:onResponse:${c.content}`),
		onError: (_ctx, e) => void log.push(`${name}:onError:${e.name}`),
	};
}

const text = (c: ChatCompletionChunk) => c.choices[0]?.delta?.content ?? "";

describe("plugins on a stream", () => {
	it("see every chunk, then onStreamEnd and onResponse with the whole completion, before the caller sees the end", async () => {
		const stub = await streaming(["Batuk ", "dua ", "minggu."]);
		const log: string[] = [];
		const seen: string[] = [];
		const watcher: AtriumPlugin = {
			...recorder("w", log),
			onChunk: (_ctx, c) => void seen.push(text(c)),
			async onResponse(_ctx, completion) {
				// Slow on purpose: the caller must not see the end before it is done.
				await new Promise((resolve) => setTimeout(resolve, 30));
				log.push(`w:onResponse:${completion.content}`);
				expect(completion.usage?.total_tokens).toBe(5);
				expect(completion.governance.audit_id).toBe("audit-stub-1");
			},
		};
		const stream = await client(stub.url, {
			plugins: [watcher],
		}).chat.completions.create(BODY);
		let got = "";
		for await (const c of stream) got += text(c);
		log.push("caller:done");
		expect(got).toBe("Batuk dua minggu.");
		expect(seen.join("")).toBe("Batuk dua minggu.");
		expect(log).toEqual([
			"w:onRequest",
			"w:onStreamEnd",
			"w:onResponse:Batuk dua minggu.",
			"caller:done",
		]);
		expect((await stream.finalCompletion()).content).toBe("Batuk dua minggu.");
		expect(log).toHaveLength(4);
	});

	it("give onError once, never onResponse, when the stream fails mid-way", async () => {
		const stub = await serve((_req, res) => {
			openSSE(res);
			res.write(data(chunk({ content: "Pasien " })));
			res.write('event: governance\ndata: {"policy_decision":"blocked"}\n\n');
			res.end(
				'event: error\ndata: {"error":{"message":"PII","code":"pii_blocked"}}\n\n',
			);
		});
		const log: string[] = [];
		const stream = await client(stub.url, {
			plugins: [recorder("a", log), recorder("b", log)],
		}).chat.completions.create(BODY);
		const got: string[] = [];
		await expect(
			(async () => {
				for await (const c of stream) got.push(text(c));
			})(),
		).rejects.toBeInstanceOf(PIIBlockedError);
		expect(got).toEqual(["Pasien "]);
		expect(log).toEqual([
			"a:onRequest",
			"b:onRequest",
			"b:onError:PIIBlockedError",
			"a:onError:PIIBlockedError",
		]);
	});

	it("give onError with an AbortError when the caller breaks out of the loop", async () => {
		const stub = await serve((_req, res) => {
			openSSE(res);
			res.write(data(chunk({ content: "one" })));
			// ...and never ends.
		});
		const log: string[] = [];
		const stream = await client(stub.url, {
			plugins: [recorder("a", log)],
		}).chat.completions.create(BODY);
		for await (const _ of stream) break;
		expect(log).toEqual(["a:onRequest", "a:onError:AbortError"]);
		await expect(stream.finalCompletion()).rejects.toBeInstanceOf(AbortError);
		expect(log).toHaveLength(2);
	});

	it("give onError at once when the caller's signal aborts a stream nobody is reading", async () => {
		const stub = await serve((_req, res) => {
			openSSE(res);
			res.write(data(chunk({ content: "one" })));
		});
		const log: string[] = [];
		const controller = new AbortController();
		const stream = await client(stub.url, {
			plugins: [recorder("a", log)],
		}).chat.completions.create(BODY, { signal: controller.signal });
		controller.abort();
		await new Promise((resolve) => setTimeout(resolve, 10));
		expect(log).toEqual(["a:onRequest", "a:onError:AbortError"]);
		await expect(stream.finalCompletion()).rejects.toBeInstanceOf(AbortError);
	});

	it("give onError when the stream is aborted with abort()", async () => {
		const stub = await serve((_req, res) => {
			openSSE(res);
			res.write(data(chunk({ content: "one" })));
		});
		const log: string[] = [];
		const stream = await client(stub.url, {
			plugins: [recorder("a", log)],
		}).chat.completions.create(BODY);
		const reading = stream.finalCompletion();
		stream.abort();
		await expect(reading).rejects.toBeInstanceOf(AbortError);
		expect(log).toEqual(["a:onRequest", "a:onError:AbortError"]);
	});

	it("let onChunk hold chunks back and onStreamEnd release them, passing through the plugins outside", async () => {
		const stub = await streaming(["sec", "ret", " ok"]);
		const held: ChatCompletionChunk[] = [];
		const holder: AtriumPlugin = {
			name: "holder",
			onChunk(_ctx, c) {
				held.push(c);
				return [];
			},
			onStreamEnd: () => held.splice(0),
		};
		const outerSaw: string[] = [];
		const outer: AtriumPlugin = {
			name: "outer",
			onChunk: (_ctx, c) => [
				{
					...c,
					choices: [
						{
							index: 0,
							delta: { content: text(c).toUpperCase() },
							finish_reason: null,
						},
					],
				},
			],
		};
		const stream = await client(stub.url, {
			plugins: [outer],
		}).chat.completions.create(BODY, { plugins: [holder] });
		for await (const c of stream) outerSaw.push(text(c));
		expect(outerSaw).toEqual(["SEC", "RET", " OK", ""]);
		expect((await stream.finalCompletion()).content).toBe("SECRET OK");
	});

	it("end the stream with the error an onChunk throws, after the chunks before it", async () => {
		const stub = await streaming(["fine ", "bad", " never"]);
		const log: string[] = [];
		const filter: AtriumPlugin = {
			name: "filter",
			onChunk(_ctx, c) {
				if (text(c) === "bad") throw new Error("bad word");
			},
		};
		const stream = await client(stub.url, {
			plugins: [recorder("a", log), filter],
		}).chat.completions.create(BODY);
		const got: string[] = [];
		const error = await (async () => {
			for await (const c of stream) got.push(text(c));
		})().catch((e: unknown) => e);
		expect(got).toEqual(["fine "]);
		expect(isPluginError(error)).toBe(true);
		expect((error as Error).message).toContain(
			'plugin "filter" failed in onChunk: bad word',
		);
		expect(log).toEqual(["a:onRequest", "a:onError:PluginError"]);
	});

	it("raise from the loop an error that onResponse throws at the end of a stream", async () => {
		const stub = await streaming(["answer"]);
		const veto: AtriumPlugin = {
			name: "veto",
			onResponse() {
				throw new PolicyBlockedError("refused at the end");
			},
		};
		const stream = await client(stub.url, {
			plugins: [veto],
		}).chat.completions.create(BODY);
		await expect(stream.finalCompletion()).rejects.toThrow(
			"refused at the end",
		);
	});
});
