/**
 * Bounds for what goes on a span: values off the wire are hostile, so every
 * string is cut, every list is capped and every number is checked before it
 * becomes an attribute.
 */

/** Characters of an id, a model name, a label or any other short value. */
export const SHORT = 256;
/** Characters of a free-text value: a block reason, an explanation, a status message. */
export const LONG = 1024;
/** Items of a list attribute (finish reasons, redacted PII types, stop sequences). */
export const ITEMS = 32;

/** The value cut to `max` characters (an ellipsis marks a cut), or undefined when it is not a non-empty string. */
export function text(value: unknown, max = SHORT): string | undefined {
	if (typeof value !== "string" || value === "") return undefined;
	return value.length <= max ? value : cut(value, max);
}

/** `value` cut to at most `max` characters, the last one an ellipsis, never splitting a surrogate pair. */
export function cut(value: string, max: number): string {
	if (value.length <= max) return value;
	if (max <= 0) return "";
	let end = max - 1;
	const code = value.charCodeAt(end - 1);
	if (code >= 0xd800 && code <= 0xdbff) end--;
	return `${value.slice(0, end)}…`;
}

/** Up to {@link ITEMS} non-empty strings of a list, each cut; undefined when none. */
export function texts(value: unknown, max = SHORT): string[] | undefined {
	if (typeof value === "string") {
		const one = text(value, max);
		return one === undefined ? undefined : [one];
	}
	if (!Array.isArray(value)) return undefined;
	const out: string[] = [];
	for (let i = 0; i < value.length && out.length < ITEMS; i++) {
		const item = text(value[i], max);
		if (item !== undefined) out.push(item);
	}
	return out.length ? out : undefined;
}

/** A finite number, else undefined. */
export function number(value: unknown): number | undefined {
	return typeof value === "number" && Number.isFinite(value)
		? value
		: undefined;
}

/** A non-negative safe integer (a token count, a seed's magnitude aside), else undefined. */
export function count(value: unknown): number | undefined {
	return Number.isSafeInteger(value) && (value as number) >= 0
		? (value as number)
		: undefined;
}

/** A safe integer of either sign, else undefined. */
export function integer(value: unknown): number | undefined {
	return Number.isSafeInteger(value) ? (value as number) : undefined;
}

/** A plain object's fields, or undefined when `value` is not one. */
export function record(value: unknown): Record<string, unknown> | undefined {
	return typeof value === "object" && value !== null && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: undefined;
}
