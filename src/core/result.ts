/**
 * The result of a call, the same for a whole call and a finished stream: the
 * OpenAI body, untouched, plus `content`, the call's governance, every
 * attempt's audit record and the metadata it was sent with.
 */
import type { AttemptRecord, Governance } from "../governance/parse.js";
import type { ChatCompletionBody } from "../types.js";

/**
 * A governed chat completion: the gateway's `chat.completion` body as sent,
 * plus the first choice's text, the call's governance, its attempts and its
 * metadata.
 */
export type ChatCompletion = ChatCompletionBody & {
	/** The first choice's message content; `""` when there is none. */
	content: string;
	/** What the gateway decided about this call (its last attempt, and a stream's governance events). */
	governance: Governance;
	/** Every attempt of the call, retries included, each with its audit id. */
	attempts: readonly AttemptRecord[];
	/** The request metadata the call was sent with (frozen): join it with `governance.audit_id` in an audit store. */
	metadata: Readonly<Record<string, string>>;
};

/** What a call knows when its result is shaped. */
export interface CallRecord {
	/** Null only before a response came, which a result never is. */
	readonly governance: Governance | null;
	readonly attempts: readonly AttemptRecord[];
	readonly metadata: Readonly<Record<string, string>>;
}

/** Turns a `chat.completion` body into the call's result, in place. */
export function toCompletion(
	body: ChatCompletionBody,
	call: CallRecord,
): ChatCompletion {
	const completion = body as ChatCompletion;
	const content = body.choices?.[0]?.message?.content;
	completion.content = typeof content === "string" ? content : "";
	completion.governance = call.governance as Governance;
	completion.attempts = call.attempts;
	completion.metadata = call.metadata;
	return completion;
}
