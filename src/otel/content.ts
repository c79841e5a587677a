/**
 * Content capture (opt-in): the request's messages and the gateway's answer
 * (shaped by `messages.ts`) serialized to JSON strings of bounded length
 * (spans in the JS API take no structured attributes).
 */
import { cut, record, text } from "./bound.js";
import {
	inputMessage,
	type Message,
	outputMessage,
	type Part,
} from "./messages.js";

// Tool definitions looked at, at most.
const MAX_TOOLS = 128;
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
		const inner =
			type === "function" || type === "custom" ? fields?.[type] : undefined;
		const name = text(record(inner)?.name) ?? text(fields?.name);
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
