/**
 * What a phase's verdicts come to: they are recorded on the call, then the
 * first block fails it with `EvaluationBlockedError`, else the first
 * evaluator failure that does not fail open fails it with `EvaluatorError`.
 */
import type { CallContext, EvaluationResult } from "../index.js";
import { EvaluationBlockedError, EvaluatorError } from "./errors.js";
import { failsOpen, type Outcome, type Settings } from "./runner.js";

/** Where in the call the verdicts were given. */
export type Stage = "request" | "answer" | "stream";

function what(ctx: CallContext, stage: Stage): string {
	const audit = ctx.governance?.audit_id;
	const call = `${ctx.method} ${ctx.path}`;
	if (stage === "request") return `${call}: nothing was sent (no audit record)`;
	const id = audit ? ` (audit id ${audit})` : "";
	return stage === "answer"
		? `${call}: the answer${id} was refused`
		: `${call}: the streamed answer${id} was stopped; the text held back was not delivered`;
}

/**
 * Records a phase's verdicts on the call, in the evaluators' order, and
 * fails the call when one blocks or fails closed.
 *
 * @throws {EvaluationBlockedError} when a verdict with action `block` fails.
 * @throws {EvaluatorError} when an evaluator failed and does not fail open.
 */
export function settle(
	ctx: CallContext,
	stage: Stage,
	outcomes: readonly Outcome[],
	results: readonly EvaluationResult[],
	settings: Settings,
): void {
	ctx.evaluations.push(...results);
	const init =
		stage === "request" ? {} : { governance: ctx.governance ?? undefined };
	const blocked = outcomes.findIndex(
		(o) => o.verdict?.pass === false && o.evaluator.action === "block",
	);
	if (blocked !== -1) {
		const evaluation = results[blocked] as EvaluationResult;
		const reason = evaluation.reason ? `: ${evaluation.reason}` : "";
		throw new EvaluationBlockedError(
			`${what(ctx, stage)}: blocked by evaluator "${evaluation.name}" (${evaluation.phase})${reason}`,
			evaluation,
			init,
		);
	}
	const failed = outcomes.findIndex(
		(o) => o.failure && !failsOpen(o.evaluator, settings),
	);
	if (failed !== -1) {
		const evaluation = results[failed] as EvaluationResult;
		throw new EvaluatorError(
			`${what(ctx, stage)}: evaluator "${evaluation.name}" (${evaluation.phase}) failed: ${evaluation.reason}; it fails closed (failOpen: false)`,
			evaluation,
			{ ...init, cause: outcomes[failed]?.failure?.cause },
		);
	}
}
