import { inspect } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
	AbortError,
	AsyncAtrium,
	Atrium,
	AuthError,
	InvalidInputError,
} from "../../src/index.js";
import { type ChoiceInit, mockGateway, reply } from "../../src/testing.js";

const KEY = "sk-mng-client-unit-0001";

/**
 * The test kit's gateway answering every call with one completion, and what
 * each call sent (`calls`, headers lower-cased, the body parsed).
 */
function recordingFetch(content: string | null = "hi", choices?: ChoiceInit[]) {
	const gateway = mockGateway(
		reply.completion(choices ? { choices } : { content }, {
			governance: { audit_id: "a-1" },
		}),
	);
	return { fetch: gateway.fetch, requests: gateway.calls };
}

const BODY = {
	model: "gpt-5.4-mini",
	messages: [{ role: "user" as const, content: "hello" }],
};

afterEach(() => {
	vi.unstubAllEnvs();
});

describe("API key resolution", () => {
	it("prefers the explicit option, then ATRIUM_API_KEY, then MONAGO_API_KEY", async () => {
		vi.stubEnv("ATRIUM_API_KEY", "sk-mng-from-atrium-env");
		vi.stubEnv("MONAGO_API_KEY", "sk-mng-from-monago-env");
		const sent = async (options: ConstructorParameters<typeof Atrium>[0]) => {
			const { fetch, requests } = recordingFetch();
			await new Atrium({ ...options, fetch }).chat.completions.create(BODY);
			return requests[0]?.headers.authorization;
		};
		expect(await sent({ apiKey: KEY })).toBe(`Bearer ${KEY}`);
		expect(await sent({})).toBe("Bearer sk-mng-from-atrium-env");
		vi.stubEnv("ATRIUM_API_KEY", "");
		expect(await sent({})).toBe("Bearer sk-mng-from-monago-env");
	});

	it("throws AuthError naming ATRIUM_API_KEY when no key is found", () => {
		vi.stubEnv("ATRIUM_API_KEY", "");
		vi.stubEnv("MONAGO_API_KEY", "");
		expect(() => new Atrium()).toThrow(AuthError);
		expect(() => new Atrium()).toThrow(/ATRIUM_API_KEY/);
		expect(() => new Atrium({ apiKey: "" })).toThrow(AuthError);
	});
});

describe("options", () => {
	it("has documented defaults", () => {
		const client = new Atrium({ apiKey: KEY });
		expect(client.toJSON()).toEqual({
			baseURL: "https://api.monago.io/v1",
			timeout: 60_000,
			maxRetries: 2,
		});
	});

	it("reads ATRIUM_BASE_URL, and the option wins over it", () => {
		vi.stubEnv("ATRIUM_BASE_URL", "http://127.0.0.1:9/v1/");
		expect(new Atrium({ apiKey: KEY }).baseURL).toBe("http://127.0.0.1:9/v1");
		expect(
			new Atrium({ apiKey: KEY, baseURL: "https://gw.example.org/v1" }).baseURL,
		).toBe("https://gw.example.org/v1");
	});

	it.each([
		[
			{ timeout: -1 },
			/timeout must be a whole number from 1 to 2147483647, got -1/,
		],
		[
			{ timeout: Number.NaN },
			/timeout must be a whole number from 1 to 2147483647, got NaN/,
		],
		[{ timeout: "60" }, /timeout must be a whole number .*, got a string/],
		[
			{ timeout: 2 ** 31 },
			/timeout must be a whole number from 1 to 2147483647/,
		],
		[
			{ streamIdleTimeout: 0 },
			/streamIdleTimeout must be a whole number from 1/,
		],
		[
			{ maxResponseBytes: 0.5 },
			/maxResponseBytes must be a whole number from 1/,
		],
		[{ maxRetries: 1.5 }, /maxRetries must be a whole number from 0/],
		[{ maxRetries: -1 }, /maxRetries must be a whole number from 0/],
		[{ baseURL: "api.monago.io" }, /baseURL must be an http\(s\) URL/],
		[{ baseURL: "ftp://api.monago.io" }, /baseURL must be an http\(s\) URL/],
		[
			{ defaultHeaders: { "X-A": 1 } },
			/defaultHeaders\["X-A"\] must be a string/,
		],
		[{ defaultHeaders: "x" }, /defaultHeaders must be an object/],
		[{ fetch: "no" }, /fetch must be a function/],
	])(
		"refuses %j with InvalidInputError saying what to fix",
		(options, message) => {
			const make = () => new Atrium({ apiKey: KEY, ...(options as object) });
			expect(make).toThrow(InvalidInputError);
			expect(make).toThrow(message);
		},
	);

	it("accepts maxRetries 0 for a single attempt", () => {
		expect(new Atrium({ apiKey: KEY, maxRetries: 0 }).maxRetries).toBe(0);
	});

	it("exports AsyncAtrium as the same class", () => {
		expect(AsyncAtrium).toBe(Atrium);
	});
});

