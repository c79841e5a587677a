/**
 * What a user can pass: client options, per-call options and plugins, with
 * their documented defaults. The checks live in `checks.ts`.
 */
import type { AtriumError } from "../errors/tree.js";
import type { AttemptRecord, Governance } from "../governance/parse.js";
import type { Metadata, MetadataUpdate } from "../metadata/metadata.js";
import type {
	ChatCompletionChunk,
	ChatCompletionCreateParams,
} from "../types.js";
import type { Fetch } from "./gateway-client.js";
import type { Logger, LogLevel } from "./logger.js";
import type { ChatCompletion, EvaluationResult } from "./result.js";

/** The gateway's production URL. */
export const DEFAULT_BASE_URL = "https://api.monago.io/v1";
/** Milliseconds each attempt may take (head and body; a stream's head only) before it is retried or fails with `TimeoutError`. */
export const DEFAULT_TIMEOUT = 60_000;
/** Retries after the first attempt. */
export const DEFAULT_MAX_RETRIES = 2;
/** Milliseconds a stream may wait for a byte (keep-alive comments count) before it fails with `TimeoutError`. */
export const DEFAULT_STREAM_IDLE_TIMEOUT = 120_000;
/** Milliseconds from a stream's head to its first chunk, keep-alive comments or not, before it fails with `TimeoutError`. */
export const DEFAULT_STREAM_FIRST_CHUNK_TIMEOUT = 120_000;
/** Bytes a response body (a whole answer, or all of a stream) may have before the call fails with `APIError`: 32 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 2 ** 20;

/** The body of a streamed call: `stream: true`. */
export type ChatCompletionCreateParamsStreaming = ChatCompletionCreateParams & {
	/** True: the answer comes as server-sent events. */
	stream: true;
};
/** The body of a call answered whole: `stream` absent or false. */
export type ChatCompletionCreateParamsNonStreaming =
	ChatCompletionCreateParams & {
		/** Absent, false or null: the answer comes whole. */
		stream?: false | null | undefined;
	};

/** Options of the {@link Atrium} client. Every one has a documented default. */
export interface AtriumOptions {
	/** API key (`sk-mng-...`). Default: env `ATRIUM_API_KEY`, then `MONAGO_API_KEY`. */
	apiKey?: string | undefined;
	/** Gateway base URL. Default: env `ATRIUM_BASE_URL`, then `https://api.monago.io/v1`. */
	baseURL?: string | undefined;
	/** Milliseconds per attempt, head and body (a stream's head only: its body has `streamIdleTimeout` and `streamFirstChunkTimeout`). Default 60000. */
	timeout?: number | undefined;
	/** Retries after the first attempt; `0` means one attempt. Default 2. */
	maxRetries?: number | undefined;
	/** Milliseconds a stream may wait for a byte before it fails with `TimeoutError` (the time your code spends between reads does not count). Default 120000. */
	streamIdleTimeout?: number | undefined;
	/** Milliseconds from a stream's head to its first chunk (keep-alive comments do not extend it). Default 120000. */
	streamFirstChunkTimeout?: number | undefined;
	/** Bytes a response body may have: a whole answer, or all of a stream. Default 32 MiB. */
	maxResponseBytes?: number | undefined;
	/** Headers sent on every request. */
	defaultHeaders?: Record<string, string> | undefined;
	/**
	 * Metadata for the gateway's audit record of every call: `user_id` and
	 * `session_id`, and up to 16 further string fields. Default none.
	 */
	metadata?: Metadata | undefined;
	/** Plugins run on every call, before the call's own. Default none. */
	plugins?: readonly AtriumPlugin[] | undefined;
	/** The fetch to use. Default: `globalThis.fetch`. */
	fetch?: Fetch | undefined;
	/** How much to log. Default: env `ATRIUM_LOG`, then `"warn"`. */
	logLevel?: LogLevel | undefined;
	/** Where log lines go. Default: `console`. Secrets are redacted before it sees them. */
	logger?: Logger | undefined;
	/**
	 * Allow the client in a browser, where every page visitor can read the
	 * key. Only for keys meant to be public to those visitors. Default false.
	 */
	dangerouslyAllowBrowser?: boolean | undefined;
}

/** Options of one call; each overrides the client's for that call only. */
export interface RequestOptions {
	/** Aborts the call; it then rejects with `AbortError` and is never retried. */
	signal?: AbortSignal | undefined;
	/** Milliseconds per attempt of this call, head and body. */
	timeout?: number | undefined;
	/** Retries after the first attempt for this call. */
	maxRetries?: number | undefined;
	/** Milliseconds this stream may wait for a byte. */
	streamIdleTimeout?: number | undefined;
	/** Milliseconds from this stream's head to its first chunk. */
	streamFirstChunkTimeout?: number | undefined;
	/** Bytes this call's response body may have. */
	maxResponseBytes?: number | undefined;
	/** Extra headers for this call. */
	headers?: Record<string, string> | undefined;
	/** The `Idempotency-Key` of this call, the same on every retry. Default: a random UUID per call. */
	idempotencyKey?: string | undefined;
	/** Metadata of this call, merged over the client's key by key; `null` removes a key for this call. */
	metadata?: MetadataUpdate | undefined;
	/** Plugins for this call only, run after the client's. */
	plugins?: readonly AtriumPlugin[] | undefined;
}

