/**
 * mockGateway: the three forms of a script, what it records of each call,
 * running out of replies, reset(), and the fetch contract (a Request as
 * input, an aborted signal).
 */
import { describe, expect, it } from "vitest";
import { Atrium, type AtriumOptions } from "../../src/index.js";
import { mockGateway, type Reply, reply } from "../../src/testing.js";

const BODY = {
	model: "gpt-5.4-mini",
	messages: [{ role: "user" as const, content: "hello" }],
};
const URL_ = "https://api.monago.io/v1/chat/completions";

function client(fetch: AtriumOptions["fetch"], options: AtriumOptions = {}) {
	return new Atrium({ apiKey: "sk-mng-kit", fetch, maxRetries: 0, ...options });
}

describe("the script", () => {
	it("an array answers call n with the nth reply", async () => {
		const gateway = mockGateway([
			reply.completion("one"),
			reply.completion("two"),
		]);
		const atrium = client(gateway.fetch);
		const first = await atrium.chat.completions.create(BODY);
		const second = await atrium.chat.completions.create(BODY);
		expect([first.content, second.content]).toEqual(["one", "two"]);
	});

	it("running out is an error that says which call asked and how many replies were scripted", async () => {
		const gateway = mockGateway([
			reply.completion("one"),
			reply.completion("two"),
		]);
		const atrium = client(gateway.fetch);
		await atrium.chat.completions.create(BODY);
		await atrium.chat.completions.create(BODY);
		const error = await atrium.chat.completions
			.create(BODY)
			.catch((e: unknown) => e);
		expect(error).toMatchObject({ name: "APIError", status_code: null });
		expect((error as Error).message).toContain(
			"mockGateway: call 3 asked for a reply, but only 2 replies were scripted",
		);
		await expect(
			gateway.fetch(URL_, { method: "POST", body: "{}" }),
		).rejects.toThrow(
			"mockGateway: call 4 asked for a reply, but only 2 replies were scripted",
		);
		await expect(mockGateway([]).fetch(URL_)).rejects.toThrow(
			"call 1 asked for a reply, but only 0 replies were scripted",
		);
	});

	it("a single reply answers every call", async () => {
		const gateway = mockGateway(reply.completion("always"));
		const atrium = client(gateway.fetch);
		for (let n = 0; n < 3; n++)
			expect((await atrium.chat.completions.create(BODY)).content).toBe(
				"always",
			);
		expect(gateway.calls).toHaveLength(3);
	});

	it("a function gets each call and its index, and may answer by what was sent", async () => {
		const seen: number[] = [];
		const gateway = mockGateway(async (call, index) => {
			seen.push(index);
			const text = call.body?.messages[0]?.content;
			return text === "NIK 3201"
				? reply.block("pii")
				: reply.completion(`echo ${text}`);
		});
		const atrium = client(gateway.fetch);
		const ok = await atrium.chat.completions.create(BODY);
		expect(ok.content).toBe("echo hello");
		await expect(
			atrium.chat.completions.create({
				...BODY,
				messages: [{ role: "user", content: "NIK 3201" }],
			}),
		).rejects.toMatchObject({ name: "PIIBlockedError" });
		expect(seen).toEqual([0, 1]);
	});

	it("a function that returns no reply fails that call with a message that says so", async () => {
		const gateway = mockGateway(() => "nope" as unknown as Reply);
		await expect(gateway.fetch(URL_)).rejects.toThrow(
			"mockGateway: the reply function returned no reply for call 1",
		);
	});

	it("refuses a script that is not made of replies, naming the bad entry", () => {
		expect(() => mockGateway([reply.completion("ok"), {} as Reply])).toThrow(
			"mockGateway: replies[1] is not a reply",
		);
		expect(() => mockGateway("hello" as unknown as Reply)).toThrow(TypeError);
	});

	it("takes a reply of your own: anything with respond(exchange)", async () => {
		const teapot: Reply = {
			description: "teapot",
			respond: ({ index }) => new Response(`teapot ${index}`, { status: 418 }),
		};
		const error = await client(mockGateway(teapot).fetch)
			.chat.completions.create(BODY)
			.catch((e: unknown) => e);
		expect(error).toMatchObject({
			name: "AtriumError",
			status_code: 418,
			response_body: "teapot 0",
		});
	});

	it("reset() forgets the calls and starts the script again", async () => {
		const gateway = mockGateway([
			reply.completion("one"),
			reply.completion("two"),
		]);
		const atrium = client(gateway.fetch);
		await atrium.chat.completions.create(BODY);
		const calls = gateway.calls;
		gateway.reset();
		expect(gateway.calls).toHaveLength(0);
		expect(calls).toBe(gateway.calls); // the same array, emptied
		const again = await atrium.chat.completions.create(BODY);
		expect(again.content).toBe("one");
		expect(again.governance.audit_id).toBe("audit-mock-1");
		expect(gateway.calls).toHaveLength(1);
	});
});

