/**
 * The public shape of a streamed chat completion. The class behind it loads
 * with the first stream, so the main entry exports this interface only, and
 * `isChatCompletionStream()` takes the place of `instanceof`.
 */
import type { ChatCompletion, EvaluationResult } from "../core/result.js";
import type { AttemptRecord, Governance } from "../governance/parse.js";
import type { ChatCompletionChunk } from "../types.js";

/**
 * A streamed chat completion: async-iterable chunks, with the call's
 * governance ready before the first one. Its end (done, failed, broken out
 * of or aborted) is the end of its call.
 *
 * @example
 * const stream = await client.chat.completions.create({ model, messages, stream: true });
 * stream.governance.audit_id; // ready before the first chunk
 * for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta?.content ?? "");
 * const done = await stream.finalCompletion();
 */
export interface ChatCompletionStream
	extends AsyncIterable<ChatCompletionChunk> {
	/** The raw response (its body is the stream). */
	readonly response: Response;
	/** The call's governance: from the response headers, merged with every `governance` event so far. */
	readonly governance: Governance;
	/** Every attempt that led to this stream, with its audit id. */
	readonly attempts: readonly AttemptRecord[];
	/** The request metadata the call was sent with (frozen). */
	readonly metadata: Readonly<Record<string, string>>;
	/** The evaluations that ran on the stream so far (see `@monagoio/atrium-sdk/evals`). */
	readonly evaluations: readonly EvaluationResult[];
	/**
	 * Iterates the chunks; once only, and not beside `finalCompletion()`
	 * (`UsageError`). Breaking out of the loop closes the connection.
	 */
	[Symbol.asyncIterator](): AsyncIterator<ChatCompletionChunk>;
	/**
	 * Reads what is left and gives the whole completion: content, tool calls,
	 * usage, governance. Call it instead of a `for await` loop, or after one
	 * ended; while a loop reads the stream it throws `UsageError`.
	 */
	finalCompletion(): Promise<ChatCompletion>;
	/** Stops the stream and closes the connection; a reader waiting on it gets `AbortError`. */
	abort(): void;
	/** The chunks as newline-delimited JSON bytes, for a web framework's response. */
	toReadableStream(): ReadableStream<Uint8Array>;
}
