/**
 * Turns what a `fetch` was called with (a URL or a `Request`, and an init)
 * into a {@link RecordedCall}: headers lower-cased, the body as text and as
 * parsed JSON, the request metadata as the gateway would read it.
 */
import type { ChatCompletionCreateParams } from "../index.js";
import type { RecordedCall } from "./types.js";

/** What `fetch` accepts as its first argument. */
export type FetchInput = string | URL | Request;

/** A recorded call and the signal of its request. */
export interface Incoming {
	readonly call: RecordedCall;
	readonly signal: AbortSignal | undefined;
}

// Duck-typed: a Request from another realm (a vm context, a polyfill) fails instanceof.
function isRequest(input: unknown): input is Request {
	return (
		typeof input === "object" &&
		input !== null &&
		typeof (input as Request).url === "string" &&
		typeof (input as Request).clone === "function"
	);
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseJSON(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** `user_id`, `session_id` and the string fields of `X-Monago-Metadata`. */
function metadataOf(
	headers: Readonly<Record<string, string>>,
): Readonly<Record<string, string>> {
	const entries: [string, string][] = [];
	const json = parseJSON(headers["x-monago-metadata"] ?? "");
	if (isObject(json)) {
		for (const [key, value] of Object.entries(json)) {
			if (typeof value === "string") entries.push([key, value]);
		}
	}
	const user = headers["x-monago-user-id"];
	const session = headers["x-monago-session-id"];
	if (user !== undefined) entries.push(["user_id", user]);
	if (session !== undefined) entries.push(["session_id", session]);
	// fromEntries defines own properties: a "__proto__" key stays a plain key.
	return Object.freeze(Object.fromEntries(entries));
}

function build(
	method: string,
	url: string,
	headers: Headers,
	text: string,
): RecordedCall {
	const record = Object.freeze(Object.fromEntries(headers.entries()));
	const json = text ? parseJSON(text) : undefined;
	return Object.freeze({
		method,
		url,
		headers: record,
		body: isObject(json) ? (json as ChatCompletionCreateParams) : undefined,
		text,
		metadata: metadataOf(record),
	});
}

/**
 * Records a request. Synchronous for what the SDK sends (a URL string and a
 * string body), so calls are recorded in the order they were made.
 */
export function record(
	input: FetchInput,
	init: RequestInit | undefined,
): Incoming | Promise<Incoming> {
	if (isRequest(input)) {
		const request = init ? new Request(input.clone(), init) : input.clone();
		const signal = init?.signal ?? request.signal;
		return request.text().then((text) => ({
			call: build(request.method, request.url, request.headers, text),
			signal,
		}));
	}
	const method = (init?.method ?? "GET").toUpperCase();
	const url = String(input);
	const headers = new Headers(init?.headers);
	const signal = init?.signal ?? undefined;
	const body = init?.body;
	if (body === undefined || body === null || typeof body === "string") {
		return { call: build(method, url, headers, body ?? ""), signal };
	}
	return new Response(body).text().then((text) => ({
		call: build(method, url, headers, text),
		signal,
	}));
}

/** The signal of a fetch call, before anything is read. */
export function signalOf(
	input: FetchInput,
	init: RequestInit | undefined,
): AbortSignal | undefined {
	return init?.signal ?? (isRequest(input) ? input.signal : undefined);
}
