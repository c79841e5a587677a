/**
 * `run(client, runnable, input, options)`: checks everything before any
 * call (the client, the runnable and every agent it can reach, the input,
 * the options), runs it with one run id, closes the trail and gives the
 * result; or throws the error that ended the run, with the run so far as
 * `error.run`.
 */
import {
	type Atrium,
	InvalidInputError,
	type RequestOptions,
	UsageError,
} from "../index.js";
import { isSignal, newRunId } from "../runs/signals.js";
import type { RunMessages } from "../skills.js";
import { type Agent, isAgent, isAgentTool } from "./agent.js";
import { isRecord } from "./checks.js";
import { RunContext, type RunSettings } from "./context.js";
import { attachAgentRun } from "./errors.js";
import { handoffsOf } from "./handoff.js";
import { hasDigest } from "./hash.js";
import { invoke } from "./invoke.js";
import type { AgentRunOptions, AgentRunResult, RunInput } from "./types.js";
import { checkWorkflow, isRunnable, type Runnable } from "./workflow.js";

/** Model calls a run makes at most, unless `maxTurns` says otherwise. */
export const DEFAULT_MAX_TURNS = 10;

/** Agents and workflows a run may reach at most (handoffs given as functions could make new ones forever). */
const MAX_REACHABLE = 1_000;

const REQUEST_KEYS = [
	"timeout",
	"maxRetries",
	"maxResponseBytes",
	"headers",
] as const;
const CALLBACKS = ["onRecord", "approve"] as const;

/** Visits every agent and workflow `root` can reach, so a malformed one is refused before any call. */
function checkReachable(root: Runnable): void {
	const seen = new Set<unknown>();
	const stack: unknown[] = [root];
	while (stack.length) {
		const next = stack.pop();
		if (seen.has(next)) continue;
		seen.add(next);
		if (seen.size > MAX_REACHABLE)
			throw new InvalidInputError(
				`run: more than ${MAX_REACHABLE} agents and workflows are reachable (does a handoffs function make new agents each time?)`,
			);
		if (isAgent(next)) {
			for (const h of handoffsOf(next)) stack.push(h.agent);
			for (const tool of next.tools)
				if (isAgentTool(tool)) stack.push(tool.agent);
		} else if (isRunnable(next) && !isAgent(next)) {
			checkWorkflow(next);
			stack.push(...next.steps);
		}
	}
}

function checkInput(input: unknown): RunMessages {
	if (typeof input === "string") {
		if (input === "")
			throw new InvalidInputError("run: the input must not be empty");
		return [{ role: "user", content: input }];
	}
	if (!Array.isArray(input) || input.length === 0 || !input.every(isRecord))
		throw new InvalidInputError(
			"run: the input must be a non-empty string or a non-empty array of messages",
		);
	return input as unknown as RunMessages;
}

function checkOptions(
	client: unknown,
	given: unknown,
	input: RunInput,
): RunSettings {
	if (
		typeof (client as Atrium | null)?.chat?.completions?.create !== "function"
	)
		throw new InvalidInputError(
			"run needs an Atrium client as its first argument",
		);
	if (given !== undefined && !isRecord(given))
		throw new InvalidInputError("run options must be an object");
	const options = (given ?? {}) as AgentRunOptions;
	const maxTurns = options.maxTurns ?? DEFAULT_MAX_TURNS;
	if (!Number.isInteger(maxTurns) || maxTurns < 1)
		throw new InvalidInputError(
			`maxTurns must be a whole number >= 1, got ${typeof maxTurns === "number" ? maxTurns : `a ${typeof maxTurns}`}`,
		);
	const { maxCostIdr } = options;
	if (
		maxCostIdr !== undefined &&
		!(
			typeof maxCostIdr === "number" &&
			Number.isFinite(maxCostIdr) &&
			maxCostIdr >= 0
		)
	)
		throw new InvalidInputError(
			"maxCostIdr must be a finite number of rupiah >= 0",
		);
	const runId = options.runId ?? newRunId();
	if (typeof runId !== "string" || runId === "" || runId.length > 512)
		throw new InvalidInputError(
			"runId must be a string of 1 to 512 characters",
		);
	for (const name of CALLBACKS)
		if (options[name] !== undefined && typeof options[name] !== "function")
			throw new InvalidInputError(`${name} must be a function`);
	if (
		options.parallelToolCalls !== undefined &&
		typeof options.parallelToolCalls !== "boolean"
	)
		throw new InvalidInputError("parallelToolCalls must be a boolean");
	if (options.signal !== undefined && !isSignal(options.signal))
		throw new InvalidInputError("signal must be an AbortSignal");
	if (options.metadata !== undefined && !isRecord(options.metadata))
		throw new InvalidInputError("metadata must be an object of strings");
	if (options.plugins !== undefined && !Array.isArray(options.plugins))
		throw new InvalidInputError("plugins must be an array of plugins");
	if ((options as RequestOptions).idempotencyKey !== undefined)
		throw new InvalidInputError(
			"run: idempotencyKey is per call, and a run makes many: each model call gets its own",
		);
	const request: Record<string, unknown> = {};
	for (const key of REQUEST_KEYS)
		if (options[key] !== undefined) request[key] = options[key];
	return {
		client: client as Atrium,
		input,
		runId,
		maxTurns,
		maxCostIdr,
		metadata: options.metadata ?? {},
		plugins: options.plugins ?? [],
		request: request as RequestOptions,
		approve: options.approve,
		parallelToolCalls: options.parallelToolCalls === true,
		onRecord: options.onRecord,
		signal: options.signal ?? undefined,
	};
}

