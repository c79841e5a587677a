/**
 * The failure path of the attempts: the typed error an attempt failed with,
 * whether it is worth another attempt, and the wait before it. Loaded with a
 * client's first failed attempt (and kept), so the success path never pays
 * for the error mapping and the retry policy.
 */

import { isAtriumError } from "../errors/guards.js";
import { errorFromResponse } from "../errors/mapping.js";
import { type Scrubber, scrubValue } from "../errors/scrub.js";
import {
	AbortError,
	APIError,
	AtriumError,
	TimeoutError,
} from "../errors/tree.js";
import {
	type Governance,
	type HeaderSource,
	parseGovernance,
} from "../governance/parse.js";
import type { Endpoint } from "./endpoint.js";
import type { Log } from "./logger.js";
import { retryDelay, shouldRetryStatus } from "./retry.js";
import {
	type AttemptFailure,
	abortError,
	type TransportResponse,
	track,
} from "./transport.js";

/** The error of a success whose body is not a JSON object: never retried, as the gateway served (and billed) it. */
export function notJSON(
	{ response, body }: TransportResponse,
	governance: Governance | null,
	endpoint: Endpoint,
): APIError {
	return new APIError(
		`${endpoint.what}: ${response.status} with a body that is not a JSON object`,
		{
			status_code: response.status,
			response_body: scrubValue(body, endpoint.scrub),
			governance: governance ?? undefined,
		},
	);
}

/** Why an attempt failed, and whether another attempt may succeed. */
export interface Failure {
	readonly error: AtriumError;
	readonly retryable: boolean;
	/** The response's headers, for `Retry-After`; null when none came. */
	readonly headers: HeaderSource | null;
}

function describe(error: unknown): string {
	const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
	const code = typeof cause?.code === "string" ? cause.code : null;
	const message = error instanceof Error ? error.message : String(error);
	return code ? `${message} (${code})` : message;
}

/**
 * A copy of a failure's cause chain that is safe to print: each level's
 * name, scrubbed message and stack, and `code`, nothing else (a custom
 * fetch's error may hold the request's headers, key included, anywhere).
 */
function isAttemptFailure(value: unknown): value is AttemptFailure {
	return typeof value === "object" && value !== null && "signal" in value;
}

// The typed error of an attempt that threw: a timeout, the caller's abort
// (or close()), a body over its limit, or a failed connection. A head that
// came before the body failed keeps its status and audit trail.
function attemptError(
	{ cause, head, timedOut, signal }: AttemptFailure,
	endpoint: Endpoint,
): AtriumError {
	const { what, scrub } = endpoint;
	const fields = head
		? {
				status_code: head.status,
				governance: parseGovernance(head.headers, scrub),
			}
		: {};
	if (timedOut)
		return new TimeoutError(`${what}: timed out after ${timedOut} ms`, fields);
	if (signal.aborted) return abortError(what, signal);
	// The SDK's own (a body over its limit), not one a custom fetch made up.
	if (isAtriumError(cause) && cause.code === "response_too_large") return cause;
	return new APIError(
		scrub(`POST ${endpoint.url}: connection failed: ${describe(cause)}`),
		{ ...fields, cause: safeCause(cause, scrub) },
	);
}

export function safeCause(
	cause: unknown,
	scrub: Scrubber,
	depth = 0,
): Error | undefined {
	if (cause === undefined || cause === null || depth > 4) return undefined;
	const from = cause instanceof Error ? cause : new Error(String(cause));
	const inner = safeCause(from.cause, scrub, depth + 1);
	const copy = new Error(
		scrub(from.message),
		inner ? { cause: inner } : undefined,
	);
	copy.name = scrub(String(from.name)).slice(0, 100);
	copy.stack = scrub(from.stack ?? "");
	const code = (from as { code?: unknown }).code;
	if (typeof code === "string")
		Object.assign(copy, { code: scrub(code).slice(0, 100) });
	return copy;
}

/**
 * An attempt that threw: a failed connection becomes an `APIError` that
 * names the URL; network failures and timeouts are worth another attempt,
 * the caller's abort and refused input are not. Anything else is rethrown.
 */
