/**
 * The one call path, for whole and streamed calls alike: check and shape the
 * request once, run the plugins' `onRequest`, the attempts (with retries),
 * then shape the result once (a stream takes over the end of its call).
 */

import { isAtriumError } from "../errors/guards.js";
import { asRecord } from "../errors/mapping.js";
import {
	APIError,
	type AtriumError,
	InvalidInputError,
	NO_METADATA,
	withCall,
} from "../errors/tree.js";
import { NONE } from "../governance/parse.js";
import type { ChatCompletionStream } from "../streaming/types.js";
import type {
	ChatCompletionBody,
	ChatCompletionCreateParams,
} from "../types.js";
import { type AttemptRunner, runAttempts } from "./attempts.js";
import {
	ASCII_ID,
	checkHeader,
	checkHeaders,
	checkLimits,
	checkOptions,
	type Limits,
} from "./checks.js";
import type { Endpoint } from "./endpoint.js";
import type { ExtrasHost } from "./extras.js";
import type { RequestHeaders } from "./gateway-client.js";
import { setHeaders } from "./headers.js";
import { type Loaded, load } from "./lazy.js";
import type { CallContext, RequestOptions } from "./options.js";
import type { CallState, PluginRunner } from "./plugins.js";
import type { WithResponse } from "./promise.js";
import {
	type ChatCompletion,
	type EvaluationResult,
	toCompletion,
} from "./result.js";

/** What the call path needs from its client: resolved once per client. */
export interface ClientCore extends AttemptRunner, ExtrasHost {
	/** The client's limits: timeouts, retries, body size. */
	readonly limits: Limits;
	/** Code loaded on first use and kept, shared with clients made by `withOptions`. */
	readonly lazy: Loaded;
}

function checkBody(body: unknown): asserts body is ChatCompletionCreateParams {
	const { model, messages } = asRecord(body) ?? {};
	if (
		!model ||
		typeof model !== "string" ||
		!Array.isArray(messages) ||
		!messages.length
	)
		throw new InvalidInputError(
			"create needs `model` (a non-empty string) and `messages` (a non-empty array)",
		);
}

/** A fresh idempotency key: one per logical call. */
function newIdempotencyKey(): string {
	const uuid = globalThis.crypto?.randomUUID?.();
	return `atrium-${uuid ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`}`;
}

/** The call's own headers: its idempotency key and the caller's headers over it. */
function callHeaders(options: RequestOptions): Record<string, string> {
	const given = options.idempotencyKey;
	// Only a caller's key needs checking: the SDK's own is a UUID.
	if (given !== undefined)
		checkHeader("idempotencyKey", "Idempotency-Key", given, ASCII_ID);
	// The caller's headers win, by name whatever its case.
	return setHeaders(
		{ "Idempotency-Key": given ?? newIdempotencyKey() },
		checkHeaders("headers", options.headers),
	);
}

// Only a bug throws anything else; plugins still get an AtriumError.
function asAtriumError(thrown: unknown, endpoint: Endpoint): AtriumError {
	return isAtriumError(thrown)
		? thrown
		: new APIError(endpoint.scrub(`${endpoint.what}: ${thrown}`), {
				cause: thrown,
			});
}

/**
 * Makes one logical call: resolves, for a whole call, once the body is read
 * and every plugin's `onResponse` ran; for a stream, once the head arrives
 * (the stream then ends the call). Every failure is an `AtriumError` with the
 * call's attempts and metadata, after every plugin's `onError`.
 */
export async function send(
	core: ClientCore,
	body: unknown,
	given: unknown,
	create: CallContext["create"],
): Promise<WithResponse<ChatCompletion | ChatCompletionStream>> {
	const options = checkOptions<RequestOptions>("create options", given);
	checkBody(body);
	const { signal } = options;
	// An AbortSignal's two methods are called; anything else would fail deep in the transport, as
	// if the call had.
	if (
		signal != null &&
		`${typeof signal.addEventListener}${typeof signal.removeEventListener}` !==
			"functionfunction"
	)
		throw new InvalidInputError("signal must be an AbortSignal");
	const stream = body.stream === true;
	const limits = checkLimits(options, core.limits);
	const { method, path, url } = core.endpoint;
	const call: CallState = {
		method,
		path,
		url,
		body,
		headers: callHeaders(options),
		metadata: NO_METADATA as Record<string, string>,
		stream,
		signal: options.signal,
		attempts: NONE,
		governance: null,
		// Frozen and shared until plugins need their own list.
		evaluations: NONE as unknown as EvaluationResult[],
		create,
	};
	let runner: PluginRunner | undefined;
	try {
		// Loaded on the first stream, so a client that never streams never
		// loads it; kept, so later streams skip the loader (and its hooks).
		const streaming = stream
			? await load(
					core.lazy,
					"streaming",
					() => import("../streaming/stream-call.js"),
				)
			: undefined;
		streaming?.prepareStream(call);
		let headers: RequestHeaders = call.headers;
		if (
			core.plugins.length ||
			core.metadata ||
			options.plugins ||
			options.metadata
		) {
			// Loaded with the first call that has plugins or metadata, and kept.
			const extras = await load(
				core.lazy,
				"extras",
				() => import("./extras.js"),
			);
			runner = extras.prepare(core, call, options);
			await runner?.request();
			headers = setHeaders({ ...extras.encode(core, call) }, call.headers);
		}
		let json: string;
		try {
			json = JSON.stringify(call.body);
		} catch (cause) {
			// A BigInt or a cycle: refused before anything is sent, never retried.
			throw new InvalidInputError(`create's body is not JSON: ${cause}`);
		}
		const exchange = await runAttempts(
			core,
			call,
			runner,
			{ body: call.body, json, headers, signal: call.signal, stream, limits },
			limits.maxRetries,
		);
		if (streaming) {
			// Awaited here, so a stream that fails to open ends the call like any failure.
			return await streaming.openStream(
				core.endpoint,
				call,
				runner,
				exchange,
				limits,
			);
		}
		if (!asRecord(exchange.body)) {
			const { notJSON } = await load(
				core.lazy,
				"failure",
				() => import("./failure.js"),
			);
			throw notJSON(exchange, call.governance, core.endpoint);
		}
		const completion = toCompletion(exchange.body as ChatCompletionBody, call);
		await runner?.response(completion);
		Object.freeze(call.evaluations);
		return { data: completion, response: exchange.response };
	} catch (thrown) {
		Object.freeze(call.metadata);
		Object.freeze(call.evaluations);
		const error = withCall(asAtriumError(thrown, core.endpoint), call);
		await runner?.error(error);
		throw error;
	}
}
