/**
 * The errors that end an agent run on its own limits (`MaxTurnsExceededError`,
 * `BudgetExceededError`), and the run so far (`error.run`) attached to any
 * error that ends a run, its class unchanged.
 */
import { AtriumError } from "../index.js";
import type { AgentRunSnapshot } from "./types.js";

// Not enumerable: `toJSON()` of an error stays the call's audit trail, and
// the run (its conversation, trail and costs) stays out of logs that
// serialise errors.
function defineRun(error: object, run: AgentRunSnapshot): void {
	Object.defineProperty(error, "run", {
		value: run,
		enumerable: false,
		configurable: true,
	});
}

/**
 * The run needed more model calls than `maxTurns` (every agent's calls
 * counted, sub-agents' and parallel branches' too): an agent still asked for
 * tools after the last allowed call (those tool calls did not run), or an
 * agent could not start. `run` holds the run so far, its trail closed.
 */
export class MaxTurnsExceededError extends AtriumError {
	/** `"MaxTurnsExceededError"`. */
	override get name(): string {
		return "MaxTurnsExceededError";
	}

	/** The run so far: its trail (closed by an `end` record), costs and audit ids. */
	declare readonly run: AgentRunSnapshot;
	/** The run's `maxTurns`. */
	readonly max_turns: number;

	constructor(message: string, maxTurns: number) {
		super(message);
		this.max_turns = maxTurns;
	}
}

/**
 * The gateway-reported cost of the run passed `maxCostIdr`: no call was
 * made after the one that passed it (its tool calls did not run). `run`
 * holds the run so far, its trail closed.
 */
export class BudgetExceededError extends AtriumError {
	/** `"BudgetExceededError"`. */
	override get name(): string {
		return "BudgetExceededError";
	}

	/** The run so far: its trail (closed by an `end` record), costs and audit ids. */
	declare readonly run: AgentRunSnapshot;
	/** The run's `maxCostIdr`. */
	readonly max_cost_idr: number;
	/** The run's cost when it stopped, in rupiah. */
	readonly cost_idr: number;

	constructor(message: string, maxCostIdr: number, costIdr: number) {
		super(message);
		this.max_cost_idr = maxCostIdr;
		this.cost_idr = costIdr;
	}
}

/** True for a {@link MaxTurnsExceededError}, from either build. */
export function isMaxTurnsExceededError(
	value: unknown,
): value is MaxTurnsExceededError {
	return value instanceof MaxTurnsExceededError;
}

/** True for a {@link BudgetExceededError}, from either build. */
export function isBudgetExceededError(
	value: unknown,
): value is BudgetExceededError {
	return value instanceof BudgetExceededError;
}

/** Attaches the run so far to the error that ended it, in place (its class unchanged); a value that is not an extensible object is left as is. */
export function attachAgentRun(error: unknown, run: AgentRunSnapshot): void {
	if (typeof error === "object" && error !== null && Object.isExtensible(error))
		defineRun(error, run);
}

/**
 * The run so far that an error ended, or undefined when the error did not
 * end an agent run: the same as `error.run`, typed. (An agent run's error
 * holds an agent run; `runOf` of the skills entry types a tool run.)
 *
 * @example
 * try {
 *   await run(client, triage, question);
 * } catch (error) {
 *   const ended = agentRunOf(error);
 *   if (ended) await store.put(ended.run_id, ended.trail.toJSONL(), ended.trail.head);
 *   throw error;
 * }
 */
export function agentRunOf(error: unknown): AgentRunSnapshot | undefined {
	if (typeof error !== "object" || error === null) return undefined;
	const run = (error as { run?: unknown }).run;
	return typeof run === "object" &&
		run !== null &&
		Array.isArray((run as { trail?: unknown }).trail)
		? (run as AgentRunSnapshot)
		: undefined;
}
