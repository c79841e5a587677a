/**
 * Type-level tests of the drop-in claim, checked by `npm run typecheck` (tsc
 * over tsconfig.dev.json) and never run: code written against the `openai`
 * 6.x types passes its values to this SDK unchanged, and code that consumes
 * openai's result types takes this SDK's results.
 *
 * A line marked `@ts-expect-error` is a known gap that needs a change in
 * src/ (named on the line); once fixed, tsc reports the directive as unused
 * and it goes.
 */
import type OpenAI from "openai";
import { expectTypeOf } from "vitest";
import type {
	Atrium,
	AtriumPromise,
	ChatCompletion,
	ChatCompletionAudioParam,
	ChatCompletionChunk,
	ChatCompletionContentPart,
	ChatCompletionCreateParams,
	ChatCompletionCreateParamsStreaming,
	ChatCompletionMessage,
	ChatCompletionMessageParam,
	ChatCompletionMessageToolCall,
	ChatCompletionPredictionContent,
	ChatCompletionReasoningEffort,
	ChatCompletionStream,
	ChatCompletionStreamOptions,
	ChatCompletionTokenLogprob,
	ChatCompletionTool,
	ChatCompletionToolChoiceOption,
	CompletionUsage,
	ResponseFormat,
} from "../../src/index.js";
import * as bodies from "../helpers/openai-bodies.js";

declare const client: Atrium;

// openai's request types fit this SDK's, whole and in parts.
expectTypeOf<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming>().toExtend<ChatCompletionCreateParams>();
expectTypeOf<OpenAI.Chat.ChatCompletionCreateParamsStreaming>().toExtend<ChatCompletionCreateParamsStreaming>();
expectTypeOf<OpenAI.Chat.ChatCompletionCreateParams>().toExtend<ChatCompletionCreateParams>();
expectTypeOf<OpenAI.Chat.ChatCompletionMessageParam>().toExtend<ChatCompletionMessageParam>();
expectTypeOf<OpenAI.Chat.ChatCompletionContentPart>().toExtend<ChatCompletionContentPart>();
expectTypeOf<OpenAI.Chat.ChatCompletionTool>().toExtend<ChatCompletionTool>();
expectTypeOf<OpenAI.Chat.ChatCompletionToolChoiceOption>().toExtend<ChatCompletionToolChoiceOption>();
expectTypeOf<OpenAI.Chat.ChatCompletionMessageToolCall>().toExtend<ChatCompletionMessageToolCall>();
expectTypeOf<OpenAI.Chat.ChatCompletionStreamOptions>().toExtend<ChatCompletionStreamOptions>();
expectTypeOf<OpenAI.Chat.ChatCompletionAudioParam>().toExtend<ChatCompletionAudioParam>();
expectTypeOf<OpenAI.Chat.ChatCompletionPredictionContent>().toExtend<ChatCompletionPredictionContent>();
expectTypeOf<OpenAI.Chat.ChatCompletionReasoningEffort>().toExtend<ChatCompletionReasoningEffort>();
expectTypeOf<
	NonNullable<OpenAI.Chat.ChatCompletionCreateParams["response_format"]>
>().toExtend<ResponseFormat>();

// This SDK's results fit openai's, so code that consumes them keeps compiling.
expectTypeOf<ChatCompletion>().toExtend<OpenAI.Chat.ChatCompletion>();
expectTypeOf<ChatCompletionChunk>().toExtend<OpenAI.Chat.ChatCompletionChunk>();
expectTypeOf<ChatCompletionMessage>().toExtend<OpenAI.Chat.ChatCompletionMessage>();
expectTypeOf<CompletionUsage>().toExtend<OpenAI.CompletionUsage>();
expectTypeOf<ChatCompletionTokenLogprob>().toExtend<OpenAI.Chat.ChatCompletionTokenLogprob>();
// ...and an answer's message is a message to send back, in either SDK.
expectTypeOf<ChatCompletionMessage>().toExtend<OpenAI.Chat.ChatCompletionMessageParam>();
expectTypeOf<ChatCompletionMessage>().toExtend<ChatCompletionMessageParam>();

