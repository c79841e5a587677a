/**
 * The hold-back of a stream: chunks queue in order and go to the caller
 * only once the evaluators have seen their text plus a window of text after
 * it. A chunk whose text is partly cleared is split: the cleared text goes
 * on in a copy of the chunk (same id, model and other fields), the rest
 * waits. Chunks without text keep their place in the queue; tool-call
 * chunks, which evaluators see only whole, wait for the end. Pure: no I/O.
 */
import type { ChatCompletionChunk } from "../index.js";
import type { OutputToolCall } from "./types.js";

type Choice = ChatCompletionChunk["choices"][number];
type Delta = Choice["delta"];

/** A choice's text in a queued chunk: where it lies in that choice's whole text. */
interface Part {
	/** The position of the choice in the chunk's `choices`. */
	readonly entry: number;
	readonly choice: number;
	readonly start: number;
	readonly end: number;
}

interface Item {
	chunk: ChatCompletionChunk;
	parts: readonly Part[];
	/** Holds tool-call pieces: released only at the end. */
	readonly toEnd: boolean;
}

/** Choice and tool-call indexes are the wire's: checked before use, and bounded. */
export const MAX_INDEX = 1024;

/** A wire index as a small non-negative integer, or null when it is not one. */
export const smallIndex = (value: unknown): number | null =>
	Number.isSafeInteger(value) &&
	(value as number) >= 0 &&
	(value as number) < MAX_INDEX
		? (value as number)
		: null;

/** Thrown for a chunk whose choice or tool-call index is not a small non-negative integer. */
export class BadIndex extends Error {}

export class HoldBack {
	readonly #window: number;
	readonly #texts = new Map<number, string>();
	readonly #tools = new Map<
		number,
		Map<number, { id: string; name: string; args: string[] }>
	>();
	#holds: ReadonlyMap<number, number> = new Map();
	readonly #queue: (Item | undefined)[] = [];
	#head = 0;

	/** `window`: characters of each choice's text kept back (`Infinity`: all until the end). */
	constructor(window: number) {
		this.#window = window;
	}

	/** A choice's text so far. */
	text(choice: number): string {
		return this.#texts.get(choice) ?? "";
	}

