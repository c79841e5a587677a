import { AbortError } from "../errors/tree.js";
import type { ChatCompletionCreateParams } from "../types.js";
import type { Limits } from "./checks.js";
import type { Endpoint } from "./endpoint.js";
import {
	createGatewayClient,
	type Exchange,
	type Fetch,
	type RequestHeaders,
} from "./gateway-client.js";
import { type Loaded, load } from "./lazy.js";

export type { Fetch } from "./gateway-client.js";

/** One attempt of a call. */
export interface TransportRequest {
	readonly body: ChatCompletionCreateParams;
	/** The body as JSON, serialized once per call. */
	readonly json: string;
	/** Headers of this call, merged over the client's. */
	readonly headers: Readonly<RequestHeaders>;
	/** The caller's signal: aborting it rejects with {@link AbortError}. */
	readonly signal: AbortSignal | undefined;
	/** The call's limits: `timeout` for the whole attempt (head and body, or only the head of a stream), `maxResponseBytes` for a successful body. */
	readonly limits: Limits;
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
	/** Whether the client was closed: an attempt then never starts. */
	readonly closed: () => boolean;
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

/**
 * An attempt that threw, as the transport throws it: what was thrown, the
 * head if one came, whether it timed out (its timeout, else false) and its
 * signal. The failure path (`failure.ts`) turns it into the typed error.
 */
export interface AttemptFailure {
	readonly cause: unknown;
	readonly head: Response | undefined;
	readonly timedOut: number | false;
	readonly signal: AbortSignal;
}

/** The error for an aborted call: the client's own when it was closed, else the caller's abort. */
export function abortError(what: string, signal: AbortSignal): AbortError {
	const reason: unknown = signal.reason;
	// A new error each time: a call's error carries that call's attempts and
	// metadata, so one signal aborting two calls must not give them one error.
	return new AbortError(
		reason instanceof AbortError
			? reason.message
			: `${what}: aborted by the caller`,
		{ cause: reason },
	);
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
	const { what, scrub } = endpoint;
	const post = createGatewayClient(options);
	// undici's and browsers' fetch honour the signal; a custom one may not, so
	// its attempts race the signal (code loaded for a custom fetch only).
	const loaded: Loaded = {};

	return async ({ body, json, headers, signal, stream, limits }) => {
		const { timeout } = limits;
		if (signal?.aborted) throw abortError(what, signal);
		if (options.closed()) throw new AbortError("The Atrium client was closed");
		const { controller, release } = track(signal, inflight);
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			controller.abort();
		}, timeout);
		const exchange: Exchange = {
			headers,
			json,
			stream: !!stream,
			maxBytes: limits.maxResponseBytes,
		};
		let handedOver = false;
		try {
			// Loaded before the fetch starts, so its failure always has a handler.
			const racing =
				options.fetch &&
				(await load(loaded, "race", () => import("./race.js")));
			const posted = post(body, exchange, controller.signal);
			const { data, error } = await (racing
				? racing.abortable(posted, controller.signal)
				: posted);
			// The response as fetch gave it (a bounded body is a copy of it).
			const response = exchange.head as Response;
			if (!response.ok || response.redirected)
				return { response, body: error ?? null };
			if (!stream)
				return {
					response,
					// Scrubbed before parsing: a key echoed in the answer never stays.
					body: parseBody(typeof data === "string" ? scrub(data) : data),
				};
			handedOver = true;
			return {
				response,
				body: data,
				call: { signal: controller.signal, release },
			};
		} catch (cause) {
			// Named by the failure path, loaded when an attempt first fails.
			throw {
				cause,
				head: exchange.head,
				timedOut: timedOut && timeout,
				signal: controller.signal,
			} satisfies AttemptFailure;
		} finally {
			clearTimeout(timer);
			if (!handedOver) release();
		}
	};
}
