/**
 * Request metadata end to end against a node:http stub on 127.0.0.1: the
 * headers the gateway receives, merging client and call metadata, limits
 * refused before sending, withOptions, and no leak between calls.
 */
import { describe, expect, it } from "vitest";
import {
	Atrium,
	type AtriumOptions,
	InvalidInputError,
	PIIBlockedError,
} from "../../src/index.js";
import {
	CHAT,
	completionBody,
	sendJSON,
	useStubs,
} from "../helpers/stub-server.js";

const serve = useStubs();

const client = (url: string, options: AtriumOptions = {}) =>
	new Atrium({
		apiKey: "sk-mng-metadata",
		baseURL: url,
		logLevel: "off",
		maxRetries: 0,
		...options,
	});

const answering = () =>
	serve((_req, res) => sendJSON(res, 200, completionBody()));

describe("request metadata", () => {
	it("reaches the gateway as headers, the call's keys over the client's, null removing one", async () => {
		const stub = await answering();
		const atrium = client(stub.url, {
			metadata: {
				user_id: "dr-123",
				session_id: "visit-9",
				department: "cardiology",
			},
		});
		const res = await atrium.chat.completions.create(CHAT, {
			metadata: { session_id: "visit-10", ticket: "T-77", department: null },
		});
		const headers = stub.requests[0]?.headers ?? {};
		expect(headers["x-monago-user-id"]).toBe("dr-123");
		expect(headers["x-monago-session-id"]).toBe("visit-10");
		expect(headers["x-monago-metadata"]).toBe('{"ticket":"T-77"}');
		expect(JSON.parse(stub.requests[0]?.body ?? "{}")).toEqual(CHAT);
		expect(res.metadata).toEqual({
			user_id: "dr-123",
			session_id: "visit-10",
			ticket: "T-77",
		});
		expect(Object.isFrozen(res.metadata)).toBe(true);

		await atrium.chat.completions.create(CHAT);
		const next = stub.requests[1]?.headers ?? {};
		expect(next["x-monago-session-id"]).toBe("visit-9");
		expect(next["x-monago-metadata"]).toBe('{"department":"cardiology"}');
	});

	it("sends no metadata header when there is none", async () => {
		const stub = await answering();
		const res = await client(stub.url).chat.completions.create(CHAT);
		const names = Object.keys(stub.requests[0]?.headers ?? {});
		expect(names.filter((n) => n.startsWith("x-monago"))).toEqual([]);
		expect(res.metadata).toEqual({});
	});

	it("carries Unicode values as \\u escapes the gateway's JSON parser reads back", async () => {
		const stub = await answering();
		await client(stub.url).chat.completions.create(CHAT, {
			metadata: { ward: "Poli Jantung — 心臓" },
		});
		const raw = stub.requests[0]?.headers["x-monago-metadata"] ?? "";
		expect(raw).toMatch(/^[\x20-\x7e]+$/);
		expect(JSON.parse(String(raw))).toEqual({ ward: "Poli Jantung — 心臓" });
	});

	it("keeps what was sent on the error of a blocked call", async () => {
		const stub = await serve((_req, res) =>
			sendJSON(res, 451, '{"error":{"message":"PII","code":"pii_blocked"}}', {
				"X-Monago-Audit-Id": "audit-blk",
			}),
		);
		const error = await client(stub.url, { metadata: { user_id: "dr-1" } })
			.chat.completions.create(CHAT, { metadata: { ticket: "T-1" } })
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(PIIBlockedError);
		expect((error as PIIBlockedError).metadata).toEqual({
			user_id: "dr-1",
			ticket: "T-1",
		});
		expect(Object.isFrozen((error as PIIBlockedError).metadata)).toBe(true);
		expect(JSON.parse(JSON.stringify(error)).metadata).toEqual({
			user_id: "dr-1",
			ticket: "T-1",
		});
	});

	it("refuses metadata over a limit before sending anything, and never retries it", async () => {
		const stub = await answering();
		const atrium = client(stub.url, { maxRetries: 2 });
		await expect(
			atrium.chat.completions.create(CHAT, {
				metadata: { user_id: "dr-Müller" },
			}),
		).rejects.toThrow(/"user_id" must be 1 to 256 printable ASCII/);
		await expect(
			atrium.chat.completions.create(CHAT, {
				metadata: { note: "x".repeat(600) },
			}),
		).rejects.toBeInstanceOf(InvalidInputError);
		const bad = client(stub.url, { metadata: { "no spaces": "x" } });
		await expect(bad.chat.completions.create(CHAT)).rejects.toThrow(
			/a key is not 1 to 64/,
		);
		expect(stub.requests).toHaveLength(0);
	});

	it("never leaks one call's metadata into another, across 1,000 concurrent calls", async () => {
		const stub = await serve((_req, res) =>
			sendJSON(res, 200, completionBody()),
		);
		const atrium = client(stub.url, { metadata: { department: "er" } });
		const results = await Promise.all(
			Array.from({ length: 1000 }, (_, i) =>
				atrium.chat.completions.create(CHAT, {
					metadata: i % 2 ? { session_id: `s-${i}`, n: String(i) } : undefined,
				}),
			),
		);
		results.forEach((res, i) => {
			expect(res.metadata).toEqual(
				i % 2
					? { department: "er", session_id: `s-${i}`, n: String(i) }
					: { department: "er" },
			);
		});
		expect(stub.requests).toHaveLength(1000);
		for (const seen of stub.requests) {
			const meta = JSON.parse(seen.headers["x-monago-metadata"] as string);
			const session = seen.headers["x-monago-session-id"];
			if (session === undefined) expect(meta).toEqual({ department: "er" });
			else
				expect(meta).toEqual({ department: "er", n: String(session).slice(2) });
		}
	}, 60_000);
});

