/**
 * OpenAI chat messages and choices in the shape of the GenAI conventions'
 * input and output message JSON schemas: roles and `text`, `tool_call`,
 * `tool_call_response`, `blob`, `uri` and `file` parts.
 */
import { record, text } from "./bound.js";

/** One message of the conventions' `gen_ai.input.messages` / `gen_ai.output.messages`. */
export interface Message {
	role: string;
	parts: Part[];
	name?: string;
	finish_reason?: string;
}
/** One part of a message: `text`, `tool_call`, `tool_call_response`, `blob`, `uri`, `file` or another type. */
export type Part = { type: string } & Record<string, unknown>;

// Bounds on what is even looked at, before the length budget applies.
const MAX_PARTS = 128;
const MAX_PARSE = 65_536;

/** A request message in the conventions' shape; undefined when it is not an object. */
export function inputMessage(value: unknown): Message | undefined {
	const fields = record(value);
	if (!fields) return undefined;
	const role = text(fields.role) ?? "user";
	const name = text(fields.name);
	let parts: Part[];
	if (role === "tool" || role === "function") {
		parts = [
			{
				type: "tool_call_response",
				id: text(fields.tool_call_id) ?? null,
				response: joinText(fields.content),
			},
		];
	} else {
		parts = contentParts(fields.content);
		if (role === "assistant") parts.push(...assistantParts(fields));
	}
	const message: Message = {
		role: role === "function" ? "tool" : role,
		parts: parts.slice(0, MAX_PARTS),
	};
	if (name) message.name = name;
	return message;
}

const FINISH: Record<string, string> = {
	tool_calls: "tool_call",
	function_call: "tool_call",
};

/** A choice's message in the conventions' shape, with its finish reason; undefined when it has none. */
export function outputMessage(value: unknown): Message | undefined {
	const choice = record(value);
	const fields = record(choice?.message);
	if (!choice || !fields) return undefined;
	const reason = text(choice.finish_reason) ?? "unknown";
	return {
		role: text(fields.role) ?? "assistant",
		parts: [...contentParts(fields.content), ...assistantParts(fields)].slice(
			0,
			MAX_PARTS,
		),
		finish_reason: Object.hasOwn(FINISH, reason)
			? (FINISH[reason] as string)
			: reason,
	};
}

/** An assistant message's refusal and tool calls. */
function assistantParts(fields: Record<string, unknown>): Part[] {
	const parts: Part[] = [];
	const refusal = fields.refusal;
	if (typeof refusal === "string" && refusal)
		parts.push({ type: "refusal", content: refusal });
	const calls = Array.isArray(fields.tool_calls) ? fields.tool_calls : [];
	for (const call of calls.slice(0, MAX_PARTS)) {
		const entry = record(call);
		const fn = record(entry?.function) ?? record(entry?.custom);
		if (!entry || !fn) continue;
		parts.push({
			type: "tool_call",
			id: text(entry.id) ?? null,
			name: text(fn.name) ?? "",
			arguments: args(fn.arguments ?? fn.input),
		});
	}
	const legacy = record(fields.function_call);
	if (legacy) {
		parts.push({
			type: "tool_call",
			id: null,
			name: text(legacy.name) ?? "",
			arguments: args(legacy.arguments),
		});
	}
	return parts;
}

/** Tool arguments as an object when they are JSON (as the conventions expect), else as sent. */
function args(value: unknown): unknown {
	if (typeof value !== "string") return value ?? null;
	if (value.length > MAX_PARSE) return value;
	try {
		return JSON.parse(value);
	} catch {
		return value;
	}
}

function contentParts(content: unknown): Part[] {
	if (typeof content === "string")
		return content ? [{ type: "text", content }] : [];
	if (!Array.isArray(content)) return [];
	const parts: Part[] = [];
	for (const item of content.slice(0, MAX_PARTS)) {
		const part = record(item);
		if (part) parts.push(contentPart(part));
	}
	return parts;
}

function contentPart(part: Record<string, unknown>): Part {
	const type = text(part.type) ?? "unknown";
	switch (type) {
		case "text":
			return { type, content: typeof part.text === "string" ? part.text : "" };
		case "refusal":
			return {
				type,
				content: typeof part.refusal === "string" ? part.refusal : "",
			};
		case "image_url":
			return media(record(part.image_url)?.url, "image");
		case "input_audio": {
			const audio = record(part.input_audio);
			const format = text(audio?.format);
			return {
				type: "blob",
				modality: "audio",
				mime_type: format ? `audio/${format}` : null,
				content: typeof audio?.data === "string" ? audio.data : "",
			};
		}
		case "file": {
			const file = record(part.file);
			const id = text(file?.file_id);
			if (id) return { type: "file", modality: "document", file_id: id };
			return media(file?.file_data, "document");
		}
		default:
			return { type };
	}
}

/** A data URL as a `blob` part, any other URL as a `uri` part. */
function media(url: unknown, modality: string): Part {
	if (typeof url !== "string") return { type: "uri", modality, uri: "" };
	const data = /^data:([^;,]{0,128})(;base64)?,/.exec(url.slice(0, 200));
	if (!data) return { type: "uri", modality, uri: url };
	return {
		type: "blob",
		modality,
		mime_type: data[1] || null,
		content: url.slice(data[0].length),
	};
}

function joinText(content: unknown): string {
	if (typeof content === "string") return content;
	if (!Array.isArray(content)) return "";
	let out = "";
	for (const item of content.slice(0, MAX_PARTS)) {
		const part = record(item);
		if (typeof part?.text === "string") out += part.text;
	}
	return out;
}