/** A chunk hook's answer: nothing (pass the chunk on), or the chunks to pass on instead (none holds it back). */
export type ChunkResult =
	// biome-ignore lint/suspicious/noConfusingVoidType: a hook that returns nothing is void
	void | undefined | readonly ChatCompletionChunk[];

type MaybePromise<T> = T | Promise<T>;

/**
 * An extension of the call path: a name and optional hooks, each given the
 * call's {@link CallContext}. Hooks on the way out (`onRequest`) run in
 * order, the client's plugins first; hooks on the way back (`onAttempt`,
 * `onChunk`, `onStreamEnd`, `onResponse`, `onError`) run in reverse order,
 * so the last plugin is the closest to the network. Every plugin gets
 * exactly one of `onResponse` and `onError` per call, streams included.
 *
 * @example
 * let total = 0;
 * const tokens: AtriumPlugin = {
 *   name: "token-counter",
 *   onResponse(ctx, completion) {
 *     total += completion.usage?.total_tokens ?? 0;
 *   },
 * };
 * const client = new Atrium({ plugins: [tokens] });
 */
export interface AtriumPlugin {
	/** Names the plugin in errors and logs. */
	readonly name: string;
	/** Before the first attempt: may change `ctx.body`'s fields, `ctx.headers` and `ctx.metadata`, or throw an `AtriumError` to refuse the call before anything is sent. */
	onRequest?(ctx: CallContext): MaybePromise<void>;
	/** After every attempt, with its record (status, audit id, error class). */
	onAttempt?(ctx: CallContext, attempt: AttemptRecord): MaybePromise<void>;
	/** Each streamed chunk before the caller sees it: return nothing to pass it on, or the chunks to pass on instead. Throwing ends the stream with that error. */
	onChunk?(
		ctx: CallContext,
		chunk: ChatCompletionChunk,
	): MaybePromise<ChunkResult>;
	/** A stream reached `[DONE]`, before the caller is told: return chunks still held back, or throw to end the stream with an error. */
	onStreamEnd?(ctx: CallContext): MaybePromise<ChunkResult>;
	/** Once per successful call (a stream: at its end, with the aggregated completion). Throwing fails the call. */
	onResponse?(ctx: CallContext, completion: ChatCompletion): MaybePromise<void>;
	/** Once per failed call, stream or not. What it throws is logged, never raised. */
	onError?(ctx: CallContext, error: AtriumError): MaybePromise<void>;
	/**
	 * Runs a piece of work above single calls (a tool, an agent) inside the
	 * plugin's scope, such as a tracing span that the calls made by `run`
	 * nest under. The tool-run loop and agent runs call it for every plugin
	 * that has it; it must call `run` once and return (or throw) what it does.
	 */
	wrap?<T>(operation: Operation, run: () => Promise<T>): Promise<T>;
}

/** A piece of work above single calls, as {@link AtriumPlugin.wrap} sees it. */
export interface Operation {
	/** The GenAI operation name: `execute_tool`, `invoke_agent` or `invoke_workflow`. */
	readonly kind: "execute_tool" | "invoke_agent" | "invoke_workflow";
	/** The tool's, agent's or workflow's name. */
	readonly name: string;
	/** What is known at the start, e.g. `gen_ai.tool.call.id`, `run_id`. */
	readonly attributes: Readonly<
		Record<string, string | number | boolean | readonly string[]>
	>;
}

/**
 * One call as plugins see it: fresh for every call, never shared with
 * another. Each plugin gets its own `state`.
 */
export interface CallContext {
	/** The HTTP method called. */
	readonly method: string;
	/** The path called, below the base URL. */
	readonly path: string;
	/** The URL called: the client's base URL and the path. */
	readonly url: string;
	/** This call's body: a copy of the caller's, so `onRequest` may replace its fields (nested values are the caller's: replace them, do not mutate them). */
	readonly body:
		| ChatCompletionCreateParamsNonStreaming
		| ChatCompletionCreateParamsStreaming;
	/** This call's own headers; `onRequest` may set or delete them. The client's default headers and authorization are added when sending. */
	readonly headers: Record<string, string>;
	/** The call's metadata, the client's merged with the call's; `onRequest` may change it, and it is frozen once sent. */
	readonly metadata: Record<string, string>;
	/** Whether the call streams. */
	readonly stream: boolean;
	/** The caller's signal, if any. */
	readonly signal: AbortSignal | undefined;
	/** The attempts so far. */
	readonly attempts: readonly AttemptRecord[];
	/** Governance so far: the last attempt's, with a stream's governance events merged; null before the first response. */
	readonly governance: Governance | null;
	/** The evaluations of this call so far: evaluator plugins add theirs here, and the result, the stream and the error carry them. */
	readonly evaluations: EvaluationResult[];
	/** This plugin's own scratch space for this call; no other plugin sees it. */
	readonly state: Record<string, unknown>;
	/** Makes another call through the same client (its plugins included), for example an LLM judge: governed and audited like any call. */
	readonly create: (
		body: ChatCompletionCreateParamsNonStreaming,
		options?: RequestOptions,
	) => Promise<ChatCompletion>;
}
