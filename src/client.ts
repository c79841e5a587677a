/**
 * The Atrium client: options, API key resolution, `withOptions`, and the
 * wiring of the call path.
 */
import { type Completions, createCompletions } from "./chat/completions.js";
import type { ClientCore } from "./core/call.js";
import { checkOptions, resolveOptions } from "./core/checks.js";
import { chatEndpoint } from "./core/endpoint.js";
import { isBrowser } from "./core/env.js";
import { setHeaders } from "./core/headers.js";
import { createLog } from "./core/logger.js";
import type { AtriumOptions, AtriumPlugin } from "./core/options.js";
import { createTransport } from "./core/transport.js";
import { createScrubber } from "./errors/scrub.js";
import { AbortError, InvalidInputError } from "./errors/tree.js";
import type { MetadataUpdate } from "./metadata/metadata.js";

// Plain http is fine to these hosts only: nothing leaves the machine.
const PLAIN_LOOPBACK = /^http:\/\/(localhost|\[::1\]|127\.[\d.]+)(:|\/|$)/i;

// Marks the options of a client made by withOptions: its parent already
// warned about plain http.
const DERIVED = Symbol("derived");

/** Options for {@link Atrium.withOptions}: any client option; `metadata` merges key by key (`null` removes a key). */
export type ClientOverrides = Omit<AtriumOptions, "metadata"> & {
	/** Merged over this client's metadata key by key; `null` removes a key. */
	metadata?: MetadataUpdate | undefined;
};

/**
 * The client for the Monago Atrium gateway: OpenAI-compatible chat
 * completions, with the gateway's governance on every response and a typed
 * error for every block.
 *
 * @example
 * await using client = new Atrium({ apiKey: "sk-mng-..." });
 * const res = await client.chat.completions.create({
 *   model: "gpt-5.4-mini",
 *   messages: [{ role: "user", content: "Pasien NIK 3201... batuk 2 minggu" }],
 * });
 * console.log(res.content, res.governance.pii_redacted);
 */
export class Atrium {
	/** The gateway base URL, without a trailing slash. */
	declare readonly baseURL: string;
	/** Default milliseconds per attempt. */
	declare readonly timeout: number;
	/** Default retries after the first attempt. */
	declare readonly maxRetries: number;
	/** The plugins run on every call, in order (checked with the first call). */
	declare readonly plugins: readonly AtriumPlugin[];
	/** The chat resources: `client.chat.completions.create(...)`. */
	declare readonly chat: {
		/** `create(body, options)`: a governed chat completion, whole or streamed. */
		readonly completions: Completions;
	};

	readonly #options: AtriumOptions;
	readonly #inflight = new Set<AbortController>();
	#closed = false;

	/**
	 * @throws {@link AuthError} when no API key is given or found in the environment.
	 * @throws {@link InvalidInputError} when an option is malformed, or in a browser
	 *   without `dangerouslyAllowBrowser: true`.
	 */
	constructor(options: AtriumOptions = {}) {
		options = checkOptions<AtriumOptions>("Atrium options", options);
		if (isBrowser() && options.dangerouslyAllowBrowser !== true) {
			throw new InvalidInputError(
				"In a browser every visitor could read the API key: call the gateway from a server, or set dangerouslyAllowBrowser",
			);
		}
		const resolved = resolveOptions(options);
		this.#options = {
			...options,
			apiKey: resolved.apiKey,
			baseURL: resolved.baseURL,
		};
		this.baseURL = resolved.baseURL;
		this.timeout = resolved.limits.timeout;
		this.maxRetries = resolved.limits.maxRetries;
		this.plugins = Object.freeze(resolved.plugins);
		const scrub = createScrubber(resolved.apiKey);
		const log = createLog(options.logLevel, options.logger, scrub);
		const { baseURL } = resolved;
		if (
			/^http:/i.test(baseURL) &&
			!PLAIN_LOOPBACK.test(baseURL) &&
			!(options as { [DERIVED]?: boolean })[DERIVED]
		) {
			log.warn?.(
				`baseURL ${baseURL} is plain http: the key and prompts travel unencrypted`,
			);
		}
		const endpoint = chatEndpoint(resolved.baseURL, scrub);
		const closed = () => this.#closed;
		const core: ClientCore = {
			endpoint,
			log,
			inflight: this.#inflight,
			transport: createTransport({
				baseURL: resolved.baseURL,
				// The default headers win over the SDK's, by name whatever its case.
				headers: setHeaders(
					{ Authorization: `Bearer ${resolved.apiKey}` },
					resolved.defaultHeaders,
				),
				fetch: resolved.fetch,
				endpoint,
				inflight: this.#inflight,
				closed,
			}),
			limits: resolved.limits,
			metadata: resolved.metadata,
			lazy: {},
			plugins: resolved.plugins,
			closed,
		};
		this.chat = { completions: createCompletions(core) };
	}

	/**
	 * A new client with these options over this one's: `metadata` and
	 * `defaultHeaders` merge key by key, `plugins` run after this client's,
	 * anything else replaces. It shares this client's `fetch` (and so its
	 * connection pool); this client is unchanged, and each closes on its own.
	 *
	 * @example
	 * const forVisit = client.withOptions({ metadata: { session_id: "visit-10" }, timeout: 10_000 });
	 */
	withOptions(overrides: ClientOverrides): Atrium {
		const given = Object.fromEntries(
			Object.entries(
				checkOptions<ClientOverrides>("withOptions", overrides),
			).filter(([, value]) => value !== undefined),
		) as ClientOverrides;
		const base = this.#options;
		return new Atrium({
			...base,
			...given,
			// Merged here, checked with the new client's first call.
			metadata: {
				...base.metadata,
				...checkOptions("metadata", given.metadata),
			},
			defaultHeaders: setHeaders(
				{ ...base.defaultHeaders },
				checkOptions("defaultHeaders", given.defaultHeaders),
			),
			plugins: [...(base.plugins ?? []), ...(given.plugins ?? [])],
			// A new base URL is warned about again.
			[DERIVED]: given.baseURL === undefined,
		} as AtriumOptions);
	}

	/** Aborts every call still in flight (they reject with `AbortError`) and refuses new ones. */
	async close(): Promise<void> {
		this.#closed = true;
		for (const controller of this.#inflight) {
			controller.abort(new AbortError("The Atrium client was closed"));
		}
		this.#inflight.clear();
	}

	/** For `await using client = new Atrium()`: closes the client at the end of the scope. */
	async [Symbol.asyncDispose](): Promise<void> {
		await this.close();
	}

	/** What `JSON.stringify(client)` shows: the settings, never the key. */
	toJSON(): Record<string, unknown> {
		return {
			baseURL: this.baseURL,
			timeout: this.timeout,
			maxRetries: this.maxRetries,
		};
	}
}

/** The same class as {@link Atrium}, under the Python SDK's async client name. */
export const AsyncAtrium = Atrium;
/** The same type as {@link Atrium}. */
export type AsyncAtrium = Atrium;
