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
	DEFAULT_MAX_RETRIES,
	DEFAULT_STREAM_IDLE_TIMEOUT,
	DEFAULT_TIMEOUT,
} from "./options.js";

/** Client options after defaults and checks. */
export interface ResolvedOptions {
	readonly apiKey: string;
	readonly baseURL: string;
	readonly timeout: number;
	readonly maxRetries: number;
	readonly streamIdleTimeout: number;
	readonly defaultHeaders: Readonly<Record<string, string>>;
	readonly fetch: Fetch | undefined;
	/** The client's metadata as given: checked, merged and encoded with the first call. */
	readonly metadata: MetadataUpdate | undefined;
	/** The client's plugins as given: each checked with the first call. */
	readonly plugins: readonly AtriumPlugin[];
}

/** Checks a duration in milliseconds: a finite number above zero. */
export function checkTimeout(
	name: string,
	value: unknown,
	fallback?: number,
): number {
	value ??= fallback;
	if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
		throw new InvalidInputError(
			`${name} must be milliseconds above 0, got ${value}`,
		);
	}
	return value;
}

/** Checks a retry count: a whole number, 0 or more. */
export function checkRetries(
	name: string,
	value: unknown,
	fallback?: number,
): number {
	value ??= fallback;
	if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
		throw new InvalidInputError(
			`${name} must be a whole number >= 0, got ${value}`,
		);
	}
	return value;
}

// RFC 9110 token characters.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// CR, LF and NUL would let a value smuggle another header or request.
const UNSAFE_VALUE = /[\r\n\0]/;

/** Checks one header; the message names the header but never echoes its value. */
export function checkHeader(
	source: string,
	name: string,
	value: unknown,
): void {
	if (!HEADER_NAME.test(name)) {
		throw new InvalidInputError(
			`${source}: ${JSON.stringify(name)} is not a valid header name`,
		);
	}
	if (typeof value !== "string") {
		throw new InvalidInputError(
			`${source}["${name}"] must be a string, got ${typeof value}`,
		);
	}
	if (UNSAFE_VALUE.test(value)) {
		throw new InvalidInputError(
			`${source}["${name}"] contains a CR, LF or NUL character: remove it`,
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

function checkBaseURL(value: string): string {
	if (!/^https?:\/\/[^/]/i.test(value) || !URL.canParse(value)) {
		throw new InvalidInputError(
			`baseURL must be an http(s) URL, got "${value}"`,
		);
	}
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
	if (UNSAFE_VALUE.test(apiKey)) {
		throw new InvalidInputError(
			"apiKey contains a CR, LF or NUL character: remove it",
		);
	}
	if (options.fetch !== undefined && typeof options.fetch !== "function") {
		throw new InvalidInputError("fetch must be a function");
	}
	const { metadata, plugins } = options;
	if (metadata !== undefined) checkOptions("metadata", metadata);
	if (plugins !== undefined && !Array.isArray(plugins)) {
		throw new InvalidInputError("plugins must be an array");
	}
	return {
		apiKey,
		baseURL: checkBaseURL(
			options.baseURL ?? readEnv("ATRIUM_BASE_URL") ?? DEFAULT_BASE_URL,
		),
		timeout: checkTimeout("timeout", options.timeout, DEFAULT_TIMEOUT),
		maxRetries: checkRetries(
			"maxRetries",
			options.maxRetries,
			DEFAULT_MAX_RETRIES,
		),
		streamIdleTimeout: checkTimeout(
			"streamIdleTimeout",
			options.streamIdleTimeout,
			DEFAULT_STREAM_IDLE_TIMEOUT,
		),
		defaultHeaders: checkHeaders("defaultHeaders", options.defaultHeaders),
		fetch: options.fetch,
		metadata,
		plugins: [...(plugins ?? [])],
	};
}
