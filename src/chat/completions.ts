/**
 * The `chat.completions` resource: `create` and its overloads, over the one
 * call path.
 */
import { type ClientCore, send } from "../core/call.js";
import type {
	CallContext,
	ChatCompletionCreateParamsNonStreaming,
	ChatCompletionCreateParamsStreaming,
	RequestOptions,
} from "../core/options.js";
import { AtriumPromise } from "../core/promise.js";
import type { ChatCompletion } from "../core/result.js";
import type { ChatCompletionStream } from "../streaming/types.js";
import type { ChatCompletionCreateParams } from "../types.js";

/** The `chat.completions` resource. */
export interface Completions {
	/**
	 * Creates a chat completion through the gateway. Retries connection
	 * failures, timeouts, 408, 409, 429 and 5xx (never a block), with one
	 * `Idempotency-Key` for all attempts.
	 *
	 * @throws {@link PolicyBlockedError} (or a subclass) when the gateway blocks the call.
	 * @example
	 * const res = await client.chat.completions.create({
	 *   model: "gpt-5.4-mini",
	 *   messages: [{ role: "user", content: "Hello" }],
	 * });
	 * console.log(res.content, res.governance.audit_id);
	 */
	create(
		body: ChatCompletionCreateParamsNonStreaming,
		options?: RequestOptions,
	): AtriumPromise<ChatCompletion>;
	/**
	 * Streams a chat completion: resolves, once the response head arrives, to
	 * a {@link ChatCompletionStream} whose governance is already set. Retried
	 * only when it fails before the stream begins.
	 *
	 * @example
	 * const stream = await client.chat.completions.create({ model, messages, stream: true });
	 * for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta?.content ?? "");
	 */
	create(
		body: ChatCompletionCreateParamsStreaming,
		options?: RequestOptions,
	): AtriumPromise<ChatCompletionStream>;
	/** Either of the above, decided by `body.stream` at run time. */
	create(
		body: ChatCompletionCreateParams,
		options?: RequestOptions,
	): AtriumPromise<ChatCompletion | ChatCompletionStream>;
}

/**
 * True for the stream that `create({ stream: true })` gives, from either
 * build. (The class itself loads with the first stream, so it is exported as
 * a type; this guard takes the place of `instanceof`.)
 */
export function isChatCompletionStream(
	value: unknown,
): value is ChatCompletionStream {
	return (
		Object.prototype.toString.call(value) === "[object ChatCompletionStream]"
	);
}

/** Builds the resource over a client's call path. */
export function createCompletions(core: ClientCore): Completions {
	const create = (body: ChatCompletionCreateParams, options?: RequestOptions) =>
		new AtriumPromise<ChatCompletion | ChatCompletionStream>(
			send(core, body, options, create as CallContext["create"]),
		);
	return { create } as Completions;
}
