/**
 * Canonical JSON: one text for one value, whoever writes it, so a record's
 * hash can be computed again from the record alone. Keys are sorted by UTF-16
 * code units (as RFC 8785 sorts them), there is no whitespace, strings and
 * numbers are written as `JSON.stringify` writes them, and a key whose value
 * is `undefined` is left out. Strict and bounded: a value that is not JSON
 * data, nests too deep or writes too much is refused, never cut (a cut would
 * let two different records hash alike).
 */

/** The bounds of canonical JSON: nesting depth, and characters written. */
export const CANONICAL_LIMITS = Object.freeze({
	/** Levels of arrays and objects at most. */
	depth: 32,
	/** Characters written at most. */
	chars: 1_048_576,
});

function plain(value: object): boolean {
	const proto = Object.getPrototypeOf(value);
	return proto === Object.prototype || proto === null;
}

/**
 * The canonical JSON text of `value`: JSON data (null, booleans, finite
 * numbers, strings, arrays and plain objects) only.
 *
 * @throws {TypeError} for a value that is not JSON data, nests deeper than
 *   {@link CANONICAL_LIMITS}`.depth` or writes more than `.chars` characters.
 */
export function canonicalJson(value: unknown): string {
	const parts: string[] = [];
	let size = 0;
	const push = (text: string): undefined => {
		size += text.length;
		if (size > CANONICAL_LIMITS.chars)
			throw new TypeError(
				`canonical JSON: more than ${CANONICAL_LIMITS.chars} characters`,
			);
		parts.push(text);
	};
	const write = (item: unknown, depth: number): undefined => {
		if (item === null) return push("null");
		switch (typeof item) {
			case "boolean":
				return push(item ? "true" : "false");
			case "number":
				if (!Number.isFinite(item))
					throw new TypeError("canonical JSON: a number that is not finite");
				return push(JSON.stringify(item));
			case "string":
				return push(JSON.stringify(item));
			case "object":
				break;
			default:
				throw new TypeError(
					`canonical JSON: a ${typeof item} is not JSON data`,
				);
		}
		if (depth >= CANONICAL_LIMITS.depth)
			throw new TypeError(
				`canonical JSON: nested deeper than ${CANONICAL_LIMITS.depth}`,
			);
		if (Array.isArray(item)) {
			push("[");
			for (let i = 0; i < item.length; i++) {
				if (i) push(",");
				// As JSON writes it: a hole or undefined in an array is null.
				write(item[i] ?? null, depth + 1);
			}
			return push("]");
		}
		if (!plain(item))
			throw new TypeError("canonical JSON: an object that is not plain data");
		const record = item as Record<string, unknown>;
		// Each value read once: a getter cannot show one value to one reading and another to the next.
		const entries: [string, unknown][] = [];
		for (const key of Object.keys(record)) {
			const entry = record[key];
			if (entry !== undefined) entries.push([key, entry]);
		}
		// Keys are unique: by UTF-16 code units, as `sort()` orders strings.
		entries.sort(([a], [b]) => (a < b ? -1 : 1));
		push("{");
		entries.forEach(([key, entry], i) => {
			push(i ? `,${JSON.stringify(key)}:` : `${JSON.stringify(key)}:`);
			write(entry, depth + 1);
		});
		push("}");
	};
	write(value, 0);
	return parts.join("");
}
