/** Builders for SSE test streams. */

import { chatEndpoint } from "../../src/core/endpoint.js";
import { createScrubber } from "../../src/errors/scrub.js";
import { APIError, TimeoutError } from "../../src/errors/tree.js";
import { parseGovernance } from "../../src/governance/parse.js";
import { Stream } from "../../src/streaming/stream.js";
import type { ChatCompletionStream } from "../../src/streaming/types.js";

/** A chat.completion.chunk with one choice's delta. */
export function chunk(
	delta: Record<string, unknown>,
	extra: Record<string, unknown> = {},
) {
	return {
		id: "chatcmpl-s",
		object: "chat.completion.chunk",
		created: 1763971200,
		model: "gpt-5.4-mini",
		choices: [{ index: 0, delta, finish_reason: null }],
		...extra,
	};
}

/** An SSE `data:` event for a chunk, ended with a blank line. */
export const data = (value: unknown, eol = "\n") =>
	`data: ${JSON.stringify(value)}${eol}${eol}`;

/** A ReadableStream that delivers the given byte pieces one by one. */
export function bytes(pieces: Uint8Array[]): ReadableStream<Uint8Array> {
	let index = 0;
	return new ReadableStream({
		pull(controller) {
			const piece = pieces[index++];
			if (piece) controller.enqueue(piece);
			else controller.close();
		},
	});
}

/** Splits bytes at the given offsets. */
export function splitAt(all: Uint8Array, offsets: number[]): Uint8Array[] {
	const pieces: Uint8Array[] = [];
	let start = 0;
	for (const offset of [...offsets, all.length]) {
		pieces.push(all.subarray(start, offset));
		start = offset;
	}
	return pieces.filter((piece) => piece.length > 0);
}

/** A stream over the given body, without a server, for parser tests. */
export function streamOf(
	body: ReadableStream<Uint8Array>,
	headers: Record<string, string> = {},
	idleTimeout = 5_000,
) {
	const controller = new AbortController();
	return new Stream({
		response: new Response(null, {
			headers: { "content-type": "text/event-stream", ...headers },
		}),
		body,
		call: {
			method: "POST",
			path: "/chat/completions",
			url: "https://gateway.test/v1/chat/completions",
			evaluations: [],
			body: { model: "m", messages: [], stream: true },
			headers: {},
			metadata: {},
			stream: true,
			signal: undefined,
			attempts: [],
			governance: parseGovernance(new Headers(headers)),
			create: () => Promise.reject(new Error("not in parser tests")),
		},
		plugins: undefined,
		endpoint: chatEndpoint(
			"https://gateway.test/v1",
			createScrubber("sk-mng-sse"),
		),
		tracked: { signal: controller.signal, release() {} },
		bounds: {
			idle: idleTimeout,
			firstChunk: idleTimeout,
			maxBytes: 2 ** 30,
			errors: {
				stall: () => new TimeoutError("stalled"),
				firstChunk: () => new TimeoutError("no first chunk"),
				tooLarge: () => new APIError("too large"),
			},
		},
	});
}

/** Reads a stream's content deltas, joined. */
export async function textOf(stream: ChatCompletionStream): Promise<string> {
	let text = "";
	for await (const part of stream)
		text += part.choices[0]?.delta?.content ?? "";
	return text;
}
