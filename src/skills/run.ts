/**
 * `runTools`: the run handle, awaitable for the result and async-iterable
 * over the steps as they complete, over the loop of `loop.ts`.
 */
import { type Atrium, UsageError } from "../index.js";
import { isSignal, newRunId } from "../runs/signals.js";
import { runToolLoop } from "./loop.js";
import type {
	RunStep,
	RunToolsOptions,
	ToolRunBody,
	ToolRunResult,
} from "./run-types.js";

/**
 * A run of the tool loop, started by {@link runTools}. Await it for the
 * {@link ToolRunResult}; iterate it (once) for each step as it completes.
 * A failure rejects the await and, after the steps before it, the
 * iteration, with the same error (`error.run` holds the run so far).
 */
export class ToolRun
	implements PromiseLike<ToolRunResult>, AsyncIterable<RunStep>
{
	/** The run's id, sent as `run_id` metadata with every model call. */
	readonly run_id: string;
	readonly #result: Promise<ToolRunResult>;
	readonly #controller = new AbortController();
	readonly #steps: RunStep[] = [];
	#wake: (() => void) | undefined;
	#ended = false;
	#iterated = false;

	/** @internal Use {@link runTools}. */
	constructor(
		client: Atrium,
		body: ToolRunBody,
		options: RunToolsOptions = {},
	) {
		const given = (options ?? {}) as RunToolsOptions;
		// A malformed runId is refused by the loop's checks.
		this.run_id = given.runId === undefined ? newRunId() : given.runId;
		const caller = given.signal;
		const follow = () => this.#controller.abort(caller?.reason);
		// Followed only when it is one: a malformed signal is refused below.
		if (isSignal(caller)) {
			if (caller.aborted) follow();
			else caller.addEventListener("abort", follow, { once: true });
		}
		const onStep = given.onStep;
		const malformed =
			typeof given !== "object" || Array.isArray(given) || given === null;
		this.#result = runToolLoop(
			client,
			body,
			malformed
				? given
				: {
						...given,
						runId: this.run_id,
						// A malformed signal is refused by the loop's checks.
						signal:
							caller === undefined || isSignal(caller)
								? this.#controller.signal
								: caller,
						onStep: async (step, run) => {
							this.#steps.push(step);
							this.#wake?.();
							await onStep?.(step, run);
						},
					},
		);
		const end = () => {
			this.#ended = true;
			caller?.removeEventListener?.("abort", follow);
			this.#wake?.();
		};
		// Handled here: a run that is iterated but not awaited reports its
		// failure through the iteration.
		this.#result.then(end, end);
	}

	/** Stops the run: the model call or the tools in flight are aborted, and it rejects with `AbortError`. */
	abort(): void {
		this.#controller.abort();
	}

	// biome-ignore lint/suspicious/noThenProperty: the run is awaitable by design
	then<R1 = ToolRunResult, R2 = never>(
		onfulfilled?: ((value: ToolRunResult) => R1 | PromiseLike<R1>) | null,
		onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
	): Promise<R1 | R2> {
		return this.#result.then(onfulfilled, onrejected);
	}

	/** The result's promise, for `.catch(...)`. */
	catch<R = never>(
		onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null,
	): Promise<ToolRunResult | R> {
		return this.#result.catch(onrejected);
	}

	/** The result's promise, for `.finally(...)`. */
	finally(onfinally?: (() => void) | null): Promise<ToolRunResult> {
		return this.#result.finally(onfinally);
	}

	/**
	 * Each step as it completes, from the first (steps before the loop
	 * started are kept for it). Once only: a second iteration throws
	 * `UsageError`, as a stream read twice does. Breaking out ends the
	 * iteration, not the run (call `abort()` for that).
	 *
	 * @throws {UsageError} when the run was already iterated.
	 */
	[Symbol.asyncIterator](): AsyncIterator<RunStep> {
		if (this.#iterated) {
			throw new UsageError(
				"This run was already iterated: a run's steps can be iterated once (await the run for result.steps)",
			);
		}
		this.#iterated = true;
		let next = 0;
		const read = async (): Promise<IteratorResult<RunStep, undefined>> => {
			for (;;) {
				const step = this.#steps[next];
				if (step) {
					next++;
					return { done: false, value: step };
				}
				if (this.#ended) {
					await this.#result;
					return { done: true, value: undefined };
				}
				await new Promise<void>((resolve) => {
					this.#wake = resolve;
				});
			}
		};
		return {
			next: read,
			return: async () => {
				next = Number.POSITIVE_INFINITY;
				return { done: true, value: undefined };
			},
		};
	}
}

/**
 * Runs the model with tools until it answers: calls the model; when it asks
 * for tool calls, runs them (arguments parsed and validated first) and calls
 * it again with their results; until it answers without tool calls or
 * `maxSteps` (default 10) model calls were made. Every call is a normal
 * governed call of `client` (governance, retries, plugins, audit), with
 * `run_id` and `step` metadata so the gateway's audit records of one run can
 * be joined.
 *
 * The returned run starts at once; await it for the result, iterate it for
 * the steps as they complete. (openai-node's
 * `client.chat.completions.runTools(...)` is `runTools(client, ...)` here:
 * the core client carries no feature.)
 *
 * @example
 * const run = runTools(client, { model: "gpt-5.4-mini", messages }, {
 *   tools: [lookupPatient],
 *   skills: [ehrSkill],
 *   maxSteps: 8,
 * });
 * for await (const step of run) console.log(step.kind, step.audit_id);
 * const result = await run;
 * result.content; result.steps; result.usage; result.cost_idr; result.audit_ids;
 */
export function runTools(
	client: Atrium,
	body: ToolRunBody,
	options?: RunToolsOptions,
): ToolRun {
	return new ToolRun(client, body, options);
}