describe("the key stays secret", () => {
	it("does not show in util.inspect, JSON.stringify or String of the client", () => {
		const client = new Atrium({
			apiKey: KEY,
			defaultHeaders: { "X-Team": "a" },
		});
		for (const shown of [
			inspect(client, { depth: 10, showHidden: true }),
			JSON.stringify(client),
			String(client),
			inspect(client.chat, { depth: 10, showHidden: true }),
		]) {
			expect(shown).not.toContain(KEY);
		}
		expect(inspect(client)).toContain("https://api.monago.io/v1");
	});
});

describe("chat.completions.create", () => {
	it("posts the body as JSON to {baseURL}/chat/completions with the bearer key", async () => {
		const { fetch, requests } = recordingFetch();
		await new Atrium({
			apiKey: KEY,
			baseURL: "https://gw.test/v1/",
			fetch,
		}).chat.completions.create(BODY);
		const request = requests[0];
		expect(request?.method).toBe("POST");
		expect(request?.url).toBe("https://gw.test/v1/chat/completions");
		expect(request?.headers["content-type"]).toBe("application/json");
		expect(request?.headers.authorization).toBe(`Bearer ${KEY}`);
		expect(request?.body).toEqual(BODY);
	});

	it("returns the body untouched with content and governance", async () => {
		const { fetch } = recordingFetch("answer");
		const res = await new Atrium({
			apiKey: KEY,
			fetch,
		}).chat.completions.create(BODY);
		expect(res.content).toBe("answer");
		expect(res.choices[0]?.finish_reason).toBe("stop");
		expect(res.usage.total_tokens).toBeGreaterThan(0);
		expect(res.governance.audit_id).toBe("a-1");
	});

	it.each([
		["null content", null, undefined],
		["no choices", "x", []],
	])("gives content '' for %s", async (_label, content, choices) => {
		const { fetch } = recordingFetch(content, choices);
		expect(
			(await new Atrium({ apiKey: KEY, fetch }).chat.completions.create(BODY))
				.content,
		).toBe("");
	});

	it("sends per-call headers on that call only, merged over the defaults", async () => {
		const { fetch, requests } = recordingFetch();
		const client = new Atrium({
			apiKey: KEY,
			fetch,
			defaultHeaders: { "X-Team": "default", "X-Keep": "k" },
		});
		await client.chat.completions.create(BODY, {
			headers: { "X-Team": "call" },
		});
		await client.chat.completions.create(BODY);
		expect(
			requests.map((r) => [r.headers["x-team"], r.headers["x-keep"]]),
		).toEqual([
			["call", "k"],
			["default", "k"],
		]);
	});

	it.each([
		[null, /create needs `model`/],
		[[], /create needs `model`/],
		[
			{ messages: [{ role: "user", content: "x" }] },
			/`model` \(a non-empty string\)/,
		],
		[
			{ model: "", messages: [{ role: "user", content: "x" }] },
			/`model` \(a non-empty string\)/,
		],
		[
			{ model: 7, messages: [{ role: "user", content: "x" }] },
			/`model` \(a non-empty string\)/,
		],
		[{ model: "m" }, /`messages` \(a non-empty array\)/],
		[{ model: "m", messages: [] }, /`messages` \(a non-empty array\)/],
		[{ model: "m", messages: "hi" }, /`messages` \(a non-empty array\)/],
	])("refuses the body %j before sending anything", async (body, message) => {
		const { fetch, requests } = recordingFetch();
		const create = new Atrium({ apiKey: KEY, fetch }).chat.completions.create(
			body as never,
		);
		await expect(create).rejects.toThrow(InvalidInputError);
		await expect(create).rejects.toThrow(message);
		expect(requests).toHaveLength(0);
	});

	it("refuses a bad per-call timeout or headers", async () => {
		const { fetch } = recordingFetch();
		const client = new Atrium({ apiKey: KEY, fetch });
		await expect(
			client.chat.completions.create(BODY, { timeout: 0 }),
		).rejects.toThrow(/timeout must be/);
		await expect(
			client.chat.completions.create(BODY, { headers: { a: 1 } as never }),
		).rejects.toThrow(/headers\["a"\]/);
	});
});

describe("close", () => {
	it("refuses calls after close, and await using closes at the end of the scope", async () => {
		const { fetch, requests } = recordingFetch();
		let kept: Atrium | undefined;
		{
			await using client = new Atrium({ apiKey: KEY, fetch });
			kept = client;
			await client.chat.completions.create(BODY);
		}
		// Refused before anything is sent, as an abort.
		const error = await kept.chat.completions.create(BODY).catch((e) => e);
		expect(error).toBeInstanceOf(AbortError);
		expect(error.message).toBe("The Atrium client was closed");
		expect(requests).toHaveLength(1);
	});
});
