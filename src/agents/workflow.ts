/**
 * Compositions of agents: `sequential` (the output of one is the input of
 * the next) and `parallel` (the same input to each, concurrently, the
 * outputs merged). Both are runnable by `run` like an agent, and nest.
 */
import { InvalidInputError } from "../index.js";
import { type Agent, isAgent } from "./agent.js";
import { isRecord, optionalText, TOOL_NAME } from "./checks.js";

/** Steps run one after another: each step's output, as text, is the next step's input (a user message). Made by {@link sequential}. */
export interface Sequential {
	/** `"sequential"`. */
	readonly kind: "sequential";
	/** The workflow's name (its `invoke_workflow` span). */
	readonly name: string;
	/** Its steps, in order. */
	readonly steps: readonly Runnable[];
}

/** Merges the outputs of a parallel's branches, in the branches' order. */
export type Merge = (outputs: readonly unknown[]) => unknown;

/** Branches run concurrently on the same input, their outputs merged. Made by {@link parallel}. */
export interface Parallel {
	/** `"parallel"`. */
	readonly kind: "parallel";
	/** The workflow's name (its `invoke_workflow` span). */
	readonly name: string;
	/** Its branches. */
	readonly steps: readonly Runnable[];
	/** Merges their outputs; undefined: the array of outputs. */
	readonly merge: Merge | undefined;
}

/** What `run` runs: an agent, or a composition of them. */
export type Runnable = Agent | Sequential | Parallel;

/** Whether `value` is something `run` runs. */
export function isRunnable(value: unknown): value is Runnable {
	return (
		isAgent(value) ||
		(isRecord(value) &&
			(value.kind === "sequential" || value.kind === "parallel") &&
			Array.isArray(value.steps))
	);
}

function checkSteps(steps: unknown, what: string): readonly Runnable[] {
	if (!Array.isArray(steps) || steps.length === 0)
		throw new InvalidInputError(
			`${what} needs a non-empty array of agents or workflows`,
		);
	steps.forEach((step, i) => {
		if (!isRunnable(step))
			throw new InvalidInputError(
				`${what}: [${i}] must be an Agent, a sequential(...) or a parallel(...)`,
			);
	});
	return Object.freeze([...steps]);
}

/**
 * Checks a workflow a run reaches, which may not come from `sequential()`
 * or `parallel()` (a copy with steps added, one read from a config): its
 * name, steps and merge, as those functions check them.
 *
 * @throws {InvalidInputError} naming what to fix.
 */
export function checkWorkflow(workflow: Sequential | Parallel): void {
	const { kind, name } = workflow;
	if (typeof name !== "string" || !TOOL_NAME.test(name))
		throw new InvalidInputError(
			`run: a ${kind}'s name must be 1 to 64 of A-Z a-z 0-9 _ - (make it with ${kind}(...))`,
		);
	checkSteps(workflow.steps, `${kind} "${name}"`);
	const { merge } = workflow as Partial<Parallel>;
	if (kind === "parallel" && merge !== undefined && typeof merge !== "function")
		throw new InvalidInputError(`parallel "${name}": merge must be a function`);
}

function nameOf(options: unknown, what: string): string {
	if (!isRecord(options))
		throw new InvalidInputError(`${what} options must be an object`);
	const name = optionalText(options.name, `${what}: name`, 64) ?? what;
	if (!TOOL_NAME.test(name))
		throw new InvalidInputError(
			`${what}: name must be 1 to 64 of A-Z a-z 0-9 _ -`,
		);
	return name;
}

/**
 * Runs `steps` one after another: the first gets the run's input, each
 * next one the output of the one before (text as is, anything else as
 * JSON) as a user message. Its output is the last step's.
 *
 * @example
 * await run(client, sequential([intake, summariser]), note);
 */
export function sequential(
	steps: readonly Runnable[],
	options: { readonly name?: string | undefined } = {},
): Sequential {
	const name = nameOf(options, "sequential");
	return Object.freeze({
		kind: "sequential",
		name,
		steps: checkSteps(steps, "sequential"),
	});
}

/**
 * Runs `branches` concurrently on the same input. Its output is
 * `merge(outputs)`, by default the array of the branches' outputs in their
 * order. A failure in one branch aborts the others and ends the run.
 *
 * @example
 * await run(client, parallel([cardiology, pharmacy], { merge: (outputs) => outputs.join("\n\n") }), question);
 */
export function parallel(
	branches: readonly Runnable[],
	options: {
		readonly name?: string | undefined;
		readonly merge?: Merge | undefined;
	} = {},
): Parallel {
	const name = nameOf(options, "parallel");
	const { merge } = options;
	if (merge !== undefined && typeof merge !== "function")
		throw new InvalidInputError("parallel: merge must be a function");
	return Object.freeze({
		kind: "parallel",
		name,
		steps: checkSteps(branches, "parallel"),
		merge,
	});
}
