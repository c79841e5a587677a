/**
 * A streamed chat completion: an async iterable of chunks with the call's
 * governance ready before the first one, updated by in-stream `governance`
 * events, with in-stream errors raised as typed errors, a stall timeout, and
 * aggregation into a final `ChatCompletion`.
 */
import type { EventSourceMessage } from "eventsource-parser";
import type { Endpoint } from "../core/endpoint.js";
import type { CallState, PluginRunner } from "../core/plugins.js";
import {
	type ChatCompletion,
	type EvaluationResult,
	toCompletion,
} from "../core/result.js";
import { abortError, parseBody, type TrackedCall } from "../core/transport.js";
import { errorFromResponse } from "../errors/mapping.js";
import { scrubValue } from "../errors/scrub.js";
import {
	AbortError,
	APIError,
	type AtriumError,
	isAtriumError,
	TimeoutError,
	withCall,
} from "../errors/tree.js";
import { mergeGovernance } from "../governance/merge.js";
import type { AttemptRecord, Governance } from "../governance/parse.js";
import type { ChatCompletionChunk } from "../types.js";
import { createAggregate } from "./aggregate.js";
import { toNDJSON } from "./ndjson.js";
import { EventReader } from "./sse.js";

/** What a stream is built from: the successful head of a streamed call. */
export interface StreamSource {
	readonly response: Response;
	readonly body: ReadableStream<Uint8Array>;
	/** The call this stream ends: its governance, attempts and metadata. */
	readonly call: CallState;
	/** The call's plugins, if it has any. */
	readonly plugins: PluginRunner | undefined;
	readonly endpoint: Endpoint;
	/** The attempt's tracking: its signal aborts the stream; released when the stream ends. */
	readonly tracked: TrackedCall;
	/** Milliseconds without a byte before the stream fails with `TimeoutError`. */
	readonly idleTimeout: number;
}

type State = "open" | "done" | "closed" | "failed";

/**
 * A streamed chat completion. Its end (done, failed, closed or aborted) is
 * the end of its call: the call's plugins get `onResponse` or `onError` then.
 *
 * @example
 * const stream = await client.chat.completions.create({ model, messages, stream: true });
 * stream.governance.audit_id; // ready before the first chunk
 * for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta?.content ?? "");
 * const done = await stream.finalCompletion();
 */