/** openai-typed bodies go to `create` unchanged, with the result type of their kind. */
export function bodiesAsTyped(either: OpenAI.Chat.ChatCompletionCreateParams) {
	expectTypeOf(
		client.chat.completions.create(bodies.paramsStreaming),
	).toEqualTypeOf<AtriumPromise<ChatCompletionStream>>();
	expectTypeOf(
		client.chat.completions.create(bodies.toolCallsStream),
	).toEqualTypeOf<AtriumPromise<ChatCompletionStream>>();

	// Accepted as it is, and typed as a whole completion: openai's
	// NonStreaming has `stream?: false | null`, and so has this SDK's.
	expectTypeOf(
		client.chat.completions.create(bodies.readmeUsage),
	).toEqualTypeOf<AtriumPromise<ChatCompletion>>();

	// A body typed as openai's union (chat-params-types.ts) is taken too.
	expectTypeOf(client.chat.completions.create(either)).toEqualTypeOf<
		AtriumPromise<ChatCompletion | ChatCompletionStream>
	>();
}

/** openai-node's examples write their bodies inline; they compile here the same. */
export async function inlineBodies() {
	const completion = await client.chat.completions.create({
		model: "gpt-4o-mini",
		messages: [{ role: "user", content: "Reply with exactly: This is a test" }],
	});
	expectTypeOf(completion).toEqualTypeOf<ChatCompletion>();
	expectTypeOf(completion.choices[0]?.message?.content).toEqualTypeOf<
		string | null | undefined
	>();

	const stream = await client.chat.completions.create({
		model: "gpt-4o-mini",
		messages: [{ role: "user", content: "Reply with exactly: This is a test" }],
		stream: true,
	});
	for await (const part of stream) {
		expectTypeOf(part.choices[0]?.delta?.content).toEqualTypeOf<
			string | null | undefined
		>();
		expectTypeOf(part).toExtend<OpenAI.Chat.ChatCompletionChunk>();
	}

	// `as const` params, as chat-params-types.ts writes them.
	const streamingParams = {
		model: "gpt-4",
		messages: [{ role: "user" as const, content: "Say this is a test!" }],
		stream: true as const,
	};
	expectTypeOf(
		await client.chat.completions.create(streamingParams),
	).toEqualTypeOf<ChatCompletionStream>();
}

/** Messages, tools and a tool choice typed with openai's names go in unchanged. */
export async function typedParts(
	messages: OpenAI.Chat.ChatCompletionMessageParam[],
	tools: OpenAI.Chat.ChatCompletionTool[],
	tool_choice: OpenAI.Chat.ChatCompletionToolChoiceOption,
) {
	const res = await client.chat.completions.create({
		model: "gpt-5.4-mini",
		messages,
		tools,
		tool_choice,
	});
	expectTypeOf(res).toEqualTypeOf<ChatCompletion>();
}

/**
 * The loop of function-call.ts and tool-calls-stream.ts: the answer's
 * message is pushed into an openai-typed history, tool results follow, and
 * the history goes back to `create`.
 */
export async function toolLoop() {
	const history: OpenAI.Chat.ChatCompletionMessageParam[] = [
		...bodies.toolHistory,
	];
	const res = await client.chat.completions.create({
		model: "gpt-5.4-mini",
		messages: history,
		tools: bodies.bookTools,
	});
	const message = res.choices[0]?.message;
	if (!message) return;
	history.push(message);
	for (const call of message.tool_calls ?? []) {
		if (call.type !== "function") continue;
		expectTypeOf(call.function.arguments).toEqualTypeOf<string>();
		history.push({ role: "tool", tool_call_id: call.id, content: "[]" });
	}
	if (message.function_call) {
		const { name } = message.function_call;
		history.push({ role: "function", name, content: "[]" });
	}

	const stream = await client.chat.completions.create({
		model: "gpt-5.4-mini",
		messages: history,
		tools: bodies.bookTools,
		stream: true,
	});
	const done = await stream.finalCompletion();
	const streamed = done.choices[0]?.message;
	if (streamed) history.push(streamed);
	await client.chat.completions.create({
		model: "gpt-5.4-mini",
		messages: history,
	});
}

/** Functions written for openai's results take this SDK's results. */
export async function consumers(
	show: (completion: OpenAI.Chat.ChatCompletion) => void,
	reduce: (
		previous: OpenAI.Chat.ChatCompletionMessage,
		item: OpenAI.Chat.ChatCompletionChunk,
	) => OpenAI.Chat.ChatCompletionMessage,
	usage: (usage: OpenAI.CompletionUsage | undefined) => void,
) {
	const res = await client.chat.completions.create(bodies.paramsStreaming);
	let message = {} as OpenAI.Chat.ChatCompletionMessage;
	for await (const chunk of res) message = reduce(message, chunk);
	const done = await res.finalCompletion();
	show(done);
	usage(done.usage);
	// A field this spec does not know is typed `unknown`, not an error.
	expectTypeOf(done.some_future_field).toEqualTypeOf<unknown>();
}
