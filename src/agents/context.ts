/**
 * One agent run's state, shared by every agent, handoff, sub-agent and
 * branch in it: the trail writer, the turns and cost so far (checked before
 * every model call), the run-wide abort, the first error that ends the run,
 * and the work still in flight (awaited before the trail is closed).
 */
import type {
	Atrium,
	AtriumPlugin,
	MetadataUpdate,
	RequestOptions,
} from "../index.js";
import {
	type ModelStep,
	operationPlugins,
	type RunStep,
	type RunUsage,
	type ToolAudit,
} from "../skills.js";
import { capped, TOKENS } from "./bound.js";
import { BudgetExceededError, MaxTurnsExceededError } from "./errors.js";
import {
	endRecord,
	errorRecord,
	evaluationRecord,
	handoffRecord,
	modelRecord,
	toolRecord,
} from "./records.js";
import { makeTrail, TrailWriter } from "./trail.js";
import type {
	AgentApprovalRequest,
	AgentRunSnapshot,
	RunInput,
} from "./types.js";

/** A run's options, checked. */
export interface RunSettings {
	readonly client: Atrium;
	readonly input: RunInput;
	readonly runId: string;
	readonly maxTurns: number;
	readonly maxCostIdr: number | undefined;
	readonly metadata: MetadataUpdate;
	readonly plugins: readonly AtriumPlugin[];
	/** Request options of every call: timeout, retries, headers, response size. */
	readonly request: RequestOptions;
	readonly approve:
		| ((request: AgentApprovalRequest) => boolean | Promise<boolean>)
		| undefined;
	readonly parallelToolCalls: boolean;
	readonly onRecord: ConstructorParameters<typeof TrailWriter>[1];
	/** The caller's signal: once it aborts, the run stops waiting for `onRecord`. */
	readonly signal: AbortSignal | undefined;
}

/** What an agent's turn records its tool steps by. */
export interface TurnTools {
	/** Each tool's audit, by name. */
	readonly audits: ReadonlyMap<string, ToolAudit>;
	/** The agent each handoff tool goes to, by tool name. */
	readonly transfers: ReadonlyMap<string, string>;
}

/** The state of one run. */
export class RunContext {
	readonly settings: RunSettings;
	readonly trail: TrailWriter;
	readonly controller = new AbortController();
	turns = 0;
	#cost: number | null = null;
	readonly #costs = new Map<string, number>();
	readonly #usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
	readonly #auditIds: string[] = [];
	readonly #active = new Set<Promise<unknown>>();
	readonly #started = performance.now();
	#fatal:
		| { readonly error: unknown; readonly agent: string | null }
		| undefined;
	#last: string | null = null;

	constructor(settings: RunSettings) {
		this.settings = settings;
		this.trail = new TrailWriter(
			settings.runId,
			settings.onRecord,
			settings.signal,
		);
	}

	/** The run-wide signal: the caller's abort, or the first error that ends the run. */
	get signal(): AbortSignal {
		return this.controller.signal;
	}

	/** The first error that ended the run, and the agent it came from. */
	get fatal():
		| { readonly error: unknown; readonly agent: string | null }
		| undefined {
		return this.#fatal;
	}

	/** The plugins whose `wrap` an agent's or workflow's operation runs in. */
	operationPlugins(own: readonly AtriumPlugin[] = []): readonly AtriumPlugin[] {
		return operationPlugins(this.settings.client, [
			...this.settings.plugins,
			...own,
		]);
	}

	/** Ends the run with `error` (the first one wins): everything in flight is aborted. */
	fail(error: unknown, agent: string | null): void {
		if (this.#fatal) return;
		this.#fatal = { error, agent };
		this.controller.abort(error);
	}

	/** Keeps `work` in flight until it settles, so the trail closes after it. */
	track<T>(work: Promise<T>): Promise<T> {
		this.#active.add(work);
		const done = () => this.#active.delete(work);
		work.then(done, done);
		return work;
	}

	#overBudget(): boolean {
		const max = this.settings.maxCostIdr;
		return max !== undefined && (this.#cost ?? 0) > max;
	}

	#budgetError(agent: string, what: string): BudgetExceededError {
		const max = this.settings.maxCostIdr ?? 0;
		const cost = this.#cost ?? 0;
		return new BudgetExceededError(
			`run: the run's cost (${cost} IDR) is above maxCostIdr (${max}) ${what} of the agent "${agent}": no further call was made`,
			max,
			cost,
		);
	}

