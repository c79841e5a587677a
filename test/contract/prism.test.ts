/**
 * Contract tests: the SDK against a Prism mock of openapi/atrium.yaml, started
 * by this file on a free loopback port. Prism validates every request the SDK
 * sends against the spec and reports violations in `sl-violations`.
 */
import { describe, expect, it } from "vitest";
import type { Fetch } from "../../src/index.js";
import {
	Atrium,
	type ChatCompletionCreateParamsNonStreaming,
} from "../../src/index.js";
import { SUCCESS_GOVERNANCE, usePrism } from "../helpers/prism.js";

const prism = usePrism();
const KEY = "sk-mng-contract-test";

/** A client whose fetch records Prism's `sl-violations` header of every response. */
function watchedClient() {
	const violations: (string | null)[] = [];
	const fetch: Fetch = async (url, init) => {
		const response = await globalThis.fetch(url, init);
		violations.push(response.headers.get("sl-violations"));
		return response;
	};
	return {
		client: new Atrium({
			apiKey: KEY,
			baseURL: prism.url,
			maxRetries: 0,
			fetch,
		}),
		violations,
	};
}

const SIMPLE: ChatCompletionCreateParamsNonStreaming = {
	model: "gpt-5.4-mini",
	messages: [
		{ role: "user", content: "Pasien NIK 3201010101010001 batuk 2 minggu" },
	],
};

const FULL: ChatCompletionCreateParamsNonStreaming = {
	model: "gpt-5.4-mini",
	messages: [
		{ role: "system", content: "You are a careful clinical assistant." },
		{
			role: "developer",
			content: [{ type: "text", text: "Answer in Bahasa Indonesia." }],
		},
		{
			role: "user",
			content: [
				{ type: "text", text: "What does this X-ray show?" },
				{
					type: "image_url",
					image_url: { url: "https://example.org/xray.png", detail: "low" },
				},
			],
			name: "dr_sari",
		},
		{
			role: "assistant",
			content: null,
			tool_calls: [
				{
					id: "call_1",
					type: "function",
					function: { name: "lookup_icd10", arguments: '{"code":"A15"}' },
				},
			],
		},
		{
			role: "tool",
			tool_call_id: "call_1",
			content: "A15: Respiratory tuberculosis",
		},
	],
	tools: [
		{
			type: "function",
			function: {
				name: "lookup_icd10",
				description: "Look up an ICD-10 code",
				parameters: {
					type: "object",
					properties: { code: { type: "string" } },
				},
				strict: true,
			},
		},
	],
	tool_choice: { type: "function", function: { name: "lookup_icd10" } },
	parallel_tool_calls: false,
	response_format: {
		type: "json_schema",
		json_schema: { name: "finding", schema: { type: "object" }, strict: true },
	},
	temperature: 0.2,
	top_p: 0.9,
	n: 1,
	stop: ["\n\n"],
	max_completion_tokens: 256,
	seed: 7,
	user: "clinician-42",
	logprobs: true,
	top_logprobs: 2,
	presence_penalty: 0,
	frequency_penalty: 0.5,
	logit_bias: { "50256": -100 },
	reasoning_effort: "low",
};

