/**
 * The typed gateway client: openapi-fetch over the generated paths, with the
 * cheapest way through its per-call cost. openapi-fetch builds a `Request`
 * for every call, and undici's `fetch` then builds another from it, each
 * following the caller's AbortSignal; profiling showed those two Request
 * objects as a large share of a call's CPU. openapi-fetch lets a client
 * supply its own `Request` class, so this one passes a plain record of the
 * URL and init through, and `fetch(url, init)` builds the only Request.
 */
import * as openapiFetch from "openapi-fetch";
import type { ChatCompletionCreateParams, GatewayPaths } from "./types.js";

/** A WHATWG fetch: `globalThis.fetch`, or one with the same signature. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** The URL and init of a request, as openapi-fetch hands them over. */
class RequestRecord {
	readonly url: string;
	readonly method: string;
	constructor(url: string, init: RequestInit) {
		Object.assign(this, init);
		this.url = url;
		this.method = init.method ?? "GET";
	}
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

/** One POST to `/chat/completions`: what openapi-fetch gives back. */
export type PostChatCompletions = (
	body: ChatCompletionCreateParams,
	headers: Readonly<Record<string, string>>,
	signal: AbortSignal,
	parseAs: "text" | "stream",
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

/** Builds the typed client once per Atrium client. */
export function createGatewayClient(options: {
	readonly baseURL: string;
	readonly headers: Readonly<Record<string, string>>;
	readonly fetch: Fetch | undefined;
}): PostChatCompletions {
	const fetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
	// The media-type argument keeps `data` the JSON type, not the SSE variant's string.
	const client = loadCreateClient()<GatewayPaths, `${string}/json`>({
		baseUrl: options.baseURL,
		headers: options.headers,
		Request: RequestRecord as unknown as typeof Request,
		fetch: (request: Request) =>
			fetch(
				(request as unknown as RequestRecord).url,
				request as unknown as RequestInit,
			),
	});
	return (body, headers, signal, parseAs) =>
		client.POST("/chat/completions", { body, headers, signal, parseAs });
}
