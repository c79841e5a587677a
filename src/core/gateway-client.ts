/**
 * The typed gateway client: openapi-fetch over the generated paths, with the
 * cheapest way through its per-call cost. Profiling a loopback call showed
 * three costs of openapi-fetch's own: the `Request` it builds (undici's
 * `fetch` then builds another, each following the AbortSignal), the two
 * `Headers` objects its header merging builds, and a query serializer made
 * afresh per call. openapi-fetch lets a client supply its own `Request` class
 * and serializers: this one passes a plain record of the URL and init
 * through, gives openapi-fetch no headers to merge (the call's headers ride
 * along as a plain object and `fetch(url, init)` gets them whole), and a
 * query serializer made once. The typed `POST` stays openapi-fetch's.
 */
import * as openapiFetch from "openapi-fetch";
import type {
	ChatCompletionCreateParams,
	GatewayPaths,
	RequestHeaderParams,
} from "../types.js";

/** A WHATWG fetch: `globalThis.fetch`, or one with the same signature. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** The headers a call sends on top of the client's, typed by the spec's header parameters. */
export type RequestHeaders = RequestHeaderParams & Record<string, string>;

/** The URL and init of a request, as openapi-fetch hands them over. */
class RequestRecord {
	readonly url: string;
	readonly method: string;
	readonly init: RequestInit & { atriumHeaders?: Record<string, string> };
	constructor(url: string, init: RequestInit) {
		this.url = url;
		this.method = init.method ?? "GET";
		this.init = init;
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
	headers: Readonly<RequestHeaders>,
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
	const base = { "Content-Type": "application/json", ...options.headers };
	// The media-type argument keeps `data` the JSON type, not the SSE variant's string.
	const client = loadCreateClient()<GatewayPaths, `${string}/json`>({
		baseUrl: options.baseURL,
		Request: RequestRecord as unknown as typeof Request,
		querySerializer: () => "",
		fetch: (request: Request) => {
			const { url, method, init } = request as unknown as RequestRecord;
			const { body, signal } = init;
			return fetch(url, {
				method,
				body,
				signal,
				headers: { ...base, ...init.atriumHeaders },
			});
		},
	});
	return (body, atriumHeaders, signal, parseAs) =>
		client.POST("/chat/completions", {
			body,
			signal,
			parseAs,
			atriumHeaders,
		} as Parameters<typeof client.POST>[1]);
}
