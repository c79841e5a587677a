/**
 * Contract tests of the drop-in claim on the wire: the openai-typed bodies of
 * test/helpers/openai-bodies.ts, sent through this SDK, reach the Prism mock
 * of openapi/atrium.yaml unchanged and pass its request validation (no
 * `sl-violations` header). And the mock tells the truth about a body it
 * refuses: a plain invalid-request error, never a block.
 */
import { describe, expect, it } from "vitest";
import type { Fetch } from "../../src/index.js";
import { Atrium, isPolicyBlockedError } from "../../src/index.js";
import { NON_STREAMING, STREAMING } from "../helpers/openai-bodies.js";
import { usePrism } from "../helpers/prism.js";

const prism = usePrism();
const KEY = "sk-mng-contract-test";

/** A client whose fetch records each request body and Prism's `sl-violations`. */
function watchedClient() {
	const sent: unknown[] = [];
	const violations: (string | null)[] = [];
	const fetch: Fetch = async (url, init) => {
		sent.push(JSON.parse(String(init?.body)));
		const response = await globalThis.fetch(url, init);
		violations.push(response.headers.get("sl-violations"));
		return response;
	};
	const client = new Atrium({
		apiKey: KEY,
		baseURL: prism.url,
		maxRetries: 0,
		fetch,
	});
	return { client, sent, violations };
}

/** The messages of Prism's `sl-violations` header (a JSON array). */
function violationMessages(header: string | null): string[] {
	const parsed: unknown = JSON.parse(header ?? "[]");
	return Array.isArray(parsed)
		? parsed.map((entry) => String((entry as { message?: unknown }).message))
		: [];
}

describe("contract: openai-node bodies against the Prism mock", () => {
	it.each(Object.entries(NON_STREAMING))(
		"sends the %s body unchanged and it passes validation",
		async (_name, body) => {
			const { client, sent, violations } = watchedClient();
			const res = await client.chat.completions.create(body);
			expect(violationMessages(violations[0] ?? null)).toEqual([]);
			expect(violations).toEqual([null]);
			expect(sent).toEqual([JSON.parse(JSON.stringify(body))]);
			expect(res).toMatchObject({ object: "chat.completion" });
		},
	);

	it.each(Object.entries(STREAMING))(
		"streams the %s body unchanged (usage asked for unless set) and it passes validation",
		async (_name, body) => {
			const { client, sent, violations } = watchedClient();
			const stream = await client.chat.completions.create(body);
			const done = await stream.finalCompletion();
			expect(violationMessages(violations[0] ?? null)).toEqual([]);
			expect(violations).toEqual([null]);
			expect(sent).toEqual([
				{
					...JSON.parse(JSON.stringify(body)),
					stream_options: body.stream_options ?? { include_usage: true },
				},
			]);
			expect(done.usage.total_tokens).toBe(16);
		},
	);
});

describe("contract: a body the mock refuses is an invalid request, never a block", () => {
	const SIMPLE = {
		model: "gpt-5.4-mini",
		messages: [{ role: "user", content: "Hello" }],
	};
	it.each([
		[
			"temperature: 5",
			{ ...SIMPLE, temperature: 5 },
			"temperature must be <= 2",
		],
		[
			"an unknown top-level field",
			{ ...SIMPLE, frobnicate: true },
			"must NOT have additional properties; found 'frobnicate'",
		],
		[
			'role: "human"',
			{ ...SIMPLE, messages: [{ role: "human", content: "Hello" }] },
			"messages.0 must match exactly one schema in oneOf",
		],
	])(
		"%s comes back as a plain AtriumError with code invalid_request",
		async (_name, body, violation) => {
			const { client, violations } = watchedClient();
			const error = await client.chat.completions
				// Deliberately outside the types: this is what the mock must refuse.
				.create(body as never)
				.catch((e: unknown) => e);
			expect(error).toMatchObject({
				name: "AtriumError",
				status_code: 422,
				code: "invalid_request",
				policy_decision: null,
				block_reason: null,
			});
			expect(isPolicyBlockedError(error)).toBe(false);
			expect(error).toHaveProperty("governance.pii_redacted", []);
			expect(error).toHaveProperty("governance.blocked", false);
			expect(violationMessages(violations[0] ?? null).join("\n")).toContain(
				violation,
			);
		},
	);

	it.each([
		[
			"temperature: 5",
			{ ...SIMPLE, temperature: 5 },
			/\(mock: .*temperature must be <= 2/,
		],
		[
			'role: "human" (the same message once per oneOf branch, once in the error)',
			{ ...SIMPLE, messages: [{ role: "human", content: "Hello" }] },
			/\(mock: Request body property messages\.0\.role must be equal to constant; /,
		],
	])(
		"puts Prism's sl-violations messages into the error message for %s, so the reason is not only in a header",
		async (_name, body, message) => {
			const { client } = watchedClient();
			const error = (await client.chat.completions
				.create(body as never)
				.catch((e: unknown) => e)) as Error;
			expect(error.message).toMatch(message);
			const note = /\(mock: ([^)]*)\)/.exec(error.message)?.[1] ?? "";
			const parts = note.split("; ");
			expect(new Set(parts).size).toBe(parts.length);
			expect(parts.length).toBeLessThanOrEqual(3);
		},
	);
});
