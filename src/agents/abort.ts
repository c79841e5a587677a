/**
 * The caller's callbacks in a run (`inputFilter`, `merge`, `onRecord`) are
 * raced with an abort signal: one that never settles cannot hold the run
 * past the caller's abort.
 */
import { AbortError } from "../index.js";
import { untilAborted as raced } from "../runs/signals.js";

/**
 * `work`, or an `AbortError` naming `what` as soon as `signal` aborts (at
 * once when it already has). What `work` does later is ignored.
 */
export function untilAborted<T>(
	work: T | PromiseLike<T>,
	signal: AbortSignal | undefined,
	what: string,
): Promise<T> {
	if (!signal) return Promise.resolve(work);
	return raced(
		work,
		signal,
		() => new AbortError(`run: aborted while waiting for ${what}`),
	);
}
