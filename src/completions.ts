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
import { trackCall } from "./transport.js";
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
		body: ChatCompletionCreateParams,
		options?: RequestOptions,
	): AtriumPromise<ChatCompletion>;
}

/** What the resource needs from the client: resolved once per client. */
export interface ResourceContext extends CallRunner {
	readonly timeout: number;
	readonly maxRetries: number;
	/** Calls in flight, aborted when the client closes. */
	readonly inflight: Set<AbortController>;
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

/** A fresh idempotency key: one per logical call. */
export function newIdempotencyKey(): string {
	const uuid = globalThis.crypto?.randomUUID?.();
	return `atrium-${uuid ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`}`;
}

/** The headers of one call: its idempotency key, then the caller's headers over it. */
function callHeaders(options: RequestOptions): Record<string, string> {
	const key = options.idempotencyKey ?? newIdempotencyKey();
	checkHeader("idempotencyKey", "Idempotency-Key", key);
	return {
		"Idempotency-Key": key,
		...checkHeaders("headers", options.headers),
	};
}

/** Builds the resource over the client's transport. */
export function createCompletions(resource: ResourceContext): Completions {
	const { context } = resource;
	const prefix = `${context.method} ${context.path}`;

	async function send(body: unknown, options: RequestOptions) {
		resource.ensureOpen();
		checkBody(body);
		const timeout =
			options.timeout === undefined
				? resource.timeout
				: checkTimeout("timeout", options.timeout);
		const maxRetries =
			options.maxRetries === undefined
				? resource.maxRetries
				: checkRetries("maxRetries", options.maxRetries);
		const headers = callHeaders(options);
		const call = trackCall(options.signal, resource.inflight);
		try {
			const result = await runCall(
				resource,
				{ body, headers, signal: call.signal, timeout },
				maxRetries,
			);
			const { response, body: data, governance, attempts } = result;
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
		} finally {
			call.release();
		}
	}

	return {
		create(body, options = {}) {
			return new AtriumPromise(send(body, options));
		},
	};
}
