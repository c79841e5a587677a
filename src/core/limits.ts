/**
 * Bounded response bodies: a successful body past `maxResponseBytes` fails
 * the call with `APIError` (code `response_too_large`), an error body is cut
 * at 64 KiB (it only feeds a message). Loaded for a body whose size is
 * unknown or too large; a body that declares a length within its limit never
 * needs it.
 */

import { APIError } from "../errors/tree.js";
import { parseGovernance } from "../governance/parse.js";
import type { Endpoint } from "./endpoint.js";

/** The error of a successful body over its limit; never retried. */
export function tooLarge(
	response: Response,
	maxBytes: number,
	endpoint: Endpoint,
): APIError {
	return new APIError(
		`${endpoint.what}: ${response.status} with a body larger than maxResponseBytes (${maxBytes} bytes)`,
		{
			status_code: response.status,
			code: "response_too_large",
			governance: parseGovernance(response.headers, endpoint.scrub),
		},
	);
}

/** The response with its body bounded to `limit` bytes: failed past it when a success, cut short when an error. */
export function limitBody(
	response: Response,
	limit: number,
	endpoint: Endpoint,
): Response {
	const { ok, body } = response;
	const declared = response.headers.has("content-encoding")
		? 0
		: Number(response.headers.get("content-length"));
	if (ok && declared > limit) {
		body?.cancel().catch(() => {});
		throw tooLarge(response, limit, endpoint);
	}
	if (!body) return response;
	const reader = body.getReader();
	let seen = 0;
	const bounded = new ReadableStream<Uint8Array>({
		async pull(controller) {
			const { done, value } = await reader.read();
			if (done) return controller.close();
			seen += value.byteLength;
			if (seen <= limit) return controller.enqueue(value);
			reader.cancel().catch(() => {});
			if (!ok) {
				controller.enqueue(
					value.subarray(0, value.byteLength - (seen - limit)),
				);
				return controller.close();
			}
			controller.error(tooLarge(response, limit, endpoint));
		},
		cancel: (reason) => reader.cancel(reason),
	});
	return new Response(bounded, {
		status: response.status,
		statusText: response.statusText,
		headers: response.headers,
	});
}
