/**
 * Every reply builder of the test kit, through the real client: the SDK's
 * own parsing, error mapping and retries run on the kit's wire responses.
 */
import { describe, expect, it } from "vitest";
import {
	Atrium,
	type AtriumError,
	type AtriumOptions,
	isAtriumError,
} from "../../src/index.js";
import { mockGateway, type Reply, reply } from "../../src/testing.js";

const BODY = {
	model: "gpt-5.4-mini",
	messages: [{ role: "user" as const, content: "Pasien NIK 3201 batuk" }],
};

function clientFor(replies: Reply | Reply[], options: AtriumOptions = {}) {
	const gateway = mockGateway(replies);
	const client = new Atrium({
		apiKey: "test",
		fetch: gateway.fetch,
		maxRetries: 0,
		...options,
	});
	return { gateway, client };
}

async function failure(replies: Reply | Reply[], options?: AtriumOptions) {
	const { client } = clientFor(replies, options);
	const error: unknown = await client.chat.completions.create(BODY).then(
		() => null,
		(thrown: unknown) => thrown,
	);
	if (!isAtriumError(error))
		throw new Error(`expected an AtriumError, got ${error}`);
	return error as AtriumError;
}

describe("allowed replies", () => {
	it("completion: the text, the request's model, usage, and governance that looks real", async () => {
		const { client } = clientFor(
			reply.completion("Pasien dirujuk ke poli paru."),
		);
		const res = await client.chat.completions.create({
			...BODY,
			model: "gpt-5.4",
		});
		expect(res.content).toBe("Pasien dirujuk ke poli paru.");
		expect(res.model).toBe("gpt-5.4");
		expect(res.choices[0]?.finish_reason).toBe("stop");
		expect(res.usage.total_tokens).toBe(
			res.usage.prompt_tokens + res.usage.completion_tokens,
		);
		expect(res.usage.completion_tokens).toBeGreaterThan(0);
		expect(res.governance).toEqual({
			audit_id: "audit-mock-1",
			pii_detected: false,
			pii_redacted: [],
			policy_decision: "allowed",
			provider: "openai",
			latency_ms: 412.5,
			cost_idr: 87.25,
			security_incidents: [],
			block_reason: null,
			blocked: false,
		});
	});

	it("completion: governance overrides field by field, null sends the header empty", async () => {
		const { client } = clientFor(
			reply.completion("ok", {
				governance: { pii_redacted: ["NIK"], cost_idr: 12.5, provider: null },
				headers: { "x-request-id": "req-1" },
			}),
		);
		const { data, response } = await client.chat.completions
			.create(BODY)
			.withResponse();
		expect(data.governance).toMatchObject({
			pii_redacted: ["NIK"],
			cost_idr: 12.5,
			provider: null,
			policy_decision: "allowed",
		});
		expect(response.headers.get("x-monago-provider")).toBe("");
		expect(response.headers.get("x-request-id")).toBe("req-1");
	});

	it("completion: the body fields you give are sent as given", async () => {
		const usage = {
			prompt_tokens: 21,
			completion_tokens: 14,
			total_tokens: 35,
		};
		const choices = [
			{
				index: 0,
				message: { role: "assistant" as const, content: "satu" },
				finish_reason: "length" as const,
			},
			{
				index: 1,
				message: { role: "assistant" as const, content: "dua" },
				finish_reason: "stop" as const,
			},
		];
		const { client } = clientFor(
			reply.completion({
				id: "chatcmpl-own",
				choices,
				usage,
				system_fingerprint: "fp-1",
			}),
		);
		const res = await client.chat.completions.create(BODY);
		expect(res).toMatchObject({
			id: "chatcmpl-own",
			choices,
			usage,
			system_fingerprint: "fp-1",
			content: "satu",
		});
	});

	it("an audit id per call: audit-mock-1, audit-mock-2, ...", async () => {
		const { client } = clientFor(reply.completion("ok"));
		const ids = [];
		for (let n = 0; n < 3; n++)
			ids.push(
				(await client.chat.completions.create(BODY)).governance.audit_id,
			);
		expect(ids).toEqual(["audit-mock-1", "audit-mock-2", "audit-mock-3"]);
	});

	it("redacted: allowed, with the redacted PII types", async () => {
		const { client } = clientFor(
			reply.redacted("Pasien [NIK] batuk.", { pii: ["NIK", "EMAIL"] }),
		);
		const res = await client.chat.completions.create(BODY);
		expect(res.content).toBe("Pasien [NIK] batuk.");
		expect(res.governance).toMatchObject({
			pii_detected: true,
			pii_redacted: ["NIK", "EMAIL"],
			policy_decision: "redacted",
			blocked: false,
		});
	});

	it("toolCalls: an assistant message with tool calls, arguments as JSON text", async () => {
		const { client } = clientFor(
			reply.toolCalls([
				{ name: "lookup_patient", arguments: { id: "P-1" } },
				{ name: "schedule", arguments: '{"day":"senin"}', id: "call_own" },
			]),
		);
		const res = await client.chat.completions.create(BODY);
		expect(res.choices[0]?.finish_reason).toBe("tool_calls");
		expect(res.choices[0]?.message.content).toBeNull();
		expect(res.choices[0]?.message.tool_calls).toEqual([
			{
				id: "call_mock_1_1",
				type: "function",
				function: { name: "lookup_patient", arguments: '{"id":"P-1"}' },
			},
			{
				id: "call_own",
				type: "function",
				function: { name: "schedule", arguments: '{"day":"senin"}' },
			},
		]);
	});

	it("answers a streaming request to a completion, redaction or tool calls as a stream", async () => {
		const { client } = clientFor([
			reply.redacted("Batuk dua minggu.", { pii: ["NIK"] }),
			reply.toolCalls([{ name: "lookup_patient", arguments: { id: "P-1" } }]),
		]);
		const stream = await client.chat.completions.create({
			...BODY,
			stream: true,
		});
		expect(stream.governance.policy_decision).toBe("redacted");
		const done = await stream.finalCompletion();
		expect(done.content).toBe("Batuk dua minggu.");
		expect(done.usage.total_tokens).toBeGreaterThan(0); // the SDK asks for usage
		const tools = await client.chat.completions.create({
			...BODY,
			stream: true,
		});
		const called = await tools.finalCompletion();
		expect(called.choices[0]?.finish_reason).toBe("tool_calls");
		expect(called.choices[0]?.message.tool_calls?.[0]).toMatchObject({
			type: "function",
		});
		expect(
			(called.choices[0]?.message.tool_calls?.[0] as { function?: unknown })
				?.function,
		).toEqual({
			name: "lookup_patient",
			arguments: '{"id":"P-1"}',
		});
	});
});

