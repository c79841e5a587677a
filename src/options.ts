/**
 * Client and per-request options: their documented defaults, and the checks
 * that turn bad input into an {@link InvalidInputError} that says what to fix.
 */
import { readEnv } from "./env.js";
import { AuthError, InvalidInputError } from "./errors.js";
import type { Fetch } from "./transport.js";

/** The gateway's production URL. */
export const DEFAULT_BASE_URL = "https://api.monago.io/v1";
/** Milliseconds a call may take, head and body, before it fails with `TimeoutError`. */
export const DEFAULT_TIMEOUT = 60_000;
/** Retries after the first attempt. */
export const DEFAULT_MAX_RETRIES = 2;

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
	/** Headers sent on every request. */
	defaultHeaders?: Record<string, string> | undefined;
	/** The fetch to use. Default: `globalThis.fetch`. */
	fetch?: Fetch | undefined;
}

/** Options of one call; each overrides the client's for that call only. */
export interface RequestOptions {
	/** Aborts the call; it then rejects with `AbortError` and is never retried. */
	signal?: AbortSignal | undefined;
	/** Milliseconds for this call, head and body. */
	timeout?: number | undefined;
	/** Extra headers for this call. */
	headers?: Record<string, string> | undefined;
}

/** Client options after defaults and checks. */
export interface ResolvedOptions {
	readonly apiKey: string;
	readonly baseURL: string;
	readonly timeout: number;
	readonly maxRetries: number;
	readonly defaultHeaders: Readonly<Record<string, string>>;
	readonly fetch: Fetch | undefined;
}

/** Checks a duration in milliseconds: a finite number above zero. */
export function checkTimeout(name: string, value: unknown): number {
	if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
		throw new InvalidInputError(
			`${name} must be a finite number of milliseconds above 0, got ${String(value)}`,
		);
	}
	return value;
}

/** Checks a retry count: a whole number, 0 or more. */
export function checkRetries(name: string, value: unknown): number {
	if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
		throw new InvalidInputError(
			`${name} must be a whole number, 0 or more, got ${String(value)}`,
		);
	}
	return value;
}

/** Checks a header map: an object of string values. */
export function checkHeaders(
	name: string,
	value: unknown,
): Record<string, string> {
	if (value === undefined) return {};
	if (typeof value !== "object" || value === null || Array.isArray(value)) {
		throw new InvalidInputError(
			`${name} must be an object of header names to string values`,
		);
	}
	for (const [key, item] of Object.entries(value)) {
		if (typeof item !== "string")
			throw new InvalidInputError(
				`${name}["${key}"] must be a string, got ${typeof item}`,
			);
	}
	return value as Record<string, string>;
}

function checkBaseURL(value: string): string {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw new InvalidInputError(
			`baseURL must be an absolute http(s) URL such as ${DEFAULT_BASE_URL}, got "${value}"`,
		);
	}
	if (url.protocol !== "https:" && url.protocol !== "http:") {
		throw new InvalidInputError(
			`baseURL must use http or https, got "${url.protocol}"`,
		);
	}
	return value.replace(/\/+$/, "");
}

/** Applies defaults and environment variables, and checks every option. */
export function resolveOptions(options: AtriumOptions): ResolvedOptions {
	const apiKey =
		options.apiKey ?? readEnv("ATRIUM_API_KEY") ?? readEnv("MONAGO_API_KEY");
	if (!apiKey) {
		throw new AuthError(
			"No API key: pass `new Atrium({ apiKey })` or set the ATRIUM_API_KEY environment variable (MONAGO_API_KEY is read too).",
		);
	}
	if (options.fetch !== undefined && typeof options.fetch !== "function") {
		throw new InvalidInputError(
			"fetch must be a function with the signature of globalThis.fetch",
		);
	}
	return {
		apiKey,
		baseURL: checkBaseURL(
			options.baseURL ?? readEnv("ATRIUM_BASE_URL") ?? DEFAULT_BASE_URL,
		),
		timeout: checkTimeout("timeout", options.timeout ?? DEFAULT_TIMEOUT),
		maxRetries: checkRetries(
			"maxRetries",
			options.maxRetries ?? DEFAULT_MAX_RETRIES,
		),
		defaultHeaders: checkHeaders("defaultHeaders", options.defaultHeaders),
		fetch: options.fetch,
	};
}
