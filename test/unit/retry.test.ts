import { describe, expect, it } from "vitest";
import { retryDelay, shouldRetryStatus } from "../../src/core/retry.js";

const headers = (values: Record<string, string> = {}) => new Headers(values);

describe("shouldRetryStatus", () => {
	it.each([
		[408, true],
		[409, true],
		[429, true],
		[500, true],
		[502, true],
		[503, true],
		[504, true],
		[599, true],
		[400, false],
		[401, false],
		[403, false],
		[404, false],
		[422, false],
		[451, false],
		[200, false],
	])("retries status %i: %s", (status, expected) => {
		expect(shouldRetryStatus(status, headers())).toBe(expected);
	});

	it.each([
		[503, "false", false],
		[429, "FALSE", false],
		[404, "true", true],
		[418, " true ", true],
		[503, "maybe", true],
		// a block or an auth failure is final, whatever the header says
		[400, "true", false],
		[401, "true", false],
		[403, "true", false],
		[422, "true", false],
		[451, "true", false],
	])(
		"lets x-should-retry override status %i with %j: %s",
		(status, value, expected) => {
			expect(
				shouldRetryStatus(status, headers({ "x-should-retry": value })),
			).toBe(expected);
		},
	);
});

describe("retryDelay", () => {
	const now = Date.parse("2026-11-24T10:00:00Z");
	const noJitter = () => 0;
	const fullJitter = () => 1;

	it.each([
		[1, 500],
		[2, 1000],
		[3, 2000],
		[4, 4000],
		[5, 8000],
		[6, 8000],
		[20, 8000],
	])(
		"backs off exponentially: retry %i waits %i ms before jitter",
		(retry, ms) => {
			expect(retryDelay(retry, null, now, noJitter)).toBe(ms);
			expect(retryDelay(retry, null, now, fullJitter)).toBe(ms * 0.75);
		},
	);

	it.each([
		[{ "retry-after-ms": "250" }, 250],
		[{ "retry-after-ms": "0" }, 0],
		[{ "retry-after-ms": "1500.5" }, 1500.5],
		[{ "retry-after-ms": "100", "retry-after": "9" }, 100],
		[{ "retry-after": "2" }, 2000],
		[{ "retry-after": "0.5" }, 500],
		[{ "retry-after": "60" }, 60_000],
		[{ "retry-after": "Tue, 24 Nov 2026 10:00:03 GMT" }, 3000],
	])("honours %j: waits %i ms", (values, ms) => {
		expect(retryDelay(1, headers(values), now, noJitter)).toBe(ms);
	});

	it.each([
		[{ "retry-after": "61" }],
		[{ "retry-after-ms": "60001" }],
		[{ "retry-after": "-1" }],
		[{ "retry-after": "Tue, 24 Nov 2026 09:59:00 GMT" }],
		[{ "retry-after": "Tue, 24 Nov 2026 11:00:00 GMT" }],
		[{ "retry-after": "soon" }],
		[{ "retry-after-ms": "abc" }],
		[{ "retry-after": "" }],
	])(
		"falls back to backoff for %j (out of 0..60 s or unparseable)",
		(values) => {
			expect(retryDelay(2, headers(values), now, noJitter)).toBe(1000);
		},
	);
});
