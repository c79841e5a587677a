/**
 * A hostile gateway, proxy or fetch against the SDK's secrets and memory:
 * the key echoed anywhere never reaches an error, a result, an attempt or a
 * stream; redirects are never followed; bodies are bounded.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
	APIError,
	Atrium,
	AtriumError,
	type AtriumOptions,
	type Fetch,
	PIIBlockedError,
} from "../../src/index.js";
import { chunk, data } from "../helpers/sse.js";
import {
	CHAT,
	completionBody,
	sendJSON,
	useStubs,
} from "../helpers/stub-server.js";

const KEY = "sk-mng-hostile/slash+key=0001";
const serve = useStubs();

const client = (url: string, options: AtriumOptions = {}) =>
	new Atrium({
		apiKey: KEY,
		baseURL: url,
		logLevel: "off",
		maxRetries: 0,
		...options,
	});

/** Every way an error or a result is shown: none may hold the key. */
function shown(value: unknown): string {
	return [
		inspect(value, { depth: 20, showHidden: true }),
		JSON.stringify(value),
		String(value),
		(value as Error)?.stack ?? "",
	].join("\n");
}

/** Governance headers that all echo the key. */
const ECHO = {
	"X-Monago-Audit-Id": `audit-${KEY}`,
	"X-Monago-Block-Reason": `PII detected: NIK (key ${KEY})`,
	"X-Monago-Provider": KEY,
	"X-Monago-Pii-Redacted": `NIK,${KEY}`,
	"X-Monago-Policy-Decision": "blocked",
};

