import { once } from "node:events";
import { createServer } from "node:net";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
	AbortError,
	APIError,
	Atrium,
	isAPIError,
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

const KEY = "sk-mng-integration-secret-7";
const BODY = CHAT;

let stub: Stub | undefined;
const serve = useStubs();

const client = (
	url: string,
	options: Partial<ConstructorParameters<typeof Atrium>[0]> = {},
) => new Atrium({ apiKey: KEY, baseURL: url, maxRetries: 0, ...options });

async function closedPort(): Promise<number> {
	const server = createServer().listen(0, "127.0.0.1");
	await once(server, "listening");
	const { port } = server.address() as { port: number };
	server.close();
	await once(server, "close");
	return port;
}

describe("against a node:http gateway stub", () => {
	it("returns the completion with the governance headers of the response", async () => {
		stub = await serve((_req, res) =>
			sendJSON(res, 200, completionBody("from stub")),
		);
		const res = await client(stub.url).chat.completions.create(BODY);
		expect(res.content).toBe("from stub");
		expect(res.governance).toMatchObject({
			audit_id: "audit-stub-1",
			provider: "openai",
			latency_ms: 12,
			cost_idr: 3.5,
			blocked: false,
		});
		expect(stub.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
		expect(JSON.parse(stub.requests[0]?.body ?? "")).toEqual(BODY);
	});

	it("fails with APIError and no status when the connection is refused", async () => {
		const port = await closedPort();
		const error = await client(`http://127.0.0.1:${port}`)
			.chat.completions.create(BODY)
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(APIError);
		expect(error).toMatchObject({ status_code: null, audit_id: null });
		expect((error as Error).message).toMatch(
			/^POST http:\/\/127\.0\.0\.1:\d+\/chat\/completions: connection failed/,
		);
		expect((error as Error).message).toContain("ECONNREFUSED");
	});

	it("fails with APIError when the connection is reset before the head", async () => {
		stub = await serve((req) => {
			req.socket.destroy();
		});
		await expect(
			client(stub.url).chat.completions.create(BODY),
		).rejects.toThrow(APIError);
	});

	it("fails with APIError keeping status, text and governance when a 200 body is not JSON", async () => {
		stub = await serve((_req, res) =>
			sendJSON(res, 200, "<html>proxy login</html>"),
		);
		const error = await client(stub.url)
			.chat.completions.create(BODY)
			.catch((e: unknown) => e);
		expect(isAPIError(error)).toBe(true);
		expect(error).toMatchObject({
			status_code: 200,
			response_body: "<html>proxy login</html>",
			audit_id: "audit-stub-1",
		});
	});

	it("fails with APIError when a 200 body is empty", async () => {
		stub = await serve((_req, res) => sendJSON(res, 200, ""));
		await expect(
			client(stub.url).chat.completions.create(BODY),
		).rejects.toThrow(/not a JSON object/);
	});

	it("times out with TimeoutError when the head is slow", async () => {
		stub = await serve(async (_req, res) => {
			await new Promise((resolve) => setTimeout(resolve, 2_000));
			sendJSON(res, 200, completionBody());
		});
		const started = Date.now();
		const error = await client(stub.url, { timeout: 150 })
			.chat.completions.create(BODY)
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(TimeoutError);
		expect((error as Error).message).toBe(
			"POST /chat/completions: timed out after 150 ms",
		);
		expect(Date.now() - started).toBeLessThan(1_500);
	});

	it("times out with TimeoutError when the body is slow: the timeout covers the whole call", async () => {
		stub = await serve((_req, res) => {
			res.writeHead(200, {
				"Content-Type": "application/json",
				...GOVERNANCE_HEADERS,
			});
			res.write(completionBody().slice(0, 20));
			// the rest never comes
		});
		const error = await client(stub.url, { timeout: 200 })
			.chat.completions.create(BODY)
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(TimeoutError);
	});

	it("uses the per-call timeout over the client's", async () => {
		stub = await serve(async (_req, res) => {
			await new Promise((resolve) => setTimeout(resolve, 1_000));
			sendJSON(res, 200, completionBody());
		});
		await expect(
			client(stub.url, { timeout: 30_000 }).chat.completions.create(BODY, {
				timeout: 100,
			}),
		).rejects.toThrow(TimeoutError);
	});

	it("rejects with AbortError, not TimeoutError, when the caller aborts", async () => {
		stub = await serve(() => {
			// never answers
		});
		const controller = new AbortController();
		const pending = client(stub.url).chat.completions.create(BODY, {
			signal: controller.signal,
		});
		setTimeout(() => controller.abort(), 50);
		const error = await pending.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(AbortError);
		expect(error).not.toBeInstanceOf(TimeoutError);
	});

	it("rejects at once with AbortError and sends nothing when the signal is already aborted", async () => {
		stub = await serve((_req, res) => sendJSON(res, 200, completionBody()));
		await expect(
			client(stub.url).chat.completions.create(BODY, {
				signal: AbortSignal.abort(),
			}),
		).rejects.toThrow(AbortError);
		expect(stub.requests).toHaveLength(0);
	});

	it("aborts calls in flight when the client is closed", async () => {
		stub = await serve(() => {
			// never answers
		});
		const atrium = client(stub.url);
		const pending = atrium.chat.completions.create(BODY);
		await new Promise((resolve) => setTimeout(resolve, 50));
		await atrium.close();
		await expect(pending).rejects.toThrow(AbortError);
	});

	it("keeps the key out of an error whose body echoes it", async () => {
		stub = await serve((req, res) =>
			sendJSON(
				res,
				401,
				JSON.stringify({
					error: {
						message: `Invalid key ${req.headers.authorization}`,
						code: "invalid_api_key",
					},
				}),
			),
		);
		const error = await client(stub.url)
			.chat.completions.create(BODY)
			.catch((e: unknown) => e);
		const shown = [
			inspect(error, { depth: 10, showHidden: true }),
			JSON.stringify(error),
			String((error as Error).stack),
		].join("\n");
		expect(shown).toContain("Invalid key Bearer [redacted]");
		expect(shown).not.toContain(KEY);
	});
});
