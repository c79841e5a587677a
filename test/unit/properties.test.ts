/**
 * Properties over arbitrary input: governance parsing and error mapping are
 * total, and scrubbing removes the key from any text that holds it.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chatEndpoint } from "../../src/core/endpoint.js";
import { retryDelay } from "../../src/core/retry.js";
import { errorFromResponse } from "../../src/errors/mapping.js";
import { createScrubber } from "../../src/errors/scrub.js";
import { AtriumError } from "../../src/errors/tree.js";
import { parseGovernance } from "../../src/governance/parse.js";

const GOVERNANCE_NAMES = [
	"x-monago-audit-id",
	"x-monago-pii-detected",
	"x-monago-pii-redacted",
	"x-monago-policy-decision",
	"x-monago-provider",
	"x-monago-latency-ms",
	"x-monago-cost-idr",
	"x-monago-security-incident",
	"x-monago-block-reason",
	"retry-after",
	"retry-after-ms",
];
const CLASS_NAMES = new Set([
	"AtriumError",
	"AuthError",
	"RateLimitError",
	"APIError",
	"PolicyBlockedError",
	"PIIBlockedError",
	"SecurityBlockedError",
	"ModelNotAllowedError",
]);

/** Arbitrary header maps: any text under the governance names, including the empty and the odd. */
const headerMaps = fc.dictionary(
	fc.constantFrom(...GOVERNANCE_NAMES),
	fc.string({ unit: "grapheme" }),
	{ maxKeys: 11 },
);

/** A header source that returns the raw strings, without Headers' own validation. */
const source = (map: Record<string, string>) => ({
	get: (name: string) => map[name] ?? null,
});

describe("properties", () => {
	it("parseGovernance is total, typed and frozen for any header values", () => {
		fc.assert(
			fc.property(headerMaps, (map) => {
				const governance = parseGovernance(source(map));
				expect(Object.isFrozen(governance)).toBe(true);
				expect(typeof governance.pii_detected).toBe("boolean");
				expect(governance.blocked).toBe(
					governance.policy_decision === "blocked",
				);
				for (const number of [governance.latency_ms, governance.cost_idr]) {
					expect(number === null || Number.isFinite(number)).toBe(true);
				}
				for (const list of [
					governance.pii_redacted,
					governance.security_incidents,
				]) {
					expect(
						list.every(
							(item) =>
								item.length > 0 && item === item.trim() && !item.includes(","),
						),
					).toBe(true);
				}
			}),
			{ numRuns: 500 },
		);
	});

	it("errorFromResponse maps any status, body and headers to a known class with the status kept", () => {
		const bodies = fc.oneof(
			fc.jsonValue(),
			fc.string(),
			fc.constant(undefined),
			fc.constant(null),
		);
		fc.assert(
			fc.property(
				fc.integer({ min: 100, max: 599 }),
				bodies,
				headerMaps,
				(status, body, map) => {
					const error = errorFromResponse(
						status,
						body,
						parseGovernance(source(map)),
						chatEndpoint(
							"https://gateway.test/v1",
							createScrubber("sk-mng-prop"),
						),
					);
					expect(error).toBeInstanceOf(AtriumError);
					expect(CLASS_NAMES.has(error.name)).toBe(true);
					expect(error.status_code).toBe(status);
					// A status no rule maps names the whole URL.
					const prefix =
						error.name === "AtriumError"
							? "POST https://gateway.test/v1/chat/completions"
							: "POST /chat/completions";
					expect(error.message.startsWith(`${prefix}: ${status} `)).toBe(true);
					expect(error.message.length).toBeLessThan(700);
				},
			),
			{ numRuns: 500 },
		);
	});

	it("scrubbing removes the key from any text that contains it", () => {
		const keys = fc
			.string({ minLength: 12, maxLength: 40, unit: "grapheme" })
			.map((rest) => `sk-mng-${rest}`);
		const customKeys = fc
			.string({ minLength: 4, maxLength: 40, unit: "grapheme" })
			.filter((key) => !"[redacted]".includes(key));
		fc.assert(
			fc.property(
				fc.oneof(keys, customKeys),
				fc.string({ unit: "grapheme" }),
				fc.string({ unit: "grapheme" }),
				fc.nat(3),
				(key, before, after, copies) => {
					const text = before + `${key}${after}`.repeat(copies + 1);
					expect(createScrubber(key)(text)).not.toContain(key);
				},
			),
			{ numRuns: 1_000 },
		);
	});

	it("scrubbing JSON keeps it JSON, and no key in it survives parsing, however its letters are escaped", () => {
		// A key as the SDK accepts it: printable ASCII, no spaces, quotes or
		// backslashes; often one starting with a letter that follows a
		// backslash in an escape ("\\t", "\\n", "\\u").
		const keys = fc
			.tuple(
				fc.constantFrom("", "t", "n", "u00", "b", "/"),
				fc.string({
					minLength: 4,
					maxLength: 40,
					unit: fc
						.integer({ min: 0x21, max: 0x7e })
						.filter((code) => code !== 0x22 && code !== 0x5c)
						.map((code) => String.fromCharCode(code)),
				}),
			)
			.map(([start, rest]) => start + rest)
			.filter((key) => !"[redacted]".includes(key));
		// Each letter of the key as JSON writes it, or as a \u00XX escape.
		const spelled = (key: string, escapes: boolean[]) =>
			[...key]
				.map((char, i) =>
					escapes[i % escapes.length]
						? `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`
						: JSON.stringify(char).slice(1, -1),
				)
				.join("");
		fc.assert(
			fc.property(
				keys,
				fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
				fc.string({ unit: "grapheme" }),
				fc.string({ unit: "grapheme" }),
				fc.jsonValue({ maxDepth: 2 }),
				(key, escapes, before, after, other) => {
					const inner = (text: string) => JSON.stringify(text).slice(1, -1);
					const text = `{"other":${JSON.stringify(other)},"said":"${inner(before)}${spelled(key, escapes)}${inner(after)}"}`;
					const parsed = JSON.parse(createScrubber(key)(text));
					expect(JSON.stringify(parsed)).not.toContain(inner(key));
					expect(parsed.said).not.toContain(key);
				},
			),
			{ numRuns: 2_000 },
		);
	});

	it("retryDelay is always a finite wait between 0 and 60 s", () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 100 }),
				headerMaps,
				fc.double({ min: 0, max: 1, noNaN: true }),
				(retry, map, random) => {
					const delay = retryDelay(
						retry,
						source(map),
						Date.now(),
						() => random,
					);
					expect(Number.isFinite(delay)).toBe(true);
					expect(delay).toBeGreaterThanOrEqual(0);
					expect(delay).toBeLessThanOrEqual(60_000);
				},
			),
			{ numRuns: 500 },
		);
	});
});
