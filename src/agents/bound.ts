/**
 * What goes into a trail record from values the run did not make (tool
 * arguments and results, the gateway's governance, error texts): copied into
 * plain JSON data and bounded, so a record is never huge and its canonical
 * JSON never fails; or summarised as types, sizes and keys, without values.
 */

/** Bounds of a value written into a record. */
export const TRAIL_VALUE_LIMITS = Object.freeze({
	/** Nesting depth kept; deeper values become a marker. */
	depth: 8,
	/** Items of an array and keys of an object kept. */
	items: 100,
	/** Characters of a string (and of a key) kept. */
	chars: 4_000,
	/** Characters of strings and keys over the whole value. */
	total: 65_536,
});

/** The token counts of a run's usage. */
export const TOKENS = [
	"prompt_tokens",
	"completion_tokens",
	"total_tokens",
] as const;

/** `a + b` for counts off the wire (costs, tokens): one that is not a finite number >= 0 adds nothing, and the sum stays at most `Number.MAX_VALUE`, so a record holds JSON numbers only. */
export function capped(a: number, b: number): number {
	const sum = typeof b === "number" && Number.isFinite(b) && b >= 0 ? a + b : a;
	return sum > Number.MAX_VALUE ? Number.MAX_VALUE : sum;
}

/** Keys a summary lists at most, each at most 64 characters. */
const SUMMARY_KEYS = 32;
const KEY_CHARS = 64;

// Anything shaped like an Atrium key or a bearer credential. The core scrubs
// the client's own key from what the gateway sends; a tool's result or error
// text, or an error thrown by the caller's code, reaches the trail without
// passing the core, so the trail scrubs them by shape.
const KEY_SHAPES = /sk-mng-[\w.~+/=%-]+|(Bearer\s+)[\w.~+/=%-]{8,}/g;

/** `text` with key-shaped secrets (`sk-mng-...`, `Bearer ...`) replaced by `[redacted]`. */
export function scrubKeys(text: string): string {
	return text.replace(KEY_SHAPES, (_match, bearer: string | undefined) =>
		bearer ? `${bearer}[redacted]` : "[redacted]",
	);
}

/** A text scrubbed of key-shaped secrets and cut to `limit` characters, saying how much was cut. */
export function cut(text: string, limit: number): string {
	const clean = scrubKeys(text);
	return clean.length > limit
		? `${clean.slice(0, limit)}…(+${clean.length - limit} characters)`
		: clean;
}

function set(target: Record<string, unknown>, key: string, value: unknown) {
	// An own property even for "__proto__": never the prototype's setter.
	Object.defineProperty(target, key, {
		value,
		enumerable: true,
		writable: true,
		configurable: true,
	});
}

/**
 * `value` as bounded JSON data: what `JSON.stringify` would write (`toJSON`
 * called, functions and symbols left out, non-finite numbers as null), with
 * bigints as text and every bound of {@link TRAIL_VALUE_LIMITS} applied with
 * a marker where something was cut. Never throws.
 */
export function trailValue(value: unknown): unknown {
	let budget = TRAIL_VALUE_LIMITS.total;
	const text = (s: string) => {
		const kept = cut(
			s,
			Math.max(0, Math.min(TRAIL_VALUE_LIMITS.chars, budget)),
		);
		budget -= Math.min(s.length, TRAIL_VALUE_LIMITS.chars);
		return kept;
	};
	const copy = (item: unknown, depth: number): unknown => {
		if (item === null || item === undefined) return null;
		if (typeof item === "string") return text(item);
		if (typeof item === "number") return Number.isFinite(item) ? item : null;
		if (typeof item === "boolean") return item;
		if (typeof item === "bigint") return item.toString();
		if (typeof item !== "object") return null;
		const json = (item as { toJSON?: unknown }).toJSON;
		if (typeof json === "function") return copy(json.call(item), depth);
		if (depth >= TRAIL_VALUE_LIMITS.depth)
			return `…(nested deeper than ${TRAIL_VALUE_LIMITS.depth})`;
		if (budget <= 0) return "…(cut: the value is too large)";
		if (Array.isArray(item)) {
			const out = item
				.slice(0, TRAIL_VALUE_LIMITS.items)
				.map((entry) => copy(entry, depth + 1));
			if (item.length > TRAIL_VALUE_LIMITS.items)
				out.push(`…(+${item.length - TRAIL_VALUE_LIMITS.items} items)`);
			return out;
		}
		const out: Record<string, unknown> = {};
		const keys = Object.keys(item).sort();
		for (const key of keys.slice(0, TRAIL_VALUE_LIMITS.items)) {
			const entry = (item as Record<string, unknown>)[key];
			if (
				entry === undefined ||
				typeof entry === "function" ||
				typeof entry === "symbol"
			)
				continue;
			set(out, text(key), copy(entry, depth + 1));
		}
		if (keys.length > TRAIL_VALUE_LIMITS.items)
			set(out, "…", `+${keys.length - TRAIL_VALUE_LIMITS.items} keys`);
		return out;
	};
	try {
		return copy(value, 0);
	} catch {
		// A getter or toJSON that throws.
		return "…(unreadable)";
	}
}

/**
 * What the `"summary"` audit keeps of a value: its type and size (`chars` of
 * a string, `items` of an array, the sorted top-level `keys` of an object),
 * never a value.
 */
export function summarise(value: unknown): unknown {
	if (value === null || value === undefined) return { type: "null" };
	if (typeof value === "string") return { type: "string", chars: value.length };
	if (Array.isArray(value)) return { type: "array", items: value.length };
	if (typeof value !== "object") return { type: typeof value };
	let keys: string[];
	try {
		keys = Object.keys(value).sort();
	} catch {
		return { type: "object" };
	}
	return {
		type: "object",
		keys: keys.slice(0, SUMMARY_KEYS).map((key) => cut(key, KEY_CHARS)),
		...(keys.length > SUMMARY_KEYS
			? { more_keys: keys.length - SUMMARY_KEYS }
			: {}),
	};
}
