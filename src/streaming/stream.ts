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
import { abortError, type TrackedCall } from "../core/transport.js";
import { isAtriumError } from "../errors/guards.js";
import {
	AbortError,
	APIError,
	type AtriumError,
	UsageError,
	withCall,
} from "../errors/tree.js";
import type { AttemptRecord, Governance } from "../governance/parse.js";
import type { ChatCompletionChunk } from "../types.js";
import { type Aggregate, createAggregate } from "./aggregate.js";
import { readEvent } from "./events.js";
import { toNDJSON } from "./ndjson.js";
import { EventReader, type StreamBounds } from "./sse.js";
import type { ChatCompletionStream } from "./types.js";

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
	/** The stream's bounds in time and size, and the errors that end it. */
	readonly bounds: StreamBounds;
}

type State = "open" | "done" | "closed" | "failed";

/**
 * The {@link ChatCompletionStream} of a call. Its end (done, failed, closed
 * or aborted) is the end of its call: the call's plugins get `onResponse` or
 * `onError` then.
 */
export class Stream implements ChatCompletionStream {
	readonly #response: Response;
	readonly #call: CallState;
	readonly #plugins: PluginRunner | undefined;
	readonly #endpoint: Endpoint;
	readonly #events: EventReader;
	readonly #aggregate: Aggregate;
	readonly #release: () => void;
	// Chunks parsed but not yet handed out; #next is the first unread.
	#queue: ChatCompletionChunk[] = [];
	#next = 0;
	#state: State = "open";
	#error: AtriumError | undefined;
	#final: ChatCompletion | undefined;
	#finalRead: Promise<ChatCompletion> | undefined;
	// Who reads the stream: nobody yet, a `for await` loop, or finalCompletion().
	#reader: "none" | "loop" | "final" = "none";

	constructor(source: StreamSource) {
		this.#response = source.response;
		this.#aggregate = createAggregate(source.endpoint.scrub);
		this.#call = source.call;
		this.#plugins = source.plugins;
		this.#endpoint = source.endpoint;
		const { what } = source.endpoint;
		const { signal } = source.tracked;
		this.#events = new EventReader(source.body, source.bounds);
		// An abort ends the call at once, even when nobody is reading.
		const onAbort = () => this.#finish("failed", abortError(what, signal));
		this.#release = () => {
			signal.removeEventListener("abort", onAbort);
			source.tracked.release();
		};
		if (signal.aborted) onAbort();
		else signal.addEventListener("abort", onAbort, { once: true });
	}

	/**
	 * The raw response (its body is the stream): its headers as the gateway
	 * sent them, not scrubbed. A getter, so printing the stream leaves it out.
	 */
	get response(): Response {
		return this.#response;
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

	/**
	 * Iterates the chunks; once only, and not beside `finalCompletion()`
	 * (`UsageError`). Breaking out of the loop closes the connection.
	 */
	[Symbol.asyncIterator](): AsyncIterator<ChatCompletionChunk> {
		if (this.#reader !== "none") {
			throw new UsageError(
				`${this.#endpoint.what}: this stream is already being read (by a for await loop or finalCompletion()): a stream can be read once; call finalCompletion() after the loop for the whole completion`,
			);
		}
		this.#reader = "loop";
		return {
			next: () => this.#read(),
			return: async () => {
				await this.#finish("closed", this.#closedError());
				return { done: true, value: undefined };
			},
		};
	}

	/**
	 * Reads what is left and gives the whole completion: content, tool calls,
	 * usage, governance. Call it instead of a `for await` loop, or after one
	 * ended; while a loop reads the stream it throws `UsageError`.
	 */
	finalCompletion(): Promise<ChatCompletion> {
		if (this.#reader === "loop" && this.#state === "open") {
			return Promise.reject(
				new UsageError(
					`${this.#endpoint.what}: finalCompletion() was called while a for await loop reads the stream: call it after the loop ends`,
				),
			);
		}
		if (this.#reader === "none") this.#reader = "final";
		// One read however many ask: two readers at once would split the chunks.
		this.#finalRead ??= this.#readFinal();
		return this.#finalRead;
	}

	async #readFinal(): Promise<ChatCompletion> {
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
		const read = readEvent(
			event,
			this.governance,
			this.response,
			this.#endpoint,
		);
		if (read.kind === "done") return this.#done();
		if (read.kind === "governance") this.#call.governance = read.governance;
		if (read.kind !== "chunk") return;
		if (this.#plugins?.seesChunks)
			return this.#plugins.chunk(read.chunk).then((c) => this.#deliver(c));
		this.#aggregate.add(read.chunk);
		this.#queue.push(read.chunk);
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
			if (plugins.seesChunks) {
				const held = await plugins.end();
				// Aborted meanwhile: the call ended with an error already.
				if (this.#state !== "open") return;
				this.#deliver(held);
			}
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
