/**
 * Replies the gateway answers with an error status (blocks are in
 * blocks.ts): an invalid request, rate limiting (429), its own failures (5xx)
 * and refused keys (401/403). Codes and messages are the spec's examples.
 */
import {
	exampleError,
	laterExampleError,
	unforwarded,
	withOptions,
} from "./defaults.js";
import type {
	GovernanceInput,
	RecordedCall,
	Reply,
	ReplyOptions,
} from "./types.js";
import {
	checkOptions,
	type ErrorBody,
	governanceHeaders,
	jsonResponse,
} from "./wire.js";

/** An error reply: `status`, the body, governance headers and any extra headers. */
export function errorReply(
	description: string,
	options: ReplyOptions,
	answer: (
		index: number,
		call: RecordedCall,
	) => { status: number; body: ErrorBody; governance: GovernanceInput },
	extraHeaders: Readonly<Record<string, string>> = {},
): Reply {
	checkOptions(description, options);
	return {
		description,
		respond({ index, call }) {
			const { status, body, governance } = answer(index, call);
			return jsonResponse(status, body, {
				...governanceHeaders(governance),
				...extraHeaders,
				...options.headers,
			});
		},
	};
}

/** Options of `reply.invalidRequest`. */
export interface InvalidRequestOptions extends ReplyOptions {
	/** 400, or 422 for a body that failed validation. Default 400. */
	readonly status?: 400 | 422 | undefined;
}

/** `reply.invalidRequest`: see {@link reply}. */
export function invalidRequest(
	message?: string,
	options: InvalidRequestOptions = {},
): Reply {
	const status = options.status ?? 400;
	const what = "reply.invalidRequest(...)";
	if (status !== 400 && status !== 422) {
		throw new TypeError(`${what}: status must be 400 or 422, got ${status}`);
	}
	const { error } = laterExampleError("invalid_request", {
		error: {
			message: "The request body is not a valid chat completion request",
			code: "invalid_request",
			type: "invalid_request_error",
		},
	});
	const body = { error: { ...error, message: message ?? error.message } };
	return errorReply(what, options, (index) => ({
		status,
		body,
		governance: withOptions(unforwarded(index), options),
	}));
}

/** Options of `reply.rateLimit` and `reply.serverError`: how long the gateway asks the client to wait. */
export interface RetryAfterOptions extends ReplyOptions {
	/** `Retry-After-Ms` (and `Retry-After` rounded up to seconds). */
	readonly retryAfterMs?: number | undefined;
	/** `Retry-After`: seconds, or an HTTP date. */
	readonly retryAfter?: number | string | undefined;
}

function retryHeaders(
	what: string,
	options: RetryAfterOptions,
	fallbackMs: number | undefined,
): Record<string, string> {
	const { retryAfterMs, retryAfter } = options;
	if (retryAfter !== undefined) {
		if (typeof retryAfter === "number" && !(retryAfter >= 0)) {
			throw new TypeError(
				`${what}: retryAfter must be seconds >= 0, got ${retryAfter}`,
			);
		}
		const headers = { "Retry-After": String(retryAfter) };
		checkOptions(what, { headers });
		return headers;
	}
	const ms = retryAfterMs ?? fallbackMs;
	if (ms === undefined) return {};
	if (typeof ms !== "number" || !(ms >= 0)) {
		throw new TypeError(
			`${what}: retryAfterMs must be milliseconds >= 0, got ${ms}`,
		);
	}
	return {
		"Retry-After-Ms": String(ms),
		"Retry-After": String(Math.ceil(ms / 1000)),
	};
}

/** `reply.rateLimit`: see {@link reply}. */
export function rateLimit(options: RetryAfterOptions = {}): Reply {
	const what = "reply.rateLimit(...)";
	const body = exampleError("rate_limited");
	return errorReply(
		what,
		options,
		(index) => ({
			status: 429,
			body,
			governance: withOptions(unforwarded(index), options),
		}),
		retryHeaders(what, options, 0),
	);
}

/** `reply.serverError`: see {@link reply}. */
export function serverError(
	status = 500,
	options: RetryAfterOptions = {},
): Reply {
	const what = `reply.serverError(${status})`;
	if (!Number.isInteger(status) || status < 500 || status > 599) {
		throw new TypeError(`${what}: status must be 500 to 599`);
	}
	const body =
		status === 503
			? exampleError("provider_unavailable")
			: exampleError("internal_error");
	return errorReply(
		what,
		options,
		(index) => ({
			status,
			body,
			governance: withOptions(unforwarded(index), options),
		}),
		retryHeaders(what, options, undefined),
	);
}

/** `reply.authError`: see {@link reply}. */
export function authError(
	options: ReplyOptions & { readonly status?: 401 | 403 | undefined } = {},
): Reply {
	const status = options.status ?? 401;
	const what = `reply.authError(${status})`;
	if (status !== 401 && status !== 403) {
		throw new TypeError(`${what}: status must be 401 or 403`);
	}
	const body =
		status === 401
			? exampleError("invalid_api_key")
			: exampleError("forbidden");
	return errorReply(what, options, (index) => ({
		status,
		body,
		governance: withOptions(unforwarded(index), options),
	}));
}
