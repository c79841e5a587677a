/** Adapts an async iterator of values to a web ReadableStream of newline-delimited JSON. */

/** A `ReadableStream` of one JSON line per value; cancelling it ends the iterator. */
export function toNDJSON(
	values: AsyncIterator<unknown>,
): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	return new ReadableStream({
		async pull(controller) {
			try {
				const next = await values.next();
				if (next.done) controller.close();
				else
					controller.enqueue(encoder.encode(`${JSON.stringify(next.value)}\n`));
			} catch (error) {
				controller.error(error);
			}
		},
		async cancel() {
			await values.return?.();
		},
	});
}