const BLOCKS = [
	[
		"pii",
		"PIIBlockedError",
		"pii_blocked",
		{
			pii_detected: true,
			pii_redacted: ["NIK"],
			block_reason: "PII detected: NIK",
		},
	],
	[
		"security",
		"SecurityBlockedError",
		"security_block",
		{ security_incidents: ["prompt_injection"] },
	],
	["model", "ModelNotAllowedError", "model_not_allowed", {}],
	["policy", "PolicyBlockedError", "policy_blocked", {}],
] as const;

describe("blocks", () => {
	for (const [kind, name, code, governance] of BLOCKS) {
		for (const status of [400, 422, 451] as const) {
			it(`block("${kind}") at ${status} is a ${name} with the audit trail`, async () => {
				const error = await failure(reply.block(kind, { status }));
				expect(error.name).toBe(name);
				expect(error).toMatchObject({
					status_code: status,
					code,
					audit_id: "audit-mock-1",
					policy_decision: "blocked",
				});
				expect(error.governance).toMatchObject({
					...governance,
					blocked: true,
					provider: null,
					cost_idr: 0,
				});
				expect(error.block_reason).toBeTruthy();
			});
		}
	}

	it("takes the block reason, audit id, message and code you give", async () => {
		const error = await failure(
			reply.block("pii", {
				block_reason: "PII detected: EMAIL",
				audit_id: "audit-blk-1",
				message: "Email in prompt",
				governance: { pii_redacted: ["EMAIL"] },
			}),
		);
		expect(error).toMatchObject({
			name: "PIIBlockedError",
			audit_id: "audit-blk-1",
			block_reason: "PII detected: EMAIL",
		});
		expect(error.message).toBe("POST /chat/completions: 400 Email in prompt");
		expect(error.governance.pii_redacted).toEqual(["EMAIL"]);
	});

	it("is not retried", async () => {
		const { client, gateway } = clientFor(reply.block("security"), {
			maxRetries: 2,
		});
		await expect(client.chat.completions.create(BODY)).rejects.toMatchObject({
			name: "SecurityBlockedError",
		});
		expect(gateway.calls).toHaveLength(1);
	});
});