describe("what it records", () => {
	it("method, URL, headers lower-cased, the parsed body and its text", async () => {
		const gateway = mockGateway(reply.completion("ok"));
		const atrium = client(gateway.fetch, {
			baseURL: "https://gateway.test/v1",
			defaultHeaders: { "X-Team": "paru" },
		});
		await atrium.chat.completions.create(BODY, {
			metadata: { user_id: "dr-rina", ward: "paru" },
		});
		const [call] = gateway.calls;
		expect(call?.metadata).toEqual({ user_id: "dr-rina", ward: "paru" });
		expect(call?.method).toBe("POST");
		expect(call?.url).toBe("https://gateway.test/v1/chat/completions");
		expect(call?.headers).toMatchObject({
			authorization: "Bearer sk-mng-kit",
			"content-type": "application/json",
			"x-team": "paru",
			"x-monago-user-id": "dr-rina",
		});
		expect(call?.body).toEqual(BODY);
		expect(call?.text).toBe(JSON.stringify(BODY));
		expect(Object.isFrozen(call)).toBe(true);
	});

	it("metadata as the gateway reads it: user_id, session_id and the X-Monago-Metadata fields", async () => {
		const gateway = mockGateway(reply.completion("ok"));
		await gateway.fetch(URL_, {
			method: "POST",
			headers: {
				"X-Monago-User-Id": "dr-rina",
				"X-Monago-Session-Id": "visit-42",
				// A hostile key: JSON.parse makes "__proto__" an own key, and so must the record.
				"X-Monago-Metadata":
					'{"ward":"paru","count":3,"__proto__":"plain key"}',
			},
			body: "{}",
		});
		const metadata = gateway.calls[0]?.metadata ?? {};
		expect(Object.keys(metadata).sort()).toEqual([
			"__proto__",
			"session_id",
			"user_id",
			"ward",
		]);
		expect(metadata).toMatchObject({
			user_id: "dr-rina",
			session_id: "visit-42",
			ward: "paru",
		});
		expect(Object.getOwnPropertyDescriptor(metadata, "__proto__")?.value).toBe(
			"plain key",
		);
		expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
	});

	it("takes a Request as input, like any fetch", async () => {
		const gateway = mockGateway(reply.completion("ok"));
		const request = new Request(URL_, {
			method: "POST",
			headers: { "X-Monago-Session-Id": "visit-42" },
			body: JSON.stringify(BODY),
		});
		const response = await gateway.fetch(request);
		expect(response.status).toBe(200);
		expect(gateway.calls[0]).toMatchObject({
			method: "POST",
			url: URL_,
			body: BODY,
			metadata: { session_id: "visit-42" },
		});
		expect(await request.text()).toBe(JSON.stringify(BODY)); // the caller's request is left unread
	});

	it("reads a body that is not a string, and keeps a body that is not JSON as text only", async () => {
		const gateway = mockGateway(reply.completion("ok"));
		await gateway.fetch(URL_, {
			method: "POST",
			body: new Blob([JSON.stringify(BODY)]),
		});
		await gateway.fetch(URL_, { method: "POST", body: "not json" });
		await gateway.fetch(URL_);
		expect(
			gateway.calls.map((call) => [call.method, call.body, call.text]),
		).toEqual([
			["POST", BODY, JSON.stringify(BODY)],
			["POST", undefined, "not json"],
			["GET", undefined, ""],
		]);
	});

	it("an aborted request is never sent: it rejects with the reason, and uses no reply", async () => {
		const gateway = mockGateway([reply.completion("one")]);
		const reason = new Error("gone");
		await expect(
			gateway.fetch(URL_, { signal: AbortSignal.abort(reason) }),
		).rejects.toBe(reason);
		expect(gateway.calls).toHaveLength(0);
		expect(
			(await (await gateway.fetch(URL_)).json()).choices[0].message.content,
		).toBe("one");
	});

	it("timeout() rejects with the signal's reason when it aborts, and keeps waiting until then", async () => {
		const gateway = mockGateway(reply.timeout());
		const controller = new AbortController();
		let settled = false;
		const pending = gateway
			.fetch(URL_, { signal: controller.signal })
			.finally(() => {
				settled = true;
			});
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect(settled).toBe(false);
		const reason = new Error("stop waiting");
		controller.abort(reason);
		await expect(pending).rejects.toBe(reason);
	});
});

describe("builders refuse bad input when the test builds them", () => {
	const CASES: ReadonlyArray<readonly [string, () => unknown, RegExp]> = [
		[
			"an unknown block kind",
			() => reply.block("gdpr" as "pii"),
			/kind must be one of pii, security, model, policy/,
		],
		[
			"a block status that is no block",
			() => reply.block("pii", { status: 403 as 400 }),
			/status must be 400, 422 or 451/,
		],
		[
			"a server error that is not 5xx",
			() => reply.serverError(404),
			/status must be 500 to 599/,
		],
		[
			"an auth error that is not 401/403",
			() => reply.authError({ status: 400 as 401 }),
			/401 or 403/,
		],
		[
			"a negative wait",
			() => reply.rateLimit({ retryAfterMs: -1 }),
			/retryAfterMs must be milliseconds >= 0/,
		],
		[
			"a header value with a line break",
			() => reply.completion("x", { governance: { block_reason: "a\nb" } }),
			/not a valid header value/,
		],
		[
			"tool calls without a name",
			() => reply.toolCalls([{ name: "" }]),
			/needs a name/,
		],
		["no tool calls", () => reply.toolCalls([]), /at least one/],
		[
			"two ways to end a stream",
			() => reply.stream("x", { blockAfter: 1, errorAfter: 1 }),
			/one of blockAfter/,
		],
		[
			"a stream chunk that is neither text nor an object",
			() => reply.stream([1 as never]),
			/an array of texts and chunk objects/,
		],
		[
			"a fractional chunk count",
			() => reply.stream("x", { blockAfter: 1.5 }),
			/whole number/,
		],
	];
	for (const [what, build, message] of CASES) {
		it(`${what}`, () => {
			expect(build).toThrow(message);
		});
	}
});
