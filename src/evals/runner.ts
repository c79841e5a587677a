/**
 * Runs the evaluators of one phase concurrently, each under its timeout and
 * the caller's signal, checks what each answers, and turns outcomes into
 * recorded verdicts.
 */
import {
	AbortError,
	type CallContext,
	type EvaluationResult,
} from "../index.js";
import type { Evaluator, Phase, TextSegment, Verdict } from "./types.js";

/** The settings of an `evaluate()` plugin that every evaluator run needs. */
export interface Settings {
	/** Default milliseconds per evaluator. */
	readonly timeout: number;
	/** Default for evaluators that throw or time out. */
	readonly failOpen: boolean;
}

/** Why an evaluator gave no verdict. */
export interface Failure {
	readonly label: "error" | "timeout";
	readonly message: string;
	readonly cause: unknown;
}

/** What one evaluator run came to: a checked verdict, or a failure. */
export interface Outcome {
	readonly evaluator: Evaluator;
	readonly verdict: Verdict | undefined;
	readonly failure: Failure | undefined;
	/** Milliseconds the run took. */
	readonly duration: number;
}

// Marks the signal an evaluator is given, so a call it makes with it (a
// judge's) is recognised, by every evaluate() plugin of the client, and not
// evaluated again. A registry symbol, so both builds of the package agree.
const EVALUATOR_SIGNAL = Symbol.for("@monagoio/atrium-sdk/evals.signal");

/** Whether a call was made by an evaluator (with the signal it was given). */
export function isEvaluatorCall(ctx: CallContext): boolean {
	const signal = ctx.signal as
		| (AbortSignal & { [EVALUATOR_SIGNAL]?: unknown })
		| undefined;
	return signal?.[EVALUATOR_SIGNAL] === true;
}

const REASON_LIMIT = 1_000;
const LABEL = /^[^[\]\r\n]{1,64}$/;

const isIndex = (value: unknown, below: number): value is number =>
	Number.isSafeInteger(value) &&
	(value as number) >= 0 &&
	(value as number) < below;

const optionalText = (value: unknown, limit: number) =>
	value === undefined || value === null
		? null
		: typeof value === "string"
			? value.slice(0, limit)
			: undefined;

