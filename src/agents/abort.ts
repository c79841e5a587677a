/**
 * The caller's callbacks in a run (`inputFilter`, `merge`, `onRecord`) are
 * raced with an abort signal: one that never settles cannot hold the run
 * past the caller's abort.
 */
import { AbortError } from "../index.js";

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
	return new Promise<T>((resolve, reject) => {
		const onAbort = () =>
			reject(new AbortError(`run: aborted while waiting for ${what}`));
		signal.addEventListener("abort", onAbort, { once: true });
		const done = () => signal.removeEventListener("abort", onAbort);
		Promise.resolve(work).then(
			(value) => {
				done();
				resolve(value);
			},
			(error: unknown) => {
				done();
				reject(error);
			},
		);
		if (signal.aborted) onAbort();
	});
}
