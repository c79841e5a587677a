/**
 * Content capture (opt-in): the request's messages and the gateway's answer
 * in the shape of the GenAI conventions' input and output message JSON
 * schemas, serialized to a JSON string of bounded length (spans in the JS API
 * take no structured attributes).
 */
import { cut, record, text } from "./bound.js";

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
const MAX_TOOLS = 128;
const MAX_PARSE = 65_536;
// The strings of a message's parts that may be cut: content, data, URIs, tool arguments and results.
const CUTTABLE = ["content", "uri", "arguments", "response"] as const;

/** A captured attribute: its JSON string, and whether anything was cut or left out to fit. */
export interface Captured {
	readonly json: string;
	readonly truncated: boolean;
}

/** The request's messages, newest kept first when they do not all fit in `limit` characters. */
export function captureInput(messages: unknown, limit: number): Captured {
	const list = Array.isArray(messages) ? messages : [];
	return fit(list.length, (i) => inputMessage(list[i]), limit, true);
}

/** The answer's choices, one message each, in order, within `limit` characters. */
export function captureOutput(choices: unknown, limit: number): Captured {
	const list = Array.isArray(choices) ? choices : [];
	return fit(list.length, (i) => outputMessage(list[i]), limit, false);
}

/** The request's tool definitions as the conventions want them by default: type and name only. */
export function captureTools(tools: unknown): string | undefined {
	if (!Array.isArray(tools) || tools.length === 0) return undefined;
	const out = tools.slice(0, MAX_TOOLS).map((tool) => {
		const fields = record(tool);
		const type = text(fields?.type) ?? "function";
		const name = text(record(fields?.[type])?.name) ?? text(fields?.name);
		return name ? { type, name } : { type };
	});
	return JSON.stringify(out);
}

function fit(
	length: number,
	message: (index: number) => Message | undefined,
	limit: number,
	newestFirst: boolean,
): Captured {
	const kept: string[] = [];
	let used = 2; // the brackets
	let truncated = false;
	for (let n = 0; n < length; n++) {
		const converted = message(newestFirst ? length - 1 - n : n);
		if (!converted) continue;
		// No string longer than the whole budget is worth serializing.
		for (const part of converted.parts) {
			for (const key of CUTTABLE) {
				const value = part[key];
				if (typeof value === "string" && value.length > limit)
					part[key] = cut(value, limit);
			}
		}
		const room = limit - used - (kept.length ? 1 : 0);
		let json: string | undefined = JSON.stringify(converted);
		if (json.length > room) {
			truncated = true;
			json = shrink(converted, room);
		}
		if (json === undefined) break;
		used += json.length + (kept.length ? 1 : 0);
		kept.push(json);
		if (truncated) break;
	}
	if (newestFirst) kept.reverse();
	return { json: `[${kept.join(",")}]`, truncated };
}

/** The message as JSON within `room` characters, its long strings cut to one common length; undefined when even empty strings do not fit. */
function shrink(message: Message, room: number): string | undefined {
	const render = (cap: number) =>
		JSON.stringify({
			...message,
			parts: message.parts.map((part) => {
				const copy: Part = { ...part };
				for (const key of CUTTABLE) {
					const value = copy[key];
					if (value === undefined || value === null) continue;
					const string =
						typeof value === "string" ? value : JSON.stringify(value);
					copy[key] = cut(string, cap);
				}
				return copy;
			}),
		});
	let low = 0;
	let high = room;
	let best = render(0);
	if (best.length > room) return undefined;
	while (low < high) {
		const middle = Math.ceil((low + high) / 2);
		const json = render(middle);
		if (json.length <= room) {
			best = json;
			low = middle;
		} else high = middle - 1;
	}
	return best;
}

function inputMessage(value: unknown): Message | undefined {
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

function outputMessage(value: unknown): Message | undefined {
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
