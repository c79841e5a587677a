import { afterEach, describe, expect, it, vi } from "vitest";
import {
	AbortError,
	Atrium,
	InvalidInputError,
	type Logger,
	TimeoutError,
} from "../../src/index.js";
import {
	CHAT,
	completionBody,
	GOVERNANCE_HEADERS,
	type Stub,
	sendJSON,
	useStubs,
} from "../helpers/stub-server.js";

const KEY = "sk-mng-reliability-secret-9";
const BODY = CHAT;

let stub: Stub | undefined;
const serve = useStubs();
afterEach(async () => {
	vi.unstubAllGlobals();
});

const client = (
	url: string,
	options: Partial<ConstructorParameters<typeof Atrium>[0]> = {},
) => new Atrium({ apiKey: KEY, baseURL: url, logLevel: "off", ...options });

/** Always 503 with a 5 s backoff, so a test can interrupt the wait. */
const slowRetry = () =>
	serve((_req, res) =>
		sendJSON(res, 503, "{}", { ...GOVERNANCE_HEADERS, "retry-after": "5" }),
	);

function captureLogger(): Logger & { lines: string[] } {
	const lines: string[] = [];
	const push = (message: string, data?: unknown) =>
		lines.push(`${message} ${JSON.stringify(data ?? null)}`);
	return { lines, error: push, warn: push, info: push, debug: push };
}

describe("retries, aborts and timeouts", () => {
	it("uses the caller's idempotencyKey on every attempt", async () => {
		stub = await serve((_req, res, _seen, index) =>
			index < 2
				? sendJSON(res, 500, "{}", { "retry-after-ms": "1" })
				: sendJSON(res, 200, completionBody()),
		);
		await client(stub.url).chat.completions.create(BODY, {
			idempotencyKey: "order-42-summary",
		});
		expect(stub.requests.map((r) => r.headers["idempotency-key"])).toEqual([
			"order-42-summary",
			"order-42-summary",
			"order-42-summary",
		]);
	});

	it("gives each logical call its own idempotency key", async () => {
		stub = await serve((_req, res) => sendJSON(res, 200, completionBody()));
		const atrium = client(stub.url);
		await atrium.chat.completions.create(BODY);
		await atrium.chat.completions.create(BODY);
		const [first, second] = stub.requests.map(
			(r) => r.headers["idempotency-key"],
		);
		expect(first).not.toBe(second);
	});

	it("honours a per-request maxRetries over the client's", async () => {
		stub = await serve((_req, res) =>
			sendJSON(res, 500, "{}", { "retry-after-ms": "1" }),
		);
		await expect(
			client(stub.url, { maxRetries: 5 }).chat.completions.create(BODY, {
				maxRetries: 0,
			}),
		).rejects.toThrow(/500/);
		expect(stub.requests).toHaveLength(1);
	});

	it("stops at once with AbortError, never TimeoutError, when the caller aborts during a retry wait", async () => {
		stub = await slowRetry();
		const controller = new AbortController();
		const started = Date.now();
		const pending = client(stub.url).chat.completions.create(BODY, {
			signal: controller.signal,
		});
		setTimeout(() => controller.abort(), 100);
		const error = await pending.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(AbortError);
		expect(error).not.toBeInstanceOf(TimeoutError);
		expect(Date.now() - started).toBeLessThan(2_000);
		expect(stub.requests).toHaveLength(1);
	});

	it("stops a retry wait when the client is closed", async () => {
		stub = await slowRetry();
		const atrium = client(stub.url);
		const pending = atrium.chat.completions.create(BODY);
		setTimeout(() => void atrium.close(), 100);
		const error = await pending.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(AbortError);
		expect((error as Error).message).toBe("The Atrium client was closed");
	});
});

describe("withResponse", () => {
	it("gives the data and the raw Response with every header", async () => {
		stub = await serve((_req, res) =>
			sendJSON(res, 200, completionBody("raw"), {
				...GOVERNANCE_HEADERS,
				"X-Request-Id": "req-7",
			}),
		);
		const { data, response } = await client(stub.url)
			.chat.completions.create(BODY)
			.withResponse();
		expect(data.content).toBe("raw");
		expect(response.status).toBe(200);
		expect(response.headers.get("x-request-id")).toBe("req-7");
		expect(response.headers.get("x-monago-audit-id")).toBe(
			data.governance.audit_id,
		);
	});

	it("rejects with the typed error, as awaiting does", async () => {
		stub = await serve((_req, res) =>
			sendJSON(res, 401, '{"error":{"message":"nope"}}'),
		);
		await expect(
			client(stub.url).chat.completions.create(BODY).withResponse(),
		).rejects.toThrow("401 nope");
	});
});

