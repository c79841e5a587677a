/**
 * Bad input refused before anything is sent (and never retried), headers
 * merged by name whatever its case, the audit trail of cut answers, and the
 * stream's usage rules.
 */
import { describe, expect, it } from "vitest";
import {
	AbortError,
	APIError,
	Atrium,
	AtriumError,
	type AtriumOptions,
	InvalidInputError,
	isUsageError,
	type PIIBlockedError,
} from "../../src/index.js";
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

const client = (url: string, options: AtriumOptions = {}) =>
	new Atrium({
		apiKey: "sk-mng-input",
		baseURL: url,
		logLevel: "off",
		maxRetries: 2,
		...options,
	});

const answering = () =>
	serve((_req, res) => sendJSON(res, 200, completionBody()));

describe("bad input is refused before anything is sent, and never retried", () => {
	const circular: Record<string, unknown> = { ...CHAT };
	circular.self = circular;
	it.each([
		[
			"a BigInt in the body",
			{ ...CHAT, seed: 10n },
			{},
			/create's body is not JSON/,
		],
		["a circular body", circular, {}, /create's body is not JSON/],
		[
			"a header value above U+00FF",
			CHAT,
			{ headers: { "X-Ward": "心臓" } },
			/has a control character .* or one above U\+00FF/,
		],
		[
			"a header value with \\x01",
			CHAT,
			{ headers: { "X-Ward": "a\x01b" } },
			/has a control character/,
		],
		[
			"a header value with DEL",
			CHAT,
			{ headers: { "X-Ward": "a\x7fb" } },
			/has a control character/,
		],
		[
			"Transfer-Encoding",
			CHAT,
			{ headers: { "Transfer-Encoding": "chunked" } },
			/"Transfer-Encoding" is not a header you may set/,
		],
		[
			"Host",
			CHAT,
			{ headers: { host: "evil.test" } },
			/"host" is not a header you may set/,
		],
		[
			"TE (hop-by-hop)",
			CHAT,
			{ headers: { TE: "trailers" } },
			/"TE" is not a header you may set/,
		],
		[
			"Trailer",
			CHAT,
			{ headers: { trailer: "x-audit" } },
			/"trailer" is not a header you may set/,
		],
		[
			"Proxy-Connection",
			CHAT,
			{ headers: { "Proxy-Connection": "keep-alive" } },
			/"Proxy-Connection" is not a header you may set/,
		],
		["options that are null", CHAT, null, /create options must be an object/],
		[
			"a signal that is not an AbortSignal",
			CHAT,
			{ signal: "stop" },
			/^signal must be an AbortSignal$/,
		],
		[
			"a signal-like object without removeEventListener",
			CHAT,
			{ signal: { aborted: false, addEventListener() {} } },
			/^signal must be an AbortSignal$/,
		],
		[
			"a signal-like object without addEventListener",
			CHAT,
			{ signal: { aborted: false } },
			/^signal must be an AbortSignal$/,
		],
		[
			"a timeout of 2^31 ms",
			CHAT,
			{ timeout: 2 ** 31 },
			/timeout must be a whole number from 1 to 2147483647/,
		],
		[
			"an empty idempotencyKey",
			CHAT,
			{ idempotencyKey: "" },
			/idempotencyKey must be 1 to 255 printable ASCII/,
		],
		[
			"an idempotencyKey above U+00FF",
			CHAT,
			{ idempotencyKey: "kunci-ü" },
			/idempotencyKey must be 1 to 255/,
		],
	])("%s", async (_name, body, options, message) => {
		const stub = await answering();
		const error = await client(stub.url)
			.chat.completions.create(body as never, options as never)
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(InvalidInputError);
		expect((error as Error).message).toMatch(message);
		expect(stub.requests).toHaveLength(0);
	});

	it.each([
		["credentials", "https://user:pass@gateway.test/v1"],
		["a query", "https://gateway.test/v1?tenant=a"],
		["a fragment", "https://gateway.test/v1#x"],
		["no scheme", "gateway.test/v1"],
	])("a baseURL with %s, without echoing it", (_name, baseURL) => {
		expect(() => client(baseURL)).toThrow(InvalidInputError);
		expect(() => client(baseURL)).toThrow(
			/baseURL must be an http\(s\) URL without credentials, query or fragment$/,
		);
	});

	it.each([
		["new Atrium(null)", () => new Atrium(null as never)],
		[
			"an apiKey with a character above U+00FF",
			() => new Atrium({ apiKey: "sk-mng-ü" }),
		],
		["an apiKey with \\x01", () => new Atrium({ apiKey: "sk-mng-\x01" })],
		[
			"streamIdleTimeout of 2^31",
			() => new Atrium({ apiKey: "sk-mng-a", streamIdleTimeout: 2 ** 31 }),
		],
	])("%s at construction", (_name, make) => {
		expect(make).toThrow(InvalidInputError);
	});
});

describe("headers are merged by name, whatever its case", () => {
	it("sends one Idempotency-Key when the caller sets it in lower case, and theirs wins", async () => {
		const stub = await answering();
		await client(stub.url).chat.completions.create(CHAT, {
			headers: { "idempotency-key": "mine-1" },
		});
		expect(stub.requests[0]?.headers["idempotency-key"]).toBe("mine-1");
	});

	it("sends one Authorization when defaultHeaders set it in lower case: the default header wins", async () => {
		const stub = await answering();
		await client(stub.url, {
			defaultHeaders: { authorization: "Bearer other-scheme" },
		}).chat.completions.create(CHAT);
		expect(stub.requests[0]?.headers.authorization).toBe("Bearer other-scheme");
	});
});

describe("the audit trail of answers that went wrong", () => {
	it("keeps the audit id of a 200 cut mid-body (it came with the head)", async () => {
		const stub = await serve((req, res) => {
			res.writeHead(200, {
				"Content-Type": "application/json",
				"Content-Length": "500",
				...GOVERNANCE_HEADERS,
			});
			res.write('{"id":"cut');
			setTimeout(() => req.socket.destroy(), 20);
		});
		const error = (await client(stub.url, { maxRetries: 0 })
			.chat.completions.create(CHAT)
			.catch((e: unknown) => e)) as APIError;
		expect(error).toBeInstanceOf(APIError);
		expect(error.attempts[0]).toMatchObject({
			status_code: 200,
			audit_id: "audit-stub-1",
			error: "APIError",
		});
		expect(error.audit_id).toBe("audit-stub-1");
	});

	it("has status and headers on errors, as openai-node names them, without cookies", async () => {
		const stub = await serve((_req, res) =>
			sendJSON(res, 451, '{"error":{"message":"PII","code":"pii_blocked"}}', {
				"X-Monago-Audit-Id": "audit-h",
				"X-Request-Id": "req-1",
				"Set-Cookie": "session=secret",
			}),
		);
		const error = (await client(stub.url)
			.chat.completions.create(CHAT)
			.catch((e: unknown) => e)) as PIIBlockedError;
		expect(error.status).toBe(451);
		expect(error.status).toBe(error.status_code);
		expect(error.headers?.get("x-request-id")).toBe("req-1");
		expect(error.headers?.get("set-cookie")).toBeNull();
		expect(JSON.stringify(error)).not.toContain("req-1");
		expect(new AtriumError("x").headers).toBeNull();
	});
});

describe("a stream's usage rules", () => {
	const streaming = () =>
		serve((_req, res) => {
			res.writeHead(200, {
				"Content-Type": "text/event-stream",
				...GOVERNANCE_HEADERS,
			});
			res.write(data(chunk({ content: "a" })));
			setTimeout(() => res.end("data: [DONE]\n\n"), 50);
		});

	it("refuses finalCompletion() while a for await loop reads, with a UsageError", async () => {
		const stub = await streaming();
		const stream = await client(stub.url).chat.completions.create(STREAM);
		const loop = (async () => {
			for await (const _ of stream);
		})();
		const error = await stream.finalCompletion().catch((e: unknown) => e);
		expect(isUsageError(error)).toBe(true);
		expect((error as Error).message).toMatch(/call it after the loop ends/);
		await loop;
		expect((await stream.finalCompletion()).content).toBe("a");
	});

	it("is aborted, sending nothing live, when create({ stream: true }) is followed by close() in the same tick", async () => {
		const stub = await streaming();
		const atrium = client(stub.url);
		const call = atrium.chat.completions.create(STREAM);
		void atrium.close();
		await expect(call).rejects.toBeInstanceOf(AbortError);
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(stub.requests).toHaveLength(0);
	});

	it.each([
		[
			"data that is not JSON",
			"event: error\ndata: upstream exploded\n\n",
			"APIError",
			null,
		],
		[
			"a status of 200",
			'event: error\ndata: {"status":200,"error":{"code":"pii_blocked"}}\n\n',
			"PIIBlockedError",
			400,
		],
		[
			"a status of 503",
			'event: error\ndata: {"status":503,"error":{"message":"down"}}\n\n',
			"APIError",
			503,
		],
	])(
		"maps an in-stream error event with %s",
		async (_name, event, name, status) => {
			const stub = await serve((_req, res) => {
				res.writeHead(200, { "Content-Type": "text/event-stream" });
				res.end(data(chunk({ content: "x" })) + event);
			});
			const stream = await client(stub.url).chat.completions.create(STREAM);
			const error = (await stream
				.finalCompletion()
				.catch((e: unknown) => e)) as AtriumError;
			expect(error.name).toBe(name);
			expect(error.status_code).toBe(status);
		},
	);
});
