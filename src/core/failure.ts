/**
 * The failure path of the attempts: the typed error an attempt failed with,
 * whether it is worth another attempt, and the wait before it. Loaded with a
 * client's first failed attempt (and kept), so the success path never pays
 * for the error mapping and the retry policy.
 */
import { errorFromResponse } from "../errors/mapping.js";
import { type AtriumError, isAtriumError } from "../errors/tree.js";
import type { Governance, HeaderSource } from "../governance/parse.js";
import type { Endpoint } from "./endpoint.js";
import type { Log } from "./logger.js";
import { retryDelay, shouldRetryStatus } from "./retry.js";
import { abortError, type TransportResponse, track } from "./transport.js";

/** Why an attempt failed, and whether another attempt may succeed. */
export interface Failure {
	readonly error: AtriumError;
	readonly retryable: boolean;
	/** The response's headers, for `Retry-After`; null when none came. */
	readonly headers: HeaderSource | null;
}

/**
 * An attempt that threw: network failures and timeouts are worth another
 * attempt; the caller's abort and refused input are not. Anything that is not
 * an `AtriumError` is rethrown as it is.
 */
export function thrownFailure(error: unknown): Failure {
	if (!isAtriumError(error)) throw error;
	const retryable = error.name === "APIError" || error.name === "TimeoutError";
	return { error, retryable, headers: null };
}

/** An attempt answered with a status that is not a success. */
export function responseFailure(
	{ response, body }: TransportResponse,
	governance: Governance,
	endpoint: Endpoint,
): Failure {
	return {
		error: errorFromResponse(response.status, body, governance, endpoint),
		retryable: shouldRetryStatus(response.status, response.headers),
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
	},
): Promise<void> {
	const { what } = context.endpoint;
	const ms = retryDelay(attempt, failure.headers);
	context.log.info?.(
		`${what}: retrying in ${Math.round(ms)} ms after ${failure.error.name}`,
		{ attempt, status_code: failure.error.status_code },
	);
	const { controller, release } = track(signal, context.inflight);
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
