/**
 * The streamed end of a call: checks that the successful head is an event
 * stream and wraps its body in a {@link ChatCompletionStream}, which then
 * ends the call. Loaded only when a call streams.
 */
import type { Limits } from "../core/checks.js";
import type { Endpoint } from "../core/endpoint.js";
import { setHeaders } from "../core/headers.js";
import type { CallState, PluginRunner } from "../core/plugins.js";
import type { WithResponse } from "../core/promise.js";
import { parseBody, type TransportResponse } from "../core/transport.js";
import { scrubValue } from "../errors/scrub.js";
import { APIError, TimeoutError } from "../errors/tree.js";
import type { StreamBounds } from "./sse.js";
import { Stream } from "./stream.js";

function bounds(endpoint: Endpoint, limits: Limits): StreamBounds {
	const { what } = endpoint;
	const idle = limits.streamIdleTimeout;
	const firstChunk = limits.streamFirstChunkTimeout;
	const maxBytes = limits.maxResponseBytes;
	return {
		idle,
		firstChunk,
		maxBytes,
		errors: {
			stall: () =>
				new TimeoutError(
					`${what}: the stream stalled: no bytes for ${idle} ms`,
				),
			firstChunk: () =>
				new TimeoutError(
					`${what}: no chunk within ${firstChunk} ms of the stream's start (streamFirstChunkTimeout)`,
				),
			tooLarge: () =>
				new APIError(
					`${what}: the stream passed maxResponseBytes (${maxBytes} bytes)`,
					{ code: "response_too_large" },
				),
		},
	};
}

// The most of a body that is not a stream read for a message: 64 KiB,
// within the idle timeout, and never past an abort.
async function excerpt(
	body: ReadableStream<Uint8Array>,
	signal: AbortSignal,
	ms: number,
): Promise<string> {
	const reader = body.getReader();
	const decoder = new TextDecoder();
	const stop = () => void reader.cancel().catch(() => {});
	const timer = setTimeout(stop, ms);
	signal.addEventListener("abort", stop, { once: true });
	let text = "";
	try {
		while (text.length < 65_536) {
			const { done, value } = await reader.read();
			if (done) break;
			text += decoder.decode(value, { stream: true });
		}
	} catch {
		// What was read is the excerpt.
	} finally {
		clearTimeout(timer);
		signal.removeEventListener("abort", stop);
		stop();
	}
	return text.slice(0, 65_536);
}

/**
 * Shapes a streamed call's request before anything else sees it: asks for
 * server-sent events (the caller's own `Accept` wins), and for usage in the
 * last chunk unless the caller set `stream_options`.
 */
export function prepareStream(call: CallState): void {
	call.headers = setHeaders({ Accept: "text/event-stream" }, call.headers);
	if (call.body.stream_options === undefined)
		call.body = { ...call.body, stream_options: { include_usage: true } };
}

/** Opens the stream of a call whose head arrived. */
export async function openStream(
	endpoint: Endpoint,
	call: CallState,
	plugins: PluginRunner | undefined,
	{ response, body, call: tracked }: TransportResponse,
	limits: Limits,
): Promise<WithResponse<Stream>> {
	const type = response.headers.get("content-type");
	if (
		tracked &&
		body instanceof ReadableStream &&
		type?.includes("text/event-stream")
	) {
		const stream = new Stream({
			response,
			body,
			call,
			plugins,
			endpoint,
			tracked,
			bounds: bounds(endpoint, limits),
		});
		return { data: stream, response };
	}
	let text = body;
	try {
		if (body instanceof ReadableStream && tracked)
			text = parseBody(
				endpoint.scrub(
					await excerpt(body, tracked.signal, limits.streamIdleTimeout),
				),
			);
	} finally {
		tracked?.release();
	}
	throw new APIError(
		endpoint.scrub(
			`${endpoint.what}: ${response.status} asked for a stream, got ${type?.slice(0, 100) ?? "no content type"}`,
		),
		{
			status_code: response.status,
			response_body: scrubValue(text, endpoint.scrub),
			governance: call.governance ?? undefined,
		},
	);
}
