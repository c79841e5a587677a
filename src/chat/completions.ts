/**
 * `chat.completions.create` and its result shape: the OpenAI body, untouched,
 * plus `content`, the call's `governance` and every attempt's audit record.
 */
import { type CallRunner, runCall } from "../core/attempts.js";
import {
	checkHeader,
	checkHeaders,
	checkRetries,
	checkTimeout,
	type RequestOptions,
} from "../core/options.js";
import { AtriumPromise } from "../core/promise.js";
import { scrubValue } from "../errors/scrub.js";
import { APIError, InvalidInputError } from "../errors/tree.js";
import type { AttemptRecord, Governance } from "../governance/parse.js";
import type { ChatCompletionStream } from "../streaming/stream.js";
import type {
	ChatCompletionBody,
	ChatCompletionCreateParams,
} from "../types.js";

/**
 * A governed chat completion: the gateway's `chat.completion` body as sent,
 * plus the first choice's text, the call's governance and its attempts.
 */
export type ChatCompletion = ChatCompletionBody & {
	/** The first choice's message content; `""` when there is none. */
	content: string;
	/** What the gateway decided about this call (its last attempt). */
	governance: Governance;
	/** Every attempt of the call, retries included, each with its audit id. */
	attempts: readonly AttemptRecord[];
};

/** The body of a streamed call: `stream: true`. */
export type ChatCompletionCreateParamsStreaming = ChatCompletionCreateParams & {
	/** True: the answer comes as server-sent events. */
	stream: true;
};
/** The body of a call answered whole: `stream` absent or false. */
export type ChatCompletionCreateParamsNonStreaming =
	ChatCompletionCreateParams & {
		/** Absent or false: the answer comes whole. */
		stream?: false | undefined;
	};

/** The `chat.completions` resource. */
export interface Completions {
	/**
	 * Creates a chat completion through the gateway. Retries connection
	 * failures, timeouts, 408, 409, 429 and 5xx (never a block), with one
	 * `Idempotency-Key` for all attempts.
	 *
	 * @throws {PolicyBlockedError} (or a subclass) when the gateway blocks the call.
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

/** What the resource needs from the client: resolved once per client. */
export interface ResourceContext extends CallRunner {
	readonly timeout: number;
	readonly maxRetries: number;
	readonly streamIdleTimeout: number;
	/** Throws when the client was closed. */
	readonly ensureOpen: () => void;
}

function checkBody(body: unknown): asserts body is ChatCompletionCreateParams {
	if (typeof body !== "object" || body === null || Array.isArray(body)) {
		throw new InvalidInputError("create needs a body: { model, messages }");
	}
	const { model, messages } = body as Record<string, unknown>;
	if (typeof model !== "string" || model === "") {
		throw new InvalidInputError("`model` must be a non-empty string");
	}
	if (!Array.isArray(messages) || messages.length === 0) {
		throw new InvalidInputError("`messages` must be a non-empty array");
	}
}

function firstContent(body: ChatCompletionBody): string {
	const content = body.choices?.[0]?.message?.content;
	return typeof content === "string" ? content : "";
}

/** A fresh idempotency key: one per logical call. */
export function newIdempotencyKey(): string {
	const uuid = globalThis.crypto?.randomUUID?.();
	return `atrium-${uuid ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`}`;
}

/** The headers of one call: its idempotency key, then the caller's headers over it. */
function callHeaders(options: RequestOptions): Record<string, string> {
	const given = options.idempotencyKey;
	// Only a caller's key needs checking: the SDK's own is a UUID.
	if (given !== undefined)
		checkHeader("idempotencyKey", "Idempotency-Key", given);
	const key = given ?? newIdempotencyKey();
	return {
		"Idempotency-Key": key,
		...checkHeaders("headers", options.headers),
	};
}

export function createCompletions(resource: ResourceContext): Completions {
	const { context } = resource;
	const prefix = `${context.method} ${context.path}`;
	let streaming:
		| Promise<typeof import("../streaming/stream-call.js")>
		| undefined;

	async function send(body: unknown, options: RequestOptions) {
		resource.ensureOpen();
		checkBody(body);
		const request = {
			body,
			headers: callHeaders(options),
			signal: options.signal,
			timeout: checkTimeout("timeout", options.timeout, resource.timeout),
		};
		const maxRetries = checkRetries(
			"maxRetries",
			options.maxRetries,
			resource.maxRetries,
		);
		if (body.stream === true) {
			// Loaded on the first stream, so a client that never streams never
			// loads it; kept, so later streams skip the loader (and its hooks).
			streaming ??= import("../streaming/stream-call.js");
			const { sendStream } = await streaming;
			return sendStream(
				resource,
				request,
				maxRetries,
				options.streamIdleTimeout,
			);
		}
		const {
			response,
			body: data,
			governance,
			attempts,
		} = await runCall(resource, request, maxRetries);
		if (typeof data !== "object" || data === null || Array.isArray(data)) {
			throw new APIError(
				`${prefix}: ${response.status} with a body that is not a JSON object`,
				{
					status_code: response.status,
					response_body: scrubValue(data, context.scrub),
					governance,
				},
			);
		}
		const completion = data as ChatCompletion;
		completion.content = firstContent(completion);
		completion.governance = governance;
		completion.attempts = attempts;
		return { data: completion, response };
	}

	return {
		create(body: ChatCompletionCreateParams, options: RequestOptions = {}) {
			return new AtriumPromise<ChatCompletion | ChatCompletionStream>(
				send(body, options),
			);
		},
	} as Completions;
}
