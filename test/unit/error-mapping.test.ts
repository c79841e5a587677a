import { describe, expect, it } from "vitest";
import { chatEndpoint } from "../../src/core/endpoint.js";
import {
	bodyCode,
	bodyMessage,
	errorFromResponse,
} from "../../src/errors/mapping.js";
import { createScrubber } from "../../src/errors/scrub.js";
import { parseGovernance } from "../../src/governance/parse.js";

const KEY = "sk-mng-unit-secret-123";
const context = chatEndpoint("https://gateway.test/v1", createScrubber(KEY));

function map(
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
) {
	return errorFromResponse(
		status,
		body,
		parseGovernance(new Headers(headers)),
		context,
	);
}

const err = (code: string) => ({ error: { message: "m", code } });

describe("errorFromResponse: the gateway's mapping, first match wins", () => {
	it.each([
		[401, err("pii_blocked"), {}, "AuthError"],
		[403, err("policy_blocked"), {}, "AuthError"],
		[429, err("pii_blocked"), {}, "RateLimitError"],
		[400, err("pii_blocked"), {}, "PIIBlockedError"],
		[422, err("pii_blocked"), {}, "PIIBlockedError"],
		[451, err("pii_blocked"), {}, "PIIBlockedError"],
		[400, err("security_block"), {}, "SecurityBlockedError"],
		[400, err("prompt_injection"), {}, "SecurityBlockedError"],
		[400, err("jailbreak"), {}, "SecurityBlockedError"],
		[400, err("model_not_allowed"), {}, "ModelNotAllowedError"],
		[400, err("model_denied"), {}, "ModelNotAllowedError"],
		[400, err("model_unknown"), {}, "AtriumError"],
		[400, err("policy_blocked"), {}, "PolicyBlockedError"],
		[
			400,
			err("custom"),
			{ "X-Monago-Policy-Decision": "blocked" },
			"PolicyBlockedError",
		],
		// the block reason header is part of the signal
		[
			400,
			err("blocked"),
			{ "X-Monago-Block-Reason": "PII detected: NIK" },
			"PIIBlockedError",
		],
		[
			422,
			{},
			{ "X-Monago-Block-Reason": "Jailbreak attempt" },
			"SecurityBlockedError",
		],
		[
			451,
			"plain text",
			{ "X-Monago-Block-Reason": "Model gpt-4o not allowed" },
			"ModelNotAllowedError",
		],
		// pii is checked before security, security before model
		[
			400,
			err("security_block"),
			{ "X-Monago-Block-Reason": "PII detected" },
			"PIIBlockedError",
		],
		[
			400,
			err("model_not_allowed"),
			{ "X-Monago-Block-Reason": "jailbreak" },
			"SecurityBlockedError",
		],
		// case does not matter
		[400, err("PII_BLOCKED"), {}, "PIIBlockedError"],
		// a 400 that is no block
		[400, err("invalid_request"), {}, "AtriumError"],
		[404, err("not_found"), {}, "AtriumError"],
		[409, err("pii_blocked"), {}, "AtriumError"],
		[500, err("pii_blocked"), {}, "APIError"],
		[502, "Bad Gateway", {}, "APIError"],
		[503, null, {}, "APIError"],
	])(
		"maps %i with body %j and headers %j to %s",
		(status, body, headers, name) => {
			const error = map(status, body, headers);
			expect(error.name).toBe(name);
			expect(error.status_code).toBe(status);
		},
	);

	it("keeps the audit trail on the error", () => {
		const error = map(
			400,
			{
				error: {
					message: "PII detected and policy blocked",
					code: "pii_blocked",
				},
			},
			{
				"X-Monago-Audit-Id": "audit-blk-pii",
				"X-Monago-Policy-Decision": "blocked",
				"X-Monago-Block-Reason": "PII detected: NIK",
				"X-Monago-Pii-Detected": "true",
				"X-Monago-Pii-Redacted": "NIK",
			},
		);
		expect(error).toMatchObject({
			name: "PIIBlockedError",
			message: "POST /chat/completions: 400 PII detected and policy blocked",
			status_code: 400,
			code: "pii_blocked",
			audit_id: "audit-blk-pii",
			block_reason: "PII detected: NIK",
			policy_decision: "blocked",
			response_body: {
				error: {
					message: "PII detected and policy blocked",
					code: "pii_blocked",
				},
			},
		});
		expect(error.governance.pii_redacted).toEqual(["NIK"]);
		expect(error.governance.blocked).toBe(true);
	});

	it.each([
		[
			401,
			"POST /chat/completions: 401 Authentication failed: check the API key",
		],
		[429, "POST /chat/completions: 429 Rate limit exceeded"],
		[500, "POST /chat/completions: 500 Gateway error"],
		[
			404,
			"POST https://gateway.test/v1/chat/completions: 404 Request failed with status 404 (check baseURL: it ends in /v1, without /chat/completions)",
		],
		[
			409,
			"POST https://gateway.test/v1/chat/completions: 409 Request failed with status 409",
		],
	])(
		"uses a default message per class when the body has none (%i); a status no rule maps names the URL",
		(status, message) => {
			expect(map(status, "oops").message).toBe(message);
			expect(map(status, "oops").response_body).toBe("oops");
		},
	);

	it("keeps the message short when the gateway's message is long, and the body whole", () => {
		const long = "x".repeat(10_000);
		const error = map(500, { error: { message: long } });
		expect(error.message).toBe(
			`POST /chat/completions: 500 ${"x".repeat(500)}...`,
		);
		expect(
			(error.response_body as { error: { message: string } }).error.message,
		).toBe(long);
	});

	it("scrubs the API key from the message, body and governance even when the gateway echoes it", () => {
		const error = map(
			401,
			{
				error: {
					message: `Invalid key ${KEY}`,
					code: "invalid_api_key",
					echo: [`Bearer ${KEY}`],
				},
			},
			{
				"X-Monago-Block-Reason": `bad key ${KEY}`,
			},
		);
		const everything =
			JSON.stringify(error) + error.message + String(error.stack);
		expect(everything).not.toContain(KEY);
		expect(error.message).toBe(
			"POST /chat/completions: 401 Invalid key [redacted]",
		);
		expect(error.block_reason).toBe("bad key [redacted]");
		expect(Object.isFrozen(error.governance)).toBe(true);
	});
});

describe("bodyMessage and bodyCode", () => {
	it.each([
		[{ error: { message: "a", code: "c", type: "t" } }, "a", "c"],
		[{ error: { message: "a", type: "t" } }, "a", "t"],
		[{ error: { message: "a" }, code: "flat" }, "a", "flat"],
		[
			{ message: "flat message", code: "flat_code" },
			"flat message",
			"flat_code",
		],
		[{ message: "m", type: "only_type" }, "m", "only_type"],
		[{ error: "a string" }, null, null],
		[{ error: { message: 42, code: 7 } }, null, null],
		["plain text", null, null],
		[null, null, null],
		[[1, 2], null, null],
		[{}, null, null],
	])("reads %j as message %j and code %j", (body, message, code) => {
		expect(bodyMessage(body)).toBe(message);
		expect(bodyCode(body)).toBe(code);
	});
});