export function thrownFailure(thrown: unknown, endpoint: Endpoint): Failure {
	const error = isAttemptFailure(thrown)
		? attemptError(thrown, endpoint)
		: thrown;
	if (!isAtriumError(error)) throw error;
	// A body past maxResponseBytes would be as large again.
	const retryable =
		(error.name === "APIError" || error.name === "TimeoutError") &&
		error.code !== "response_too_large";
	return { error, retryable, headers: null };
}

// Where a redirect pointed, for the message: origin and path, never a query
// (it may carry a token) or credentials.
function target(response: Response, base: string): string {
	const location = response.headers.get("location");
	if (response.redirected)
		return `a redirect your fetch followed to ${where(response.url)}`;
	if (!location) return "a redirect the browser does not show";
	return `a redirect to ${URL.canParse(location, base) ? where(new URL(location, base).href) : "an invalid location"}`;
}

// Origin and path only, at most 200 characters (the rest may be anything).
function where(href: string): string {
	const url = new URL(href);
	return `${url.origin}${url.pathname}`.slice(0, 200);
}

/**
 * What a Prism mock (`npm run mock`) says was wrong with a request it
 * refused: its `sl-violations` header, a JSON list of `{ message }`, read
 * leniently (a long list comes cut short and unparseable), de-duplicated,
 * at most three.
 */
function mockViolations(header: string | null): string | null {
	if (!header) return null;
	let messages: string[] = [];
	try {
		const list: unknown = JSON.parse(header);
		if (Array.isArray(list))
			messages = list.flatMap((item: { message?: unknown } | null) =>
				typeof item?.message === "string" ? [item.message] : [],
			);
	} catch {
		messages = [...header.matchAll(/"message":"((?:[^"\\]|\\.){1,300})"/g)].map(
			(match) => match[1] ?? "",
		);
	}
	const unique = [...new Set(messages)].slice(0, 3);
	return unique.length ? `mock: ${unique.join("; ")}` : null;
}

/**
 * An attempt answered with a status that is not a success, or with a
 * redirect: the gateway never redirects an API call, and following one
 * would resend the prompt elsewhere, so a redirect is an error, never retried.
 */
export function responseFailure(
	{ response, body }: TransportResponse,
	governance: Governance,
	endpoint: Endpoint,
): Failure {
	const { status } = response;
	if (response.redirected || status === 0 || (status >= 300 && status < 400)) {
		return {
			error: new AtriumError(
				endpoint.scrub(
					`POST ${endpoint.url}: ${status || "redirected"}: the gateway answered with ${target(response, endpoint.url)}; the SDK does not follow redirects (check baseURL)`,
				),
				{ status_code: status || null, governance, code: "redirect" },
			),
			retryable: false,
			headers: null,
		};
	}
	return {
		error: errorFromResponse(
			status,
			body,
			governance,
			endpoint,
			mockViolations(response.headers.get("sl-violations")),
			response.headers,
		),
		retryable: shouldRetryStatus(status, response.headers),
		headers: response.headers,
	};
}

/**
 * Waits before retry number `attempt` as the retry policy says, or rejects
 * with `AbortError` as soon as the caller aborts or the client closes.
 */
export function wait(
	attempt: number,
	failure: Failure,
	signal: AbortSignal | undefined,
	context: {
		readonly endpoint: Endpoint;
		readonly log: Log;
		readonly inflight: Set<AbortController>;
		readonly closed: () => boolean;
	},
): Promise<void> {
	const { what } = context.endpoint;
	const ms = retryDelay(attempt, failure.headers);
	context.log.info?.(
		`${what}: retrying in ${Math.round(ms)} ms after ${failure.error.name}`,
		{ attempt, status_code: failure.error.status_code },
	);
	const { controller, release } = track(signal, context.inflight);
	// close() may have come while a plugin saw the attempt: no wait then.
	if (context.closed())
		controller.abort(new AbortError("The Atrium client was closed"));
	return new Promise<void>((resolve, reject) => {
		if (controller.signal.aborted)
			return reject(abortError(what, controller.signal));
		const onAbort = () => {
			clearTimeout(timer);
			reject(abortError(what, controller.signal));
		};
		const timer = setTimeout(() => {
			controller.signal.removeEventListener("abort", onAbort);
			resolve();
		}, ms);
		controller.signal.addEventListener("abort", onAbort, { once: true });
	}).finally(release);
}
