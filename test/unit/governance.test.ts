import { describe, expect, it } from "vitest";
import {
	type HeaderSource,
	parseGovernance,
} from "../../src/governance/parse.js";

const parse = (headers: Record<string, string>) =>
	parseGovernance(new Headers(headers));

describe("parseGovernance", () => {
	it("reads every field of a full set of headers", () => {
		expect(
			parse({
				"X-Monago-Audit-Id": "audit-1",
				"X-Monago-Pii-Detected": "true",
				"X-Monago-Pii-Redacted": "NIK, EMAIL",
				"X-Monago-Policy-Decision": "redacted",
				"X-Monago-Provider": "openai",
				"X-Monago-Latency-Ms": "412.5",
				"X-Monago-Cost-Idr": "87.25",
				"X-Monago-Security-Incident": "prompt_injection, jailbreak_attempt",
				"X-Monago-Block-Reason": "PII detected: NIK",
			}),
		).toEqual({
			audit_id: "audit-1",
			pii_detected: true,
			pii_redacted: ["NIK", "EMAIL"],
			policy_decision: "redacted",
			provider: "openai",
			latency_ms: 412.5,
			cost_idr: 87.25,
			security_incidents: ["prompt_injection", "jailbreak_attempt"],
			block_reason: "PII detected: NIK",
			blocked: false,
		});
	});

	it("gives the empty record when no header is there", () => {
		expect(parse({})).toEqual({
			audit_id: null,
			pii_detected: false,
			pii_redacted: [],
			policy_decision: null,
			provider: null,
			latency_ms: null,
			cost_idr: null,
			security_incidents: [],
			block_reason: null,
			blocked: false,
		});
	});

	it("reads header names case-insensitively", () => {
		expect(
			parse({ "x-monago-audit-id": "a", "X-MONAGO-PROVIDER": "openai" }),
		).toMatchObject({ audit_id: "a", provider: "openai" });
	});

	it.each([
		["1", true],
		["true", true],
		["TRUE", true],
		[" yes ", true],
		["Y", true],
		["t", true],
		["0", false],
		["false", false],
		["no", false],
		["", false],
		["truthy", false],
		["2", false],
	])("reads X-Monago-Pii-Detected %j as %s", (value, expected) => {
		expect(parse({ "X-Monago-Pii-Detected": value }).pii_detected).toBe(
			expected,
		);
	});

	it.each([
		["NIK,,EMAIL, ,", ["NIK", "EMAIL"]],
		["NIK", ["NIK"]],
		[" NIK ", ["NIK"]],
		[",", []],
		["", []],
	])("splits the comma list %j into %j", (value, expected) => {
		expect(parse({ "X-Monago-Pii-Redacted": value }).pii_redacted).toEqual(
			expected,
		);
		expect(
			parse({ "X-Monago-Security-Incident": value }).security_incidents,
		).toEqual(expected);
	});

	it.each([
		["412.5", 412.5],
		["0", 0],
		[" 7 ", 7],
		["-1.5", null], // latency and cost are never negative
		["1".repeat(65), null], // longer than any real amount
		["1".repeat(64), 1.1111111111111112e63],
		["1e3", 1000],
		[".5", 0.5],
		["", null],
		["abc", null],
		["12ms", null],
		["NaN", null],
		["Infinity", null],
		["0x10", null],
		["1e999", null],
	])("reads the decimal %j as %s, never NaN", (value, expected) => {
		expect(parse({ "X-Monago-Latency-Ms": value }).latency_ms).toBe(expected);
		expect(parse({ "X-Monago-Cost-Idr": value }).cost_idr).toBe(expected);
	});

	it.each([
		["blocked", true],
		["allowed", false],
		["redacted", false],
		["BLOCKED", false],
	])("derives blocked from policy decision %j as %s", (value, expected) => {
		expect(parse({ "X-Monago-Policy-Decision": value }).blocked).toBe(expected);
	});

	it("reads empty text headers as null", () => {
		const governance = parse({
			"X-Monago-Audit-Id": "",
			"X-Monago-Policy-Decision": "",
			"X-Monago-Block-Reason": "",
		});
		expect(governance).toMatchObject({
			audit_id: null,
			policy_decision: null,
			block_reason: null,
		});
	});

	it("returns a frozen record with frozen lists", () => {
		const governance = parse({ "X-Monago-Pii-Redacted": "NIK" });
		expect(Object.isFrozen(governance)).toBe(true);
		expect(Object.isFrozen(governance.pii_redacted)).toBe(true);
		expect(Object.isFrozen(governance.security_incidents)).toBe(true);
	});

	it("never throws, whatever the header source does", () => {
		const throwing: HeaderSource = {
			get() {
				throw new Error("broken headers");
			},
		};
		const odd = { get: () => 42 } as unknown as HeaderSource;
		expect(parseGovernance(throwing).audit_id).toBeNull();
		expect(parseGovernance(odd).latency_ms).toBeNull();
		expect(parseGovernance(null).blocked).toBe(false);
		expect(parseGovernance(undefined).pii_redacted).toEqual([]);
	});
});
