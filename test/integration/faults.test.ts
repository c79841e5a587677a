/**
 * Fault injection: the SDK against a node:http stub that misbehaves in every
 * way a gateway, proxy or network can. Each fault ends in a success or the
 * documented typed error; none hangs, and none leaves a timer behind.
 */
import { once } from "node:events";
import { createServer } from "node:net";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
	APIError,
	Atrium,
	type AtriumError,
	PIIBlockedError,
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

const BODY = CHAT;
const FAST_RETRY = { "retry-after-ms": "5" };

let stub: Stub | undefined;
const serve = useStubs();
let timersBefore = 0;
const activeTimers = () =>
	process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;

beforeEach(() => {
	timersBefore = activeTimers();
});
afterEach(async () => {
	expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
});

const client = (
	url: string,
	options: Partial<ConstructorParameters<typeof Atrium>[0]> = {},
) =>
	new Atrium({
		apiKey: "sk-mng-faults",
		baseURL: url,
		timeout: 2_000,
		logLevel: "off",
		...options,
	});

async function outcome<T>(promise: Promise<T>) {
	const started = Date.now();
	try {
		return { value: await promise, error: undefined, ms: Date.now() - started };
	} catch (error) {
		return {
			value: undefined,
			error: error as AtriumError,
			ms: Date.now() - started,
		};
	}
}

const withAudit = (id: string, extra: Record<string, string> = {}) => ({
	...GOVERNANCE_HEADERS,
	"X-Monago-Audit-Id": id,
	...extra,
});

