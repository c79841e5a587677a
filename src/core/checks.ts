/**
 * The checks that turn bad options into an {@link InvalidInputError} that
 * says what to fix, before anything is sent, and the client's options after
 * defaults and environment variables.
 */
import { asRecord } from "../errors/mapping.js";
import { AuthError, InvalidInputError } from "../errors/tree.js";
import type { MetadataUpdate } from "../metadata/metadata.js";
import { readEnv } from "./env.js";
import type { Fetch } from "./gateway-client.js";
import {
	type AtriumOptions,
	type AtriumPlugin,
	DEFAULT_BASE_URL,
	DEFAULT_MAX_RESPONSE_BYTES,
	DEFAULT_MAX_RETRIES,
	DEFAULT_STREAM_FIRST_CHUNK_TIMEOUT,
	DEFAULT_STREAM_IDLE_TIMEOUT,
	DEFAULT_TIMEOUT,
} from "./options.js";

/** Client options after defaults and checks. */
export interface ResolvedOptions {
	readonly apiKey: string;
	readonly baseURL: string;
	readonly limits: Limits;
	readonly defaultHeaders: Readonly<Record<string, string>>;
	readonly fetch: Fetch | undefined;
	/** The client's metadata as given: checked, merged and encoded with the first call. */
	readonly metadata: MetadataUpdate | undefined;
	/** The client's plugins as given: each checked with the first call. */
	readonly plugins: readonly AtriumPlugin[];
}

/** A client's limits, each overridable per call. */
export interface Limits {
	readonly timeout: number;
	readonly maxRetries: number;
	readonly streamIdleTimeout: number;
	readonly streamFirstChunkTimeout: number;
	readonly maxResponseBytes: number;
}

// Timers hold 32-bit signed milliseconds: a longer one fires at once.
const MS = 2 ** 31 - 1;
const ANY = Number.MAX_SAFE_INTEGER;
// Each limit: the least, the most, the default.
const LIMITS: Record<keyof Limits, readonly [number, number, number]> = {
	timeout: [1, MS, DEFAULT_TIMEOUT],
	maxRetries: [0, ANY, DEFAULT_MAX_RETRIES],
	streamIdleTimeout: [1, MS, DEFAULT_STREAM_IDLE_TIMEOUT],
	streamFirstChunkTimeout: [1, MS, DEFAULT_STREAM_FIRST_CHUNK_TIMEOUT],
	maxResponseBytes: [1, ANY, DEFAULT_MAX_RESPONSE_BYTES],
};

/**
 * The limits `given` sets over `base` (or the defaults), each checked: a
 * whole number within its range. The message names the option and the
 * number given, or the type of anything else. Gives `base` itself when
 * `given` sets none (a call without limit options allocates nothing).
 */
export function checkLimits(
	given: Partial<Record<keyof Limits, unknown>>,
	base?: Limits,
): Limits {
	let out: Record<string, unknown> | undefined;
	for (const name in LIMITS) {
		const key = name as keyof Limits;
		const [least, most, fallback] = LIMITS[key];
		const value = given[key] ?? (base ? undefined : fallback);
		if (value === undefined) continue;
		if (
			!Number.isSafeInteger(value) ||
			(value as number) < least ||
			(value as number) > most
		) {
			throw new InvalidInputError(
				`${name} must be a whole number from ${least} to ${most}, got ${typeof value === "number" ? value : `a ${typeof value}`}`,
			);
		}
		out ??= { ...base };
		out[name] = value;
	}
	return (out ?? base) as Limits;
}

// RFC 9110 token characters.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Headers that frame the message or the connection (hop by hop): never the
// caller's to set.
const FORBIDDEN_NAME =
	/^(host|content-length|transfer-encoding|connection|keep-alive|upgrade|expect|te|trailer|proxy-connection)$/i;
