/**
 * `reply.stream`: a streamed answer as the gateway sends it (GATEWAY.md,
 * "Streaming"): `data:` chunks, `event: governance` updates, a usage chunk,
 * `data: [DONE]`, or an end that is not one: a block or an error event after
 * chunk n, a dropped connection, a missing `[DONE]`.
 */
import type { ChatCompletionChunk, CompletionUsage } from "../index.js";
import { type BlockKind, type BlockOptions, blockOf } from "./blocks.js";
import {
	allowed,
	CREATED,
	completionId,
	exampleError,
	modelOf,
	SERVED,
	usageFor,
	withOptions,
} from "./defaults.js";
import {
	type ChunkHead,
	type StreamStep,
	sseResponse,
	usageChunk,
} from "./sse-response.js";
import type {
	GovernanceInput,
	Reply,
	ReplyExchange,
	ReplyOptions,
} from "./types.js";
import {
	checkOptions,
	DONE,
	dataEvent,
	governanceHeaders,
	namedEvent,
} from "./wire.js";

/** Why the model stopped: `stop`, `length`, `tool_calls`, ... */
export type FinishReason = NonNullable<
	ChatCompletionChunk["choices"][number]["finish_reason"]
>;

/** One piece of a stream: text (a content delta) or chunk fields of your own (e.g. tool-call deltas). */
export type StreamChunkInit = string | Partial<ChatCompletionChunk>;

/** An `event: governance` in a stream. */
export interface GovernanceEventInit {
	/** After how many chunks it comes (0: before the first). Default: at the end, just before `[DONE]`. */
	readonly after?: number | undefined;
	/** The fields that changed, e.g. `{ cost_idr: 91.5 }`. */
	readonly governance: GovernanceInput;
}

/** The block of a stream's `blockAfter`: a kind and `reply.block`'s options. */
export interface StreamBlockOptions extends BlockOptions {
	/** What the gateway blocks for. Default `"pii"` (an output-side PII policy). */
	readonly kind?: BlockKind | undefined;
}

/** Options of `reply.stream`. */
export interface StreamOptions extends ReplyOptions {
	/** `event: governance` updates, e.g. the final cost. */
	readonly governanceEvents?: readonly GovernanceEventInit[] | undefined;
	/** Blocks the stream after this many chunks: `event: governance` (blocked) then `event: error`; no `[DONE]`. */
	readonly blockAfter?: number | undefined;
	/** The block of `blockAfter`: a kind, or a kind with `reply.block`'s options. Default `"pii"`. */
	readonly block?: BlockKind | StreamBlockOptions | undefined;
	/** Ends the stream after this many chunks with an `event: error` of the provider (status 503). */
	readonly errorAfter?: number | undefined;
	/** Drops the connection after this many chunks: the body fails as undici's does (`terminated`). */
	readonly disconnectAfter?: number | undefined;
	/** Ends the stream without `data: [DONE]`. */
	readonly withoutDone?: boolean | undefined;
	/**
	 * The usage chunk before `[DONE]`: counts to send, `true` for counts
	 * estimated from the text, `false` for none. Default: sent when the
	 * request asks for it (`stream_options.include_usage`, which the SDK sets).
	 */
	readonly usage?: CompletionUsage | boolean | undefined;
	/** The finish reason of the last text chunk. Default `"stop"`. */
	readonly finish_reason?: FinishReason | undefined;
}

const STREAM = "reply.stream(...)";

function count(name: string, value: number | undefined): number | undefined {
	if (value === undefined) return undefined;
	if (!Number.isInteger(value) || value < 0) {
		throw new TypeError(
			`${STREAM}: ${name} must be a whole number >= 0, got ${value}`,
		);
	}
	return value;
}

/** Text becomes one chunk per word (trailing spaces kept); an array is taken as it is. */
function pieces(
	chunks: string | readonly StreamChunkInit[],
): StreamChunkInit[] {
	if (typeof chunks === "string") return chunks.match(/\s*\S+\s*/g) ?? [chunks];
	const valid =
		Array.isArray(chunks) &&
		chunks.every(
			(item) =>
				typeof item === "string" || (typeof item === "object" && item !== null),
		);
	if (!valid) {
		throw new TypeError(
			`${STREAM}: give text, or an array of texts and chunk objects`,
		);
	}
	return [...chunks];
}

