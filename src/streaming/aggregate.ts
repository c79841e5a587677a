/**
 * Folds the chunks of a streamed completion into one `chat.completion`:
 * content and refusals joined, tool calls (and a deprecated function call)
 * assembled by index with their arguments joined, log probabilities joined
 * per choice, finish reasons and usage kept, and the first chunk's
 * top-level fields it does not know kept as they came. Pure; no I/O.
 *
 * Indexes come off the wire: a choice or tool-call index that is not a whole
 * number from 0 to 127 is refused (the stream fails with `APIError`), and
 * nothing is ever allocated by index.
 */
import type {
	ChatCompletionBody,
	ChatCompletionChunk,
	ChatCompletionMessageToolCall,
	ChatCompletionTokenLogprob,
} from "../types.js";

/** The most choices, and tool calls per choice, a stream may have. */
export const MAX_INDEX = 128;

type Choice = ChatCompletionBody["choices"][number];
type ToolCallParts = { id: string; name: string; args: string[] };

interface ChoiceParts {
	content: string[];
	refusal: string[];
	toolCalls: Map<number, ToolCallParts>;
	functionCall: { name: string; args: string[] } | undefined;
	logprobs:
		| {
				content: ChatCompletionTokenLogprob[];
				refusal: ChatCompletionTokenLogprob[];
		  }
		| undefined;
	finishReason: Choice["finish_reason"] | null;
	sawContent: boolean;
}

// Top-level chunk fields the fold builds itself, or that differ per chunk.
const OWN = new Set(["object", "choices", "usage", "obfuscation", "__proto__"]);

/** The running state of a stream's aggregation. */
export interface Aggregate {
	/** Adds one chunk. @throws {@link RangeError} for an index out of bounds. */
	add(chunk: ChatCompletionChunk): void;
	/** The completion so far, as the gateway would have sent it whole. */
	build(): ChatCompletionBody;
}

function index(value: unknown, what: string): number {
	if (
		Number.isInteger(value) &&
		(value as number) >= 0 &&
		(value as number) < MAX_INDEX
	)
		return value as number;
	throw new RangeError(
		`a chunk's ${what} index is not a whole number from 0 to ${MAX_INDEX - 1}`,
	);
}

/**
 * Starts an aggregation. `scrub` cleans the joined texts: a key split across
 * two chunks is whole only once they are joined.
 */
export function createAggregate(
	scrub: (text: string) => string = (text) => text,
): Aggregate {
	const head: Record<string, unknown> = { id: "", created: 0, model: "" };
	let started = false;
	let usage: ChatCompletionBody["usage"] | undefined;
	const choices = new Map<number, ChoiceParts>();

	// The last choice used: a stream of one choice asks the map once.
	let lastAt = -1;
	let last: ChoiceParts | undefined;
	function choice(at: number): ChoiceParts {
		if (at === lastAt && last) return last;
		let parts = choices.get(at);
		if (!parts) {
			parts = {
				content: [],
				refusal: [],
				toolCalls: new Map(),
				functionCall: undefined,
				logprobs: undefined,
				finishReason: null,
				sawContent: false,
			};
			choices.set(at, parts);
		}
		lastAt = at;
		last = parts;
		return parts;
	}

	return {
		add(chunk) {
			// The first chunk's fields, as they came (a for-in, no allocation).
			if (!started) {
				const fields = chunk as unknown as Record<string, unknown>;
				for (const key in fields) if (!OWN.has(key)) head[key] = fields[key];
				started = true;
			}
			if (chunk.usage) usage = chunk.usage;
			const list = chunk.choices;
			if (!list) return;
			for (const { index: at, delta, finish_reason, logprobs } of list) {
				const parts = choice(index(at, "choices[]"));
				if (typeof delta?.content === "string") {
					parts.content.push(delta.content);
					parts.sawContent = true;
				}
				if (typeof delta?.refusal === "string")
					parts.refusal.push(delta.refusal);
				const calls = delta?.tool_calls;
				if (calls)
					for (const call of calls) {
						const position = index(call.index, "tool_calls[]");
						let tool = parts.toolCalls.get(position);
						if (!tool) {
							tool = { id: "", name: "", args: [] };
							parts.toolCalls.set(position, tool);
						}
						if (call.id) tool.id = call.id;
						if (call.function?.name) tool.name += call.function.name;
						if (call.function?.arguments)
							tool.args.push(call.function.arguments);
					}
				const fn = delta?.function_call;
				if (fn) {
					parts.functionCall ??= { name: "", args: [] };
					if (fn.name) parts.functionCall.name += fn.name;
					if (fn.arguments) parts.functionCall.args.push(fn.arguments);
				}
				if (logprobs) {
					parts.logprobs ??= { content: [], refusal: [] };
					const joined = parts.logprobs;
					for (const token of logprobs.content ?? [])
						joined.content.push(token);
					for (const token of logprobs.refusal ?? [])
						joined.refusal.push(token);
				}
				if (finish_reason) parts.finishReason = finish_reason;
			}
		},
		build() {
			const built = [...choices.entries()]
				.sort(([a], [b]) => a - b)
				.map(([at, parts]): Choice => {
					const toolCalls: ChatCompletionMessageToolCall[] = [
						...parts.toolCalls.entries(),
					]
						.sort(([a], [b]) => a - b)
						.map(([, tool]) => ({
							id: tool.id,
							type: "function",
							function: {
								name: tool.name,
								arguments: scrub(tool.args.join("")),
							},
						}));
					const fn = parts.functionCall;
					return {
						index: at,
						message: {
							role: "assistant",
							content: parts.sawContent ? scrub(parts.content.join("")) : null,
							refusal: parts.refusal.length
								? scrub(parts.refusal.join(""))
								: null,
							...(toolCalls.length ? { tool_calls: toolCalls } : {}),
							...(fn
								? {
										function_call: {
											name: fn.name,
											arguments: scrub(fn.args.join("")),
										},
									}
								: {}),
						},
						// A stream that ended without naming one finished normally.
						finish_reason:
							parts.finishReason ?? (toolCalls.length ? "tool_calls" : "stop"),
						logprobs: parts.logprobs ?? null,
					};
				});
			return {
				...head,
				object: "chat.completion",
				choices: built,
				usage: usage ?? {
					prompt_tokens: 0,
					completion_tokens: 0,
					total_tokens: 0,
				},
			} as ChatCompletionBody;
		},
	};
}
