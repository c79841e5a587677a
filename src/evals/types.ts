/**
 * The shapes of evaluators: what one is given (the request before it is
 * sent, or the answer), what it answers (a verdict), and the options of
 * `evaluate()`.
 */
import type {
	CallContext,
	ChatCompletion,
	ChatCompletionMessageParam,
} from "../index.js";

/** When an evaluator runs: `pre` on the request before it is sent, `post` on the answer. */
export type Phase = "pre" | "post";

/**
 * What a failing verdict does: `block` fails the call with
 * `EvaluationBlockedError`, `flag` records it and carries on, `redact`
 * (pre phase only) replaces what the evaluator found before the request is
 * sent.
 */
export type EvaluatorAction = "block" | "flag" | "redact";

/**
 * One piece of text an evaluator looks at, with where it comes from: a
 * message's content, one of its text parts or a tool call's arguments
 * (pre), or a choice's text or one of its tool calls' arguments (post).
 */
export interface TextSegment {
	/** The text. */
	readonly text: string;
	/**
	 * On a stream, where the text not yet seen by a partial evaluation
	 * starts (an evaluator may look only from a little before there); 0
	 * everywhere else.
	 */
	readonly from: number;
	/** Pre: the index of the message in `messages`; null after. */
	readonly message: number | null;
	/** Pre: the index of the text part in the message's content array; null when the content is a string. */
	readonly part: number | null;
	/** Post: the index of the choice; null before. */
	readonly choice: number | null;
	/** The index of the tool call whose arguments this is; null for message or choice text. */
	readonly tool_call: number | null;
}

/**
 * A message of the request, as `create` takes it: `ChatCompletionMessageParam`
 * (declared as a union of its own so the API reference names it).
 */
export type RequestMessage = ChatCompletionMessageParam | never;

/** What a pre evaluator is given: the request as it is about to be sent. */
export interface PreInput {
	/** Always `pre`. */
	readonly phase: "pre";
	/** The request's messages (read them, do not change them). */
	readonly messages: readonly RequestMessage[];
	/** Every text in the messages, with where it is. */
	readonly segments: readonly TextSegment[];
	/** The segments' texts joined with newlines, for simple checks. */
	readonly text: string;
	/** Aborted when the evaluator times out or the caller aborts; pass it on to any call it makes (such a call is not evaluated again). */
	readonly signal: AbortSignal;
}

/** A tool call of the answer, its arguments joined. */
export interface OutputToolCall {
	/** The tool call's id. */
	readonly id: string;
	/** The function's (or custom tool's) name. */
	readonly name: string;
	/** The arguments (a custom tool's input) as the model wrote them. */
	readonly arguments: string;
}

/** What a post evaluator is given: the answer. */
export interface PostInput {
	/** Always `post`. */
	readonly phase: "post";
	/** The first choice's text (on a stream: so far); `""` when none. */
	readonly output: string;
	/** The first choice's tool calls. */
	readonly toolCalls: readonly OutputToolCall[];
	/** Every choice's text and tool-call arguments, with where each is. */
	readonly segments: readonly TextSegment[];
	/** The whole completion of a call answered whole; null on a stream (it is joined after the evaluators ran). */
	readonly completion: ChatCompletion | null;
	/** True while a stream still flows (only incremental evaluators see that); false for the whole answer. */
	readonly partial: boolean;
	/** Aborted when the evaluator times out or the caller aborts; pass it on to any call it makes (such a call is not evaluated again). */
	readonly signal: AbortSignal;
}

/** What an evaluator of a phase is given. */
export type InputOf<P extends Phase> = P extends "pre" ? PreInput : PostInput;

/** What any evaluator may be given. */
export type EvaluationInput = PreInput | PostInput;

/** A span of a segment to replace before the request is sent (pre phase, action `redact`). */
export interface Redaction {
	/** The index of the segment in the input's `segments`. */
	readonly segment: number;
	/** Where the span starts in the segment's text. */
	readonly start: number;
	/** Where it ends (exclusive). */
	readonly end: number;
	/** What replaces it, in brackets: `NIK` gives `[NIK]`. */
	readonly label: string;
}

/** On a partial evaluation, a place from which an evaluator needs more text to decide. */
export interface Hold {
	/** The index of the segment in the input's `segments`. */
	readonly segment: number;
	/** The stream keeps the segment's text back from here until the evaluator decides. */
	readonly at: number;
}

/** An evaluator's answer. */
export interface Verdict {
	/** Whether the call passed. */
	readonly pass: boolean;
	/** A score, when the evaluator gives one. */
	readonly score?: number | null | undefined;
	/** A label, when the evaluator gives one. */
	readonly label?: string | null | undefined;
	/** Why it passed or failed; never put the personal data it found here. */
	readonly reason?: string | null | undefined;
	/** The audit id of a gateway call the evaluator made itself (a judge). */
	readonly audit_id?: string | null | undefined;
	/** Pre phase, action `redact`: what to replace before sending. */
	readonly redactions?: readonly Redaction[] | undefined;
	/** Partial evaluations only: text to keep back until more of it arrives. */
	readonly hold?: readonly Hold[] | undefined;
}

/** A check that runs before a request is sent or on its answer. */
export interface Evaluator<P extends Phase = Phase> {
	/** Names the evaluator in its verdicts and errors. */
	readonly name: string;
	/** `pre`: on the request; `post`: on the answer. */
	readonly phase: P;
	/** What a failing verdict does. */
	readonly action: EvaluatorAction;
	/** Post: whether it also runs on a stream's text as it flows (`partial: true`), not only on the whole answer. */
	readonly incremental: boolean;
	/** Milliseconds it may take; default: `evaluate()`'s `evaluatorTimeout`. */
	readonly timeout?: number | undefined;
	/** Whether a throw or a timeout is recorded and the call carries on; default: `evaluate()`'s `failOpen`. */
	readonly failOpen?: boolean | undefined;
	/** Decides: given the request or the answer, and the call's context. */
	evaluate(input: InputOf<P>, ctx: CallContext): Verdict | Promise<Verdict>;
}

/** What every built-in evaluator's options share. */
export interface EvaluatorOptions<P extends Phase = Phase> {
	/** The evaluator's name in verdicts and errors. */
	name?: string | undefined;
	/** `pre` or `post`. */
	phase?: P | undefined;
	/** What a failing verdict does. Default `block` (this is for regulated work). */
	action?: EvaluatorAction | undefined;
	/** Milliseconds it may take. Default: `evaluate()`'s `evaluatorTimeout`. */
	timeout?: number | undefined;
	/** Record a throw or timeout and carry on. Default: `evaluate()`'s `failOpen`. */
	failOpen?: boolean | undefined;
}

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
	/** The plugin's name. Default `evaluate`. */
	name?: string | undefined;
	/**
	 * Characters of a stream's text kept back from the caller until the
	 * evaluators have seen that much more (a pattern up to this long, split
	 * across chunks, is caught before any of it is shown). `Infinity` keeps
	 * the whole answer back until every evaluator passed it. Default 64.
	 */
	holdBack?: number | undefined;
	/** Milliseconds each evaluator may take before it counts as failed. Default 30000. */
	evaluatorTimeout?: number | undefined;
	/** Whether an evaluator that throws or times out is recorded and the call carries on. Default false (fail closed). */
	failOpen?: boolean | undefined;
}