	#turnsError(agent: string, what: string): MaxTurnsExceededError {
		const max = this.settings.maxTurns;
		return new MaxTurnsExceededError(
			`run: the run made ${this.turns} model calls (maxTurns ${max}) ${what} of the agent "${agent}"`,
			max,
		);
	}

	/**
	 * Takes a turn for the model call about to be made, or gives the error
	 * that stops the run: its cost is above the budget, or no turn is left.
	 */
	beforeCall(agent: string, first: boolean): Error | undefined {
		const what = first ? "before the first call" : "before another call";
		if (this.#overBudget()) return this.#budgetError(agent, what);
		if (this.turns >= this.settings.maxTurns)
			return this.#turnsError(agent, what);
		this.turns++;
		return undefined;
	}

	/** Records a step of an agent's loop; throws what ends the run after a model call that asked for tools it may not run. */
	async record(agent: string, step: RunStep, tools: TurnTools): Promise<void> {
		this.#last = agent;
		if (step.kind === "tool") {
			const to = tools.transfers.get(step.name);
			await this.trail.add(
				to !== undefined && step.outcome === "ok"
					? handoffRecord(agent, step, to)
					: toolRecord(agent, step, tools.audits.get(step.name) ?? "summary"),
			);
			return;
		}
		this.#account(agent, step);
		await this.trail.add(modelRecord(agent, step));
		if (step.error !== null || step.tool_calls.length === 0) return;
		const what = "after a call that asked for tools (they did not run)";
		if (this.#overBudget()) throw this.#budgetError(agent, what);
		if (this.turns >= this.settings.maxTurns)
			throw this.#turnsError(agent, what);
	}

	#account(agent: string, step: ModelStep): void {
		// The gateway's numbers are hostile: sums stay finite (a trail record
		// holds JSON numbers only), kept at the largest number.
		const cost = step.cost_idr;
		this.#costs.set(agent, capped(this.#costs.get(agent) ?? 0, cost ?? 0));
		if (cost !== null) this.#cost = capped(this.#cost ?? 0, cost);
		if (step.audit_id !== null) this.#auditIds.push(step.audit_id);
		const usage = step.usage;
		if (usage)
			for (const key of TOKENS)
				this.#usage[key] = capped(this.#usage[key], usage[key]);
	}

	/** The run so far, its trail as written. */
	snapshot(agent: string | null): AgentRunSnapshot {
		return Object.freeze({
			run_id: this.settings.runId,
			agent,
			trail: makeTrail(this.trail.records),
			cost_idr: this.#cost,
			costByAgent: Object.freeze(Object.fromEntries(this.#costs)),
			usage: Object.freeze({ ...this.#usage }) as RunUsage,
			audit_ids: Object.freeze([...this.#auditIds]),
			turns: this.turns,
		});
	}

	/**
	 * Closes the trail once nothing is in flight: on an error, its
	 * evaluation record (a block by an evaluator) and error record; then
	 * the end record. Gives the run so far, and what `onRecord` threw for
	 * the end record of a run that succeeded (when it threw).
	 */
	async close(
		end:
			| { readonly failed: false; readonly agent: string }
			| {
					readonly failed: true;
					readonly error: unknown;
					readonly agent: string | null;
			  },
	): Promise<{
		readonly snapshot: AgentRunSnapshot;
		readonly storeError?: unknown;
	}> {
		while (this.#active.size) await Promise.allSettled([...this.#active]);
		await this.trail.settled();
		const agent = end.agent ?? this.#last;
		const ignore = () => {};
		if (end.failed) {
			const evaluation = evaluationRecord(agent, end.error);
			if (evaluation) await this.trail.add(evaluation).catch(ignore);
			await this.trail.add(errorRecord(agent, end.error)).catch(ignore);
		}
		let storeError: unknown;
		let stored = true;
		await this.trail
			.add((seq) =>
				endRecord(seq, {
					agent,
					error: end.failed ? end.error : null,
					failed: end.failed,
					turns: this.turns,
					cost_idr: this.#cost,
					duration_ms:
						Math.round((performance.now() - this.#started) * 1000) / 1000,
				}),
			)
			.catch((error: unknown) => {
				stored = false;
				storeError = error;
			});
		const snapshot = this.snapshot(agent);
		return stored || end.failed ? { snapshot } : { snapshot, storeError };
	}
}
