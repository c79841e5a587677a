/**
 * The result of a call, the same for a whole call and a finished stream: the
 * OpenAI body, untouched, plus `content`, the call's governance, every
 * attempt's audit record, the metadata it was sent with and the evaluations
 * that ran on it.
 */
import type { AttemptRecord, Governance } from "../governance/parse.js";
import type { ChatCompletionBody } from "../types.js";

/**
 * The verdict of one evaluator on a call (see `@monagoio/atrium-sdk/evals`):
 * field names in snake_case, like the gateway's, so an audit store keeps one
 * shape.
 */
export interface EvaluationResult {
	/** The evaluator's name. */
	readonly name: string;
	/** `pre`: on the request, before it was sent; `post`: on the answer. */
	readonly phase: "pre" | "post";
	/** Whether the call passed this evaluator. */
	readonly pass: boolean;
	/** A score, when the evaluator gives one (a judge: 0 to 1). */
	readonly score: number | null;
	/** A label, when the evaluator gives one. */
	readonly label: string | null;
	/** Why it passed or failed, when the evaluator says. */
	readonly reason: string | null;
	/** What a failure does: `block` fails the call, `flag` records it, `redact` changed the request. */
	readonly action: string;
	/** Milliseconds the evaluator took. */
	readonly duration_ms: number;
	/** The audit id of the evaluator's own gateway call (a judge), or of the call it judged. */
	readonly audit_id: string | null;
}

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
	/** The evaluations that ran on the call (empty when none did). */
	evaluations: readonly EvaluationResult[];
};

/** What a call knows when its result is shaped. */
export interface CallRecord {
	/** Null only before a response came, which a result never is. */
	readonly governance: Governance | null;
	readonly attempts: readonly AttemptRecord[];
	readonly metadata: Readonly<Record<string, string>>;
	/** Grows while the call's plugins run; frozen once the call ends. */
	readonly evaluations: readonly EvaluationResult[];
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
	completion.evaluations = call.evaluations;
	return completion;
}
