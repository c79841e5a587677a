/**
 * The errors of a run: `MaxStepsExceededError`, and the run so far attached
 * to any error that ends a run (`error.run`), without changing its class.
 */
import { AtriumError } from "../index.js";
import type { ToolRunSnapshot } from "./run-types.js";

// Not enumerable: `toJSON()` of an error stays the call's audit trail, and
// tool arguments and results (possibly personal data) stay out of logs that
// serialise errors.
function defineRun(error: object, run: ToolRunSnapshot): void {
	Object.defineProperty(error, "run", {
		value: run,
		enumerable: false,
		configurable: true,
	});
}

/**
 * The model still asked for tools after `maxSteps` model calls. `run` holds
 * the run so far: every step (the last model call's tool calls included,
 * which did not run), messages, usage, cost and audit ids.
 */
export class MaxStepsExceededError extends AtriumError {
	/** `"MaxStepsExceededError"`. */
	override get name(): string {
		return "MaxStepsExceededError";
	}

	/** The run so far. */
	declare readonly run: ToolRunSnapshot;

	constructor(message: string, run: ToolRunSnapshot) {
		super(message);
		defineRun(this, run);
	}
}

/** True for a {@link MaxStepsExceededError}, from either build. */
export function isMaxStepsExceededError(
	value: unknown,
): value is MaxStepsExceededError {
	return value instanceof MaxStepsExceededError;
}

/** An error that ended a run, with the run so far as `run`. */
export type WithRun<E extends AtriumError = AtriumError> = E & {
	/** The run so far: its steps, messages, usage, cost and audit ids. */
	readonly run: ToolRunSnapshot;
};

/** Attaches the run so far to the error that ends it, in place (its class unchanged). */
export function attachRun<E extends AtriumError>(
	error: E,
	run: ToolRunSnapshot,
): WithRun<E> {
	defineRun(error, run);
	return error as WithRun<E>;
}

/**
 * The run so far that an error ended, or undefined when the error did not
 * end a run. The same as `error.run`, typed.
 *
 * @example
 * try {
 *   await runTools(client, body, { tools });
 * } catch (error) {
 *   if (isPIIBlockedError(error)) console.log(runOf(error)?.audit_ids, error.audit_id);
 * }
 */
export function runOf(error: unknown): ToolRunSnapshot | undefined {
	if (typeof error !== "object" || error === null) return undefined;
	const run = (error as { run?: unknown }).run;
	return typeof run === "object" && run !== null
		? (run as ToolRunSnapshot)
		: undefined;
}