/** The chunks for the pieces: text as content deltas, the first with the role, the last with the finish reason. */
function chunksOf(
	items: readonly StreamChunkInit[],
	head: ChunkHead,
	finish: FinishReason,
): ChatCompletionChunk[] {
	let first = true;
	return items.map((item, position) => {
		if (typeof item !== "string") return { ...head, choices: [], ...item };
		const delta = first
			? { role: "assistant" as const, content: item, refusal: null }
			: { content: item };
		first = false;
		const last = position === items.length - 1;
		return {
			...head,
			choices: [
				{
					index: 0,
					delta,
					finish_reason: last ? finish : null,
					logprobs: null,
				},
			],
		};
	});
}

/** The steps that end a stream early: a block, an error event or a dropped connection. */
function cutOf(options: StreamOptions) {
	const given = [
		["blockAfter", count("blockAfter", options.blockAfter)],
		["errorAfter", count("errorAfter", options.errorAfter)],
		["disconnectAfter", count("disconnectAfter", options.disconnectAfter)],
	] as const;
	const set = given.filter(([, value]) => value !== undefined);
	if (set.length > 1) {
		throw new TypeError(
			`${STREAM}: give one of blockAfter, errorAfter and disconnectAfter`,
		);
	}
	const [name, after] = set[0] ?? [null, undefined];
	if (name === null || after === undefined) return null;
	if (name === "disconnectAfter")
		return { after, steps: ["disconnect"] as StreamStep[] };
	if (name === "errorAfter") {
		const { error } = exampleError("provider_unavailable");
		return { after, steps: [namedEvent("error", { error, status: 503 })] };
	}
	const init =
		typeof options.block === "string"
			? { kind: options.block }
			: (options.block ?? {});
	const kind = init.kind ?? "pii";
	const { body, update } = blockOf(
		`${STREAM} block ${JSON.stringify(kind)}`,
		kind,
		init,
	);
	const error =
		init.status === undefined ? body : { ...body, status: init.status };
	return {
		after,
		steps: [namedEvent("governance", update), namedEvent("error", error)],
	};
}

/** `reply.stream`: see {@link reply}. */
export function stream(
	chunks: string | readonly StreamChunkInit[],
	options: StreamOptions = {},
): Reply {
	checkOptions(STREAM, options);
	const items = pieces(chunks);
	const cut = cutOf(options);
	const events = [...(options.governanceEvents ?? [])];
	for (const event of events) {
		count("governanceEvents[].after", event.after);
		checkOptions(STREAM, { governance: event.governance });
	}
	const finish = options.finish_reason ?? "stop";

	const steps = (exchange: ReplyExchange): StreamStep[] => {
		const head: ChunkHead = {
			id: completionId(exchange.index),
			object: "chat.completion.chunk",
			created: CREATED,
			model: modelOf(exchange.call),
			...SERVED,
		};
		const out: StreamStep[] = [];
		const all = chunksOf(items, head, finish);
		// What comes after chunk n comes after the last chunk when n is past the end.
		const place = (after: number) => Math.min(after, all.length);
		for (let position = 0; position <= all.length; position++) {
			for (const event of events) {
				if (event.after !== undefined && place(event.after) === position)
					out.push(namedEvent("governance", event.governance));
			}
			if (cut && place(cut.after) === position) {
				out.push(...cut.steps);
				return out;
			}
			const chunk = all[position];
			if (chunk) out.push(dataEvent(chunk));
		}
		const usage = usageOf(options.usage, exchange, items);
		if (usage) out.push(dataEvent(usageChunk(head, usage)));
		for (const event of events)
			if (event.after === undefined)
				out.push(namedEvent("governance", event.governance));
		if (!options.withoutDone) out.push(DONE);
		return out;
	};

	return {
		description: STREAM,
		respond(exchange) {
			if (exchange.call.body?.stream !== true) {
				return Promise.reject(
					new TypeError(
						`mockGateway: call ${exchange.index + 1} did not ask for a stream (stream: true), but its reply is ${STREAM}`,
					),
				);
			}
			const headers = {
				...governanceHeaders(withOptions(allowed(exchange.index), options)),
				...options.headers,
			};
			return sseResponse(steps(exchange), headers, exchange.signal);
		},
	};
}

function usageOf(
	usage: StreamOptions["usage"],
	exchange: ReplyExchange,
	items: readonly StreamChunkInit[],
): CompletionUsage | null {
	if (typeof usage === "object") return usage;
	const asked = exchange.call.body?.stream_options?.include_usage === true;
	if (usage === false || (usage === undefined && !asked)) return null;
	const text = items.filter((item) => typeof item === "string").join("");
	return usageFor(exchange.call, text);
}
