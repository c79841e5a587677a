/**
 * Governance: what the gateway decided about a call, parsed from its
 * `X-Monago-*` response headers. Pure and total: parsing never throws.
 */

/**
 * The gateway's governance record for one call. Field names are snake_case,
 * the same as the Python SDK, so an audit record serialised by either has one
 * shape. Always frozen.
 */
export interface Governance {
	/** Id of the gateway's audit record for this call; null when not sent. */
	readonly audit_id: string | null;
	/** Whether the gateway found PII in the request. */
	readonly pii_detected: boolean;
	/** PII types the gateway redacted, e.g. `["NIK", "EMAIL"]`. */
	readonly pii_redacted: readonly string[];
	/** The policy decision, e.g. `allowed`, `blocked`, `redacted`; null when not sent. */
	readonly policy_decision: string | null;
	/** The upstream provider that served the call, e.g. `openai`. */
	readonly provider: string | null;
	/** Gateway latency in milliseconds; null when missing or unparseable (never NaN). */
	readonly latency_ms: number | null;
	/** Cost of the call in rupiah; null when missing or unparseable. */
	readonly cost_idr: number | null;
	/** Security incidents, e.g. `["prompt_injection", "jailbreak_attempt"]`. */
	readonly security_incidents: readonly string[];
	/** Human-readable reason for a block, e.g. `PII detected: NIK`. */
	readonly block_reason: string | null;
	/** True exactly when `policy_decision` is `"blocked"`. */
	readonly blocked: boolean;
}

/** Anything with a case-insensitive `get`, such as a fetch `Headers`. */
export interface HeaderSource {
	/** The header's value, or null when it is missing. */
	get(name: string): string | null;
}

const TRUTHY = new Set(["1", "true", "yes", "y", "t"]);

/** @internal */
export function text(value: string | null | undefined): string | null {
	return value ? value : null;
}

/** Replaces secrets in a text; parsing takes one so that nothing from the wire keeps the key. */
export type TextScrubber = (text: string) => string;

const keep: TextScrubber = (value) => value;

// Most calls redact nothing: they share one frozen empty list.
/** One shared frozen empty list, for every empty list the SDK hands out. @internal */
export const NONE: readonly never[] = /* @__PURE__ */ Object.freeze([]);

function list(value: string | null | undefined): readonly string[] {
	if (!value) return NONE;
	const out: string[] = [];
	// A real list has a handful of entries: at most 64 are kept.
	for (const part of value.split(",", 256)) {
		const trimmed = part.trim();
		if (trimmed && out.push(trimmed) >= 64) break;
	}
	return out.length ? out : NONE;
}

/** @internal */
export function decimal(value: string | null | undefined): number | null {
	// Longer than any real amount: refused before any pattern work.
	if (!value || value.length > 64) return null;
	const trimmed = value.trim();
	// Number("") is 0 and Number("0x10") is 16: only plain decimals count, and
	// latency and cost are never negative.
	if (!/^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return null;
	const parsed = Number(trimmed);
	return Number.isFinite(parsed) ? parsed : null;
}

/** @internal */
export function flag(value: string | null | undefined): boolean {
	return value ? TRUTHY.has(value.trim().toLowerCase()) : false;
}

/** @internal */
export function freeze(fields: Omit<Governance, "blocked">): Governance {
	Object.freeze(fields.pii_redacted);
	Object.freeze(fields.security_incidents);
	const record = fields as { -readonly [K in keyof Governance]: Governance[K] };
	record.blocked = fields.policy_decision === "blocked";
	return Object.freeze(record);
}

function safeGet(
	headers: HeaderSource | null | undefined,
	name: string,
	scrub: TextScrubber,
): string | null {
	try {
		const value = headers?.get(name);
		return typeof value === "string" ? scrub(value) : null;
	} catch {
		return null;
	}
}

/**
 * Parses the `X-Monago-*` headers of a response into a frozen
 * {@link Governance}, following the gateway's rules: missing or empty text is
 * null, lists split on commas, numbers that do not parse are null. With
 * `scrub`, every value is scrubbed of secrets first (the SDK passes its
 * key's scrubber, so a gateway that echoes the key never leaks it).
 *
 * @example
 * const governance = parseGovernance(response.headers);
 * if (governance.pii_detected) console.log(governance.pii_redacted);
 */
export function parseGovernance(
	headers: HeaderSource | null | undefined,
	scrub: TextScrubber = keep,
): Governance {
	// Whole literal names: a name built per call costs a string each time.
	const get = (name: string) => safeGet(headers, name, scrub);
	return freeze({
		audit_id: text(get("x-monago-audit-id")),
		pii_detected: flag(get("x-monago-pii-detected")),
		pii_redacted: list(get("x-monago-pii-redacted")),
		policy_decision: text(get("x-monago-policy-decision")),
		provider: text(get("x-monago-provider")),
		latency_ms: decimal(get("x-monago-latency-ms")),
		cost_idr: decimal(get("x-monago-cost-idr")),
		security_incidents: list(get("x-monago-security-incident")),
		block_reason: text(get("x-monago-block-reason")),
	});
}

/** Governance with every field empty: for errors that never reached the gateway. */
export function emptyGovernance(): Governance {
	return parseGovernance(null);
}

/**
 * One attempt of a call, for the audit trail: the gateway writes an audit
 * record per attempt, so a retried call has several.
 */
export interface AttemptRecord {
	/** 1 for the first attempt. */
	readonly attempt: number;
	/** HTTP status; null when no response came (network failure, timeout). */
	readonly status_code: number | null;
	/** The audit record id of this attempt; null when none. */
	readonly audit_id: string | null;
	/** The error class this attempt failed with; null when it succeeded. */
	readonly error: string | null;
	/** The attempt's whole governance record. */
	readonly governance: Governance;
}
