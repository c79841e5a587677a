/**
 * The transport: the one seam between the SDK and the network. One attempt:
 * a typed request in, the response and its body out, bounded by a timeout and
 * the caller's AbortSignal. Retries, streaming and request metadata plug in
 * around it; only this file touches `fetch` and timers.
 */
import * as openapiFetch from "openapi-fetch";
import type { CallContext } from "./error-mapping.js";
import { AbortError, APIError, TimeoutError } from "./errors.js";
import type { ChatCompletionCreateParams, GatewayPaths } from "./types.js";

/** A WHATWG-compatible fetch, such as `globalThis.fetch`. */
export type Fetch = (input: Request, init?: RequestInit) => Promise<Response>;

/** One attempt of a call. */
export interface TransportRequest {
	readonly body: ChatCompletionCreateParams;
	/** Headers of this call, merged over the client's. */
	readonly headers: Readonly<Record<string, string>>;
	/** The call's signal (see {@link trackCall}): aborting it rejects with {@link AbortError}. */
	readonly signal: AbortSignal | undefined;
	/** Milliseconds for the whole attempt, head and body. */
	readonly timeout: number;
}

/** What came back: the response and its body (parsed JSON, or text when not JSON). */
export interface TransportResponse {
	readonly response: Response;
	readonly body: unknown;
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
	readonly context: CallContext;
}

function parseBody(text: unknown): unknown {
	if (typeof text !== "string" || text === "") return text ?? null;
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

function describe(error: unknown): string {
	const cause = (
		error as { cause?: { code?: unknown; message?: unknown } } | null
	)?.cause;
	const code = typeof cause?.code === "string" ? cause.code : null;
	const message = error instanceof Error ? error.message : String(error);
	return code ? `${message} (${code})` : message;
}

type CreateClient = typeof openapiFetch.default;

// tsup's CJS output wraps openapi-fetch's CommonJS build so that `default` is
// its whole `exports` object; in ESM `default` is the function itself.
function loadCreateClient(): CreateClient {
	const candidate: unknown = openapiFetch.default;
	return typeof candidate === "function"
		? (candidate as CreateClient)
		: (candidate as { default: CreateClient }).default;
}

/** Builds the transport over openapi-fetch's client typed from the spec. */
export function createTransport(options: TransportOptions): Transport {
	const { context } = options;
	const prefix = `${context.method} ${context.path}`;
	const client = loadCreateClient()<GatewayPaths>({
		baseUrl: options.baseURL,
		headers: options.headers,
		...(options.fetch ? { fetch: options.fetch } : {}),
	});

	return async ({ body, headers, signal, timeout }) => {
		if (signal?.aborted) throw abortError(prefix, signal);
		const controller = new AbortController();
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			controller.abort();
		}, timeout);
		const onAbort = () => controller.abort(signal?.reason);
		signal?.addEventListener("abort", onAbort, { once: true });
		try {
			const { data, error, response } = await client.POST("/chat/completions", {
				body,
				headers,
				signal: controller.signal,
				parseAs: "text",
			});
			if (!response.ok) return { response, body: error ?? null };
			return { response, body: parseBody(data) };
		} catch (cause) {
			if (timedOut)
				throw new TimeoutError(`${prefix}: timed out after ${timeout} ms`);
			if (controller.signal.aborted)
				throw abortError(prefix, controller.signal);
			throw new APIError(
				context.scrub(`${prefix}: connection failed: ${describe(cause)}`),
				{ cause: safeCause(cause, context) },
			);
		} finally {
			clearTimeout(timer);
			signal?.removeEventListener("abort", onAbort);
		}
	};
}

// A cause is kept only when no secret shows in it: it is printed with the error.
function safeCause(cause: unknown, context: CallContext): unknown {
	const shown =
		cause instanceof Error
			? `${cause.stack ?? ""}${describe(cause)}`
			: String(cause);
	return context.scrub(shown) === shown ? cause : undefined;
}

/** The error for an aborted call: the client's own when it was closed, else the caller's abort. */
export function abortError(what: string, signal: AbortSignal): AbortError {
	const reason: unknown = signal.reason;
	if (reason instanceof AbortError) return reason;
	return new AbortError(`${what}: aborted by the caller`, { cause: reason });
}

/** A logical call's own signal, tied to the caller's and to the client's close(). */
export interface TrackedCall {
	readonly signal: AbortSignal;
	/** Forget the call: it has settled. */
	release(): void;
}

/**
 * Starts tracking a logical call, across its retries and waits: the call's
 * signal fires when the caller's does, or when the client aborts every call
 * in `inflight` on close.
 */
export function trackCall(
	callerSignal: AbortSignal | undefined,
	inflight: Set<AbortController>,
): TrackedCall {
	const controller = new AbortController();
	if (callerSignal?.aborted) controller.abort(callerSignal.reason);
	const onAbort = () => controller.abort(callerSignal?.reason);
	callerSignal?.addEventListener("abort", onAbort, { once: true });
	inflight.add(controller);
	return {
		signal: controller.signal,
		release() {
			callerSignal?.removeEventListener("abort", onAbort);
			inflight.delete(controller);
		},
	};
}

/**
 * Waits `ms` milliseconds, or rejects with {@link AbortError} as soon as the
 * signal fires: a caller's abort during a retry wait stops at once.
 */
export function sleep(
	ms: number,
	signal: AbortSignal | undefined,
	what: string,
): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(abortError(what, signal));
		const onAbort = () => {
			clearTimeout(timer);
			if (signal) reject(abortError(what, signal));
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener("abort", onAbort);
			resolve();
		}, ms);
		signal?.addEventListener("abort", onAbort, { once: true });
	});
}