describe("withOptions", () => {
	it("gives a new client with the options merged over this one's, leaving this one unchanged", async () => {
		const stub = await answering();
		const base = client(stub.url, {
			metadata: { user_id: "dr-123", department: "cardiology" },
			defaultHeaders: { "X-Tenant": "rs-1" },
			timeout: 30_000,
		});
		const scoped = base.withOptions({
			metadata: { session_id: "visit-10", department: null },
			defaultHeaders: { "X-Ward": "icu" },
			timeout: 5_000,
		});
		expect(scoped).not.toBe(base);
		expect(scoped.timeout).toBe(5_000);
		expect(base.timeout).toBe(30_000);
		await scoped.chat.completions.create(CHAT);
		await base.chat.completions.create(CHAT);
		const [viaScoped, viaBase] = stub.requests.map((r) => r.headers);
		expect(viaScoped?.["x-monago-user-id"]).toBe("dr-123");
		expect(viaScoped?.["x-monago-session-id"]).toBe("visit-10");
		expect(viaScoped?.["x-monago-metadata"]).toBeUndefined();
		expect(viaScoped?.["x-tenant"]).toBe("rs-1");
		expect(viaScoped?.["x-ward"]).toBe("icu");
		expect(viaBase?.["x-monago-session-id"]).toBeUndefined();
		expect(viaBase?.["x-monago-metadata"]).toBe('{"department":"cardiology"}');
		expect(viaBase?.["x-ward"]).toBeUndefined();
		expect(viaScoped?.authorization).toBe("Bearer sk-mng-metadata");
	});

	it("shares this client's fetch, runs its plugins after this client's, and closes on its own", async () => {
		const stub = await answering();
		const calls: string[] = [];
		const fetch = (url: string, init: RequestInit) => {
			calls.push(url);
			return globalThis.fetch(url, init);
		};
		const order: string[] = [];
		const base = client(stub.url, {
			fetch,
			plugins: [{ name: "base", onRequest: () => void order.push("base") }],
		});
		const scoped = base.withOptions({
			plugins: [{ name: "scoped", onRequest: () => void order.push("scoped") }],
		});
		await scoped.chat.completions.create(CHAT);
		expect(calls).toHaveLength(1);
		expect(order).toEqual(["base", "scoped"]);
		await scoped.close();
		await expect(scoped.chat.completions.create(CHAT)).rejects.toThrow(
			/closed/,
		);
		await base.chat.completions.create(CHAT);
		expect(calls).toHaveLength(2);
	});

	it("refuses bad overrides with InvalidInputError", () => {
		const base = client("http://127.0.0.1:9");
		expect(() => base.withOptions(null as never)).toThrow(InvalidInputError);
		expect(() => base.withOptions({ timeout: -1 })).toThrow(/timeout/);
	});
});
