/**
 * `chat.completions.create` and its result shape: the OpenAI body, untouched,
 * plus `content` and the call's `governance`.
 */
import { type CallContext, errorFromResponse } from "./error-mapping.js";
import { APIError, InvalidInputError } from "./errors.js";
import { type Governance, parseGovernance } from "./governance.js";
import { checkHeaders, checkTimeout, type RequestOptions } from "./options.js";
import { scrubValue } from "./scrub.js";
import type { Transport } from "./transport.js";
import type {
	ChatCompletionBody,
	ChatCompletionCreateParams,
} from "./types.js";

/**
 * A governed chat completion: the gateway's `chat.completion` body as sent,
 * plus the first choice's text and the call's governance.
 */
export type ChatCompletion = ChatCompletionBody & {
	/** The first choice's message content; `""` when there is none. */
	content: string;
	/** What the gateway decided about this call. */
	governance: Governance;
};

/** The `chat.completions` resource. */
export interface Completions {
	/**
	 * Creates a chat completion through the gateway.
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
	): Promise<ChatCompletion>;
}

/** What the resource needs from the client: resolved once per client. */
export interface ResourceContext {
	readonly transport: Transport;
	readonly context: CallContext;
	readonly timeout: number;
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

/** Builds the resource over the client's transport. */
export function createCompletions(resource: ResourceContext): Completions {
	const { transport, context } = resource;
	const prefix = `${context.method} ${context.path}`;
	return {
		async create(body, options = {}) {
			resource.ensureOpen();
			checkBody(body);
			const { response, body: data } = await transport({
				body,
				headers: checkHeaders("headers", options.headers),
				signal: options.signal,
				timeout:
					options.timeout === undefined
						? resource.timeout
						: checkTimeout("timeout", options.timeout),
			});
			const governance = parseGovernance(response.headers);
			if (!response.ok)
				throw errorFromResponse(response.status, data, governance, context);
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
			return completion;
		},
	};
}