/** Checks what an evaluator answered: a message naming what is wrong, or the verdict as kept. */
function checkVerdict(
	value: unknown,
	segments: readonly TextSegment[],
): Verdict | string {
	if (typeof value !== "object" || value === null)
		return "its verdict is not an object";
	const fields = value as Record<string, unknown>;
	if (typeof fields.pass !== "boolean")
		return "its verdict has no boolean `pass`";
	const { score } = fields;
	if (score !== undefined && score !== null && !Number.isFinite(score))
		return "its `score` is not a finite number";
	const label = optionalText(fields.label, 200);
	const reason = optionalText(fields.reason, REASON_LIMIT);
	const audit_id = optionalText(fields.audit_id, 512);
	if (label === undefined || reason === undefined || audit_id === undefined)
		return "its `label`, `reason` or `audit_id` is not a string";
	const spans = (key: "redactions" | "hold") => {
		const list = fields[key];
		if (list === undefined) return [];
		if (!Array.isArray(list)) return undefined;
		const ok = list.every((item: Record<string, unknown> | null) => {
			const text = isIndex(item?.segment, segments.length)
				? (segments[item.segment] as TextSegment).text
				: undefined;
			if (text === undefined) return false;
			if (key === "hold") return isIndex(item?.at, text.length + 1);
			return (
				isIndex(item?.start, text.length) &&
				isIndex(item?.end, text.length + 1) &&
				(item.end as number) > (item.start as number) &&
				typeof item.label === "string" &&
				LABEL.test(item.label)
			);
		});
		return ok ? (list as never[]) : undefined;
	};
	const redactions = spans("redactions");
	const hold = spans("hold");
	if (!redactions || !hold)
		return "its `redactions` or `hold` do not point into the segments it was given";
	return {
		pass: fields.pass,
		score: (score as number | null | undefined) ?? null,
		label,
		reason,
		audit_id,
		redactions,
		hold,
	};
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

async function runOne(
	evaluator: Evaluator,
	input: (signal: AbortSignal) => { segments: readonly TextSegment[] },
	ctx: CallContext,
	settings: Settings,
): Promise<Outcome> {
	const controller = new AbortController();
	Object.defineProperty(controller.signal, EVALUATOR_SIGNAL, { value: true });
	const timeout = evaluator.timeout ?? settings.timeout;
	const caller = ctx.signal;
	const onAbort = () => controller.abort(caller?.reason);
	const started = performance.now();
	let timer: ReturnType<typeof setTimeout> | undefined;
	let timedOut = false;
	try {
		if (caller?.aborted) onAbort();
		caller?.addEventListener("abort", onAbort, { once: true });
		const given = input(controller.signal);
		const value = await new Promise<unknown>((resolve, reject) => {
			const stop = () => reject(controller.signal.reason);
			if (controller.signal.aborted) stop();
			controller.signal.addEventListener("abort", stop, { once: true });
			timer = setTimeout(() => {
				timedOut = true;
				controller.abort(new Error(`timed out after ${timeout} ms`));
			}, timeout);
			Promise.resolve()
				.then(() => evaluator.evaluate(given as never, ctx))
				.then(resolve, reject);
		});
		const verdict = checkVerdict(value, given.segments);
		const duration = round(performance.now() - started);
		return typeof verdict === "string"
			? {
					evaluator,
					verdict: undefined,
					failure: { label: "error", message: verdict, cause: undefined },
					duration,
				}
			: { evaluator, verdict, failure: undefined, duration };
	} catch (thrown) {
		if (caller?.aborted) {
			throw new AbortError(
				`${ctx.method} ${ctx.path}: aborted while evaluator "${evaluator.name}" ran`,
				{ cause: caller.reason },
			);
		}
		return {
			evaluator,
			verdict: undefined,
			failure: {
				label: timedOut ? "timeout" : "error",
				message: thrown instanceof Error ? thrown.message : String(thrown),
				cause: thrown,
			},
			duration: round(performance.now() - started),
		};
	} finally {
		clearTimeout(timer);
		caller?.removeEventListener("abort", onAbort);
	}
}

/**
 * Runs evaluators concurrently; each gets its input built with its own
 * signal (aborted on its timeout or the caller's abort). Outcomes come in
 * the evaluators' order.
 *
 * @throws {AbortError} when the caller aborts meanwhile.
 */
export function runEvaluators(
	evaluators: readonly Evaluator[],
	input: (signal: AbortSignal) => { segments: readonly TextSegment[] },
	ctx: CallContext,
	settings: Settings,
): Promise<Outcome[]> {
	return Promise.all(
		evaluators.map((evaluator) => runOne(evaluator, input, ctx, settings)),
	);
}

/** Whether an evaluator's failure lets the call carry on. */
export const failsOpen = (evaluator: Evaluator, settings: Settings) =>
	evaluator.failOpen ?? settings.failOpen;

/** The recorded verdict of an outcome (frozen). */
export function toResult(
	outcome: Outcome,
	phase: Phase,
	settings: Settings,
	auditId: string | null,
	duration = outcome.duration,
): EvaluationResult {
	const { evaluator, verdict, failure } = outcome;
	return Object.freeze({
		name: evaluator.name,
		phase,
		pass: verdict?.pass ?? false,
		score: verdict?.score ?? null,
		label: verdict ? (verdict.label ?? null) : (failure?.label ?? "error"),
		reason: verdict ? (verdict.reason ?? null) : (failure?.message ?? null),
		action: verdict
			? evaluator.action
			: failsOpen(evaluator, settings)
				? "flag"
				: "block",
		duration_ms: round(duration),
		audit_id: verdict?.audit_id ?? auditId,
	});
}
