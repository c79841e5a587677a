/**
 * The Atrium client: options, API key resolution, and resource wiring.
 */
import { type Completions, createCompletions } from "./chat/completions.js";
import { isBrowser } from "./core/env.js";
import { createLog } from "./core/logger.js";
import { type AtriumOptions, resolveOptions } from "./core/options.js";
import { createTransport } from "./core/transport.js";
import type { CallContext } from "./errors/mapping.js";
import { createScrubber } from "./errors/scrub.js";
import { AbortError, InvalidInputError } from "./errors/tree.js";

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

const LOOPBACK = /^(localhost|\[::1\]|127(\.\d{1,3}){3})$/;

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
	readonly baseURL: string;
	/** Default milliseconds per attempt. */
	readonly timeout: number;
	/** Default retries after the first attempt. */
	readonly maxRetries: number;
	/** The chat resources: `client.chat.completions.create(...)`. */
	readonly chat: {
		/** `create(body, options)`: a governed chat completion, whole or streamed. */
		readonly completions: Completions;
	};

	readonly #inflight = new Set<AbortController>();
	#closed = false;

	/**
	 * @throws {AuthError} when no API key is given or found in the environment.
	 * @throws {InvalidInputError} when an option is malformed, or in a browser
	 *   without `dangerouslyAllowBrowser: true`.
	 */
	constructor(options: AtriumOptions = {}) {
		if (isBrowser() && options.dangerouslyAllowBrowser !== true) {
			throw new InvalidInputError(
				"In a browser every visitor could read the API key: call the gateway from your server, or pass dangerouslyAllowBrowser: true if the key may be public.",
			);
		}
		const resolved = resolveOptions(options);
		this.baseURL = resolved.baseURL;
		this.timeout = resolved.timeout;
		this.maxRetries = resolved.maxRetries;
		const scrub = createScrubber(resolved.apiKey);
		const log = createLog(options.logLevel, options.logger, scrub);
		const url = new URL(resolved.baseURL);
		if (url.protocol === "http:" && !LOOPBACK.test(url.hostname)) {
			log.warn?.(
				`baseURL ${url.origin} is plain http: the key and prompts travel unencrypted`,
			);
		}
		const context: CallContext = {
			method: "POST",
			path: "/chat/completions",
			scrub,
		};
		const transport = createTransport({
			baseURL: resolved.baseURL,
			headers: {
				...resolved.defaultHeaders,
				Authorization: `Bearer ${resolved.apiKey}`,
			},
			fetch: resolved.fetch,
			context,
			inflight: this.#inflight,
		});
		const completions = createCompletions({
			transport,
			context,
			log,
			timeout: resolved.timeout,
			maxRetries: resolved.maxRetries,
			streamIdleTimeout: resolved.streamIdleTimeout,
			inflight: this.#inflight,
			ensureOpen: () => {
				if (this.#closed)
					throw new InvalidInputError(
						"This client is closed: create a new Atrium",
					);
			},
		});
		this.chat = { completions };
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

	/** What `util.inspect(client)` and `console.log(client)` show: the settings, never the key. */
	[INSPECT](): string {
		return `Atrium ${JSON.stringify(this)}`;
	}
}

/** The same class as {@link Atrium}, under the Python SDK's async client name. */
export const AsyncAtrium = Atrium;
/** The same type as {@link Atrium}. */
export type AsyncAtrium = Atrium;
