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
/** One message of a conversation: developer, system, user, assistant, tool or (deprecated) function. */
export type ChatCompletionMessageParam = Schemas["ChatCompletionMessageParam"];
/** A system message. */
export type ChatCompletionSystemMessageParam =
	Schemas["ChatCompletionSystemMessageParam"];
/** A developer message. */
export type ChatCompletionDeveloperMessageParam =
	Schemas["ChatCompletionDeveloperMessageParam"];
/** A user message: text, or parts with images, audio and files. */
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
/** A tool the model may call: a function or a custom tool. */
export type ChatCompletionTool = Schemas["ChatCompletionTool"];
/** How the model should choose tools. */
export type ChatCompletionToolChoiceOption =
	Schemas["ChatCompletionToolChoiceOption"];
/** A tool call in an assistant message: a function or a custom tool call. */
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
// Names from openai-node (`openai/resources/chat/completions`), so code that
// imports them from `openai` ports by changing the import.

/** A text part of a message's content. */
export type ChatCompletionContentPartText =
	Schemas["ChatCompletionContentPartText"];
/** An image part of a user message: an https or base64 data URL. */
export type ChatCompletionContentPartImage =
	Schemas["ChatCompletionContentPartImage"];
/** An audio part of a user message: base64 wav or mp3. */
export type ChatCompletionContentPartInputAudio =
	Schemas["ChatCompletionContentPartInputAudio"];
/** A file part of a user message: an uploaded file's id or base64 data. */
export type ChatCompletionContentPartFile =
	Schemas["ChatCompletionContentPartFile"];
/** A refusal part of an assistant message echoed back. */
export type ChatCompletionContentPartRefusal =
	Schemas["ChatCompletionContentPartRefusal"];
/** The deprecated result of a `function_call`. */
export type ChatCompletionFunctionMessageParam =
	Schemas["ChatCompletionFunctionMessageParam"];
/** The role of a message's author. */
export type ChatCompletionRole = Schemas["ChatCompletionRole"];
/** A function tool: name, description and JSON Schema parameters. */
export type ChatCompletionFunctionTool = Schemas["ChatCompletionFunctionTool"];
/** A custom tool: free text or grammar-constrained input. */
export type ChatCompletionCustomTool = Schemas["ChatCompletionCustomTool"];
/** A function the model may call. */
export type FunctionDefinition = Schemas["FunctionDefinition"];
/** The JSON Schema of a function's arguments. */
export type FunctionParameters = Schemas["FunctionParameters"];
/** `tool_choice` naming one function tool. */
export type ChatCompletionNamedToolChoice =
	Schemas["ChatCompletionNamedToolChoice"];
/** `tool_choice` naming one custom tool. */
export type ChatCompletionNamedToolChoiceCustom =
	Schemas["ChatCompletionNamedToolChoiceCustom"];
/** `tool_choice` limiting the model to a set of tools. */
export type ChatCompletionAllowedToolChoice =
	Schemas["ChatCompletionAllowedToolChoice"];
/** The set of tools of an `allowed_tools` choice. */
export type ChatCompletionAllowedTools = Schemas["ChatCompletionAllowedTools"];
/** The deprecated `function_call` option naming one function. */
export type ChatCompletionFunctionCallOption =
	Schemas["ChatCompletionFunctionCallOption"];
/** A function tool call in an assistant message. */
export type ChatCompletionMessageFunctionToolCall =
	Schemas["ChatCompletionMessageFunctionToolCall"];
/** A custom tool call in an assistant message. */
export type ChatCompletionMessageCustomToolCall =
	Schemas["ChatCompletionMessageCustomToolCall"];
/** `response_format`: text, JSON object or JSON schema. */
export type ResponseFormat = Schemas["ResponseFormat"];
/** `response_format` for plain text. */
export type ResponseFormatText = Schemas["ResponseFormatText"];
/** `response_format` for any JSON object (JSON mode). */
export type ResponseFormatJSONObject = Schemas["ResponseFormatJSONObject"];
/** `response_format` for Structured Outputs with a JSON Schema. */
export type ResponseFormatJSONSchema = Schemas["ResponseFormatJSONSchema"];
/** `stream_options`: usage in the last chunk, obfuscation padding. */
export type ChatCompletionStreamOptions =
	Schemas["ChatCompletionStreamOptions"];
/** `audio`: the voice and format of an audio answer. */
export type ChatCompletionAudioParam = Schemas["ChatCompletionAudioParam"];
/** An output modality: text or audio. */
export type ChatCompletionModality = Schemas["ChatCompletionModality"];
/** `prediction`: predicted output content. */
export type ChatCompletionPredictionContent =
	Schemas["ChatCompletionPredictionContent"];
/** `reasoning_effort`: how hard a reasoning model thinks. */
export type ChatCompletionReasoningEffort =
	Schemas["ChatCompletionReasoningEffort"];
/** The audio answer of an assistant message. */
export type ChatCompletionAudio = Schemas["ChatCompletionAudio"];
/** A URL citation on an assistant message. */
export type ChatCompletionAnnotation = Schemas["ChatCompletionAnnotation"];
/** The log probability of one token, with the most likely alternatives. */
export type ChatCompletionTokenLogprob = Schemas["ChatCompletionTokenLogprob"];
/** Why the model stopped. */
export type ChatCompletionFinishReason = Schemas["FinishReason"];