// No control characters (CR, LF and NUL would smuggle another header or
// request) and nothing past Latin-1, which a header cannot carry; tab is fine.
const LATIN1 = /^[\t\x20-\x7e\x80-\xff]*$/;
/**
 * What an id or a key may hold: 1 to 255 printable ASCII characters, no
 * spaces, quotes or backslashes (a key's echo is then scrubbed from raw JSON
 * without breaking it).
 */
export const ASCII_ID = /^[!#-[\]-~]{1,255}$/;

/**
 * Checks one header: a name the caller may set, and a string value that
 * `rule` accepts (by default: no control character, nothing past U+00FF).
 * The message names the header but never echoes its value.
 */
export function checkHeader(
	source: string,
	name: string,
	value: unknown,
	rule = LATIN1,
): void {
	if (!HEADER_NAME.test(name) || FORBIDDEN_NAME.test(name)) {
		throw new InvalidInputError(
			`${source}: ${JSON.stringify(name)} is not a header you may set`,
		);
	}
	if (typeof value !== "string") {
		throw new InvalidInputError(
			`${source}["${name}"] must be a string, got ${typeof value}`,
		);
	}
	if (!rule.test(value)) {
		throw new InvalidInputError(
			rule === LATIN1
				? `${source}["${name}"] has a control character (CR, LF, ...) or one above U+00FF: remove it`
				: `${source} must be 1 to 255 printable ASCII characters, no spaces, quotes or backslashes`,
		);
	}
}

/** Checks a header map: an object of valid names to safe string values. */
export function checkHeaders(
	source: string,
	value: unknown,
): Record<string, string> {
	const headers = checkOptions<Record<string, string>>(source, value);
	for (const [name, item] of Object.entries(headers)) {
		checkHeader(source, name, item);
	}
	return headers;
}

/** Checks an options object: undefined gives `{}`. */
export function checkOptions<T extends object>(
	source: string,
	value: unknown,
): T {
	if (value === undefined) return {} as T;
	if (!asRecord(value))
		throw new InvalidInputError(`${source} must be an object`);
	return value as T;
}

// http(s), a host without credentials (they would show in messages), a path
// without a query or fragment (they would break the call's URL).
const BASE_URL = /^https?:\/\/[^/?#@\s]+(\/[^?#\s]*)?$/i;

function checkBaseURL(value: unknown): string {
	if (
		typeof value !== "string" ||
		!BASE_URL.test(value) ||
		!URL.canParse(value)
	)
		throw new InvalidInputError(
			"baseURL must be an http(s) URL without credentials, query or fragment",
		);
	return value.replace(/\/+$/, "");
}

/** Applies defaults and environment variables, and checks every option. */
export function resolveOptions(options: AtriumOptions): ResolvedOptions {
	const apiKey =
		options.apiKey ?? readEnv("ATRIUM_API_KEY") ?? readEnv("MONAGO_API_KEY");
	if (apiKey !== undefined && typeof apiKey !== "string") {
		throw new InvalidInputError(
			`apiKey must be a string, got ${typeof apiKey}`,
		);
	}
	if (!apiKey) {
		throw new AuthError(
			"No API key: pass { apiKey } or set ATRIUM_API_KEY (or MONAGO_API_KEY)",
		);
	}
	// fetch trims a header value: a key sent trimmed must be known trimmed.
	const key = apiKey.trim();
	checkHeader("apiKey", "Authorization", key, ASCII_ID);
	if (options.fetch !== undefined && typeof options.fetch !== "function") {
		throw new InvalidInputError("fetch must be a function");
	}
	if (options.plugins && !Array.isArray(options.plugins))
		throw new InvalidInputError("plugins must be an array");
	return {
		apiKey: key,
		baseURL: checkBaseURL(
			options.baseURL ?? readEnv("ATRIUM_BASE_URL") ?? DEFAULT_BASE_URL,
		),
		limits: checkLimits(options),
		defaultHeaders: checkHeaders("defaultHeaders", options.defaultHeaders),
		fetch: options.fetch,
		// Checked with the first call (the code that checks them loads then).
		metadata: options.metadata,
		plugins: [...(options.plugins ?? [])],
	};
}