describe("header injection", () => {
	it.each([
		["a CR", "a\rb"],
		["a LF", "a\nX-Evil: 1"],
		["a NUL", "a\0b"],
	])(
		"refuses a per-request header value with %s before sending anything",
		async (_label, value) => {
			stub = await serve((_req, res) => sendJSON(res, 200, completionBody()));
			const error = await client(stub.url)
				.chat.completions.create(BODY, { headers: { "X-Note": value } })
				.catch((e: unknown) => e);
			expect(error).toBeInstanceOf(InvalidInputError);
			expect((error as Error).message).toBe(
				'headers["X-Note"] has a control character (CR, LF, ...) or one above U+00FF: remove it',
			);
			expect(stub.requests).toHaveLength(0);
		},
	);

	it("refuses them in defaultHeaders, the idempotency key and the API key at once", async () => {
		expect(() =>
			client("http://127.0.0.1:9", { defaultHeaders: { "X-A": "1\r\n" } }),
		).toThrow(/defaultHeaders\["X-A"\] has a control character/);
		expect(() =>
			client("http://127.0.0.1:9", { defaultHeaders: { "Bad Name": "1" } }),
		).toThrow(/"Bad Name" is not a header you may set/);
		expect(() =>
			client("http://127.0.0.1:9", { apiKey: `sk-mng-a\nb` }),
		).toThrow(/apiKey must be 1 to 255 printable ASCII characters/);
		await expect(
			client("http://127.0.0.1:9").chat.completions.create(BODY, {
				idempotencyKey: "k\n",
			}),
		).rejects.toThrow(/idempotencyKey must be 1 to 255 printable ASCII/);
		await expect(
			client("http://127.0.0.1:9").chat.completions.create(BODY, {
				idempotencyKey: "",
			}),
		).rejects.toThrow(/idempotencyKey must be 1 to 255 printable ASCII/);
	});
});

describe("logging", () => {
	it("logs attempts and retries at debug: header names, never their values, and the key redacted", async () => {
		stub = await serve((_req, res, _seen, index) =>
			index === 0
				? sendJSON(res, 503, `{"error":{"message":"echo ${KEY}"}}`, {
						"retry-after-ms": "1",
					})
				: sendJSON(res, 200, completionBody()),
		);
		const logger = captureLogger();
		await client(stub.url, {
			logLevel: "debug",
			logger,
			defaultHeaders: { Cookie: "session=1" },
		}).chat.completions.create(BODY, {
			headers: { Authorization: `Bearer ${KEY}`, "X-Ticket": "T-77" },
			metadata: { user_id: "dr-123" },
		});
		const text = logger.lines.join("\n");
		expect(text).toContain("[atrium] POST /chat/completions: attempt 1");
		expect(text).toContain(
			"[atrium] POST /chat/completions: retrying in 1 ms after APIError",
		);
		expect(text).toContain(
			'"headers":["X-Monago-User-Id","Idempotency-Key","Authorization","X-Ticket"]',
		);
		expect(text).not.toContain(KEY);
		expect(text).not.toContain("T-77");
		expect(text).not.toContain("dr-123");
	});

	it("warns once, at construction, when the base URL is plain http to a host that is not loopback", () => {
		const logger = captureLogger();
		client("http://gateway.internal:8080/v1", { logLevel: "warn", logger });
		client("http://127.0.0.1:8080/v1", { logLevel: "warn", logger });
		client("http://localhost:8080/v1", { logLevel: "warn", logger });
		client("https://gateway.internal/v1", { logLevel: "warn", logger });
		expect(logger.lines).toHaveLength(1);
		expect(logger.lines[0]).toContain(
			"baseURL http://gateway.internal:8080/v1 is plain http",
		);
	});

	it("reads the level from ATRIUM_LOG", () => {
		vi.stubEnv("ATRIUM_LOG", "off");
		const logger = captureLogger();
		new Atrium({ apiKey: KEY, baseURL: "http://gateway.internal/v1", logger });
		expect(logger.lines).toHaveLength(0);
		vi.unstubAllEnvs();
	});
});

describe("browsers", () => {
	it("refuses to run in a page unless dangerouslyAllowBrowser is true", () => {
		vi.stubGlobal("window", {});
		vi.stubGlobal("document", {});
		expect(() => new Atrium({ apiKey: KEY })).toThrow(InvalidInputError);
		expect(() => new Atrium({ apiKey: KEY })).toThrow(
			/every visitor could read the API key/,
		);
		expect(
			new Atrium({ apiKey: KEY, dangerouslyAllowBrowser: true }).baseURL,
		).toBe("https://api.monago.io/v1");
	});
});
