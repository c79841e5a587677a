/**
 * Merging a stream's `governance` events into its governance record. Apart
 * from governance.ts so that only streaming code loads it.
 */
import { decimal, flag, freeze, type Governance, text } from "./parse.js";

function stringList(value: unknown): string[] | undefined {
	return Array.isArray(value)
		? value.filter(
				(item): item is string => typeof item === "string" && item !== "",
			)
		: undefined;
}

function nullableText(value: unknown): string | null | undefined {
	if (value === null) return null;
	return typeof value === "string" ? text(value) : undefined;
}

function nullableNumber(value: unknown): number | null | undefined {
	if (value === null) return null;
	if (typeof value === "number") return Number.isFinite(value) ? value : null;
	return typeof value === "string" ? decimal(value) : undefined;
}

function either<T>(update: T | undefined, base: T): T {
	return update === undefined ? base : update;
}

/**
 * Merges an update into a governance record and returns a new frozen record:
 * the data of a stream's `governance` event, the fields that changed in
 * snake_case. Fields missing or of the wrong type keep their value; never throws.
 */
export function mergeGovernance(base: Governance, update: unknown): Governance {
	if (typeof update !== "object" || update === null) return base;
	const u = update as Record<string, unknown>;
	const detected = u.pii_detected;
	return freeze({
		audit_id: either(nullableText(u.audit_id), base.audit_id),
		pii_detected:
			typeof detected === "boolean"
				? detected
				: typeof detected === "string"
					? flag(detected)
					: base.pii_detected,
		pii_redacted: stringList(u.pii_redacted) ?? [...base.pii_redacted],
		policy_decision: either(
			nullableText(u.policy_decision),
			base.policy_decision,
		),
		provider: either(nullableText(u.provider), base.provider),
		latency_ms: either(nullableNumber(u.latency_ms), base.latency_ms),
		cost_idr: either(nullableNumber(u.cost_idr), base.cost_idr),
		security_incidents: stringList(u.security_incidents) ?? [
			...base.security_incidents,
		],
		block_reason: either(nullableText(u.block_reason), base.block_reason),
	});
}
