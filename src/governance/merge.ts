/**
 * Merging a stream's `governance` events into its governance record. Apart
 * from governance.ts so that only streaming code loads it.
 */
import {
	decimal,
	flag,
	freeze,
	type Governance,
	type TextScrubber,
	text,
} from "./parse.js";

// At most this many entries of a list are kept: a real one has a handful.
const MAX_LIST = 64;

function stringList(value: unknown, scrub: TextScrubber): string[] | undefined {
	if (!Array.isArray(value)) return undefined;
	const out: string[] = [];
	for (const item of value.slice(0, MAX_LIST))
		if (typeof item === "string" && item !== "") out.push(scrub(item));
	return out;
}

function nullableText(
	value: unknown,
	scrub: TextScrubber,
): string | null | undefined {
	if (value === null) return null;
	return typeof value === "string" ? text(scrub(value)) : undefined;
}

// Latency and cost: a finite number, never negative; a decimal string too.
function nullableNumber(value: unknown): number | null | undefined {
	if (value === null) return null;
	if (typeof value === "number")
		return Number.isFinite(value) && value >= 0 ? value : null;
	return typeof value === "string" ? decimal(value) : undefined;
}

function either<T>(update: T | undefined, base: T): T {
	return update === undefined ? base : update;
}

/**
 * Merges an update into a governance record and returns a new frozen record:
 * the data of a stream's `governance` event, the fields that changed in
 * snake_case. Fields missing or of the wrong type keep their value; strings
 * are scrubbed with `scrub`; never throws.
 */
export function mergeGovernance(
	base: Governance,
	update: unknown,
	scrub: TextScrubber,
): Governance {
	if (typeof update !== "object" || update === null) return base;
	const u = update as Record<string, unknown>;
	const detected = u.pii_detected;
	return freeze({
		audit_id: either(nullableText(u.audit_id, scrub), base.audit_id),
		pii_detected:
			typeof detected === "boolean"
				? detected
				: typeof detected === "string"
					? flag(detected)
					: base.pii_detected,
		pii_redacted: stringList(u.pii_redacted, scrub) ?? [...base.pii_redacted],
		policy_decision: either(
			nullableText(u.policy_decision, scrub),
			base.policy_decision,
		),
		provider: either(nullableText(u.provider, scrub), base.provider),
		latency_ms: either(nullableNumber(u.latency_ms), base.latency_ms),
		cost_idr: either(nullableNumber(u.cost_idr), base.cost_idr),
		security_incidents: stringList(u.security_incidents, scrub) ?? [
			...base.security_incidents,
		],
		block_reason: either(
			nullableText(u.block_reason, scrub),
			base.block_reason,
		),
	});
}
