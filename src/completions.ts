/**
 * `chat.completions.create` and its result shape: the OpenAI body, untouched,
 * plus `content`, the call's `governance` and every attempt's audit record.
 */
import { type CallRunner, runCall } from "./call.js";
import { APIError, InvalidInputError } from "./errors.js";
import type { AttemptRecord, Governance } from "./governance.js";
import {
	checkHeader,
	checkHeaders,
	checkRetries,
	checkTimeout,
	type RequestOptions,
} from "./options.js";
import { AtriumPromise } from "./promise.js";
import { scrubValue } from "./scrub.js";
import { ChatCompletionStream } from "./stream.js";
import { parseBody } from "./transport.js";
import type {
	ChatCompletionBody,
	ChatCompletionCreateParams,
} from "./types.js";

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
	stream: true;
};
/** The body of a call answered whole: `stream` absent or false. */
export type ChatCompletionCreateParamsNonStreaming =
	ChatCompletionCreateParams & { stream?: false | undefined };

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
		throw new InvalidInputError(
			"chat.completions.create needs a request object: { model, messages }",
		);
	}
	const { model, messages } = body as Record<string, unknown>;
	if (typeof model !== "string" || model === "") {
		throw new InvalidInputError(
			'chat.completions.create: `model` must be a non-empty string, e.g. "gpt-5.4-mini"',
		);
	}
	if (!Array.isArray(messages) || messages.length === 0) {
		throw new InvalidInputError(
			"chat.completions.create: `messages` must be a non-empty array of messages",
		);
	}
}

function firstContent(body: ChatCompletionBody): string {
	const content = body.choices?.[0]?.message?.content;
	return typeof content === "string" ? content : "";
}

function isEventStream(response: Response): boolean {
	return (
		response.headers.get("content-type")?.includes("text/event-stream") === true
	);
}

/** A fresh idempotency key: one per logical call. */
export function newIdempotencyKey(): string {
	const uuid = globalThis.crypto?.randomUUID?.();
	return `atrium-${uuid ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`}`;
}

/** The headers of one call: its idempotency key (and Accept for a stream), then the caller's headers over them. */
function callHeaders(
	options: RequestOptions,
	stream: boolean,
): Record<string, string> {
	const key = options.idempotencyKey ?? newIdempotencyKey();
	checkHeader("idempotencyKey", "Idempotency-Key", key);
	const own: Record<string, string> = { "Idempotency-Key": key };
	if (stream) own.Accept = "text/event-stream";
	return { ...own, ...checkHeaders("headers", options.headers) };
}

/** A streamed body asks for usage in its last chunk, unless the caller chose otherwise. */
function withUsage(
	body: ChatCompletionCreateParams,
): ChatCompletionCreateParams {
	return body.stream_options === undefined
		? { ...body, stream_options: { include_usage: true } }
		: body;
}

/** Builds the resource over the client's transport. */
export function createCompletions(resource: ResourceContext): Completions {
	const { context } = resource;
	const prefix = `${context.method} ${context.path}`;

	function option(
		name: "timeout" | "streamIdleTimeout",
		value: number | undefined,
	): number {
		return value === undefined ? resource[name] : checkTimeout(name, value);
	}

	async function send(body: unknown, options: RequestOptions) {
		resource.ensureOpen();
		checkBody(body);
		const stream = body.stream === true;
		const timeout = option("timeout", options.timeout);
		const idleTimeout = option("streamIdleTimeout", options.streamIdleTimeout);
		const maxRetries =
			options.maxRetries === undefined
				? resource.maxRetries
				: checkRetries("maxRetries", options.maxRetries);
		const headers = callHeaders(options, stream);
		const result = await runCall(
			resource,
			{
				body: stream ? withUsage(body) : body,
				headers,
				signal: options.signal,
				timeout,
				stream,
			},
			maxRetries,
		);
		const { response, body: data, governance, attempts, call } = result;
		if (call && data instanceof ReadableStream && isEventStream(response)) {
			const source = {
				response,
				body: data,
				governance,
				attempts,
				context,
				call,
				idleTimeout,
			};
			return { data: new ChatCompletionStream(source), response };
		}
		if (
			stream ||
			typeof data !== "object" ||
			data === null ||
			Array.isArray(data)
		) {
			let text = data;
			try {
				if (data instanceof ReadableStream)
					text = parseBody(await new Response(data).text());
			} finally {
				call?.release();
			}
			throw new APIError(
				stream
					? `${prefix}: ${response.status} asked for a stream, got ${response.headers.get("content-type") ?? "no content type"}`
					: `${prefix}: ${response.status} with a body that is not a JSON object`,
				{
					status_code: response.status,
					response_body: scrubValue(text, context.scrub),
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