describe("other errors", () => {
	const CASES: ReadonlyArray<
		readonly [string, () => Reply, string, number | null, string | null]
	> = [
		[
			"invalidRequest()",
			() => reply.invalidRequest(),
			"AtriumError",
			400,
			"invalid_request",
		],
		[
			"rateLimit()",
			() => reply.rateLimit(),
			"RateLimitError",
			429,
			"rate_limit_exceeded",
		],
		[
			"serverError()",
			() => reply.serverError(),
			"APIError",
			500,
			"internal_error",
		],
		[
			"serverError(503)",
			() => reply.serverError(503),
			"APIError",
			503,
			"provider_unavailable",
		],
		[
			"serverError(502)",
			() => reply.serverError(502),
			"APIError",
			502,
			"internal_error",
		],
		[
			"authError()",
			() => reply.authError(),
			"AuthError",
			401,
			"invalid_api_key",
		],
		[
			"authError({ status: 403 })",
			() => reply.authError({ status: 403 }),
			"AuthError",
			403,
			"forbidden",
		],
		["networkError()", () => reply.networkError(), "APIError", null, null],
	];
	for (const [what, build, name, status, code] of CASES) {
		it(`${what} is a ${name} (${status ?? "no response"})`, async () => {
			const error = await failure(build());
			expect(error.name).toBe(name);
			expect(error).toMatchObject({ status_code: status, code });
			expect(error.governance.blocked).toBe(false);
			if (status !== null) expect(error.audit_id).toBe("audit-mock-1");
		});
	}

	it("invalidRequest(message) is never a block", async () => {
		const error = await failure(
			reply.invalidRequest("messages must not be empty"),
		);
		expect(error.message).toBe(
			"POST https://api.monago.io/v1/chat/completions: 400 messages must not be empty",
		);
		expect(error.policy_decision).toBeNull();
	});

	it("networkError() looks like undici's: fetch failed, with the system error code", async () => {
		const error = await failure(reply.networkError({ code: "ECONNRESET" }));
		expect(error.message).toBe(
			"POST https://api.monago.io/v1/chat/completions: connection failed: fetch failed (ECONNRESET)",
		);
	});
});

describe("retries and timeouts", () => {
	it("retries after rateLimit(), keeping each attempt's audit id and one idempotency key", async () => {
		const { client, gateway } = clientFor(
			[reply.rateLimit(), reply.completion("ok")],
			{ maxRetries: 2 },
		);
		const res = await client.chat.completions.create(BODY);
		expect(res.content).toBe("ok");
		expect(res.attempts.map((a) => [a.status_code, a.audit_id])).toEqual([
			[429, "audit-mock-1"],
			[200, "audit-mock-2"],
		]);
		const keys = gateway.calls.map((call) => call.headers["idempotency-key"]);
		expect(keys[0]).toBeTruthy();
		expect(keys[1]).toBe(keys[0]);
	});

	it("rateLimit sends the wait it is given, in seconds or milliseconds", async () => {
		const seen = mockGateway([
			reply.rateLimit({ retryAfter: 7 }),
			reply.rateLimit({ retryAfterMs: 1500 }),
			reply.rateLimit(),
		]);
		const heads = [];
		for (let n = 0; n < 3; n++) {
			const response = await seen.fetch(
				"https://gateway.test/v1/chat/completions",
				{ method: "POST", body: "{}" },
			);
			heads.push([
				response.headers.get("retry-after"),
				response.headers.get("retry-after-ms"),
			]);
		}
		expect(heads).toEqual([
			["7", null],
			["2", "1500"],
			["0", "0"],
		]);
	});

	it("retries a 503 and a network failure, then answers", async () => {
		const { client, gateway } = clientFor(
			[
				reply.serverError(503, { retryAfterMs: 0 }),
				reply.networkError(),
				reply.completion("ok"),
			],
			{ maxRetries: 2 },
		);
		const res = await client.chat.completions.create(BODY);
		expect(res.attempts.map((a) => [a.status_code, a.error])).toEqual([
			[503, "APIError"],
			[null, "APIError"],
			[200, null],
		]);
		expect(gateway.calls).toHaveLength(3);
	});

	it("timeout() with the client's timeout is a TimeoutError after every attempt", async () => {
		const { client, gateway } = clientFor(reply.timeout(), {
			timeout: 20,
			maxRetries: 1,
		});
		const error = await client.chat.completions
			.create(BODY)
			.catch((e: unknown) => e);
		expect(error).toMatchObject({ name: "TimeoutError", status_code: null });
		expect(gateway.calls).toHaveLength(2);
	});

	it("timeout() gives way to the caller's AbortSignal: AbortError, not retried", async () => {
		const { client, gateway } = clientFor(reply.timeout(), { maxRetries: 2 });
		const controller = new AbortController();
		const pending = client.chat.completions.create(BODY, {
			signal: controller.signal,
		});
		// Once the call is at the gateway (a custom fetch's attempt starts a tick later).
		await expect.poll(() => gateway.calls.length).toBe(1);
		controller.abort(new Error("user left"));
		await expect(pending).rejects.toMatchObject({ name: "AbortError" });
		expect(gateway.calls).toHaveLength(1);
	});
});
