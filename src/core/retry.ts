/**
 * The retry policy: which failures get another attempt and how long to wait.
 * Pure functions of their inputs; the waiting itself is the transport's.
 */
import type { HeaderSource } from "../governance/parse.js";

/** Statuses worth another attempt (every 5xx is too): the same request may succeed. */
const RETRYABLE_STATUSES = new Set([
	408, // request timeout
	409, // conflict, e.g. a lock held by a concurrent attempt
	429, // rate limited
]);

/**
 * Never retried, whatever `x-should-retry` says: a block or an auth failure is
 * the gateway's answer, and each retry would write another audit record.
 */
const FINAL_STATUSES = new Set([400, 401, 403, 422, 451]);

/** The longest server-requested wait the SDK honours; longer ones fall back to backoff. */
const MAX_SERVER_DELAY_MS = 60_000;
/** First backoff delay. */
const INITIAL_DELAY_MS = 500;
/** Longest backoff delay. */
const MAX_DELAY_MS = 8_000;
/** Backoff delays are shortened by up to this share, at random. */
const JITTER = 0.25;

/** Whether a response with this status (and headers) should be tried again. */
export function shouldRetryStatus(
	status: number,
	headers: HeaderSource,
): boolean {
	if (FINAL_STATUSES.has(status)) return false;
	const override = headers.get("x-should-retry")?.trim().toLowerCase();
	if (override === "true") return true;
	if (override === "false") return false;
	return RETRYABLE_STATUSES.has(status) || status >= 500;
}

function serverDelay(headers: HeaderSource | null, now: number): number | null {
	const ms = headers?.get("retry-after-ms")?.trim();
	if (ms && /^\d+(\.\d+)?$/.test(ms)) return Number(ms);
	const after = headers?.get("retry-after")?.trim();
	if (!after) return null;
	if (/^\d+(\.\d+)?$/.test(after)) return Number(after) * 1000;
	const date = Date.parse(after);
	return Number.isNaN(date) ? null : date - now;
}

/**
 * Milliseconds to wait before retry number `retry` (1 for the first retry):
 * `retry-after-ms`, else `Retry-After` (seconds or an HTTP date), when it lies
 * between 0 and 60 s; otherwise exponential backoff from 0.5 s doubling to at
 * most 8 s, shortened by up to 25% jitter.
 */
export function retryDelay(
	retry: number,
	headers: HeaderSource | null,
	now: number = Date.now(),
	random: () => number = Math.random,
): number {
	const requested = serverDelay(headers, now);
	if (
		requested !== null &&
		requested >= 0 &&
		requested <= MAX_SERVER_DELAY_MS
	) {
		return requested;
	}
	const backoff = Math.min(
		INITIAL_DELAY_MS * 2 ** Math.max(0, retry - 1),
		MAX_DELAY_MS,
	);
	return backoff * (1 - random() * JITTER);
}
