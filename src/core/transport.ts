/**
 * The transport: the one seam between the SDK and the network. One attempt:
 * a typed request in, the response and its body out, bounded by a timeout,
 * the caller's AbortSignal and the client's close(). Retries, streaming and
 * request metadata plug in around it; only this file touches timers.
 */
import { AbortError, APIError, TimeoutError } from "../errors/tree.js";
import type { ChatCompletionCreateParams } from "../types.js";
import type { Endpoint } from "./endpoint.js";
import {
	createGatewayClient,
	type Fetch,
	type RequestHeaders,
} from "./gateway-client.js";

export type { Fetch } from "./gateway-client.js";

/** One attempt of a call. */
export interface TransportRequest {
	readonly body: ChatCompletionCreateParams;
	/** Headers of this call, merged over the client's. */
	readonly headers: Readonly<RequestHeaders>;
	/** The caller's signal: aborting it rejects with {@link AbortError}. */
	readonly signal: AbortSignal | undefined;
	/** Milliseconds for the whole attempt: head and body, or only the head of a stream. */
	readonly timeout: number;
	/** Whether to hand back the body as a stream instead of reading it. */
	readonly stream?: boolean | undefined;
}

/** An attempt whose body is still being read: its signal, and how to let it go. */
export interface TrackedCall {
	/** Fires when the caller aborts or the client closes. */
	readonly signal: AbortSignal;
	/** Forget the attempt: its body has ended. */
	release(): void;
}

/**
 * What came back: the response and its body (parsed JSON, or text when not
 * JSON). For a successful stream the body is a `ReadableStream` and `call`
 * stays tracked until the stream releases it.
 */
export interface TransportResponse {
	readonly response: Response;
	readonly body: unknown;
	readonly call?: TrackedCall | undefined;
}

/** The seam: one attempt, request in, response out. */
export type Transport = (
	request: TransportRequest,
) => Promise<TransportResponse>;

/** How a transport is built: once per client. */
export interface TransportOptions {
	readonly baseURL: string;
	/** Headers on every request (authorization and the client's defaults). */
	readonly headers: Readonly<Record<string, string>>;
	readonly fetch: Fetch | undefined;
	readonly endpoint: Endpoint;
	/** Controllers of the attempts (and retry waits) in flight, aborted when the client closes. */
	readonly inflight: Set<AbortController>;
}

/** Parses a body's text as JSON; text that is not JSON stays text, and nothing is null. */
export function parseBody(text: unknown): unknown {
	if (typeof text !== "string" || text === "") return text ?? null;
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

function describe(error: unknown): string {
	const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
	const code = typeof cause?.code === "string" ? cause.code : null;
	const message = error instanceof Error ? error.message : String(error);
	return code ? `${message} (${code})` : message;
}

// A cause is kept only when no secret shows in it: it is printed with the error.
function safeCause(cause: unknown, endpoint: Endpoint): unknown {
	const shown =
		cause instanceof Error
			? `${cause.stack ?? ""}${describe(cause)}`
			: String(cause);
	return endpoint.scrub(shown) === shown ? cause : undefined;
}

/** The error for an aborted call: the client's own when it was closed, else the caller's abort. */
export function abortError(what: string, signal: AbortSignal): AbortError {
	const reason: unknown = signal.reason;
	if (reason instanceof AbortError) return reason;
	return new AbortError(`${what}: aborted by the caller`, { cause: reason });
}

/**
 * Tracks one attempt (or wait): a controller that the caller's signal and the
 * client's close() both abort. One per attempt, so a call costs one signal of
 * ours.
 */
export function track(
	callerSignal: AbortSignal | undefined,
	inflight: Set<AbortController>,
) {
	const controller = new AbortController();
	const onAbort = () => controller.abort(callerSignal?.reason);
	if (callerSignal?.aborted) onAbort();
	else callerSignal?.addEventListener("abort", onAbort, { once: true });
	inflight.add(controller);
	return {
		controller,
		release() {
			callerSignal?.removeEventListener("abort", onAbort);
			inflight.delete(controller);
		},
	};
}

/** Builds the transport over the typed gateway client. */
export function createTransport(options: TransportOptions): Transport {
	const { endpoint, inflight } = options;
	const { what } = endpoint;
	const post = createGatewayClient(options);

	return async ({ body, headers, signal, timeout, stream }) => {
		if (signal?.aborted) throw abortError(what, signal);
		const { controller, release } = track(signal, inflight);
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			controller.abort();
		}, timeout);
		let handedOver = false;
		try {
			const { data, error, response } = await post(
				body,
				headers,
				controller.signal,
				stream ? "stream" : "text",
			);
			if (!response.ok) return { response, body: error ?? null };
			if (!stream) return { response, body: parseBody(data) };
			handedOver = true;
			return {
				response,
				body: data,
				call: { signal: controller.signal, release },
			};
		} catch (cause) {
			if (timedOut)
				throw new TimeoutError(`${what}: timed out after ${timeout} ms`);
			if (controller.signal.aborted) throw abortError(what, controller.signal);
			throw new APIError(
				endpoint.scrub(`${what}: connection failed: ${describe(cause)}`),
				{ cause: safeCause(cause, endpoint) },
			);
		} finally {
			clearTimeout(timer);
			if (!handedOver) release();
		}
	};
}
