/**
 * The one call path, for whole and streamed calls alike: check and shape the
 * request once, run the plugins' `onRequest`, the attempts (with retries),
 * then shape the result once (a stream takes over the end of its call).
 */

import { asRecord } from "../errors/mapping.js";
import { scrubValue } from "../errors/scrub.js";
import {
	APIError,
	type AtriumError,
	InvalidInputError,
	isAtriumError,
	NO_METADATA,
	withCall,
} from "../errors/tree.js";
import type { ChatCompletionStream } from "../streaming/stream.js";
import type {
	ChatCompletionBody,
	ChatCompletionCreateParams,
} from "../types.js";
import { type AttemptRunner, runAttempts } from "./attempts.js";
import {
	checkHeader,
	checkHeaders,
	checkOptions,
	checkRetries,
	checkTimeout,
} from "./checks.js";
import type { Endpoint } from "./endpoint.js";
import type { ExtrasHost } from "./extras.js";
import type { RequestHeaders } from "./gateway-client.js";
import type { CallContext, RequestOptions } from "./options.js";
import type { CallState, PluginRunner } from "./plugins.js";
import type { WithResponse } from "./promise.js";
import {
	type ChatCompletion,
	type EvaluationResult,
	toCompletion,
} from "./result.js";
import type { TransportResponse } from "./transport.js";

/** What the call path needs from its client: resolved once per client. */
export interface ClientCore extends AttemptRunner, ExtrasHost {
	readonly timeout: number;
	readonly maxRetries: number;
	readonly streamIdleTimeout: number;
	/** Throws when the client was closed. */
	readonly ensureOpen: () => void;
	/** Code loaded on first use and kept, shared with clients made by `withOptions`. */
	readonly lazy: AttemptRunner["lazy"] & {
		streaming?: Promise<typeof import("../streaming/stream-call.js")>;
		extras?: Promise<typeof import("./extras.js")>;
	};
}

// Calls without attempts yet, or without evaluations, share one frozen list.
const NONE: readonly never[] = /* @__PURE__ */ Object.freeze([]);

function checkBody(body: unknown): asserts body is ChatCompletionCreateParams {
	const fields = asRecord(body);
	if (!fields) {
		throw new InvalidInputError("create needs a body: { model, messages }");
	}
	const { model, messages } = fields;
	if (typeof model !== "string" || model === "") {
		throw new InvalidInputError("`model` must be a non-empty string");
	}
	if (!Array.isArray(messages) || messages.length === 0) {
		throw new InvalidInputError("`messages` must be a non-empty array");
	}
}

/** A fresh idempotency key: one per logical call. */
function newIdempotencyKey(): string {
	const uuid = globalThis.crypto?.randomUUID?.();
	return `atrium-${uuid ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`}`;
}

/** The call's own headers: its idempotency key and the caller's headers over it. */
function callHeaders(
	options: RequestOptions,
	stream: boolean,
): Record<string, string> {
	const given = options.idempotencyKey;
	// Only a caller's key needs checking: the SDK's own is a UUID.
	if (given !== undefined)
		checkHeader("idempotencyKey", "Idempotency-Key", given);
	return {
		...(stream ? { Accept: "text/event-stream" } : undefined),
		"Idempotency-Key": given ?? newIdempotencyKey(),
		...checkHeaders("headers", options.headers),
	};
}

function checkCompletion(
	{ response, body }: TransportResponse,
	endpoint: Endpoint,
	governance: CallState["governance"],
): ChatCompletionBody {
	if (asRecord(body)) return body as ChatCompletionBody;
	throw new APIError(
		`${endpoint.what}: ${response.status} with a body that is not a JSON object`,
		{
			status_code: response.status,
			response_body: scrubValue(body, endpoint.scrub),
			governance: governance ?? undefined,
		},
	);
}

function asAtriumError(thrown: unknown, endpoint: Endpoint): AtriumError {
	if (isAtriumError(thrown)) return thrown;
	const message = thrown instanceof Error ? thrown.message : String(thrown);
	return new APIError(endpoint.scrub(`${endpoint.what}: ${message}`), {
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
	core.ensureOpen();
	const options = checkOptions<RequestOptions>("create options", given);
	checkBody(body);
	const stream = body.stream === true;
	const timeout = checkTimeout("timeout", options.timeout, core.timeout);
	const maxRetries = checkRetries(
		"maxRetries",
		options.maxRetries,
		core.maxRetries,
	);
	const idleTimeout = stream
		? checkTimeout(
				"streamIdleTimeout",
				options.streamIdleTimeout,
				core.streamIdleTimeout,
			)
		: 0;
	const call: CallState = {
		method: core.endpoint.method,
		path: core.endpoint.path,
		url: core.endpoint.url,
		// Usage in a stream's last chunk, unless the caller chose otherwise.
		body:
			stream && body.stream_options === undefined
				? { ...body, stream_options: { include_usage: true } }
				: body,
		headers: callHeaders(options, stream),
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
		let headers: RequestHeaders = call.headers;
		if (
			core.plugins.length ||
			core.metadata ||
			options.plugins ||
			options.metadata
		) {
			// Loaded with the first call that has plugins or metadata, and kept.
			core.lazy.extras ??= import("./extras.js");
			const extras = await core.lazy.extras;
			runner = extras.prepare(core, call, options);
			await runner?.request();
			headers = { ...extras.encode(core, call), ...call.headers };
		}
		const exchange = await runAttempts(
			core,
			call,
			runner,
			{ body: call.body, headers, signal: call.signal, timeout, stream },
			maxRetries,
		);
		if (stream) {
			// Loaded on the first stream, so a client that never streams never
			// loads it; kept, so later streams skip the loader (and its hooks).
			core.lazy.streaming ??= import("../streaming/stream-call.js");
			const { openStream } = await core.lazy.streaming;
			return openStream(core.endpoint, call, runner, exchange, idleTimeout);
		}
		const completion = toCompletion(
			checkCompletion(exchange, core.endpoint, call.governance),
			call,
		);
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
