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
import type { Endpoint } from "./endpoint.js";
import { setHeaders } from "./headers.js";
import { type Loaded, load } from "./lazy.js";

/** A WHATWG fetch: `globalThis.fetch`, or one with the same signature. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** The headers a call sends on top of the client's, typed by the spec's header parameters. */
export type RequestHeaders = RequestHeaderParams & Record<string, string>;

/**
 * One attempt as the fetch below sees it: its headers and body limit, and
 * the response head once it came (so the attempt keeps the gateway's audit
 * id even when the body then fails).
 */
export interface Exchange {
	readonly headers: Readonly<RequestHeaders>;
	/** The body as sent: serialized once per call, so every attempt sends the same. */
	readonly json: string;
	/** Whether the body is handed back as a stream (which counts its own bytes). */
	readonly stream: boolean;
	/** Bytes a successful body may have. */
	readonly maxBytes: number;
	/** The response head, once it came. */
	head?: Response;
}

/** The URL and init of a request, as openapi-fetch hands them over. */
class RequestRecord {
	declare readonly url: string;
	declare readonly method: string;
	declare readonly init: RequestInit & { exchange: Exchange };
	constructor(url: string, init: RequestInit & { exchange: Exchange }) {
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

/** The most of an error body that is read: enough for any message, and bounded. */
export const ERROR_BODY_BYTES = 64 * 1024;

/** One POST to `/chat/completions`: what openapi-fetch gives back. */
export type PostChatCompletions = (
	body: ChatCompletionCreateParams,
	exchange: Exchange,
	signal: AbortSignal,
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

/** Builds the typed client once per Atrium client. */
export function createGatewayClient(options: {
	readonly baseURL: string;
	readonly headers: Readonly<Record<string, string>>;
	readonly fetch: Fetch | undefined;
	readonly endpoint: Endpoint;
}): PostChatCompletions {
	const fetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
	const base = setHeaders(
		{ "Content-Type": "application/json" },
		options.headers,
	);
	const loaded: Loaded = {};
	// The media-type argument keeps `data` the JSON type, not the SSE variant's string.
	const client = loadCreateClient()<GatewayPaths, `${string}/json`>({
		baseUrl: options.baseURL,
		Request: RequestRecord as unknown as typeof Request,
		querySerializer: () => "",
		fetch: async (request: Request) => {
			const { url, method, init } = request as unknown as RequestRecord;
			const { body, signal, exchange } = init;
			const response = await fetch(url, {
				method,
				body,
				signal,
				// The gateway never redirects an API call: following one would send
				// the prompt (and any custom header) elsewhere.
				redirect: "manual",
				headers: setHeaders({ ...base }, exchange.headers),
			});
			exchange.head = response;
			if (response.ok && exchange.stream) return response; // its reader counts
			const limit = response.ok ? exchange.maxBytes : ERROR_BODY_BYTES;
			// A declared length is the body's only when it is not encoded
			// (fetch decodes gzip and the like, past the stated length).
			if (
				!response.headers.has("content-encoding") &&
				Number(response.headers.get("content-length") ?? Number.NaN) <= limit
			)
				return response;
			// Loaded for a body of unknown or too large a size only.
			const { limitBody } = await load(
				loaded,
				"limits",
				() => import("./limits.js"),
			);
			return limitBody(response, limit, options.endpoint);
		},
	});
	return (body, exchange, signal) =>
		client.POST("/chat/completions", {
			body,
			signal,
			parseAs: exchange.stream ? "stream" : "text",
			bodySerializer: () => exchange.json,
			exchange,
		} as Parameters<typeof client.POST>[1]);
}
