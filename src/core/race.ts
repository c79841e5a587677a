/**
 * Races a promise against an AbortSignal, for a custom `fetch` that may
 * ignore the signal: the attempt settles when the signal fires, whatever the
 * fetch does. Loaded for clients with a custom `fetch` only.
 */

/** `promise`, or a rejection with the signal's reason as soon as it fires. */
export function abortable<T>(
	promise: Promise<T>,
	signal: AbortSignal,
): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(signal.reason);
		signal.addEventListener("abort", onAbort, { once: true });
		if (signal.aborted) onAbort();
		// Always followed, so its own failure is never left unhandled.
		promise
			.then(resolve, reject)
			.finally(() => signal.removeEventListener("abort", onAbort));
	});
}
