/**
 * A streamed chat completion: an async iterable of chunks with the call's
 * governance ready before the first one, updated by in-stream `governance`
 * events, with in-stream errors raised as typed errors, a stall timeout, and
 * aggregation into a final `ChatCompletion`.
 */
import type { EventSourceMessage } from "eventsource-parser";
import type { ChatCompletion } from "../chat/completions.js";
import { abortError, parseBody, type TrackedCall } from "../core/transport.js";
import { type CallContext, errorFromResponse } from "../errors/mapping.js";
import { scrubValue } from "../errors/scrub.js";
import {
	AbortError,
	APIError,
	type AtriumError,
	isAtriumError,
	TimeoutError,
	withAttempts,
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
	readonly governance: Governance;
	readonly attempts: readonly AttemptRecord[];
	readonly context: CallContext;
	/** The call's tracking: its signal aborts the stream; released when the stream ends. */
	readonly call: TrackedCall;
	/** Milliseconds without a byte before the stream fails with `TimeoutError`. */
	readonly idleTimeout: number;
}

type State = "open" | "done" | "closed" | "failed";

/**
 * A streamed chat completion.
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
	/** Every attempt that led to this stream, with its audit id. */
	readonly attempts: readonly AttemptRecord[];
	#governance: Governance;
	readonly #context: CallContext;
	readonly #call: TrackedCall;
	readonly #events: EventReader;
	readonly #aggregate = createAggregate();
	// Chunks parsed but not yet handed out; #next is the first unread.
	#queue: ChatCompletionChunk[] = [];
	#next = 0;
	#state: State = "open";
	#error: AtriumError | undefined;
	#iterated = false;

	constructor(source: StreamSource) {
		this.response = source.response;
		this.attempts = source.attempts;
		this.#governance = source.governance;
		this.#context = source.context;
		this.#call = source.call;
		const what = this.#what;
		this.#events = new EventReader(
			source.body,
			source.idleTimeout,
			() =>
				new TimeoutError(
					`${what}: the stream stalled: no bytes for ${source.idleTimeout} ms`,
				),
		);
		const onAbort = () =>
			this.#events.close(abortError(what, source.call.signal));
		if (source.call.signal.aborted) onAbort();
		else source.call.signal.addEventListener("abort", onAbort, { once: true });
		this.#release = () => {
			source.call.signal.removeEventListener("abort", onAbort);
			source.call.release();
		};
	}

	readonly #release: () => void;

	/** `[object ChatCompletionStream]`, which {@link isChatCompletionStream} reads. */
	get [Symbol.toStringTag](): string {
		return "ChatCompletionStream";
	}

	/** The call's governance: from the response headers, merged with every `governance` event so far. */
	get governance(): Governance {
		return this.#governance;
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
			return: () => {
				this.#finish("closed", undefined);
				return Promise.resolve({ done: true, value: undefined });
			},
		};
	}

	/** Reads what is left and gives the whole completion: content, tool calls, usage, governance. */
	async finalCompletion(): Promise<ChatCompletion> {
		this.#iterated = true;
		while (!(await this.#read()).done);
		if (this.#state === "closed") {
			throw new AbortError(
				`${this.#what}: the stream was closed before it ended, so there is no final completion`,
			);
		}
		const body = this.#aggregate.build() as ChatCompletion;
		body.content = body.choices[0]?.message.content ?? "";
		body.governance = this.#governance;
		body.attempts = this.attempts;
		return body;
	}

	/** Stops the stream and closes the connection; a reader waiting on it gets `AbortError`. */
	abort(): void {
		this.#events.close(new AbortError(`${this.#what}: the stream was aborted`));
	}

	/** The chunks as newline-delimited JSON bytes, for a web framework's response. */
	toReadableStream(): ReadableStream<Uint8Array> {
		return toNDJSON(this[Symbol.asyncIterator]());
	}

	get #what(): string {
		return `${this.#context.method} ${this.#context.path}`;
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
						`${this.#what}: the stream ended without [DONE]; the answer may be incomplete`,
						this.#errorFields(),
					);
				}
				for (const event of events) this.#handle(event);
			}
		} catch (error) {
			this.#finish("failed", this.#asError(error));
		}
		return this.#read();
	}

	#handle(event: EventSourceMessage): void {
		if (this.#state !== "open") return;
		const { event: name, data } = event;
		if (name === undefined || name === "message") {
			if (data === "[DONE]") {
				this.#finish("done", undefined);
				return;
			}
			const chunk = parseBody(data);
			if (typeof chunk !== "object" || chunk === null) {
				throw new APIError(
					`${this.#what}: a stream event is not a JSON chunk`,
					{
						...this.#errorFields(),
						response_body: scrubValue(data, this.#context.scrub),
					},
				);
			}
			this.#aggregate.add(chunk as ChatCompletionChunk);
			this.#queue.push(chunk as ChatCompletionChunk);
		} else if (name === "governance") {
			this.#governance = mergeGovernance(this.#governance, parseBody(data));
		} else if (name === "error") {
			const body = parseBody(data);
			const status = (body as { status?: unknown } | null)?.status;
			throw errorFromResponse(
				typeof status === "number" ? status : 400,
				body,
				this.#governance,
				this.#context,
			);
		}
	}

	#errorFields() {
		return { status_code: this.response.status, governance: this.#governance };
	}

	#asError(error: unknown): AtriumError {
		if (isAtriumError(error)) return error;
		const message = error instanceof Error ? error.message : String(error);
		return new APIError(
			this.#context.scrub(
				`${this.#what}: the stream was interrupted: ${message}`,
			),
			this.#errorFields(),
		);
	}

	#finish(state: Exclude<State, "open">, error: AtriumError | undefined): void {
		if (this.#state !== "open") return;
		this.#state = state;
		if (error) this.#error = withAttempts(error, this.attempts);
		if (state === "done") this.#events.drain();
		else this.#events.close(undefined);
		this.#release();
	}
}
