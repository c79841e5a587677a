/**
 * The errors of evaluators: a block (a subclass of the gateway's
 * `PolicyBlockedError`, so existing catch blocks keep working) and an
 * evaluator that failed to decide. Both carry the verdict; the call's
 * evaluations, attempts and metadata are attached like on any error.
 */
import {
	AtriumError,
	type AtriumErrorInit,
	type EvaluationResult,
	PolicyBlockedError,
} from "../index.js";

/**
 * An evaluator blocked the call. Before sending (`evaluation.phase` is
 * `pre`): nothing was sent, so there is no audit record (`audit_id` null).
 * On the answer (`post`): `audit_id` and `governance` are the gateway's for
 * the call whose answer was refused. `block_reason` and `policy_decision`
 * stay the gateway's; the evaluator's reason is in `evaluation`.
 */
export class EvaluationBlockedError extends PolicyBlockedError {
	/** `EvaluationBlockedError`, read off the prototype (what `instanceof` and the guards go by). */
	override get name(): string {
		return "EvaluationBlockedError";
	}

	/** The verdict that blocked the call. */
	readonly evaluation: EvaluationResult;

	constructor(
		message: string,
		evaluation: EvaluationResult,
		init: AtriumErrorInit = {},
	) {
		super(message, { code: "evaluation_blocked", ...init });
		this.evaluation = evaluation;
	}
}

/**
 * An evaluator threw, timed out or gave a verdict that is not one (a
 * judge's unreadable answer, say). By default the call fails with it (fail
 * closed); with `failOpen: true` it is recorded and the call carries on.
 * `cause` holds what the evaluator threw.
 */
export class EvaluatorError extends AtriumError {
	/** `EvaluatorError`, read off the prototype (what `instanceof` and the guards go by). */
	override get name(): string {
		return "EvaluatorError";
	}

	/** The failed evaluator's verdict: `pass` false, `label` `error` or `timeout`. */
	readonly evaluation: EvaluationResult;

	constructor(
		message: string,
		evaluation: EvaluationResult,
		init: AtriumErrorInit = {},
	) {
		super(message, { code: "evaluator_failed", ...init });
		this.evaluation = evaluation;
	}
}

/** True for an {@link EvaluationBlockedError}, from either build. */
export function isEvaluationBlockedError(
	value: unknown,
): value is EvaluationBlockedError {
	// The tree's instanceof reads the class names along the prototype chain.
	return value instanceof EvaluationBlockedError;
}

/** True for an {@link EvaluatorError}, from either build. */
export function isEvaluatorError(value: unknown): value is EvaluatorError {
	return value instanceof EvaluatorError;
}
