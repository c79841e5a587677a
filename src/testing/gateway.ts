/**
 * `mockGateway`: a WHATWG `fetch` that answers each call with a scripted
 * reply and records what was sent, for the client's `fetch` option.
 */
import { type FetchInput, type Incoming, record, signalOf } from "./record.js";
import type { RecordedCall, Reply } from "./types.js";

/**
 * What the mock gateway answers with: a list (call n gets the nth reply), one
 * reply for every call, or a function of the call and its index (from 0).
 */
export type ReplyScript =
	| Reply
	| readonly Reply[]
	| ((call: RecordedCall, index: number) => Reply | Promise<Reply>);

/** A WHATWG fetch, as the client's `fetch` option takes it (and as `globalThis.fetch` is). */
export type MockFetch = (
	input: FetchInput,
	init?: RequestInit,
) => Promise<Response>;

/** A mock gateway: its `fetch`, the calls it received, and `reset()`. */
export interface MockGateway {
	/** Give it to the client: `new Atrium({ apiKey: "test", fetch: gateway.fetch })`. */
	readonly fetch: MockFetch;
	/** Every call so far, in order; retries are calls too. */
	readonly calls: readonly RecordedCall[];
	/** Forgets the calls and starts the script again from its first reply. */
	reset(): void;
}

function isReply(value: unknown): value is Reply {
	return (
		typeof value === "object" &&
		value !== null &&
		typeof (value as Reply).respond === "function"
	);
}

const HINT = 'build replies with reply.*(...), e.g. reply.completion("hi")';

function checkScript(replies: ReplyScript): ReplyScript {
	if (typeof replies === "function" || isReply(replies)) return replies;
	if (!Array.isArray(replies)) {
		throw new TypeError(
			`mockGateway: give a reply, an array of replies or a function (call, index) => reply; ${HINT}`,
		);
	}
	replies.forEach((item, position) => {
		if (!isReply(item)) {
			throw new TypeError(
				`mockGateway: replies[${position}] is not a reply; ${HINT}`,
			);
		}
	});
	return [...replies];
}

async function pick(
	script: ReplyScript,
	call: RecordedCall,
	index: number,
): Promise<Reply> {
	if (isReply(script)) return script;
	if (typeof script === "function") {
		const chosen = await script(call, index);
		if (!isReply(chosen)) {
			throw new TypeError(
				`mockGateway: the reply function returned no reply for call ${index + 1}; ${HINT}`,
			);
		}
		return chosen;
	}
	const chosen = index < script.length ? script[index] : undefined;
	if (!chosen) {
		const scripted = `${script.length} ${script.length === 1 ? "reply was" : "replies were"}`;
		throw new Error(
			`mockGateway: call ${index + 1} asked for a reply, but only ${scripted} scripted (retries are calls too: script one reply per attempt, or pass a single reply to answer every call)`,
		);
	}
	return chosen;
}

/**
 * A mock Atrium gateway, offline: a `fetch` that answers each call with a
 * scripted reply in the gateway's exact wire form (status, `X-Monago-*`
 * headers, JSON or server-sent events), so the SDK's real parsing, error
 * mapping, retries and streaming run on it. Works in any test runner and
 * in browsers; imports nothing from Node.
 *
 * A call with no reply left rejects with an error that says which call
 * asked and how many replies were scripted (the client reports it as a
 * connection failure, `APIError`, with that message).
 *
 * @example
 * const gateway = mockGateway([
 *   reply.completion("Pasien dirujuk ke poli paru."),
 *   reply.block("pii", { block_reason: "PII detected: NIK" }),
 * ]);
 * const client = new Atrium({ apiKey: "test", fetch: gateway.fetch });
 * await client.chat.completions.create(body);                     // allowed
 * await expect(client.chat.completions.create(body)).rejects.toBeInstanceOf(PIIBlockedError);
 * gateway.calls[1]?.headers["x-monago-user-id"];                   // what was sent
 */
export function mockGateway(replies: ReplyScript): MockGateway {
	const script = checkScript(replies);
	const calls: RecordedCall[] = [];
	let next = 0;
	let generation = 0;

	const answer = async (incoming: Incoming, index: number, current: number) => {
		if (current === generation) calls[index] = incoming.call;
		const chosen = await pick(script, incoming.call, index);
		return chosen.respond({
			call: incoming.call,
			index,
			signal: incoming.signal,
		});
	};

	return {
		fetch(input, init) {
			// An aborted request is never sent, as with a real fetch.
			const signal = signalOf(input, init);
			if (signal?.aborted) return Promise.reject(signal.reason);
			const index = next++;
			const current = generation;
			try {
				const incoming = record(input, init);
				return incoming instanceof Promise
					? incoming.then((seen) => answer(seen, index, current))
					: answer(incoming, index, current);
			} catch (error) {
				return Promise.reject(error);
			}
		},
		calls,
		reset() {
			calls.length = 0;
			next = 0;
			generation++;
		},
	};
}
