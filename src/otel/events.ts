/**
 * The attributes of the span events this plugin adds: one per attempt, and
 * the conventions' `gen_ai.evaluation.result` per evaluation.
 */
import type { Attributes } from "@opentelemetry/api";
import type { AttemptRecord, EvaluationResult } from "../index.js";
import { LONG, number, record, text } from "./bound.js";
import { ATRIUM_ATTRIBUTES as A, GEN_AI, GENERAL } from "./conventions.js";

/** An attempt's number, status, audit id and error class. */
export function attemptAttributes(attempt: AttemptRecord): Attributes {
	const attributes: Attributes = { [A.attempt]: attempt.attempt };
	if (typeof attempt.status_code === "number")
		attributes[GENERAL.httpStatus] = attempt.status_code;
	const audit = text(attempt.audit_id);
	if (audit) attributes[A.auditId] = audit;
	const error = text(attempt.error);
	if (error) attributes[GENERAL.errorType] = error;
	return attributes;
}

/**
 * An evaluation's name, score, label (the evaluator's, else `pass` or
 * `fail`) and explanation, with the evaluated response's id and the
 * evaluator's phase, verdict, action and audit id; undefined without a name.
 */
export function evaluationAttributes(
	evaluation: EvaluationResult,
	responseId: string | undefined,
): Attributes | undefined {
	const fields = record(evaluation);
	const name = text(fields?.name);
	if (!fields || !name) return undefined;
	const attributes: Attributes = { [GEN_AI.evaluationName]: name };
	const set = (key: string, value: Attributes[string] | undefined) => {
		if (value !== undefined) attributes[key] = value;
	};
	const pass = typeof fields.pass === "boolean" ? fields.pass : undefined;
	set(GEN_AI.evaluationScore, number(fields.score));
	set(
		GEN_AI.evaluationLabel,
		text(fields.label) ??
			(pass === undefined ? undefined : pass ? "pass" : "fail"),
	);
	set(GEN_AI.evaluationExplanation, text(fields.reason, LONG));
	set(GEN_AI.responseId, responseId);
	set(A.evaluationPhase, text(fields.phase));
	set(A.evaluationPass, pass);
	set(A.evaluationAction, text(fields.action));
	set(A.auditId, text(fields.audit_id));
	return attributes;
}
