/**
 * The streaming branch of `chat.completions.create`: asks for an event
 * stream (with usage in its last chunk), runs the call, and wraps the body in
 * a {@link ChatCompletionStream}. Loaded only when a call streams.
 */
import { type CallRunner, runCall } from "../core/attempts.js";
import { checkTimeout } from "../core/options.js";
import { parseBody, type TransportRequest } from "../core/transport.js";
import { scrubValue } from "../errors/scrub.js";
import { APIError } from "../errors/tree.js";
import { ChatCompletionStream } from "./stream.js";

/** Sends a streamed call and resolves, once the head arrives, to its stream. */
export async function sendStream(
	runner: CallRunner & { readonly streamIdleTimeout: number },
	request: TransportRequest,
	maxRetries: number,
	streamIdleTimeout: number | undefined,
): Promise<{ data: ChatCompletionStream; response: Response }> {
	const idleTimeout = checkTimeout(
		"streamIdleTimeout",
		streamIdleTimeout,
		runner.streamIdleTimeout,
	);
	const { body } = request;
	const result = await runCall(
		runner,
		{
			...request,
			// Usage in the last chunk, unless the caller chose otherwise.
			body:
				body.stream_options === undefined
					? { ...body, stream_options: { include_usage: true } }
					: body,
			headers: { Accept: "text/event-stream", ...request.headers },
			stream: true,
		},
		maxRetries,
	);
	const { response, body: data, governance, attempts, call } = result;
	const type = response.headers.get("content-type");
	if (
		call &&
		data instanceof ReadableStream &&
		type?.includes("text/event-stream")
	) {
		const source = {
			response,
			body: data,
			governance,
			attempts,
			context: runner.context,
			call,
			idleTimeout,
		};
		return { data: new ChatCompletionStream(source), response };
	}
	let text = data;
	try {
		if (data instanceof ReadableStream)
			text = parseBody(await new Response(data).text());
	} finally {
		call?.release();
	}
	const { context } = runner;
	throw new APIError(
		`${context.method} ${context.path}: ${response.status} asked for a stream, got ${type ?? "no content type"}`,
		{
			status_code: response.status,
			response_body: scrubValue(text, context.scrub),
			governance,
		},
	);
}
