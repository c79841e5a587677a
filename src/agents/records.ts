/**
 * What each thing a run does becomes in its trail: a model call, a tool
 * call (its arguments and result as the tool's `audit` says), a handoff, an
 * evaluator's block, the error that ended the run, and the closing record.
 * No secret and no message content is written: the core scrubs the key from
 * every error, and a tool's values appear only when its audit is `"full"`.
 */
import type { Governance } from "../index.js";
import type { ModelStep, ToolAudit, ToolStep } from "../skills.js";
import { cut, summarise, trailValue } from "./bound.js";
import type { RecordInit } from "./trail.js";

const ERROR_CHARS = 2_000;
const NAME_CHARS = 64;

const EMPTY = {
	audit_id: null,
	governance: null,
	tool: null,
	arguments: null,
	result_summary: null,
	cost_idr: null,
	duration_ms: null,
	error: null,
} as const;

/** A field of a thrown value, or undefined when reading it throws (a hostile getter or proxy). */
function field(value: unknown, key: string): unknown {
	if (typeof value !== "object" || value === null) return undefined;
	try {
		return (value as Record<string, unknown>)[key];
	} catch {
		return undefined;
	}
}

/** `Class: message` of a thrown value, bounded. Never throws, whatever was thrown. */
export function errorText(error: unknown): string {
	try {
		if (typeof error === "object" && error !== null)
			return cut(
				`${String(field(error, "name") ?? "Error")}: ${String(field(error, "message") ?? "")}`,
				ERROR_CHARS,
			);
		return cut(String(error), ERROR_CHARS);
	} catch {
		return "Error: (a thrown value that cannot be read)";
	}
}

function toolCallNames(step: ModelStep): string[] {
	return step.tool_calls
		.slice(0, 64)
		.map((call) =>
			cut(
				call.type === "function"
					? String(call.function?.name ?? "")
					: String(
							(call as { custom?: { name?: unknown } }).custom?.name ?? "",
						),
				NAME_CHARS,
			),
		);
}

/** A model call, done or failed. */
export function modelRecord(agent: string, step: ModelStep): RecordInit {
	const completion = step.completion;
	const evaluations = completion?.evaluations ?? [];
	return {
		...EMPTY,
		kind: "model",
		agent,
		audit_id: step.audit_id === null ? null : cut(step.audit_id, 256),
		governance: step.governance
			? (trailValue(step.governance) as Governance)
			: null,
		result_summary: completion
			? {
					step: step.step,
					model: cut(String(completion.model ?? ""), 256),
					finish_reason: cut(
						String(completion.choices[0]?.finish_reason ?? ""),
						NAME_CHARS,
					),
					tool_calls: toolCallNames(step),
					content_chars: step.content.length,
					usage: trailValue(step.usage),
					...(evaluations.length
						? {
								evaluations: trailValue(
									evaluations.map(
										({ name, phase, pass, action, label, score }) => ({
											name,
											phase,
											pass,
											action,
											label,
											score,
										}),
									),
								),
							}
						: {}),
				}
			: { step: step.step },
		cost_idr: step.cost_idr,
		duration_ms: step.duration_ms,
		error: step.error === null ? null : cut(step.error, ERROR_CHARS),
	};
}

function audited(value: unknown, audit: ToolAudit): unknown {
	return audit === "full"
		? trailValue(value)
		: audit === "summary"
			? summarise(value)
			: null;
}

/** A tool call, its arguments and result as the tool's audit says. */
export function toolRecord(
	agent: string,
	step: ToolStep,
	audit: ToolAudit,
): RecordInit {
	return {
		...EMPTY,
		kind: "tool",
		agent,
		tool: cut(step.name, NAME_CHARS),
		arguments: audited(step.arguments, audit),
		result_summary: {
			step: step.step,
			call_id: cut(step.call_id, NAME_CHARS),
			outcome: step.outcome,
			...(audit === "none" ? {} : { result: audited(step.result, audit) }),
		},
		duration_ms: step.duration_ms,
		// Unless the audit is full, the outcome alone: a tool's error text may quote its arguments.
		error:
			step.outcome === "ok"
				? null
				: audit === "full" && step.error !== null
					? cut(step.error, ERROR_CHARS)
					: step.outcome,
	};
}

/** A handoff: the model called `transfer_to_<to>`, and the run goes on with that agent. */
export function handoffRecord(
	agent: string,
	step: ToolStep,
	to: string,
): RecordInit {
	return {
		...EMPTY,
		kind: "handoff",
		agent,
		tool: cut(step.name, NAME_CHARS),
		arguments: summarise(step.arguments),
		result_summary: {
			step: step.step,
			call_id: cut(step.call_id, NAME_CHARS),
			to,
		},
		duration_ms: step.duration_ms,
	};
}

/** An evaluator's block (an `EvaluationBlockedError`), with its verdict; undefined for any other error. */
export function evaluationRecord(
	agent: string | null,
	error: unknown,
): RecordInit | undefined {
	const evaluation = field(error, "evaluation");
	if (
		field(error, "name") !== "EvaluationBlockedError" ||
		typeof evaluation !== "object" ||
		evaluation === null
	)
		return undefined;
	const audit_id = field(error, "audit_id");
	const [evaluator, phase, pass, action, label, score, reason] = [
		"name",
		"phase",
		"pass",
		"action",
		"label",
		"score",
		"reason",
	].map((key) => field(evaluation, key));
	return {
		...EMPTY,
		kind: "evaluation",
		agent,
		audit_id: typeof audit_id === "string" ? cut(audit_id, 256) : null,
		result_summary: trailValue({
			name: evaluator,
			phase,
			pass,
			action,
			label,
			score,
			reason,
		}),
		error: errorText(error),
	};
}

/** The error that ended the run. */
export function errorRecord(agent: string | null, error: unknown): RecordInit {
	const auditId = field(error, "audit_id");
	return {
		...EMPTY,
		kind: "error",
		agent,
		audit_id: typeof auditId === "string" ? cut(auditId, 256) : null,
		error: errorText(error),
	};
}

/** The closing record: the outcome, and how many records the trail has (this one included). */
export function endRecord(
	seq: number,
	end: {
		readonly agent: string | null;
		readonly error: unknown;
		readonly failed: boolean;
		readonly turns: number;
		readonly cost_idr: number | null;
		readonly duration_ms: number;
	},
): RecordInit {
	return {
		...EMPTY,
		kind: "end",
		agent: end.agent,
		result_summary: {
			outcome: end.failed ? "error" : "ok",
			records: seq,
			turns: end.turns,
		},
		cost_idr: end.cost_idr,
		duration_ms: end.duration_ms,
		error: end.failed ? errorText(end.error) : null,
	};
}
