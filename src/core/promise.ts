/**
 * The promise that `create` returns: a plain promise of the result, plus
 * `withResponse()` for the raw `Response`.
 */

/** A result together with the raw HTTP response it came from. */
export interface WithResponse<T> {
	/** What the awaited promise gives. */
	readonly data: T;
	/** The raw `Response`, every header included (its body is already read into `data`; for a stream, it is the stream's body). */
	readonly response: Response;
}

/**
 * A promise of `T` that can also give the raw response. Awaiting it gives
 * `T`; `withResponse()` gives `{ data, response }`. A failure rejects both
 * the same way.
 *
 * @example
 * const { data, response } = await client.chat.completions.create(body).withResponse();
 * console.log(response.headers.get("x-monago-audit-id"), data.content);
 */
export class AtriumPromise<T> extends Promise<T> {
	readonly #raw: Promise<WithResponse<T>>;

	constructor(raw: Promise<WithResponse<T>>) {
		// The base promise is never observed: then/catch/finally read #raw, so a
		// failure is reported once, where the caller awaits it.
		super((resolve) => resolve(undefined as T));
		this.#raw = raw;
	}

	/** The result and the raw `Response` it came from. */
	withResponse(): Promise<WithResponse<T>> {
		return this.#raw;
	}

	// biome-ignore lint/suspicious/noThenProperty: this is a promise; then reads #raw
	override then<R1 = T, R2 = never>(
		onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
		onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
	): Promise<R1 | R2> {
		return this.#raw.then((raw) => raw.data).then(onfulfilled, onrejected);
	}

	override finally(onfinally?: (() => void) | null): Promise<T> {
		return this.then().finally(onfinally);
	}
}