export class ChatCompletionStream
	implements AsyncIterable<ChatCompletionChunk>
{
	/** The raw response (its body is the stream). */
	readonly response: Response;
	readonly #call: CallState;
	readonly #plugins: PluginRunner | undefined;
	readonly #endpoint: Endpoint;
	readonly #events: EventReader;
	readonly #aggregate = createAggregate();
	readonly #release: () => void;
	// Chunks parsed but not yet handed out; #next is the first unread.
	#queue: ChatCompletionChunk[] = [];
	#next = 0;
	#state: State = "open";
	#error: AtriumError | undefined;
	#final: ChatCompletion | undefined;
	#iterated = false;

	constructor(source: StreamSource) {
		this.response = source.response;
		this.#call = source.call;
		this.#plugins = source.plugins;
		this.#endpoint = source.endpoint;
		const { what } = source.endpoint;
		const { signal } = source.tracked;
		this.#events = new EventReader(
			source.body,
			source.idleTimeout,
			() =>
				new TimeoutError(
					`${what}: the stream stalled: no bytes for ${source.idleTimeout} ms`,
				),
		);
		// An abort ends the call at once, even when nobody is reading.
		const onAbort = () => this.#finish("failed", abortError(what, signal));
		this.#release = () => {
			signal.removeEventListener("abort", onAbort);
			source.tracked.release();
		};
		if (signal.aborted) onAbort();
		else signal.addEventListener("abort", onAbort, { once: true });
	}

	/** `[object ChatCompletionStream]`, which {@link isChatCompletionStream} reads. */
	get [Symbol.toStringTag](): string {
		return "ChatCompletionStream";
	}

	/** The call's governance: from the response headers, merged with every `governance` event so far. */
	get governance(): Governance {
		return this.#call.governance as Governance;
	}

	/** Every attempt that led to this stream, with its audit id. */
	get attempts(): readonly AttemptRecord[] {
		return this.#call.attempts;
	}

	/** The request metadata the call was sent with (frozen). */
	get metadata(): Readonly<Record<string, string>> {
		return this.#call.metadata;
	}

	/** The evaluations that ran on the stream so far (see `@monagoio/atrium-sdk/evals`). */
	get evaluations(): readonly EvaluationResult[] {
		return this.#call.evaluations;
	}

	/** Iterates the chunks; once only. Breaking out of the loop closes the connection. */
	[Symbol.asyncIterator](): AsyncIterator<ChatCompletionChunk> {
		if (this.#iterated) {
			throw new AbortError(
				"This stream was already iterated: a stream can be read once (use finalCompletion() for the result).",
			);
		}
		this.#iterated = true;
		return {
			next: () => this.#read(),
			return: async () => {
				await this.#finish("closed", this.#closedError());
				return { done: true, value: undefined };
			},
		};
	}

	/** Reads what is left and gives the whole completion: content, tool calls, usage, governance. */
	async finalCompletion(): Promise<ChatCompletion> {
		this.#iterated = true;
		while (!(await this.#read()).done);
		if (this.#state === "closed") throw this.#closedError();
		this.#final ??= this.#completion();
		return this.#final;
	}

	/** Stops the stream and closes the connection; a reader waiting on it gets `AbortError`. */
	abort(): void {
		void this.#finish(
			"failed",
			new AbortError(`${this.#endpoint.what}: the stream was aborted`),
		);
	}

	/** The chunks as newline-delimited JSON bytes, for a web framework's response. */
	toReadableStream(): ReadableStream<Uint8Array> {
		return toNDJSON(this[Symbol.asyncIterator]());
	}

	#closedError(): AbortError {
		return new AbortError(
			`${this.#endpoint.what}: the stream was closed before it ended, so there is no final completion`,
		);
	}

	#completion(): ChatCompletion {
		return toCompletion(this.#aggregate.build(), this.#call);
	}

	// A buffered chunk is handed out with one resolved promise; only an empty
	// queue waits for the network.
	#read(): Promise<IteratorResult<ChatCompletionChunk, undefined>> {
		const chunk = this.#queue[this.#next];
		if (chunk) {
			this.#next++;
			return Promise.resolve({ done: false, value: chunk });
		}
		if (this.#state === "failed") return Promise.reject(this.#error);
		if (this.#state !== "open")
			return Promise.resolve({ done: true, value: undefined });
		return this.#fill();
	}

	async #fill(): Promise<IteratorResult<ChatCompletionChunk, undefined>> {
		this.#queue = [];
		this.#next = 0;
		try {
			while (this.#state === "open" && this.#queue.length === 0) {
				const events = await this.#events.next();
				if (events === null) {
					throw new APIError(
						`${this.#endpoint.what}: the stream ended without [DONE]; the answer may be incomplete`,
						this.#errorFields(),
					);
				}
				for (const event of events) {
					// Only plugins make handling asynchronous.
					const pending = this.#handle(event);
					if (pending) await pending;
				}
			}
		} catch (error) {
			await this.#finish("failed", this.#asError(error));
		}
		return this.#read();
	}

	#handle(event: EventSourceMessage): Promise<void> | undefined {
		if (this.#state !== "open") return;
		const { event: name, data } = event;
		if (name === undefined || name === "message") {
			if (data === "[DONE]") return this.#done();
			const chunk = parseBody(data);
			if (typeof chunk !== "object" || chunk === null) {
				throw new APIError(
					`${this.#endpoint.what}: a stream event is not a JSON chunk`,
					{
						...this.#errorFields(),
						response_body: scrubValue(data, this.#endpoint.scrub),
					},
				);
			}
			if (this.#plugins?.seesChunks) {
				return this.#plugins
					.chunk(chunk as ChatCompletionChunk)
					.then((chunks) => this.#deliver(chunks));
			}
			this.#deliver([chunk as ChatCompletionChunk]);
		} else if (name === "governance") {
			this.#call.governance = mergeGovernance(this.governance, parseBody(data));
		} else if (name === "error") {
			const body = parseBody(data);
			const status = (body as { status?: unknown } | null)?.status;
			throw errorFromResponse(
				typeof status === "number" ? status : 400,
				body,
				this.governance,
				this.#endpoint,
			);
		}
	}

	#deliver(chunks: readonly ChatCompletionChunk[]): void {
		for (const chunk of chunks) {
			this.#aggregate.add(chunk);
			this.#queue.push(chunk);
		}
	}

	// [DONE]: plugins release what they held back and see the completion
	// before the caller is told the stream is done.
	async #done(): Promise<void> {
		const plugins = this.#plugins;
		if (plugins) {
			if (plugins.seesChunks) this.#deliver(await plugins.end());
			this.#final = this.#completion();
			await plugins.response(this.#final);
		}
		await this.#finish("done", undefined);
	}

	#errorFields() {
		return { status_code: this.response.status, governance: this.governance };
	}

	#asError(error: unknown): AtriumError {
		if (isAtriumError(error)) return error;
		const message = error instanceof Error ? error.message : String(error);
		return new APIError(
			this.#endpoint.scrub(
				`${this.#endpoint.what}: the stream was interrupted: ${message}`,
			),
			this.#errorFields(),
		);
	}

	// The end of the stream, and of its call: once, whichever comes first.
	async #finish(
		state: Exclude<State, "open">,
		error: AtriumError | undefined,
	): Promise<void> {
		if (this.#state !== "open") return;
		this.#state = state;
		if (state === "done") this.#events.drain();
		else this.#events.close(error);
		this.#release();
		Object.freeze(this.#call.evaluations);
		if (error) {
			this.#error = withCall(error, this.#call);
			await this.#plugins?.error(this.#error);
		}
	}
}
