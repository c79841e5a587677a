/**
 * Client and per-request options: their documented defaults, and the checks
 * that turn bad input into an {@link InvalidInputError} that says what to fix.
 */

import { AuthError, InvalidInputError } from "../errors/tree.js";
import { readEnv } from "./env.js";
import type { Fetch } from "./gateway-client.js";
import type { Logger, LogLevel } from "./logger.js";

/** The gateway's production URL. */
export const DEFAULT_BASE_URL = "https://api.monago.io/v1";
/** Milliseconds a call may take, head and body, before it fails with `TimeoutError`. */
export const DEFAULT_TIMEOUT = 60_000;
/** Retries after the first attempt. */
export const DEFAULT_MAX_RETRIES = 2;
/** Milliseconds a stream may go without a byte (keep-alive comments count) before it fails with `TimeoutError`. */
export const DEFAULT_STREAM_IDLE_TIMEOUT = 120_000;

/** Options of the {@link Atrium} client. Every one has a documented default. */
export interface AtriumOptions {
	/** API key (`sk-mng-...`). Default: env `ATRIUM_API_KEY`, then `MONAGO_API_KEY`. */
	apiKey?: string | undefined;
	/** Gateway base URL. Default: env `ATRIUM_BASE_URL`, then `https://api.monago.io/v1`. */
	baseURL?: string | undefined;
	/** Milliseconds per attempt, head and body. Default 60000. */
	timeout?: number | undefined;
	/** Retries after the first attempt; `0` means one attempt. Default 2. */
	maxRetries?: number | undefined;
	/** Milliseconds a stream may go without a byte before it fails with `TimeoutError`. Default 120000. */
	streamIdleTimeout?: number | undefined;
	/** Headers sent on every request. */
	defaultHeaders?: Record<string, string> | undefined;
	/** The fetch to use. Default: `globalThis.fetch`. */
	fetch?: Fetch | undefined;
	/** How much to log. Default: env `ATRIUM_LOG`, then `"warn"`. */
	logLevel?: LogLevel | undefined;
	/** Where log lines go. Default: `console`. Secrets are redacted before it sees them. */
	logger?: Logger | undefined;
	/**
	 * Allow the client in a browser, where every page visitor can read the
	 * key. Only for keys meant to be public to those visitors. Default false.
	 */
	dangerouslyAllowBrowser?: boolean | undefined;
}

/** Options of one call; each overrides the client's for that call only. */
export interface RequestOptions {
	/** Aborts the call; it then rejects with `AbortError` and is never retried. */
	signal?: AbortSignal | undefined;
	/** Milliseconds per attempt of this call, head and body. */
	timeout?: number | undefined;
	/** Retries after the first attempt for this call. */
	maxRetries?: number | undefined;
	/** Milliseconds this stream may go without a byte. */
	streamIdleTimeout?: number | undefined;
	/** Extra headers for this call. */
	headers?: Record<string, string> | undefined;
	/** The `Idempotency-Key` of this call, the same on every retry. Default: a random UUID per call. */
	idempotencyKey?: string | undefined;
}

/** Client options after defaults and checks. */
export interface ResolvedOptions {
	readonly apiKey: string;
	readonly baseURL: string;
	readonly timeout: number;
	readonly maxRetries: number;
	readonly streamIdleTimeout: number;
	readonly defaultHeaders: Readonly<Record<string, string>>;
	readonly fetch: Fetch | undefined;
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
	if (value === undefined) return {};
	if (typeof value !== "object" || value === null || Array.isArray(value)) {
		throw new InvalidInputError(`${source} must be an object of strings`);
	}
	for (const [name, item] of Object.entries(value)) {
		checkHeader(source, name, item);
	}
	return value as Record<string, string>;
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
	};
}
