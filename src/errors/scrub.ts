/**
 * Secret scrubbing: keeps the API key out of every error, log line and
 * serialisation, even when a gateway or proxy echoes it back.
 */

/** Replaces secrets in a text with `[redacted]`. */
export type Scrubber = (text: string) => string;

/** What a secret is replaced with. */
const REDACTED = "[redacted]";

// Anything shaped like an Atrium key, or a bearer credential, whoever's it
// is; a backslash too, as JSON escapes a key's "/" as "\/".
const KEY_SHAPES =
	/sk-mng-[A-Za-z0-9._~+/=%\\-]+|(Bearer\s+)[A-Za-z0-9._~+/=\\-]{8,}/g;

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Builds a scrubber for one API key: it removes the key itself, its
 * URL-encoded and JSON-escaped forms, and anything shaped like an Atrium key
 * or a bearer token.
 */
export function createScrubber(secret: string | undefined): Scrubber {
	const forms = secret
		? [
				...new Set([
					secret,
					encodeURIComponent(secret),
					JSON.stringify(secret).slice(1, -1).replaceAll("/", "\\/"),
				]),
			].filter((form) => form.length >= 4)
		: [];
	// "(?!)" never matches: a client without a key scrubs shapes only.
	const exact = new RegExp(forms.map(escapeRegExp).join("|") || "(?!)", "g");
	// A text holding none of these has nothing to scrub: plain substring
	// searches are much cheaper than the patterns, and most texts (a stream's
	// every chunk) hold none.
	const needles = ["sk-mng-", "Bearer", ...forms];
	return (text) => {
		for (const needle of needles)
			if (text.includes(needle))
				return text
					.replace(exact, REDACTED)
					.replace(KEY_SHAPES, (_match, bearer: string | undefined) =>
						bearer ? bearer + REDACTED : REDACTED,
					);
		return text;
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
