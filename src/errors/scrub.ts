/**
 * Secret scrubbing: keeps the API key out of every error, log line and
 * serialisation, even when a gateway or proxy echoes it back.
 */

/** Replaces secrets in a text with `[redacted]`. */
export type Scrubber = (text: string) => string;

/** What a secret is replaced with. */
const REDACTED = "[redacted]";

// Anything shaped like an Atrium key, or a bearer credential, whoever's it
// is; JSON's "\/" counts as a "/" and a whole "\u00XX" escape as the letter it
// spells (a text cut short is no JSON to parse), but no other backslash and
// no quote: scrubbing raw JSON keeps it JSON.
const KEY_SHAPES =
	/sk-mng-(?:[\w.~+/=%-]|\\\/|\\u00[\dA-Fa-f]{2})+|(Bearer\s+)(?:[\w.~+/=-]|\\\/|\\u00[\dA-Fa-f]{2}){8,}/g;

// A JSON text may spell a key's letters as escapes ("\u0073k-mng-..."),
// which JSON.parse would turn back into the key: such a text is written out
// plainly first (the same JSON, meaning the same), so the patterns see it.
function plainJSON(text: string): string {
	try {
		return JSON.stringify(JSON.parse(text));
	} catch {
		return text;
	}
}

/**
 * Builds a scrubber for one API key: it removes the key itself, its
 * URL-encoded and JSON-escaped forms (in JSON, letters spelled as `\u00XX`
 * too), and anything shaped like an Atrium key or a bearer token. Raw JSON
 * scrubbed stays JSON.
 */
export function createScrubber(secret: string | undefined): Scrubber {
	// None holds a quote or a backslash but a "\/" (a key has neither), so
	// replacing them keeps raw JSON JSON, unless an escape's letter starts the
	// key ("\token", a tab then "oken", for the key "token"): a text that
	// spells a secret so loses its meaning, never its secret.
	// The escaped forms first: a key that starts with "/" is inside its own
	// "\/" form, which must go whole (neither escaped form holds the other).
	const forms = secret
		? [
				...new Set([
					secret.replaceAll("/", "\\/"),
					encodeURIComponent(secret),
					secret,
				]),
			].filter((form) => form.length >= 4)
		: [];
	return (text) => {
		if (text.includes("\\u00")) text = plainJSON(text);
		// Plain substring searches, much cheaper than the patterns: most texts
		// (a stream's every chunk) hold no key and are given back as they are.
		for (const form of forms) text = text.replaceAll(form, REDACTED);
		return text.includes("sk-mng-") || text.includes("Bearer")
			? text.replace(KEY_SHAPES, (_match, bearer: string | undefined) =>
					bearer ? bearer + REDACTED : REDACTED,
				)
			: text;
	};
}

// Values under these keys are secrets whatever they hold (headers in log data).
const SECRET_KEYS = new Set([
	"authorization",
	"proxy-authorization",
	"cookie",
	"set-cookie",
	"x-api-key",
]);

/**
 * Copies a JSON-like value with the key scrubbed from every string and object
 * key, and the values of secret keys (`Authorization`, cookies, `X-Api-Key`)
 * replaced. Frozen objects stay frozen; past 32 levels a value is replaced.
 */
export function scrubValue<T>(value: T, scrub: Scrubber, depth = 0): T {
	if (typeof value === "string") return scrub(value) as T;
	if (typeof value !== "object" || value === null) return value;
	if (depth > 32) return REDACTED as T;
	if (Array.isArray(value))
		return value.map((item) => scrubValue(item, scrub, depth + 1)) as T;
	// Own properties only, "__proto__" included: fromEntries defines them.
	const out = Object.fromEntries(
		Object.entries(value).map(([key, item]) => [
			scrub(key),
			SECRET_KEYS.has(key.toLowerCase())
				? REDACTED
				: scrubValue(item, scrub, depth + 1),
		]),
	);
	return (Object.isFrozen(value) ? Object.freeze(out) : out) as T;
}