	/** The choices seen so far, with text or tool calls, in index order. */
	choices(): number[] {
		return [...new Set([...this.#texts.keys(), ...this.#tools.keys()])].sort(
			(a, b) => a - b,
		);
	}

	/** A choice's tool calls so far, arguments joined. */
	toolCalls(choice: number): OutputToolCall[] {
		const calls = this.#tools.get(choice);
		if (!calls) return [];
		return [...calls.entries()]
			.sort(([a], [b]) => a - b)
			.map(([, c]) => ({ id: c.id, name: c.name, arguments: c.args.join("") }));
	}

	/** Where evaluators need more text before deciding, by choice: text from there stays back. */
	setHolds(holds: ReadonlyMap<number, number>): void {
		this.#holds = holds;
	}

	/**
	 * Queues a chunk; returns the choices whose text grew.
	 *
	 * @throws {BadIndex} for a choice or tool-call index that is not a small non-negative integer.
	 */
	add(chunk: ChatCompletionChunk): number[] {
		const choices: unknown[] = Array.isArray(chunk.choices)
			? chunk.choices
			: [];
		const parts: Part[] = [];
		let toEnd = false;
		choices.forEach((value, entry) => {
			const { index, delta } = (value ?? {}) as Partial<Choice>;
			const choice = smallIndex(index);
			if (choice === null) throw new BadIndex("a chunk's choice index");
			const content = delta?.content;
			if (typeof content === "string" && content !== "") {
				const before = this.text(choice);
				this.#texts.set(choice, before + content);
				parts.push({
					entry,
					choice,
					start: before.length,
					end: before.length + content.length,
				});
			}
			if (delta?.function_call) toEnd = true;
			if (Array.isArray(delta?.tool_calls) && delta.tool_calls.length) {
				toEnd = true;
				this.#addTools(choice, delta.tool_calls);
			}
		});
		this.#queue.push({ chunk, parts, toEnd });
		return parts.map((part) => part.choice);
	}

	#addTools(choice: number, pieces: unknown[]): void {
		let calls = this.#tools.get(choice);
		if (!calls) {
			calls = new Map();
			this.#tools.set(choice, calls);
		}
		for (const piece of pieces) {
			const fields = (piece ?? {}) as Record<string, unknown>;
			const index = smallIndex(fields.index);
			if (index === null) throw new BadIndex("a tool call's index");
			const call = calls.get(index) ?? { id: "", name: "", args: [] };
			calls.set(index, call);
			const fn = (fields.function ?? fields.custom ?? {}) as Record<
				string,
				unknown
			>;
			if (typeof fields.id === "string" && fields.id) call.id = fields.id;
			if (typeof fn.name === "string") call.name += fn.name;
			const args = fn.arguments ?? fn.input;
			if (typeof args === "string") call.args.push(args);
		}
	}

	#limit(choice: number): number {
		const hold = this.#holds.get(choice) ?? Number.POSITIVE_INFINITY;
		return Math.min(this.text(choice).length - this.#window, hold);
	}

	/**
	 * The chunks the caller may have now, in order: each whose text is
	 * cleared, then the cleared beginning of the next. At the end
	 * (`ended`), everything queued.
	 */
	release(ended: boolean): ChatCompletionChunk[] {
		const out: ChatCompletionChunk[] = [];
		while (this.#head < this.#queue.length) {
			const item = this.#queue[this.#head] as Item;
			if (item.toEnd && !ended) break;
			const limits = item.parts.map((part) =>
				ended ? part.end : Math.min(part.end, this.#limit(part.choice)),
			);
			if (item.parts.every((part, i) => (limits[i] as number) >= part.end)) {
				out.push(item.chunk);
				this.#queue[this.#head++] = undefined;
				continue;
			}
			if (item.parts.some((part, i) => (limits[i] as number) > part.start)) {
				out.push(split(item, limits));
			}
			break;
		}
		if (this.#head > 64 && this.#head * 2 > this.#queue.length) {
			this.#queue.splice(0, this.#head);
			this.#head = 0;
		}
		return out;
	}
}

/** Splits a queued chunk at the limits: returns the cleared copy, and leaves the rest queued. */
function split(item: Item, limits: readonly number[]): ChatCompletionChunk {
	const { chunk } = item;
	const cleared: Choice[] = [];
	const rest: Choice[] = [];
	const restParts: Part[] = [];
	chunk.choices.forEach((entry, position) => {
		const at = item.parts.findIndex((part) => part.entry === position);
		const part = item.parts[at];
		if (!part) {
			rest.push(entry);
			return;
		}
		const content = entry.delta.content as string;
		const cut = Math.max(0, (limits[at] as number) - part.start);
		const { role, content: _, ...others } = entry.delta;
		if (cut > 0) {
			const { logprobs: __, ...fields } = entry;
			cleared.push({
				...fields,
				delta: {
					...(role === undefined ? {} : { role }),
					content: content.slice(0, cut),
				},
				finish_reason: null,
			});
		}
		const delta: Delta =
			cut > 0 ? others : { ...others, ...(role === undefined ? {} : { role }) };
		if (cut < content.length) {
			restParts.push({ ...part, entry: rest.length, start: part.start + cut });
			rest.push({ ...entry, delta: { ...delta, content: content.slice(cut) } });
		} else if (
			entry.finish_reason !== null ||
			entry.logprobs != null ||
			Object.keys(delta).length
		) {
			rest.push({ ...entry, delta });
		}
	});
	const { usage: _, ...head } = chunk;
	item.chunk = { ...chunk, choices: rest };
	item.parts = restParts;
	return { ...head, choices: cleared } as ChatCompletionChunk;
}