describe("fault injection", () => {
	it("1. connection refused: APIError after every attempt, no status", async () => {
		const server = createServer().listen(0, "127.0.0.1");
		await once(server, "listening");
		const { port } = server.address() as { port: number };
		server.close();
		await once(server, "close");
		const { error } = await outcome(
			client(`http://127.0.0.1:${port}`, {
				maxRetries: 1,
			}).chat.completions.create(BODY),
		);
		expect(error).toBeInstanceOf(APIError);
		expect(error?.status_code).toBeNull();
		expect(
			error?.attempts.map((a) => [a.attempt, a.status_code, a.error]),
		).toEqual([
			[1, null, "APIError"],
			[2, null, "APIError"],
		]);
	});

	it("2. reset before the head: retried with the same Idempotency-Key, then succeeds", async () => {
		stub = await serve((req, res, _seen, index) => {
			if (index === 0) req.socket.destroy();
			else sendJSON(res, 200, completionBody("after reset"));
		});
		const { value } = await outcome(
			client(stub.url).chat.completions.create(BODY),
		);
		expect(value?.content).toBe("after reset");
		expect(value?.attempts.map((a) => a.error)).toEqual(["APIError", null]);
		const keys = stub.requests.map((r) => r.headers["idempotency-key"]);
		expect(keys).toHaveLength(2);
		expect(keys[0]).toMatch(/^atrium-[0-9a-f-]{36}$/);
		expect(keys[1]).toBe(keys[0]);
	});

	it("3. reset in the middle of the body: retried, then succeeds", async () => {
		stub = await serve((req, res, _seen, index) => {
			if (index === 0) {
				res.writeHead(200, {
					"Content-Type": "application/json",
					"Content-Length": "500",
				});
				res.write(completionBody().slice(0, 30), () => req.socket.destroy());
			} else sendJSON(res, 200, completionBody("whole"));
		});
		const { value } = await outcome(
			client(stub.url).chat.completions.create(BODY),
		);
		expect(value?.content).toBe("whole");
		expect(stub.requests).toHaveLength(2);
	});

	it("4. truncated JSON in a complete 200: APIError with the text, not retried (the call was served)", async () => {
		stub = await serve((_req, res) =>
			sendJSON(res, 200, completionBody().slice(0, 40)),
		);
		const { error } = await outcome(
			client(stub.url).chat.completions.create(BODY),
		);
		expect(error).toBeInstanceOf(APIError);
		expect(error).toMatchObject({
			status_code: 200,
			response_body: completionBody().slice(0, 40),
		});
		expect(stub.requests).toHaveLength(1);
	});

	it("5. a non-JSON 200: APIError keeping the body and governance", async () => {
		stub = await serve((_req, res) => sendJSON(res, 200, "OK"));
		const { error } = await outcome(
			client(stub.url).chat.completions.create(BODY),
		);
		expect(error).toMatchObject({
			name: "APIError",
			response_body: "OK",
			audit_id: "audit-stub-1",
		});
	});

	it("6. a head that never comes: TimeoutError after every attempt times out", async () => {
		stub = await serve(() => {});
		const { error, ms } = await outcome(
			client(stub.url, { timeout: 100, maxRetries: 1 }).chat.completions.create(
				BODY,
			),
		);
		expect(error).toBeInstanceOf(TimeoutError);
		expect(error?.attempts.map((a) => a.error)).toEqual([
			"TimeoutError",
			"TimeoutError",
		]);
		expect(ms).toBeLessThan(2_000);
	});

	it("7. a body that stalls once: the attempt times out, the retry succeeds", async () => {
		stub = await serve((_req, res, _seen, index) => {
			if (index === 0) {
				res.writeHead(200, { "Content-Type": "application/json" });
				res.write("{");
			} else sendJSON(res, 200, completionBody("second"));
		});
		const { value } = await outcome(
			client(stub.url, { timeout: 150 }).chat.completions.create(BODY),
		);
		expect(value?.content).toBe("second");
		expect(value?.attempts.map((a) => a.error)).toEqual(["TimeoutError", null]);
	});

	it("8. a burst of 5xx: retried through, every attempt's audit id kept on the response", async () => {
		const statuses = [503, 502, 500];
		stub = await serve((_req, res, _seen, index) => {
			const status = statuses[index];
			if (status)
				sendJSON(
					res,
					status,
					'{"error":{"message":"down"}}',
					withAudit(`audit-${index}`, FAST_RETRY),
				);
			else sendJSON(res, 200, completionBody("up"), withAudit("audit-ok"));
		});
		const { value } = await outcome(
			client(stub.url, { maxRetries: 3 }).chat.completions.create(BODY),
		);
		expect(value?.content).toBe("up");
		expect(value?.governance.audit_id).toBe("audit-ok");
		expect(value?.attempts.map((a) => [a.status_code, a.audit_id])).toEqual([
			[503, "audit-0"],
			[502, "audit-1"],
			[500, "audit-2"],
			[200, "audit-ok"],
		]);
	});

	it("9. 5xx on every attempt: APIError carrying every attempt's audit id", async () => {
		stub = await serve((_req, res, _seen, index) =>
			sendJSON(
				res,
				503,
				'{"error":{"message":"unavailable"}}',
				withAudit(`audit-${index}`, FAST_RETRY),
			),
		);
		const { error } = await outcome(
			client(stub.url).chat.completions.create(BODY),
		);
		expect(error).toBeInstanceOf(APIError);
		expect(error?.audit_id).toBe("audit-2");
		expect(error?.attempts.map((a) => a.audit_id)).toEqual([
			"audit-0",
			"audit-1",
			"audit-2",
		]);
		expect(error?.toJSON().attempts).toHaveLength(3);
	});

	it.each([
		["retry-after-ms: 300", { "retry-after-ms": "300" }, 280, 1_500],
		["Retry-After: 1 (seconds)", { "retry-after": "1" }, 950, 2_500],
		[
			"Retry-After: an HTTP date 2 s ahead",
			{ "retry-after": "DATE+2" },
			900,
			3_000,
		],
		[
			"Retry-After: 120 (over 60 s, so backoff)",
			{ "retry-after": "120" },
			300,
			1_500,
		],
	])(
		"10. 429 with %s waits as told",
		async (_label, retryHeaders, atLeast, below) => {
			stub = await serve((_req, res, _seen, index) => {
				const resolved = Object.fromEntries(
					Object.entries(retryHeaders).map(([k, v]) => [
						k,
						v === "DATE+2" ? new Date(Date.now() + 2_000).toUTCString() : v,
					]),
				);
				if (index === 0)
					sendJSON(
						res,
						429,
						'{"error":{"message":"slow down"}}',
						withAudit("audit-429", resolved),
					);
				else sendJSON(res, 200, completionBody("ok"));
			});
			const { value, ms } = await outcome(
				client(stub.url).chat.completions.create(BODY),
			);
			expect(value?.content).toBe("ok");
			expect(ms).toBeGreaterThanOrEqual(atLeast);
			expect(ms).toBeLessThan(below);
		},
	);

	it("11. x-should-retry: false stops a retry the status would allow", async () => {
		stub = await serve((_req, res) =>
			sendJSON(res, 503, "{}", withAudit("a", { "x-should-retry": "false" })),
		);
		const { error } = await outcome(
			client(stub.url).chat.completions.create(BODY),
		);
		expect(error).toBeInstanceOf(APIError);
		expect(stub.requests).toHaveLength(1);
	});

	it("12. x-should-retry: true retries a status that would not be", async () => {
		stub = await serve((_req, res, _seen, index) =>
			index === 0
				? sendJSON(
						res,
						404,
						"{}",
						withAudit("a", { "x-should-retry": "true", ...FAST_RETRY }),
					)
				: sendJSON(res, 200, completionBody("found")),
		);
		const { value } = await outcome(
			client(stub.url).chat.completions.create(BODY),
		);
		expect(value?.content).toBe("found");
	});

	it("13. a block is never retried, even with x-should-retry: true", async () => {
		stub = await serve((_req, res) =>
			sendJSON(
				res,
				451,
				'{"error":{"message":"PII","code":"pii_blocked"}}',
				withAudit("audit-blk", {
					"x-should-retry": "true",
					"X-Monago-Policy-Decision": "blocked",
				}),
			),
		);
		const { error } = await outcome(
			client(stub.url, { maxRetries: 5 }).chat.completions.create(BODY),
		);
		expect(error).toBeInstanceOf(PIIBlockedError);
		expect(error?.attempts).toHaveLength(1);
		expect(stub.requests).toHaveLength(1);
	});

	it("14. 401 and 403 are never retried", async () => {
		stub = await serve((_req, res, _seen, index) =>
			sendJSON(res, index === 0 ? 401 : 403, "{}"),
		);
		const atrium = client(stub.url, { maxRetries: 5 });
		expect(
			(await outcome(atrium.chat.completions.create(BODY))).error?.name,
		).toBe("AuthError");
		expect(
			(await outcome(atrium.chat.completions.create(BODY))).error?.name,
		).toBe("AuthError");
		expect(stub.requests).toHaveLength(2);
	});

	it("15. a large header value (8 KiB) is read whole", async () => {
		const big = `audit-${"x".repeat(8_192)}`;
		stub = await serve((_req, res) =>
			sendJSON(res, 200, completionBody(), withAudit(big)),
		);
		const { value } = await outcome(
			client(stub.url).chat.completions.create(BODY),
		);
		expect(value?.governance.audit_id).toBe(big);
	});

	it("16. headers beyond the client's limit (100 KiB): APIError, no hang", async () => {
		stub = await serve((_req, res) =>
			sendJSON(res, 200, completionBody(), withAudit("x".repeat(100_000))),
		);
		const { error } = await outcome(
			client(stub.url, { maxRetries: 0 }).chat.completions.create(BODY),
		);
		expect(error).toBeInstanceOf(APIError);
		expect(error?.status_code).toBeNull();
	});

	it("17. duplicate governance headers are joined: lists merge, parsing does not throw", async () => {
		stub = await serve((_req, res) => {
			res.setHeader("Content-Type", "application/json");
			res.setHeader("X-Monago-Pii-Redacted", ["NIK", "EMAIL"]);
			res.setHeader("X-Monago-Security-Incident", [
				"prompt_injection",
				"jailbreak_attempt",
			]);
			res.setHeader("X-Monago-Latency-Ms", ["12", "13"]);
			res.end(completionBody());
		});
		const { value } = await outcome(
			client(stub.url).chat.completions.create(BODY),
		);
		expect(value?.governance).toMatchObject({
			pii_redacted: ["NIK", "EMAIL"],
			security_incidents: ["prompt_injection", "jailbreak_attempt"],
			latency_ms: null,
		});
	});

	it("18. an empty 200 body: APIError", async () => {
		stub = await serve((_req, res) => {
			res.writeHead(200, GOVERNANCE_HEADERS);
			res.end();
		});
		const { error } = await outcome(
			client(stub.url).chat.completions.create(BODY),
		);
		expect(error).toBeInstanceOf(APIError);
		expect(error?.message).toMatch(/not a JSON object/);
	});

	it("19. a gzip-encoded body is decoded", async () => {
		stub = await serve((_req, res) => {
			res.writeHead(200, {
				"Content-Type": "application/json",
				"Content-Encoding": "gzip",
				...GOVERNANCE_HEADERS,
			});
			res.end(gzipSync(completionBody("zipped")));
		});
		const { value } = await outcome(
			client(stub.url).chat.completions.create(BODY),
		);
		expect(value?.content).toBe("zipped");
	});

	it("20. a 5xx with a plain-text body from a proxy: APIError with the text", async () => {
		stub = await serve((_req, res) => {
			res.writeHead(502, { "Content-Type": "text/html" });
			res.end("<h1>502 Bad Gateway</h1>");
		});
		const { error } = await outcome(
			client(stub.url, { maxRetries: 0 }).chat.completions.create(BODY),
		);
		expect(error).toMatchObject({
			name: "APIError",
			status_code: 502,
			response_body: "<h1>502 Bad Gateway</h1>",
		});
		expect(error?.message).toBe("POST /chat/completions: 502 Gateway error");
	});
});
