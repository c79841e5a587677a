/**
 * Chat Completions bodies typed with the `openai` 6.x package's own types, as
 * openai-node code writes them. The type tests (test/types/) pass each to this
 * SDK's `create` unchanged; the contract tests send each to the Prism mock of
 * openapi/atrium.yaml, which must accept it without a violation.
 *
 * The shapes follow openai-node's README and its examples in
 * `examples/chat-completions/` (named on each), plus one body with every
 * field the `openai` 6.x types know and one with every `null` they allow.
 */
import type OpenAI from "openai";

type NonStreaming = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
type Streaming = OpenAI.Chat.ChatCompletionCreateParamsStreaming;

/** README "Usage": a developer and a user message. */
export const readmeUsage: NonStreaming = {
	model: "gpt-5.5",
	messages: [
		{ role: "developer", content: "Talk like a pirate." },
		{ role: "user", content: "Are semicolons optional in JavaScript?" },
	],
};

/** `chat-params-types.ts`: the explicitly typed streaming params. */
export const paramsStreaming: Streaming = {
	model: "gpt-4",
	messages: [{ role: "user", content: "Say this is a test!" }],
	stream: true,
};

/** `tool-calls-stream.ts`: three function tools over a book database. */
export const bookTools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
	{
		type: "function",
		function: {
			name: "list",
			description: "list books by genre",
			parameters: {
				type: "object",
				properties: {
					genre: { type: "string", enum: ["mystery", "memoir", "historical"] },
				},
			},
		},
	},
	{
		type: "function",
		function: {
			name: "search",
			description: "search books by name",
			parameters: { type: "object", properties: { name: { type: "string" } } },
		},
	},
	{
		type: "function",
		function: {
			name: "get",
			description: "get a book by id",
			parameters: { type: "object", properties: { id: { type: "string" } } },
		},
	},
];

/**
 * `tool-calls-stream.ts`, second turn: the assistant message of the first
 * answer pushed back as received (with `refusal` and `annotations`), and a
 * tool message that carries `name` as that example writes it.
 */
export const toolHistory: OpenAI.Chat.ChatCompletionMessageParam[] = [
	{ role: "system", content: "Use the book database to answer." },
	{ role: "user", content: "Recommend a book like To Kill a Mockingbird." },
];
const answered: OpenAI.Chat.ChatCompletionMessage = {
	role: "assistant",
	content: null,
	refusal: null,
	annotations: [
		{
			type: "url_citation",
			url_citation: {
				url: "https://example.org/books",
				title: "Books",
				start_index: 0,
				end_index: 5,
			},
		},
	],
	tool_calls: [
		{
			id: "call_list",
			type: "function",
			function: { name: "list", arguments: '{"genre":"historical"}' },
		},
	],
};
toolHistory.push(answered);
const toolResult = {
	tool_call_id: "call_list",
	role: "tool" as const,
	name: "list",
	content: JSON.stringify([{ name: "All the Light We Cannot See", id: "a2" }]),
};
toolHistory.push(toolResult);

/** `tool-calls-stream.ts`: the streamed call with tools and that history. */
export const toolCallsStream: Streaming = {
	model: "gpt-3.5-turbo",
	messages: toolHistory,
	tools: bookTools,
	stream: true,
};

/**
 * `function-call.ts`: the deprecated `functions`, an assistant
 * `function_call` and its `role: "function"` result.
 */
export const functionCall: NonStreaming = {
	model: "gpt-3.5-turbo",
	messages: [
		{ role: "user", content: "Recommend a historical book." },
		{
			role: "assistant",
			content: null,
			refusal: null,
			function_call: { name: "list", arguments: '{"genre":"historical"}' },
		},
		{ role: "function", name: "list", content: '[{"id":"a2"}]' },
	],
	functions: [
		{
			name: "list",
			description: "list books by genre",
			parameters: { type: "object", properties: { genre: { type: "string" } } },
		},
	],
	function_call: "auto",
};

/** `logprobs.ts`: a stream with log probabilities. */
export const logprobsStream: Streaming = {
	model: "gpt-4",
	messages: [{ role: "user", content: "Say this is a test" }],
	stream: true,
	logprobs: true,
	top_logprobs: 2,
	stream_options: { include_usage: true, include_obfuscation: false },
};

