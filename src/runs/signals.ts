/**
 * What the tool-run loop (./skills) and agent runs (./agents) share: run
 * ids, the check that an option is an abort signal, and racing a caller's
 * callback with the run's signal. Pure functions, no SDK state: the agents
 * entry, built on its own, carries its own copy of them.
 */

/** Whether `value` can be followed as an abort signal. */
export function isSignal(value: unknown): value is AbortSignal {
	return (
		typeof value === "object" &&
		value !== null &&
		typeof (value as AbortSignal).aborted === "boolean" &&
		typeof (value as AbortSignal).addEventListener === "function" &&
		typeof (value as AbortSignal).removeEventListener === "function"
	);
}

/** A new run id: `run-` and a UUID (a time and random part without WebCrypto). */
export function newRunId(): string {
	const uuid = globalThis.crypto?.randomUUID?.();
	return `run-${uuid ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`}`;
}

/**
 * `work`, or the error `aborted()` gives as soon as `signal` aborts (at once
 * when it already has). What `work` does later is ignored.
 */
export function untilAborted<T>(
	work: T | PromiseLike<T>,
	signal: AbortSignal,
	aborted: () => unknown,
): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(aborted());
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