describe("contract: the SDK against the Prism mock of the spec", () => {
	it("gets the spec's example completion with every governance field", async () => {
		const { client, violations } = watchedClient();
		const res = await client.chat.completions.create(SIMPLE);
		expect(res.content).toMatch(/tuberkulosis/);
		expect(res.choices[0]?.finish_reason).toBe("stop");
		expect(res.usage.total_tokens).toBe(35);
		expect(res.governance).toEqual(SUCCESS_GOVERNANCE);
		expect(violations).toEqual([null]);
	});

	it("sends a request with every kind of message and option that passes the spec's validation", async () => {
		const { client, violations } = watchedClient();
		await client.chat.completions.create(FULL);
		expect(violations).toEqual([null]);
	});

	it("streams the spec's SSE example, usage chunk included, with a request that passes validation", async () => {
		const { client, violations } = watchedClient();
		const stream = await client.chat.completions.create({
			...SIMPLE,
			stream: true,
		});
		expect(stream.governance.audit_id).toBe("audit-7f3c2a91");
		const done = await stream.finalCompletion();
		expect(done.content).toBe("Batuk dua minggu.");
		expect(done.choices[0]?.finish_reason).toBe("stop");
		expect(done.usage).toMatchObject({
			prompt_tokens: 12,
			completion_tokens: 4,
			total_tokens: 16,
		});
		expect(violations).toEqual([null]);
	});

	it("would see a violation: Prism reports a body the spec refuses", async () => {
		const response = await fetch(`${prism.url}/chat/completions`, {
			method: "POST",
			headers: {
				Authorization: `Bearer ${KEY}`,
				"Content-Type": "application/json",
			},
			body: JSON.stringify({ ...SIMPLE, frobnicate: true }),
		});
		await response.body?.cancel();
		expect(response.headers.get("sl-violations")).toContain(
			"additional properties",
		);
	});

	const BLOCKS = [
		["pii_blocked", "PIIBlockedError", "PII detected and policy blocked"],
		["security_block", "SecurityBlockedError", "Prompt injection detected"],
		[
			"model_not_allowed",
			"ModelNotAllowedError",
			"Model gpt-4o is not allowed for this tenant",
		],
		[
			"policy_blocked",
			"PolicyBlockedError",
			"Request violates policy rule no-diagnosis",
		],
	] as const;
	const STATUSES = [400, 422, 451] as const;
	// Prism sends one set of header values per response: on 400 and 422 those
	// of an invalid request (which shares them), on 451 those of a block.
	const HEADERS = {
		400: {
			audit_id: "audit-rej-5e0c2b",
			policy_decision: null,
			block_reason: null,
			blocked: false,
		},
		422: {
			audit_id: "audit-rej-5e0c2b",
			policy_decision: null,
			block_reason: null,
			blocked: false,
		},
		451: {
			audit_id: "audit-blk-91d04e",
			policy_decision: "blocked",
			block_reason: "Request blocked by gateway policy",
			blocked: true,
		},
	} as const;

	it.each(
		STATUSES.flatMap((status) =>
			BLOCKS.map(
				([example, name, message]) => [status, example, name, message] as const,
			),
		),
	)(
		"maps a %i %s block to %s by its code, with its audit trail",
		async (status, example, name, message) => {
			const { blocked, ...trail } = HEADERS[status];
			const { client, violations } = watchedClient();
			const error = await client.chat.completions
				.create(SIMPLE, {
					headers: { Prefer: `code=${status}, example=${example}` },
				})
				.catch((e: unknown) => e);
			expect(error).toMatchObject({
				name,
				message: `POST /chat/completions: ${status} ${message}`,
				status_code: status,
				code: example,
				...trail,
			});
			expect(
				(error as { governance: { blocked: boolean } }).governance.blocked,
			).toBe(blocked);
			expect(violations).toEqual([null]);
		},
	);

	it.each([
		[401, "AuthError", "Invalid API key"],
		[403, "AuthError", "This key may not use chat completions"],
		[429, "RateLimitError", "Rate limit exceeded"],
		[500, "APIError", "Internal gateway error"],
		[503, "APIError", "Upstream provider unavailable"],
	])("maps a %i to %s", async (status, name, message) => {
		const { client } = watchedClient();
		const error = await client.chat.completions
			.create(SIMPLE, { headers: { Prefer: `code=${status}` } })
			.catch((e: unknown) => e);
		expect(error).toMatchObject({
			name,
			status_code: status,
			message: `POST /chat/completions: ${status} ${message}`,
			audit_id: "audit-7f3c2a91",
		});
		expect(JSON.stringify(error)).not.toContain(KEY);
	});
});
