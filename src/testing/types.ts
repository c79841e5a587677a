/**
 * The shapes of the test kit: a recorded call, a reply, the options every
 * reply takes. Types of the SDK come from its public entry, type-only.
 */
import type { ChatCompletionCreateParams, Governance } from "../index.js";

/** A governance field the gateway sends as a header (`blocked` is derived, never sent). */
export type GovernanceField = Exclude<keyof Governance, "blocked">;

/**
 * Governance for a reply to send, snake_case as in {@link Governance}. Every
 * field is optional: what you leave out keeps the builder's default. `null`
 * sends the header empty, as the gateway does when it has nothing to say.
 */
export type GovernanceInput = {
	readonly [K in GovernanceField]?: Governance[K];
};

/** The parsed body of a recorded call: the chat completion request, or `undefined` when the body was empty or not a JSON object. */
export type RecordedBody = ChatCompletionCreateParams | undefined;

/** A request the mock gateway received: what the SDK sent, as the gateway would see it. */
export interface RecordedCall {
	/** The HTTP method, e.g. `POST`. */
	readonly method: string;
	/** The full URL, e.g. `https://api.monago.io/v1/chat/completions`. */
	readonly url: string;
	/** Every request header, names lower-cased, e.g. `headers["x-monago-user-id"]`. */
	readonly headers: Readonly<Record<string, string>>;
	/**
	 * The body parsed as JSON: the chat completion request. `undefined` when
	 * the body was empty or not a JSON object (the SDK always sends one).
	 */
	readonly body: RecordedBody;
	/** The body as sent, as text. */
	readonly text: string;
	/**
	 * The request metadata the gateway would put on its audit record:
	 * `user_id` from `X-Monago-User-Id`, `session_id` from
	 * `X-Monago-Session-Id`, and the string fields of the `X-Monago-Metadata`
	 * JSON object. Empty when none was sent.
	 */
	readonly metadata: Readonly<Record<string, string>>;
}

/** What a reply answers: the call, its place in the script and its signal. */
export interface ReplyExchange {
	/** The request being answered. */
	readonly call: RecordedCall;
	/** Which call this is, from 0: the first call to the gateway's `fetch` is 0. */
	readonly index: number;
	/** The request's abort signal, when it has one. */
	readonly signal: AbortSignal | undefined;
}

/**
 * One scripted answer of the mock gateway. Build replies with `reply.*`; for
 * anything else write your own: `respond` gets the exchange and returns the
 * `Response` (or a rejected promise, for a network failure).
 */
export interface Reply {
	/** What the reply is, for messages, e.g. `reply.block("pii")`. */
	readonly description: string;
	/** Answers one call with a real wire response. */
	respond(exchange: ReplyExchange): Response | Promise<Response>;
}

/** Options every HTTP reply takes. */
export interface ReplyOptions {
	/** Governance the reply's `X-Monago-*` headers carry, over the builder's defaults. */
	readonly governance?: GovernanceInput | undefined;
	/** Further response headers, e.g. `{ "x-request-id": "req-1" }`; they win over the builder's. */
	readonly headers?: Readonly<Record<string, string>> | undefined;
}
