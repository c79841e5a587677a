/**
 * Server-sent event framing over a response body: bytes to UTF-8 text (a
 * character split across reads is kept whole) to events, with eventsource-
 * parser, bounded in time and size, and cancellable. Knows nothing of chunks.
 */
import { createParser, type EventSourceMessage } from "eventsource-parser";
import type { AtriumError } from "../errors/tree.js";

// A line longer than this (8 MiB) without an end is not SSE from the gateway.
const MAX_BUFFER = 8 * 2 ** 20;

/** The bounds of a stream, and the errors that end it when one is passed. */
export interface StreamBounds {
	/** Milliseconds a read may wait for bytes. */
	readonly idle: number;
	/** Milliseconds from the start to the first event (comments do not count). */
	readonly firstChunk: number;
	/** Bytes the whole stream may have. */
	readonly maxBytes: number;
	/** The error for each bound passed. */
	readonly errors: {
		readonly stall: () => AtriumError;
		readonly firstChunk: () => AtriumError;
		readonly tooLarge: () => AtriumError;
	};
}

/** Reads events from an SSE body in batches: one batch per network read. */
export class EventReader {
	readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
	readonly #decoder = new TextDecoder();
	readonly #batch: EventSourceMessage[] = [];
	readonly #parser = createParser({
		onEvent: (event) => {
			this.#firstBy = Number.POSITIVE_INFINITY;
			this.#batch.push(event);
		},
		maxBufferSize: MAX_BUFFER,
	});
	readonly #bounds: StreamBounds;
	// When the pending read began; null while the caller holds the stream, so
	// the time it spends between reads never counts as a stall.
	#waitingSince: number | null = null;
	// Reads in flight: a caller may ask for the next batch before the last
	// came; the reader is idle only when none waits.
	#reads = 0;
	#firstBy: number;
	#bytes = 0;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#ended = false;
	/** Why the reader was closed early, if it was. */
	closeReason: AtriumError | undefined;

	constructor(body: ReadableStream<Uint8Array>, bounds: StreamBounds) {
		this.#reader = body.getReader();
		this.#bounds = bounds;
		this.#firstBy = Date.now() + bounds.firstChunk;
		this.#arm(Math.min(bounds.idle, bounds.firstChunk));
	}

	// One timer for the whole stream, re-armed only when it fires early, so a
	// read costs no timer work.
	#arm(ms: number): void {
		this.#timer = setTimeout(() => {
			const now = Date.now();
			const { idle, errors } = this.#bounds;
			const since = this.#waitingSince;
			// Both bounds count only while a read waits: a caller that has not
			// read yet may find the first chunk already there.
			if (since !== null && now >= this.#firstBy)
				return this.close(errors.firstChunk());
			if (since !== null && now - since >= idle)
				return this.close(errors.stall());
			const stallIn = since === null ? idle : idle - (now - since);
			this.#arm(Math.max(0, Math.min(stallIn, this.#firstBy - now)) || idle);
		}, ms);
		this.#hold(this.#waitingSince !== null);
	}

	// In Node, the timer holds the event loop open only while a read waits:
	// a stream nobody reads (an error thrown before the loop) must not keep
	// a script from ending, as an unread fetch body does not.
	#hold(waiting: boolean): void {
		const timer = this.#timer as { ref?(): void; unref?(): void } | undefined;
		if (waiting) timer?.ref?.();
		else timer?.unref?.();
	}

	/**
	 * The next batch of events; an empty batch when a read held none (a
	 * partial event, a comment); `null` once the body has ended and every
	 * event was handed out. Throws the close reason, or the network's error.
	 */
	async next(): Promise<EventSourceMessage[] | null> {
		this.#batch.length = 0;
		if (this.closeReason) throw this.closeReason;
		if (this.#ended) return null;
		let read: ReadableStreamReadResult<Uint8Array>;
		this.#waitingSince = Date.now();
		this.#reads++;
		this.#hold(true);
		// Past the first-chunk deadline: a read that has to wait fails at once.
		if (this.#waitingSince >= this.#firstBy) {
			this.#stop();
			this.#arm(0);
		}
		try {
			read = await this.#reader.read();
		} catch (error) {
			// Aborting the fetch fails the read; the reason we closed for wins.
			throw this.closeReason ?? error;
		} finally {
			if (--this.#reads === 0) {
				this.#waitingSince = null;
				this.#hold(false);
			}
		}
		if (this.closeReason) throw this.closeReason;
		if (read.done) {
			this.#ended = true;
			this.#stop();
			// A last event without its blank line still counts: end it.
			this.#parser.feed(`${this.#decoder.decode()}\n\n`);
			return this.#batch.length ? this.#batch : null;
		}
		this.#bytes += read.value.byteLength;
		if (this.#bytes > this.#bounds.maxBytes) {
			const error = this.#bounds.errors.tooLarge();
			this.close(error);
			throw error;
		}
		this.#parser.feed(this.#decoder.decode(read.value, { stream: true }));
		return this.#batch;
	}

	/** Closes the connection; a pending `next()` then throws `reason`. */
	close(reason: AtriumError | undefined): void {
		this.closeReason ??= reason;
		this.#stop();
		if (!this.#ended) {
			this.#ended = true;
			this.#reader.cancel().catch(() => {});
		}
	}

	/**
	 * After the last event: reads the body to its end in the background, so
	 * the connection can be reused, but cancels it if the end takes longer
	 * than `graceMs`.
	 */
	drain(graceMs = 1_000): void {
		this.#stop();
		if (this.#ended) return;
		this.#ended = true;
		const reader = this.#reader;
		const grace = setTimeout(() => reader.cancel().catch(() => {}), graceMs);
		const drain = async () => {
			while (!(await reader.read()).done);
		};
		drain()
			.catch(() => {})
			.finally(() => clearTimeout(grace));
	}

	#stop(): void {
		clearTimeout(this.#timer);
	}
}
