/**
 * The browser bundle: its size budget (deterministic, so checked here), no
 * Node-only code on the browser path, and a run in a bare V8 context with only
 * web globals, as on an edge runtime.
 */
import { createContext, runInContext } from "node:vm";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { bundle, lazyExternal, requireDist } from "../helpers/bundle.js";

/** The budget: minified + gzipped ESM bundle of `new Atrium(...)` plus a call. */
const BUDGET_BYTES = 8_000;

const APP = `
import { Atrium } from "@monagoio/atrium-sdk";
const client = new Atrium({ apiKey: "sk-mng-browser", baseURL: "https://api.monago.io/v1", dangerouslyAllowBrowser: true });
export const ask = (content) => client.chat.completions.create({ model: "gpt-5.4-mini", messages: [{ role: "user", content }] });
`;

beforeAll(requireDist);

describe("the browser bundle", () => {
	it(`stays within ${BUDGET_BYTES} bytes minified and gzipped for new Atrium(...) plus a call`, async () => {
		const [main] = await bundle(APP, {
			format: "esm",
			minify: true,
			plugins: [lazyExternal],
		});
		const gzipped = gzipSync(main?.contents ?? new Uint8Array(), {
			level: 9,
		}).length;
		console.log(
			`browser bundle, new Atrium(...) plus a call: ${gzipped} bytes min+gzip (budget ${BUDGET_BYTES})`,
		);
		expect(gzipped).toBeGreaterThan(2_000); // a real bundle, not an empty one
		expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
	});

	it("loads streaming, plugins and metadata, and the failure path separately, and reports what an app loads in all", async () => {
		const files = await bundle(APP, {
			format: "esm",
			minify: true,
			splitting: true,
		});
		const sizes = files.map(
			(file) => gzipSync(file.contents, { level: 9 }).length,
		);
		const total = sizes.reduce((a, b) => a + b, 0);
		console.log(
			`browser bundle with every lazy chunk loaded too: ${total} bytes min+gzip over ${files.length} files`,
		);
		for (const name of ["stream-call", "extras", "failure"]) {
			expect(files.some((file) => file.path.includes(name))).toBe(true);
		}
	});

	it("has no Node-only import and touches process only behind a guard", async () => {
		const [main] = await bundle(APP, { format: "esm", minify: false });
		const code = main?.text ?? "";
		expect(code).not.toMatch(/from\s*["']node:|require\(["']/);
		const uses = code.split("\n").filter((line) => /\bprocess\b/.test(line));
		expect(uses.length).toBeGreaterThan(0);
		for (const line of uses) {
			expect(line, `unguarded process use: ${line}`).toMatch(
				/typeof process ===? "object" &&|globalThis\.process\?\./,
			);
		}
	});

	it("runs in a bare context with only web globals (an edge runtime): a call, and a stream", async () => {
		const [iife] = await bundle(`export * from "@monagoio/atrium-sdk";`, {
			format: "iife",
			globalName: "atrium",
			minify: true,
		});
		const seen: string[] = [];
		const governance = {
			"x-monago-audit-id": "audit-edge",
			"x-monago-policy-decision": "allowed",
		};
		const fetch = async (url: string, init: RequestInit) => {
			seen.push(`${init.method} ${url}`);
			const body = JSON.parse(String(init.body));
			if (body.stream) {
				const sse =
					'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"edge stream"}}]}\n\ndata: [DONE]\n\n';
				return new Response(sse, {
					headers: { "content-type": "text/event-stream", ...governance },
				});
			}
			const completion = {
				id: "c",
				object: "chat.completion",
				created: 1,
				model: "m",
				choices: [
					{
						index: 0,
						message: { role: "assistant", content: "edge ok" },
						finish_reason: "stop",
					},
				],
				usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
			};
			return new Response(JSON.stringify(completion), {
				headers: { "content-type": "application/json", ...governance },
			});
		};
		// Web-platform globals only: no process, require, module, Buffer or global.
		const web = {
			fetch,
			Request,
			Response,
			Headers,
			URL,
			TextEncoder,
			TextDecoder,
			AbortController,
			AbortSignal,
			ReadableStream,
			FormData,
			Blob,
			setTimeout,
			clearTimeout,
			crypto,
			console,
			Promise,
		};
		const context = createContext({ ...web });
		runInContext(
			`${iife?.text}\nglobalThis.run = async () => {
			const sdk = atrium;
			const client = new sdk.Atrium({ apiKey: "sk-mng-edge", baseURL: "https://api.monago.io/v1" });
			const res = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] });
			const stream = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }], stream: true });
			const done = await stream.finalCompletion();
			return [res.content, res.governance.audit_id, done.content, typeof process];
		};`,
			context,
		);
		const result = await (
			context as unknown as { run: () => Promise<unknown[]> }
		).run();
		expect(result).toEqual([
			"edge ok",
			"audit-edge",
			"edge stream",
			"undefined",
		]);
		expect(seen).toEqual([
			"POST https://api.monago.io/v1/chat/completions",
			"POST https://api.monago.io/v1/chat/completions",
		]);
	});
});
