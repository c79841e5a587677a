/**
 * The endpoint a client calls, described once per client: what messages
 * name (`POST /chat/completions`) and how secrets are scrubbed from them.
 */
import type { Scrubber } from "../errors/scrub.js";

/** What a client calls, for messages and scrubbing: built once per client. */
export interface Endpoint {
	readonly method: string;
	readonly path: string;
	/** `method path`, the prefix of every message about a call. */
	readonly what: string;
	/** The URL called: the base URL and the path. */
	readonly url: string;
	/** Removes the client's key (and anything shaped like a key) from a text. */
	readonly scrub: Scrubber;
}

/** Describes the chat completions endpoint of a client. */
export function chatEndpoint(baseURL: string, scrub: Scrubber): Endpoint {
	return {
		method: "POST",
		path: "/chat/completions",
		what: "POST /chat/completions",
		url: `${baseURL}/chat/completions`,
		scrub,
	};
}
