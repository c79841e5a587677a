import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import * as guards from "../../src/errors/guards.js";
import * as tree from "../../src/errors/tree.js";
import { parseGovernance } from "../../src/governance/parse.js";

const errors = { ...tree, ...guards };
const { AtriumError, PolicyBlockedError, PIIBlockedError } = errors;

// class, its parent, its guard
const TREE = [
	[errors.AtriumError, Error, errors.isAtriumError],
	[errors.AuthError, errors.AtriumError, errors.isAuthError],
	[errors.RateLimitError, errors.AtriumError, errors.isRateLimitError],
	[errors.APIError, errors.AtriumError, errors.isAPIError],
	[errors.TimeoutError, errors.AtriumError, errors.isTimeoutError],
	[errors.AbortError, errors.AtriumError, errors.isAbortError],
	[errors.InvalidInputError, errors.AtriumError, errors.isInvalidInputError],
	[errors.PolicyBlockedError, errors.AtriumError, errors.isPolicyBlockedError],
	[errors.PIIBlockedError, errors.PolicyBlockedError, errors.isPIIBlockedError],
	[
		errors.SecurityBlockedError,
		errors.PolicyBlockedError,
		errors.isSecurityBlockedError,
	],
	[
		errors.ModelNotAllowedError,
		errors.PolicyBlockedError,
		errors.isModelNotAllowedError,
	],
	[errors.PluginError, errors.AtriumError, errors.isPluginError],
	[errors.UsageError, errors.AtriumError, errors.isUsageError],
] as const;

describe("the error tree", () => {
	it.each(
		TREE.map(
			([Class, Parent, guard]) => [Class.name, Class, Parent, guard] as const,
		),
	)(
		"%s has its own name, its parent, and a guard",
		(name, Class, Parent, guard) => {
			const error = new Class("boom");
			expect(error.name).toBe(name);
			expect(error).toBeInstanceOf(Class);
			expect(error).toBeInstanceOf(Parent);
			expect(error).toBeInstanceOf(Error);
			expect(error).toBeInstanceOf(AtriumError);
			expect(guard(error)).toBe(true);
			expect(String(error.stack)).toMatch(new RegExp(`^${name}: boom`));
		},
	);

	it("does not call a parent an instance of its child", () => {
		expect(new PolicyBlockedError("x")).not.toBeInstanceOf(PIIBlockedError);
		expect(errors.isPIIBlockedError(new PolicyBlockedError("x"))).toBe(false);
		expect(new errors.APIError("x")).not.toBeInstanceOf(PolicyBlockedError);
		expect(new Error("x")).not.toBeInstanceOf(AtriumError);
		expect(errors.isAtriumError(new Error("x"))).toBe(false);
		expect(errors.isAtriumError(null)).toBe(false);
		expect(errors.isAtriumError("AtriumError")).toBe(false);
	});

	it("has every field, null where there was no response", () => {
		const error = new errors.TimeoutError("late");
		expect(error).toMatchObject({
			status_code: null,
			audit_id: null,
			block_reason: null,
			policy_decision: null,
			response_body: null,
			code: null,
		});
		expect(error.governance.blocked).toBe(false);
	});

	it("copies the audit fields from the governance it is given", () => {
		const governance = parseGovernance(
			new Headers({
				"X-Monago-Audit-Id": "a1",
				"X-Monago-Block-Reason": "r",
				"X-Monago-Policy-Decision": "blocked",
			}),
		);
		const error = new PIIBlockedError("m", {
			status_code: 451,
			governance,
			response_body: { x: 1 },
			code: "pii_blocked",
		});
		expect(error.toJSON()).toEqual({
			name: "PIIBlockedError",
			message: "m",
			status_code: 451,
			code: "pii_blocked",
			audit_id: "a1",
			block_reason: "r",
			policy_decision: "blocked",
			response_body: { x: 1 },
			governance,
			attempts: [],
			metadata: {},
			evaluations: [],
		});
		expect(JSON.parse(JSON.stringify(error)).audit_id).toBe("a1");
		expect(inspect(error)).toContain("a1");
	});

	it("keeps a cause", () => {
		const cause = new Error("ECONNRESET");
		expect(new errors.APIError("x", { cause }).cause).toBe(cause);
	});
});
