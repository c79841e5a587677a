/**
 * What one server-sent event of a chat stream means: a chunk, the end, a
 * governance update, or an error (thrown as the typed error it maps to).
 * Pure functions of the event and the stream's governance so far.
 */
import type { EventSourceMessage } from "eventsource-parser";
import type { Endpoint } from "../core/endpoint.js";
import { parseBody } from "../core/transport.js";
import { errorFromResponse } from "../errors/mapping.js";
import { scrubValue } from "../errors/scrub.js";
import { APIError, type AtriumError } from "../errors/tree.js";
import { mergeGovernance } from "../governance/merge.js";
import type { Governance } from "../governance/parse.js";
import type { ChatCompletionChunk } from "../types.js";

/** An event read: a chunk, the end of the stream, or the governance after an update. */
export type StreamEvent =
	| { readonly kind: "chunk"; readonly chunk: ChatCompletionChunk }
	| { readonly kind: "done" }
	| { readonly kind: "governance"; readonly governance: Governance }
	| { readonly kind: "other" };

/**
 * Reads one event. Data and governance are scrubbed of secrets before they
 * are parsed.
 *
 * @throws {@link APIError} for a chunk that is not JSON, or an error event that is not JSON.
 * @throws {@link AtriumError} the mapped class of an in-stream `event: error`.
 */
export function readEvent(
	event: EventSourceMessage,
	governance: Governance,
	response: Response,
	endpoint: Endpoint,
): StreamEvent {
	const { event: name, data } = event;
	const { scrub, what } = endpoint;
	if (name === undefined || name === "message") {
		if (data === "[DONE]") return { kind: "done" };
		const chunk = parseBody(scrub(data));
		if (typeof chunk !== "object" || chunk === null) {
			throw new APIError(`${what}: a stream event is not a JSON chunk`, {
				status_code: response.status,
				governance,
				response_body: scrubValue(data, scrub),
			});
		}
		return { kind: "chunk", chunk: chunk as ChatCompletionChunk };
	}
	if (name === "governance") {
		return {
			kind: "governance",
			governance: mergeGovernance(governance, parseBody(capped(data)), scrub),
		};
	}
	if (name === "error")
		throw inStreamError(parseBody(capped(data)), governance, endpoint);
	return { kind: "other" };
}

// Governance and error events are read like error bodies: 64 KiB at most.
const capped = (data: string): string => data.slice(0, 65_536);

/**
 * The error an in-stream `event: error` stands for: a 400 unless its data
 * names a status from 400 to 599; data that is not a JSON object is a broken
 * gateway (`APIError`, no status).
 */
function inStreamError(
	body: unknown,
	governance: Governance,
	endpoint: Endpoint,
): AtriumError {
	if (typeof body !== "object" || body === null || Array.isArray(body)) {
		return new APIError(
			`${endpoint.what}: the stream ended with an error event that is not JSON`,
			{ governance, response_body: scrubValue(body, endpoint.scrub) },
		);
	}
	const status = (body as { status?: unknown }).status;
	const valid =
		typeof status === "number" &&
		Number.isInteger(status) &&
		status >= 400 &&
		status <= 599;
	return errorFromResponse(valid ? status : 400, body, governance, endpoint);
}
