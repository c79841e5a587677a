/**
 * The streamed end of a call: checks that the successful head is an event
 * stream and wraps its body in a {@link ChatCompletionStream}, which then
 * ends the call. Loaded only when a call streams.
 */
import type { Endpoint } from "../core/endpoint.js";
import type { CallState, PluginRunner } from "../core/plugins.js";
import type { WithResponse } from "../core/promise.js";
import { parseBody, type TransportResponse } from "../core/transport.js";
import { scrubValue } from "../errors/scrub.js";
import { APIError } from "../errors/tree.js";
import { ChatCompletionStream } from "./stream.js";

/** Opens the stream of a call whose head arrived. */
export async function openStream(
	endpoint: Endpoint,
	call: CallState,
	plugins: PluginRunner | undefined,
	{ response, body, call: tracked }: TransportResponse,
	idleTimeout: number,
): Promise<WithResponse<ChatCompletionStream>> {
	const type = response.headers.get("content-type");
	if (
		tracked &&
		body instanceof ReadableStream &&
		type?.includes("text/event-stream")
	) {
		const stream = new ChatCompletionStream({
			response,
			body,
			call,
			plugins,
			endpoint,
			tracked,
			idleTimeout,
		});
		return { data: stream, response };
	}
	let text = body;
	try {
		if (body instanceof ReadableStream)
			text = parseBody(await new Response(body).text());
	} finally {
		tracked?.release();
	}
	throw new APIError(
		`${endpoint.what}: ${response.status} asked for a stream, got ${type ?? "no content type"}`,
		{
			status_code: response.status,
			response_body: scrubValue(text, endpoint.scrub),
			governance: call.governance ?? undefined,
		},
	);
}
