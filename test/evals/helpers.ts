/** Shared pieces of the evals tests: a client on a stub, SSE answers, reading a stream. */
import type { ServerResponse } from "node:http";
import {
	Atrium,
	type AtriumOptions,
	type ChatCompletionChunk,
	type ChatCompletionStream,
} from "../../src/index.js";
import { chunk, data } from "../helpers/sse.js";
import { GOVERNANCE_HEADERS } from "../helpers/stub-server.js";

export const client = (url: string, options: AtriumOptions = {}) =>
	new Atrium({
		apiKey: "sk-mng-evals",
		baseURL: url,
		logLevel: "off",
		maxRetries: 0,
		...options,
	});

/** A NIK that passes every check: Jawa Barat, born 1 January 2001. */
export const NIK = "3201010101010001";

export const USAGE = {
	...chunk({}),
	choices: [],
	usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
};

/** Writes an SSE answer: a role chunk, the pieces of text, a finish chunk, usage and [DONE]. */
export function writeSSE(
	res: ServerResponse,
	pieces: readonly string[],
	headers: Record<string, string> = GOVERNANCE_HEADERS,
): void {
	res.writeHead(200, { "Content-Type": "text/event-stream", ...headers });
	res.write(data(chunk({ role: "assistant", content: "" })));
	for (const content of pieces) res.write(data(chunk({ content })));
	res.write(
		data({
			...chunk({}),
			choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
		}),
	);
	res.write(data(USAGE));
	res.end("data: [DONE]\n\n");
}

export const textOf = (c: ChatCompletionChunk) =>
	c.choices[0]?.delta?.content ?? "";

/** Reads a stream to its end or its error: the chunks delivered, and the error. */
export async function drain(stream: ChatCompletionStream) {
	const chunks: ChatCompletionChunk[] = [];
	let error: unknown;
	try {
		for await (const c of stream) chunks.push(c);
	} catch (thrown) {
		error = thrown;
	}
	return { chunks, text: chunks.map(textOf).join(""), error };
}
