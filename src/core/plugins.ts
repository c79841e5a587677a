/**
 * Runs a call's plugins: built per call, and only when the call has any, so
 * a call without plugins pays nothing. On the way out hooks run in order; on
 * the way back in reverse order (the last plugin is closest to the network),
 * and every plugin gets exactly one of `onResponse` and `onError`.
 */

import { isAtriumError } from "../errors/guards.js";
import {
	type AtriumError,
	InvalidInputError,
	PluginError,
} from "../errors/tree.js";
import type { AttemptRecord } from "../governance/parse.js";
import type { ChatCompletionChunk } from "../types.js";
import type { Endpoint } from "./endpoint.js";
import type { Log } from "./logger.js";
import type { AtriumPlugin, CallContext } from "./options.js";
import type { ChatCompletion } from "./result.js";

type Hook = Exclude<keyof AtriumPlugin, "name" | "wrap">;

const HOOKS = [
	"onRequest",
	"onAttempt",
	"onChunk",
	"onStreamEnd",
	"onResponse",
	"onError",
	"wrap",
] as const;

/** Checks a list of plugins: objects with a name, and functions for hooks. */
export function checkPlugins(
	source: string,
	value: unknown,
): readonly AtriumPlugin[] {
	if (value === undefined) return [];
	if (!Array.isArray(value)) {
		throw new InvalidInputError(`${source} must be an array of plugins`);
	}
	value.forEach((plugin: Partial<AtriumPlugin> | null, index) => {
		if (typeof plugin?.name !== "string" || plugin.name === "") {
			throw new InvalidInputError(`${source}[${index}] needs a name`);
		}
		for (const hook of HOOKS) {
			if (plugin[hook] !== undefined && typeof plugin[hook] !== "function") {
				throw new InvalidInputError(
					`${source}[${index}] ("${plugin.name}"): ${hook} must be a function`,
				);
			}
		}
	});
	return value;
}

/** The shared context of one call, which the SDK updates as the call goes. */
export type CallState = {
	-readonly [K in Exclude<keyof CallContext, "state">]: CallContext[K];
};

/** The plugins of one call, with their views of its context. */
export class PluginRunner {
	readonly #plugins: readonly AtriumPlugin[];
	// Each plugin's view: the shared context plus its own `state`.
	readonly #views: CallContext[];
	// Whether each plugin has had its onResponse or onError.
	readonly #settled: boolean[];
	readonly #endpoint: Endpoint;
	readonly #log: Log;
	/** Whether any plugin looks at chunks, so a stream without one skips the pipeline. */
	readonly seesChunks: boolean;

	constructor(
		plugins: readonly AtriumPlugin[],
		call: CallState,
		endpoint: Endpoint,
		log: Log,
	) {
		this.#plugins = plugins;
		this.#views = plugins.map(() =>
			Object.freeze(
				Object.create(call, { state: { value: {}, enumerable: true } }),
			),
		);
		this.#settled = plugins.map(() => false);
		this.#endpoint = endpoint;
		this.#log = log;
		this.seesChunks = plugins.some((p) => p.onChunk || p.onStreamEnd);
	}

	async #run<A extends unknown[], R>(
		index: number,
		hook: Hook,
		args: A,
	): Promise<R | undefined> {
		const plugin = this.#plugins[index] as AtriumPlugin;
		const fn = plugin[hook] as
			| ((ctx: CallContext, ...args: A) => R | Promise<R>)
			| undefined;
		if (!fn) return undefined;
		try {
			return await fn.call(plugin, this.#views[index] as CallContext, ...args);
		} catch (thrown) {
			throw this.#asError(plugin, hook, thrown);
		}
	}

	#asError(plugin: AtriumPlugin, hook: Hook, thrown: unknown): AtriumError {
		if (isAtriumError(thrown)) return thrown;
		const message = thrown instanceof Error ? thrown.message : String(thrown);
		return new PluginError(
			this.#endpoint.scrub(
				`${this.#endpoint.what}: plugin "${plugin.name}" failed in ${hook}: ${message}`,
			),
			{ cause: thrown },
		);
	}

	/** `onRequest` of every plugin, in order. */
	async request(): Promise<void> {
		for (let i = 0; i < this.#plugins.length; i++)
			await this.#run(i, "onRequest", []);
	}

	/** `onAttempt` of every plugin, in reverse order. */
	async attempt(record: AttemptRecord): Promise<void> {
		for (let i = this.#plugins.length - 1; i >= 0; i--)
			await this.#run(i, "onAttempt", [record]);
	}

	/** Passes chunks through `onChunk` of the plugins below `below`, innermost first. */
	async #pipe(
		chunks: readonly ChatCompletionChunk[],
		below: number,
	): Promise<readonly ChatCompletionChunk[]> {
		for (let i = below - 1; i >= 0 && chunks.length; i--) {
			if (!this.#plugins[i]?.onChunk) continue;
			const out: ChatCompletionChunk[] = [];
			for (const chunk of chunks) {
				const result = await this.#run<[ChatCompletionChunk], unknown>(
					i,
					"onChunk",
					[chunk],
				);
				out.push(...this.#chunks(i, "onChunk", result, chunk));
			}
			chunks = out;
		}
		return chunks;
	}

	#chunks(
		index: number,
		hook: Hook,
		result: unknown,
		chunk?: ChatCompletionChunk,
	): readonly ChatCompletionChunk[] {
		if (result === undefined) return chunk ? [chunk] : [];
		if (Array.isArray(result)) return result;
		throw this.#asError(
			this.#plugins[index] as AtriumPlugin,
			hook,
			new TypeError("must return undefined or an array of chunks"),
		);
	}

	/** A chunk from the network: what the caller gets instead (none, it, or others). */
	chunk(chunk: ChatCompletionChunk): Promise<readonly ChatCompletionChunk[]> {
		return this.#pipe([chunk], this.#plugins.length);
	}

	/** The stream reached `[DONE]`: what plugins still hold back, passed through the plugins outside them. */
	async end(): Promise<readonly ChatCompletionChunk[]> {
		const out: ChatCompletionChunk[] = [];
		for (let i = this.#plugins.length - 1; i >= 0; i--) {
			const held = this.#chunks(
				i,
				"onStreamEnd",
				await this.#run(i, "onStreamEnd", []),
			);
			if (held.length) out.push(...(await this.#pipe(held, i)));
		}
		return out;
	}

	/**
	 * `onResponse` of every plugin, in reverse order. When one throws, the
	 * call fails with that error: the plugins it has not reached get
	 * `onError` from the caller's `error()`.
	 */
	async response(completion: ChatCompletion): Promise<void> {
		for (let i = this.#plugins.length - 1; i >= 0; i--) {
			// One that had onError meanwhile (an abort during a slow hook) is done.
			if (this.#settled[i]) continue;
			this.#settled[i] = true;
			await this.#run(i, "onResponse", [completion]);
		}
	}

	/** `onError` of every plugin that has had neither hook, in reverse order; never throws. */
	async error(error: AtriumError): Promise<void> {
		for (let i = this.#plugins.length - 1; i >= 0; i--) {
			if (this.#settled[i]) continue;
			this.#settled[i] = true;
			try {
				await this.#run(i, "onError", [error]);
			} catch (failure) {
				this.#log.error?.((failure as Error).message);
			}
		}
	}
}
