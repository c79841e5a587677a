/**
 * Secret scrubbing: keeps the API key out of every error, log line and
 * serialisation, even when a gateway or proxy echoes it back.
 */

/** Replaces secrets in a text with `[redacted]`. */
export type Scrubber = (text: string) => string;

/** What a secret is replaced with. */
export const REDACTED = "[redacted]";

// Anything shaped like an Atrium key, or a bearer credential, whoever's it is.
const KEY_SHAPES =
	/sk-mng-[A-Za-z0-9._~+/=%-]+|(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/g;

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Builds a scrubber for one API key: it removes the key itself, its
 * URL-encoded form, and anything shaped like an Atrium key or a bearer token.
 */
export function createScrubber(secret: string | undefined): Scrubber {
	const forms = secret
		? [...new Set([secret, encodeURIComponent(secret)])].filter(
				(form) => form.length >= 4,
			)
		: [];
	const exact = forms.length
		? new RegExp(forms.map(escapeRegExp).join("|"), "g")
		: null;
	return (text) => {
		const once = exact ? text.replace(exact, REDACTED) : text;
		return once.replace(KEY_SHAPES, (_match, bearer: string | undefined) =>
			bearer ? bearer + REDACTED : REDACTED,
		);
	};
}

/**
 * Scrubs every string (and object key) inside a JSON-like value. Returns the
 * value itself when it holds no secret, so the common case copies nothing.
 */
export function scrubValue<T>(value: T, scrub: Scrubber): T {
	if (typeof value === "string") return scrub(value) as T;
	if (typeof value !== "object" || value === null) return value;
	let serialised: string;
	try {
		serialised = JSON.stringify(value);
	} catch {
		return value;
	}
	if (serialised === undefined || scrub(serialised) === serialised)
		return value;
	return deepScrub(value, scrub) as T;
}

function deepScrub(value: unknown, scrub: Scrubber): unknown {
	if (typeof value === "string") return scrub(value);
	if (Array.isArray(value)) return value.map((item) => deepScrub(item, scrub));
	if (typeof value === "object" && value !== null) {
		const out: Record<string, unknown> = {};
		for (const [key, item] of Object.entries(value))
			out[scrub(key)] = deepScrub(item, scrub);
		return Object.isFrozen(value) ? Object.freeze(out) : out;
	}
	return value;
}