describe("the key echoed by the gateway", () => {
	it("never reaches an error, its attempts or their governance, on a retried block", async () => {
		const stub = await serve((_req, res, _seen, index) =>
			index === 0
				? sendJSON(res, 503, `{"error":{"message":"busy ${KEY}"}}`, {
						...ECHO,
						"retry-after-ms": "1",
					})
				: sendJSON(
						res,
						400,
						`{"error":{"message":"no ${KEY}","code":"pii_blocked"}}`,
						ECHO,
					),
		);
		const error = await client(stub.url, { maxRetries: 1 })
			.chat.completions.create(CHAT)
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(PIIBlockedError);
		const blocked = error as PIIBlockedError;
		expect(blocked.attempts).toHaveLength(2);
		expect(blocked.attempts[0]?.audit_id).toBe("audit-[redacted]");
		expect(shown(error)).not.toContain(KEY);
		expect(shown(blocked.attempts)).not.toContain(KEY);
		expect([...(blocked.headers ?? [])].join()).not.toContain(KEY);
	});

	it("never reaches a result, its attempts or a stream's governance", async () => {
		const stub = await serve((_req, res, seen) => {
			if (JSON.parse(seen.body).stream) {
				res.writeHead(200, {
					"Content-Type": "text/event-stream",
					...ECHO,
					"X-Monago-Policy-Decision": "allowed",
				});
				res.write(
					`event: governance\ndata: {"audit_id":"a-${KEY}","pii_redacted":["${KEY}"]}\n\n`,
				);
				res.write(data(chunk({ content: `echo ${KEY}` })));
				res.end("data: [DONE]\n\n");
				return;
			}
			sendJSON(res, 200, completionBody(`echo ${KEY}`), {
				...ECHO,
				"X-Monago-Policy-Decision": "allowed",
			});
		});
		const atrium = client(stub.url);
		const res = await atrium.chat.completions.create(CHAT);
		expect(res.content).toBe("echo [redacted]");
		expect(shown(res)).not.toContain(KEY);
		const stream = await atrium.chat.completions.create({
			...CHAT,
			stream: true,
		});
		const done = await stream.finalCompletion();
		expect(shown(done)).not.toContain(KEY);
		expect(shown(stream.governance)).not.toContain(KEY);
		expect(stream.governance.audit_id).toBe("a-[redacted]");
	});

	it.each([
		[
			"a non-JSON 200",
			(res: import("node:http").ServerResponse) =>
				sendJSON(res, 200, `not json ${KEY}`, ECHO),
			false,
		],
		[
			"a stream answered as JSON",
			(res: import("node:http").ServerResponse) =>
				sendJSON(res, 200, `{"x":"${KEY}"}`, ECHO),
			true,
		],
		[
			"a stream that ends without [DONE]",
			(res: import("node:http").ServerResponse) => {
				res.writeHead(200, { "Content-Type": "text/event-stream", ...ECHO });
				res.end(data(chunk({ content: "half" })));
			},
			true,
		],
		[
			"an in-stream error",
			(res: import("node:http").ServerResponse) => {
				res.writeHead(200, { "Content-Type": "text/event-stream", ...ECHO });
				res.end(
					`event: error\ndata: {"error":{"message":"${KEY}","code":"pii_blocked"}}\n\n`,
				);
			},
			true,
		],
	])(
		"never reaches the error of %s, which keeps its attempt",
		async (_name, answer, stream) => {
			const stub = await serve((_req, res) => answer(res));
			const call = client(stub.url).chat.completions.create({
				...CHAT,
				stream,
			});
			const error = await (async () => {
				const result = await call;
				if (stream)
					await (
						result as { finalCompletion(): Promise<unknown> }
					).finalCompletion();
			})().catch((e: unknown) => e);
			expect(error).toBeInstanceOf(AtriumError);
			expect((error as AtriumError).attempts).toHaveLength(1);
			expect((error as AtriumError).attempts[0]?.audit_id).toBe(
				"audit-[redacted]",
			);
			expect(shown(error)).not.toContain(KEY);
		},
	);

	it("is known trimmed when given with whitespace, so the echo of the trimmed key is scrubbed too", async () => {
		const stub = await serve((req, res) =>
			sendJSON(
				res,
				401,
				`{"error":{"message":"bad ${String(req.headers.authorization)}"}}`,
			),
		);
		const error = await client(stub.url, { apiKey: `  ${KEY}\n` })
			.chat.completions.create(CHAT)
			.catch((e: unknown) => e);
		expect(stub.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
		expect(shown(error)).not.toContain(KEY);
	});

	it("is scrubbed from a text body that echoes it JSON-escaped", async () => {
		const escaped = JSON.stringify(KEY).slice(1, -1).replaceAll("/", "\\/");
		const stub = await serve((_req, res) => {
			res.writeHead(502, { "Content-Type": "text/plain" });
			res.end(`upstream said {"key":"${escaped}"}`);
		});
		const error = await client(stub.url)
			.chat.completions.create(CHAT)
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(APIError);
		expect(shown(error)).not.toContain(escaped);
		expect(shown(error)).not.toContain("slash+key=0001"); // no tail of it either
		expect(shown(error)).not.toContain(KEY);
	});

	it("never shows from a custom fetch's error, however deep (cause chains, axios-like config)", async () => {
		const fetch: Fetch = async () => {
			const inner = Object.assign(new Error(`socket for ${KEY}`), {
				code: "ECONNRESET",
			});
			const middle = new Error("request failed", { cause: inner });
			throw Object.assign(new TypeError("fetch failed", { cause: middle }), {
				config: { headers: { Authorization: `Bearer ${KEY}` } },
			});
		};
		const error = await client("https://gateway.test/v1", { fetch })
			.chat.completions.create(CHAT)
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(APIError);
		expect(shown(error)).not.toContain(KEY);
		const cause = (error as Error).cause as Error;
		expect(cause.name).toBe("TypeError");
		expect(
			((cause.cause as Error).cause as Error & { code?: string }).code,
		).toBe("ECONNRESET");
		expect(cause).not.toHaveProperty("config");
	});
});

describe("redirects", () => {
	it("are never followed: a 307 to another origin sends nothing there and fails with the target named", async () => {
		const elsewhere = await serve((_req, res) =>
			sendJSON(res, 200, completionBody("ungoverned")),
		);
		const stub = await serve((_req, res) => {
			res.writeHead(307, {
				Location: `${elsewhere.url}/steal?token=abc`,
				"X-Monago-Audit-Id": "audit-r",
			});
			res.end();
		});
		const error = await client(stub.url, {
			maxRetries: 2,
			defaultHeaders: { "X-Api-Key": "custom-secret" },
		})
			.chat.completions.create(CHAT)
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(AtriumError);
		expect((error as AtriumError).code).toBe("redirect");
		expect((error as AtriumError).status_code).toBe(307);
		expect((error as Error).message).toContain(
			`a redirect to ${elsewhere.url}/steal`,
		);
		expect((error as Error).message).not.toContain("token=abc");
		expect(elsewhere.requests).toHaveLength(0);
		expect(stub.requests).toHaveLength(1);
		expect((error as AtriumError).attempts[0]?.audit_id).toBe("audit-r");
	});

	it("fail even when a custom fetch follows them anyway", async () => {
		const following: Fetch = async () => {
			const response = new Response(completionBody("ungoverned"), {
				status: 200,
			});
			Object.defineProperty(response, "redirected", { value: true });
			Object.defineProperty(response, "url", {
				value: "http://other.test/v1/chat/completions?q=1",
			});
			return response;
		};
		const error = await client("https://gateway.test/v1", { fetch: following })
			.chat.completions.create(CHAT)
			.catch((e: unknown) => e);
		expect((error as AtriumError).code).toBe("redirect");
		expect((error as Error).message).toContain(
			"followed to http://other.test/v1/chat/completions",
		);
	});
});