/** Every content part, tool kind and tool choice the `openai` 6.x types know. */
export const partsAndTools: NonStreaming = {
	model: "gpt-5.4",
	messages: [
		{
			role: "system",
			content: [{ type: "text", text: "Be brief." }],
			name: "policy",
		},
		{
			role: "user",
			content: [
				{
					type: "text",
					text: "Summarise the attached report.",
					prompt_cache_breakpoint: { mode: "explicit" },
				},
				{
					type: "image_url",
					image_url: {
						url: "data:image/png;base64,iVBORw0KGgo=",
						detail: "high",
					},
				},
				{
					type: "input_audio",
					input_audio: { data: "UklGRg==", format: "wav" },
				},
				{
					type: "file",
					file: { filename: "report.pdf", file_data: "JVBERi0=" },
				},
				{ type: "file", file: { file_id: "file-abc123" } },
			],
		},
		{
			role: "assistant",
			content: [
				{ type: "text", text: "Part of it I cannot summarise." },
				{ type: "refusal", refusal: "The rest is confidential." },
			],
			audio: { id: "audio_1" },
			tool_calls: [
				{
					id: "call_sql",
					type: "custom",
					custom: { name: "sql", input: "SELECT 1" },
				},
			],
		},
		{
			role: "tool",
			tool_call_id: "call_sql",
			content: [{ type: "text", text: "1" }],
		},
	],
	tools: [
		{
			type: "custom",
			custom: {
				name: "sql",
				description: "Runs one SQL query",
				format: {
					type: "grammar",
					grammar: { syntax: "lark", definition: 'start: "SELECT " /[0-9]+/' },
				},
			},
		},
		{ type: "custom", custom: { name: "notes", format: { type: "text" } } },
		{
			type: "function",
			function: {
				name: "get_weather",
				parameters: {
					type: "object",
					properties: {},
					additionalProperties: false,
				},
				strict: true,
			},
		},
	],
	tool_choice: {
		type: "allowed_tools",
		allowed_tools: {
			mode: "required",
			tools: [
				{ type: "function", function: { name: "get_weather" } },
				{ type: "custom", custom: { name: "sql" } },
			],
		},
	},
};

/** Every top-level field of the `openai` 6.x request types, each set. */
export const everyField: NonStreaming = {
	model: "gpt-5.4-mini",
	messages: [{ role: "user", content: "Hello" }],
	audio: { voice: "marin", format: "mp3" },
	frequency_penalty: 0.5,
	logit_bias: { "50256": -100 },
	logprobs: true,
	max_completion_tokens: 256,
	max_tokens: 256,
	metadata: { ticket: "T-42", team: "care" },
	modalities: ["text", "audio"],
	moderation: {
		model: "omni-moderation-latest",
		policy: { input: { mode: "block" }, output: { mode: "score" } },
	},
	n: 1,
	parallel_tool_calls: false,
	prediction: { type: "content", content: "Hello there" },
	presence_penalty: -0.5,
	prompt_cache_key: "tenant-7",
	prompt_cache_options: { mode: "explicit", ttl: "30m" },
	prompt_cache_retention: "24h",
	reasoning_effort: "xhigh",
	response_format: {
		type: "json_schema",
		json_schema: {
			name: "greeting",
			description: "A greeting",
			schema: { type: "object", properties: { text: { type: "string" } } },
			strict: true,
		},
	},
	safety_identifier: "user-hash-1234",
	seed: 7,
	service_tier: "scale",
	stop: ["\n\n"],
	store: true,
	stream: false,
	temperature: 0.2,
	tool_choice: { type: "custom", custom: { name: "sql" } },
	tools: [{ type: "custom", custom: { name: "sql" } }],
	top_logprobs: 2,
	top_p: 0.9,
	user: "clinician-42",
	verbosity: "low",
	web_search_options: {
		search_context_size: "low",
		user_location: {
			type: "approximate",
			approximate: { city: "Jakarta", country: "ID", timezone: "Asia/Jakarta" },
		},
	},
};

/** Every field the `openai` 6.x types let be `null`, set to `null`. */
export const everyNull: NonStreaming = {
	model: "gpt-5.4-mini",
	messages: [
		{ role: "user", content: "Hello" },
		{
			role: "assistant",
			content: null,
			refusal: null,
			audio: null,
			function_call: null,
		},
		{ role: "function", name: "noop", content: null },
	],
	audio: null,
	frequency_penalty: null,
	logit_bias: null,
	logprobs: null,
	max_completion_tokens: null,
	max_tokens: null,
	metadata: null,
	modalities: null,
	moderation: null,
	n: null,
	prediction: null,
	presence_penalty: null,
	prompt_cache_key: null,
	prompt_cache_retention: null,
	reasoning_effort: null,
	safety_identifier: null,
	seed: null,
	service_tier: null,
	stop: null,
	store: null,
	stream: null,
	stream_options: null,
	temperature: null,
	top_logprobs: null,
	top_p: null,
	verbosity: null,
	web_search_options: { user_location: null },
};

/** The other values of enums the issue names: `none` effort, string `stop`, `required`. */
export const otherValues: NonStreaming = {
	model: "gpt-5.4-mini",
	messages: [{ role: "user", content: "Hello" }],
	reasoning_effort: "none",
	service_tier: "flex",
	stop: "END",
	tools: bookTools,
	tool_choice: "required",
	audio: { voice: { id: "voice_1234" }, format: "pcm16" },
	response_format: { type: "json_object" },
};

/** Every non-streaming body above, by name. */
export const NON_STREAMING: Record<string, NonStreaming> = {
	readmeUsage,
	functionCall,
	partsAndTools,
	everyField,
	everyNull,
	otherValues,
};

/** Every streaming body above, by name. */
export const STREAMING: Record<string, Streaming> = {
	paramsStreaming,
	toolCallsStream,
	logprobsStream,
};
