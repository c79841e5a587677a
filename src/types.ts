/**
 * Friendly names for the types generated from `openapi/atrium.yaml`. The only
 * file (with the transport's typed client) that reaches into `generated/`.
 */
import type { components, operations, paths } from "../generated/atrium.js";

type Schemas = components["schemas"];

/** The OpenAPI paths of the gateway, for the typed openapi-fetch client. */
export type GatewayPaths = paths;
/** The body of `chat.completions.create`: an OpenAI Chat Completions request. */
export type ChatCompletionCreateParams = Schemas["CreateChatCompletionRequest"];
/** One message of a conversation: system, developer, user, assistant or tool. */
export type ChatCompletionMessageParam = Schemas["ChatCompletionMessageParam"];
/** A system message. */
export type ChatCompletionSystemMessageParam =
	Schemas["ChatCompletionSystemMessageParam"];
/** A developer message. */
export type ChatCompletionDeveloperMessageParam =
	Schemas["ChatCompletionDeveloperMessageParam"];
/** A user message: text, or parts with images and audio. */
export type ChatCompletionUserMessageParam =
	Schemas["ChatCompletionUserMessageParam"];
/** An assistant message, possibly with tool calls. */
export type ChatCompletionAssistantMessageParam =
	Schemas["ChatCompletionAssistantMessageParam"];
/** A tool result message. */
export type ChatCompletionToolMessageParam =
	Schemas["ChatCompletionToolMessageParam"];
/** A part of a user message's content. */
export type ChatCompletionContentPart = Schemas["ChatCompletionContentPart"];
/** A function tool the model may call. */
export type ChatCompletionTool = Schemas["ChatCompletionTool"];
/** How the model should choose tools. */
export type ChatCompletionToolChoiceOption =
	Schemas["ChatCompletionToolChoiceOption"];
/** A tool call in an assistant message. */
export type ChatCompletionMessageToolCall =
	Schemas["ChatCompletionMessageToolCall"];
/** The assistant message of a choice. */
export type ChatCompletionMessage = Schemas["ChatCompletionMessage"];
/** Token counts of a call. */
export type CompletionUsage = Schemas["CompletionUsage"];
/** The `chat.completion` body exactly as the gateway sends it. */
export type ChatCompletionBody = Schemas["ChatCompletion"];
/** One streamed `chat.completion.chunk`. */
export type ChatCompletionChunk = Schemas["ChatCompletionChunk"];
/** The error body the gateway sends: `{ error: { message, code, type } }`. */
export type ErrorResponseBody = Schemas["ErrorResponse"];

/**
 * The request headers the spec declares for `POST /chat/completions`
 * (metadata, idempotency, trace context), as generated.
 */
export type RequestHeaderParams = NonNullable<
	operations["createChatCompletion"]["parameters"]["header"]
>;
