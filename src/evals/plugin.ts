/**
 * `evaluate()`: evaluators as a plugin. Pre evaluators run in `onRequest`
 * (block, flag or redact before anything is sent); post evaluators in
 * `onResponse` for a whole call, and in `onChunk`/`onStreamEnd` for a
 * stream, which they hold back as they check it.
 */
import {
	type AtriumPlugin,
	type CallContext,
	type ChatCompletion,
	InvalidInputError,
} from "../index.js";
import { checkEvaluator, checkFlag, checkTimeout } from "./evaluator.js";
import {
	isEvaluatorCall,
	runEvaluators,
	type Settings,
	toResult,
} from "./runner.js";
import {
	answerSegments,
	redactMessages,
	requestSegments,
	toolCallsOf,
} from "./segments.js";
import { settle } from "./settle.js";
import { onStreamChunk, onStreamDone, type StreamSettings } from "./stream.js";
import type { EvaluateOptions, Evaluator, Redaction } from "./types.js";

/** Characters of a stream kept back by default: the longest pattern caught before any of it is shown. */
export const DEFAULT_HOLD_BACK = 64;
/** Milliseconds an evaluator may take by default. */
export const DEFAULT_EVALUATOR_TIMEOUT = 30_000;

async function evaluateRequest(
	ctx: CallContext,
	evaluators: readonly Evaluator[],
	settings: Settings,
): Promise<void> {
	const { messages } = ctx.body;
	const segments = requestSegments(messages);
	const text = segments.map((s) => s.text).join("\n");
	const outcomes = await runEvaluators(
		evaluators,
		(signal) => ({ phase: "pre", messages, segments, text, signal }),
		ctx,
		settings,
	);
	const results = outcomes.map((o) => toResult(o, "pre", settings, null));
	settle(ctx, "request", outcomes, results, settings);
	const redactions: Redaction[] = [];
	for (const { evaluator, verdict } of outcomes) {
		if (evaluator.action === "redact" && verdict?.pass === false)
			redactions.push(...(verdict.redactions ?? []));
	}
	// New message objects: the caller's are never changed.
	if (redactions.length)
		ctx.body.messages = redactMessages(messages, segments, redactions);
}

async function evaluateAnswer(
	ctx: CallContext,
	completion: ChatCompletion,
	evaluators: readonly Evaluator[],
	settings: Settings,
): Promise<void> {
	const segments = answerSegments(completion);
	const message = completion.choices?.[0]?.message as unknown as
		| Record<string, unknown>
		| undefined;
	const outcomes = await runEvaluators(
		evaluators,
		(signal) => ({
			phase: "post",
			output: completion.content,
			toolCalls: toolCallsOf(message),
			segments,
			completion,
			partial: false,
			signal,
		}),
		ctx,
		settings,
	);
	const audit = ctx.governance?.audit_id ?? null;
	const results = outcomes.map((o) => toResult(o, "post", settings, audit));
	settle(ctx, "answer", outcomes, results, settings);
}

function checkHoldBack(value: unknown): number {
	if (value === undefined) return DEFAULT_HOLD_BACK;
	if (
		value === Number.POSITIVE_INFINITY ||
		(Number.isSafeInteger(value) && (value as number) >= 0)
	) {
		return value as number;
	}
	throw new InvalidInputError(
		"evaluate(): holdBack must be a whole number of characters from 0, or Infinity",
	);
}

/**
 * Makes evaluators a plugin, for the client (`new Atrium({ plugins })`) or
 * one call (`create(body, { plugins })`, run after the client's).
 * Evaluators of one phase run concurrently; their verdicts are on
 * `res.evaluations`, `stream.evaluations` and every error's `evaluations`.
 * A failing `block` verdict throws `EvaluationBlockedError`; an evaluator
 * that throws or times out throws `EvaluatorError` (or, with `failOpen`, is
 * recorded and the call carries on). Calls an evaluator makes with its
 * `input.signal` (a judge's) are not evaluated again.
 *
 * @example
 * const client = new Atrium({
 *   plugins: [
 *     evaluate([
 *       pii({ phase: "pre", detect: ["NIK", "EMAIL"], action: "block" }),
 *       keywords({ phase: "post", deny: [/\bdiagnos(is|a)\b/i] }),
 *     ], { holdBack: 64 }),
 *   ],
 * });
 * @throws {InvalidInputError} when an evaluator or an option is malformed.
 */
export function evaluate(
	evaluators: readonly Evaluator[],
	options: EvaluateOptions = {},
): AtriumPlugin {
	if (!Array.isArray(evaluators)) {
		throw new InvalidInputError("evaluate() takes a list of evaluators");
	}
	const checked = evaluators.map((e, i) =>
		checkEvaluator(`evaluators[${i}]`, e),
	);
	const settings: StreamSettings = {
		holdBack: checkHoldBack(options.holdBack),
		timeout:
			checkTimeout("evaluate(): evaluatorTimeout", options.evaluatorTimeout) ??
			DEFAULT_EVALUATOR_TIMEOUT,
		failOpen: checkFlag("evaluate(): failOpen", options.failOpen) ?? false,
	};
	const name = options.name ?? "evaluate";
	if (typeof name !== "string" || name === "") {
		throw new InvalidInputError("evaluate(): name must be a non-empty string");
	}
	const pre = checked.filter((e) => e.phase === "pre");
	const post = checked.filter((e) => e.phase === "post");
	const plugin: AtriumPlugin = { name };
	// Only the hooks that have work, so a plugin without post evaluators
	// leaves streams unbuffered.
	if (pre.length) {
		plugin.onRequest = (ctx) =>
			isEvaluatorCall(ctx) ? undefined : evaluateRequest(ctx, pre, settings);
	}
	if (post.length) {
		plugin.onResponse = (ctx, completion) =>
			ctx.stream || isEvaluatorCall(ctx)
				? undefined
				: evaluateAnswer(ctx, completion, post, settings);
		plugin.onChunk = (ctx, chunk) =>
			isEvaluatorCall(ctx)
				? undefined
				: onStreamChunk(ctx, chunk, post, settings);
		plugin.onStreamEnd = (ctx) =>
			isEvaluatorCall(ctx) ? undefined : onStreamDone(ctx, post, settings);
	}
	return Object.freeze(plugin);
}