/** Follows the caller's signal into the run's; gives the function that stops following it. */
function follow(
	caller: AbortSignal | undefined,
	run: AbortController,
): () => void {
	if (!caller) return () => {};
	const abort = () => run.abort(caller.reason);
	if (caller.aborted) abort();
	else caller.addEventListener("abort", abort, { once: true });
	return () => caller.removeEventListener("abort", abort);
}

/**
 * Runs an agent (following its handoffs until an agent answers without
 * tool calls) or a workflow, every model call an ordinary governed call of
 * `client` carrying `run_id`, `agent` and `step` metadata, every step
 * written to the run's trail.
 *
 * @throws {InvalidInputError} before any call, when the client, the runnable (or an agent it reaches), the input or an option is malformed.
 * @throws {UsageError} before any call, when the runtime has no WebCrypto digest for the trail.
 * @throws {MaxTurnsExceededError} when the run needs more than `maxTurns` model calls.
 * @throws {BudgetExceededError} when the run's cost is above `maxCostIdr` and it would call again.
 * @throws {AtriumError} the error that ended the run (`PIIBlockedError`, `EvaluationBlockedError`, `AbortError`, ...), with `error.run`.
 * @example
 * const result = await run(client, triage, "Nyeri dada sejak pagi", { maxTurns: 10, maxCostIdr: 5_000 });
 * result.finalOutput; result.lastAgent.name; result.costByAgent; result.trail.head;
 */
export function run(
	client: Atrium,
	runnable: Agent,
	input: RunInput,
	options?: AgentRunOptions,
): Promise<AgentRunResult<string>>;
/** Runs a workflow (`sequential`, `parallel`): its output is the last step's, or the merged branches'. */
export function run(
	client: Atrium,
	runnable: Runnable,
	input: RunInput,
	options?: AgentRunOptions,
): Promise<AgentRunResult>;
export async function run(
	client: Atrium,
	runnable: Runnable,
	input: RunInput,
	options: AgentRunOptions = {},
): Promise<AgentRunResult> {
	const settings = checkOptions(client, options, input);
	const messages = checkInput(input);
	if (!isRunnable(runnable))
		throw new InvalidInputError(
			"run needs an Agent, a sequential(...) or a parallel(...) as its second argument",
		);
	checkReachable(runnable);
	if (!hasDigest())
		throw new UsageError(
			"run: the audit trail needs WebCrypto (crypto.subtle): Node 20 or later, a browser page served over https or localhost, or an edge runtime",
		);
	const ctx = new RunContext(settings);
	const unfollow = follow(options.signal, ctx.controller);
	let outcome: Awaited<ReturnType<typeof invoke>>;
	try {
		outcome = await invoke(ctx, runnable, messages, ctx.signal);
	} catch (thrown) {
		unfollow();
		const error = ctx.fatal ? ctx.fatal.error : thrown;
		const { snapshot } = await ctx.close({
			failed: true,
			error,
			agent: ctx.fatal?.agent ?? null,
		});
		attachAgentRun(error, snapshot);
		throw error;
	}
	unfollow();
	const closed = await ctx.close({
		failed: false,
		agent: outcome.lastAgent.name,
	});
	if ("storeError" in closed) {
		attachAgentRun(closed.storeError, closed.snapshot);
		throw closed.storeError;
	}
	return Object.freeze({
		...closed.snapshot,
		finalOutput: outcome.output,
		lastAgent: outcome.lastAgent,
		messages: outcome.messages,
	});
}
