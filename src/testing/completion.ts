/**
 * Replies of an allowed call: a completion, a completion with redacted PII,
 * an assistant message with tool calls. A streaming request (`stream: true`)
 * gets the same answer as server-sent events, as from the gateway.
 */
import type {
	ChatCompletionBody,
	ChatCompletionMessageToolCall,
} from "../index.js";
import {
	allowed,
	CREATED,
	completionId,
	modelOf,
	SERVED,
	usageFor,
	withOptions,
} from "./defaults.js";
import { completionEvents, sseResponse } from "./sse-response.js";
import type {
	GovernanceInput,
	Reply,
	ReplyExchange,
	ReplyOptions,
} from "./types.js";
import { checkOptions, governanceHeaders, jsonResponse } from "./wire.js";

/**
 * A completion to answer with: the fields of a `chat.completion` body you
 * want to set (`choices`, `usage`, `model`, `id`, ...), or `content` for the
 * first choice's text when you leave `choices` out.
 */
export type CompletionInit = {
	[K in keyof ChatCompletionBody as Exclude<
		K,
		"choices"
	>]?: ChatCompletionBody[K];
} & {
	/** The assistant's text when `choices` is not given. Default `""`. */
	readonly content?: string | null | undefined;
	/** The choices; what a choice leaves out gets the usual value (see {@link ChoiceInit}). */
	readonly choices?: readonly ChoiceInit[] | undefined;
};

type Choice = ChatCompletionBody["choices"][number];

/**
 * A choice to answer with: `index` defaults to its position, the message's
 * `role` to `assistant`, `content` and `refusal` to null, `finish_reason` to
 * `stop` and `logprobs` to null.
 */
export type ChoiceInit = {
	[K in keyof Choice as Exclude<K, "message">]?: Choice[K];
} & {
	/** The assistant message; the fields it leaves out get their usual value. */
	readonly message: Partial<Choice["message"]>;
};

function choiceOf(init: ChoiceInit, position: number): Choice {
	const { message, ...rest } = init;
	return {
		index: position,
		finish_reason: "stop",
		logprobs: null,
		...rest,
		message: {
			role: "assistant",
			content: null,
			refusal: null,
			annotations: [],
			...message,
		},
	};
}

/** Options of `reply.redacted`. */
export interface RedactedOptions extends ReplyOptions {
	/** The PII types the gateway redacted. Default `["NIK"]`. */
	readonly pii?: readonly string[] | undefined;
}

/** One tool call of `reply.toolCalls`. */
export interface ToolCallInit {
	/** The function's name. */
	readonly name: string;
	/** Its arguments: an object (sent as JSON) or the JSON text as the model wrote it. Default `{}`. */
	readonly arguments?: unknown;
	/** The call's id. Default `call_mock_<call>_<position>`. */
	readonly id?: string | undefined;
}

/** Whether the request asked for a stream, and for usage in its last chunk. */
function streaming(exchange: ReplyExchange) {
	const body = exchange.call.body;
	return {
		stream: body?.stream === true,
		usage: body?.stream_options?.include_usage === true,
	};
}

/** Builds the reply for a completion body, as JSON or as a stream, whichever was asked. */
function completionReply(
	description: string,
	options: ReplyOptions,
	base: (index: number) => GovernanceInput,
	build: (exchange: ReplyExchange) => ChatCompletionBody,
): Reply {
	checkOptions(description, options);
	return {
		description,
		respond(exchange) {
			const body = build(exchange);
			const headers = {
				...governanceHeaders(withOptions(base(exchange.index), options)),
				...options.headers,
			};
			const asked = streaming(exchange);
			if (!asked.stream) return jsonResponse(200, body, headers);
			const events = completionEvents(body, asked.usage ? body.usage : null);
			return sseResponse(events, headers, exchange.signal);
		},
	};
}

/** The `chat.completion` body for `init`, with the call's id, model and usage. */
function body(
	init: CompletionInit,
	exchange: ReplyExchange,
): ChatCompletionBody {
	const { content = "", choices, usage, ...rest } = init;
	const answer = (choices ?? [{ message: { content } }]).map(choiceOf);
	const text = answer
		.map((choice) => choice.message.content ?? JSON.stringify(choice.message))
		.join("");
	return {
		id: completionId(exchange.index),
		object: "chat.completion",
		created: CREATED,
		model: modelOf(exchange.call),
		...SERVED,
		...rest,
		choices: answer,
		usage: usage ?? usageFor(exchange.call, text),
	};
}

/** `reply.completion`: see {@link reply}. */
export function completion(
	content: string | CompletionInit = "",
	options: ReplyOptions = {},
): Reply {
	const init = typeof content === "string" ? { content } : content;
	return completionReply(
		"reply.completion(...)",
		options,
		allowed,
		(exchange) => body(init, exchange),
	);
}

/** `reply.redacted`: see {@link reply}. */
export function redacted(
	content: string | CompletionInit,
	options: RedactedOptions = {},
): Reply {
	const init = typeof content === "string" ? { content } : content;
	const pii = [...(options.pii ?? ["NIK"])];
	const base = (index: number): GovernanceInput => ({
		...allowed(index),
		pii_detected: true,
		pii_redacted: pii,
		policy_decision: "redacted",
	});
	return completionReply("reply.redacted(...)", options, base, (exchange) =>
		body(init, exchange),
	);
}

function toolCall(
	init: ToolCallInit,
	position: number,
	index: number,
): ChatCompletionMessageToolCall {
	const args = init.arguments ?? {};
	return {
		id: init.id ?? `call_mock_${index + 1}_${position + 1}`,
		type: "function",
		function: {
			name: init.name,
			arguments: typeof args === "string" ? args : JSON.stringify(args),
		},
	};
}

/** `reply.toolCalls`: see {@link reply}. */
export function toolCalls(
	calls: readonly ToolCallInit[],
	options: ReplyOptions & { readonly content?: string | null } = {},
): Reply {
	const what = "reply.toolCalls(...)";
	if (!Array.isArray(calls) || calls.length === 0) {
		throw new TypeError(`${what}: give at least one { name, arguments }`);
	}
	for (const call of calls) {
		if (typeof call?.name !== "string" || !call.name) {
			throw new TypeError(`${what}: every tool call needs a name`);
		}
	}
	return completionReply(what, options, allowed, (exchange) => {
		const message = {
			role: "assistant" as const,
			content: options.content ?? null,
			refusal: null,
			tool_calls: calls.map((call, position) =>
				toolCall(call, position, exchange.index),
			),
		};
		const choice = {
			index: 0,
			message,
			finish_reason: "tool_calls" as const,
			logprobs: null,
		};
		return body({ choices: [choice] }, exchange);
	});
}
