/**
 * The texts evaluators look at: a request's messages (content, text parts,
 * tool-call arguments) and an answer's choices (text, tool-call arguments),
 * each with where it is; and redaction, which writes new message objects
 * (never changing the caller's).
 */
import type { ChatCompletion, ChatCompletionMessageParam } from "../index.js";
import type { OutputToolCall, Redaction, TextSegment } from "./types.js";

type Fields = Record<string, unknown>;

const asFields = (value: unknown): Fields | undefined =>
	typeof value === "object" && value !== null && !Array.isArray(value)
		? (value as Fields)
		: undefined;

/** A segment of a text at a place; the places not given are null. */
export function textSegment(
	text: string,
	where: Partial<Omit<TextSegment, "text">>,
): TextSegment {
	return {
		text,
		from: where.from ?? 0,
		message: where.message ?? null,
		part: where.part ?? null,
		choice: where.choice ?? null,
		tool_call: where.tool_call ?? null,
	};
}

/** The tool calls of a message, each with its name and arguments (a custom tool's input). */
export function toolCallsOf(message: Fields | undefined): OutputToolCall[] {
	const calls = message?.tool_calls;
	if (!Array.isArray(calls)) return [];
	return calls.map((call: unknown) => {
		const fields = asFields(call);
		const fn = asFields(fields?.function) ?? asFields(fields?.custom);
		const args = fn?.arguments ?? fn?.input;
		return {
			id: typeof fields?.id === "string" ? fields.id : "",
			name: typeof fn?.name === "string" ? fn.name : "",
			arguments: typeof args === "string" ? args : "",
		};
	});
}

/** Every text of a request's messages: string content, text parts, tool-call arguments. */
export function requestSegments(
	messages: readonly ChatCompletionMessageParam[],
): TextSegment[] {
	const out: TextSegment[] = [];
	messages.forEach((value, message) => {
		const fields = asFields(value);
		const content = fields?.content;
		if (typeof content === "string")
			out.push(textSegment(content, { message }));
		else if (Array.isArray(content)) {
			content.forEach((item: unknown, part) => {
				const text = asFields(item)?.text;
				if (typeof text === "string")
					out.push(textSegment(text, { message, part }));
			});
		}
		toolCallsOf(fields).forEach((call, tool_call) => {
			if (call.arguments)
				out.push(textSegment(call.arguments, { message, tool_call }));
		});
	});
	return out;
}

/** Every text of an answer: each choice's content and its tool calls' arguments. */
export function answerSegments(completion: ChatCompletion): TextSegment[] {
	const out: TextSegment[] = [];
	const choices: unknown[] = Array.isArray(completion.choices)
		? completion.choices
		: [];
	choices.forEach((value, position) => {
		const fields = asFields(value);
		const index = fields?.index;
		// The wire's index only labels the segment; the position is the fallback.
		const choice =
			Number.isSafeInteger(index) && (index as number) >= 0
				? (index as number)
				: position;
		const message = asFields(fields?.message);
		const content = message?.content;
		if (typeof content === "string") out.push(textSegment(content, { choice }));
		toolCallsOf(message).forEach((call, tool_call) => {
			if (call.arguments)
				out.push(textSegment(call.arguments, { choice, tool_call }));
		});
	});
	return out;
}

/** Replaces spans of a text with `[LABEL]`; overlapping spans become one, labelled by the first. */
function redactText(text: string, spans: readonly Redaction[]): string {
	const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
	let out = "";
	let at = 0;
	for (const span of sorted) {
		if (span.end <= at) continue;
		if (span.start >= at) out += `${text.slice(at, span.start)}[${span.label}]`;
		at = span.end;
	}
	return out + text.slice(at);
}

/**
 * The messages with the redactions applied: new objects along the path to
 * every changed text (message, content array, part, tool call); everything
 * else is shared with the caller's messages, and nothing of theirs changes.
 */
export function redactMessages(
	messages: readonly ChatCompletionMessageParam[],
	segments: readonly TextSegment[],
	redactions: readonly Redaction[],
): ChatCompletionMessageParam[] {
	const bySegment = new Map<number, Redaction[]>();
	for (const redaction of redactions) {
		const list = bySegment.get(redaction.segment) ?? [];
		list.push(redaction);
		bySegment.set(redaction.segment, list);
	}
	const out = [...messages] as Fields[];
	const copied = new Set<unknown>();
	// A shallow copy of a value the first time it is changed.
	const own = <T extends object>(value: T): T => {
		if (copied.has(value)) return value;
		const copy = (Array.isArray(value) ? [...value] : { ...value }) as T;
		copied.add(copy);
		return copy;
	};
	for (const [index, spans] of bySegment) {
		const where = segments[index];
		if (!where || where.message === null) continue;
		const text = redactText(where.text, spans);
		const message = own(out[where.message] as Fields);
		out[where.message] = message;
		if (where.tool_call !== null) {
			const calls = own(message.tool_calls as Fields[]);
			message.tool_calls = calls;
			const call = own(calls[where.tool_call] as Fields);
			calls[where.tool_call] = call;
			const key = asFields(call.function) ? "function" : "custom";
			const fn = own(call[key] as Fields);
			call[key] = fn;
			fn[key === "function" ? "arguments" : "input"] = text;
		} else if (where.part !== null) {
			const parts = own(message.content as Fields[]);
			message.content = parts;
			parts[where.part] = { ...(parts[where.part] as Fields), text };
		} else {
			message.content = text;
		}
	}
	return out as ChatCompletionMessageParam[];
}
