/**
 * What a run has done so far: its steps, messages, summed usage and cost,
 * and audit ids; and the snapshots of it that steps, results and errors
 * carry. Steps reach `onStep` one at a time, in the order they completed.
 */
import type {
	AtriumError,
	ChatCompletion,
	ChatCompletionMessageParam,
	ChatCompletionMessageToolCall,
} from "../index.js";
import type {
	ModelStep,
	RunStep,
	RunUsage,
	ToolRunSnapshot,
	ToolStep,
} from "./run-types.js";

type OnStep = (step: RunStep, run: ToolRunSnapshot) => void | Promise<void>;

const NOTHING = {
	name: null,
	arguments: null,
	result: null,
} as const;

/** The counts of a run's usage. */
export const TOKEN_KEYS = [
	"prompt_tokens",
	"completion_tokens",
	"total_tokens",
] as const;

/** A token count off the wire: a finite number >= 0, else 0 (never a string to concatenate). */
function count(value: unknown): number {
	return typeof value === "number" && Number.isFinite(value) && value >= 0
		? value
		: 0;
}

/** `a + b`, kept at `Number.MAX_VALUE` when a hostile gateway's numbers sum past it. */
export function addCapped(a: number, b: number): number {
	const sum = a + b;
	return sum > Number.MAX_VALUE ? Number.MAX_VALUE : sum;
}

/** Tool calls of one answer at most, as a stream's indexes (0 to 127) allow: each more would be a step (and a trail record) of its own. */
export const MAX_TOOL_CALLS = 128;

/**
 * The tool calls of a call's answer, when they are a list of at most
 * {@link MAX_TOOL_CALLS} objects; else
 * undefined (a hostile or broken gateway's answer: the loop refuses it).
 */
export function toolCallsOf(
	completion: ChatCompletion,
): ChatCompletionMessageToolCall[] | undefined {
	const message: unknown = completion.choices?.[0]?.message;
	if (message === undefined || message === null) return [];
	if (typeof message !== "object") return undefined;
	const calls: unknown = (message as { tool_calls?: unknown }).tool_calls;
	if (calls === undefined || calls === null) return [];
	return Array.isArray(calls) &&
		calls.length <= MAX_TOOL_CALLS &&
		calls.every((call) => typeof call === "object" && call !== null)
		? [...(calls as ChatCompletionMessageToolCall[])]
		: undefined;
}

/** A model step from a call's result. */
export function modelStep(
	step: number,
	completion: ChatCompletion,
	duration: number,
): ModelStep {
	const usage = completion.usage;
	return Object.freeze({
		kind: "model",
		step,
		audit_id: completion.governance.audit_id,
		governance: completion.governance,
		tool_calls: Object.freeze(toolCallsOf(completion) ?? []),
		content: completion.content,
		usage: usage
			? {
					prompt_tokens: count(usage.prompt_tokens),
					completion_tokens: count(usage.completion_tokens),
					total_tokens: count(usage.total_tokens),
				}
			: null,
		cost_idr: completion.governance.cost_idr,
		completion,
		error: null,
		duration_ms: duration,
		...NOTHING,
	});
}

/** A model step for a call that failed with `error`. */
export function failedModelStep(
	step: number,
	error: AtriumError,
	duration: number,
): ModelStep {
	return Object.freeze({
		kind: "model",
		step,
		audit_id: error.audit_id,
		governance: error.governance,
		tool_calls: Object.freeze([]),
		content: "",
		usage: null,
		cost_idr: error.governance.cost_idr,
		completion: null,
		error: `${error.name}: ${error.message}`,
		duration_ms: duration,
		...NOTHING,
	});
}

/** The run so far, and the order in which `onStep` hears of its steps. */
export class RunRecord {
	readonly steps: RunStep[] = [];
	readonly messages: ChatCompletionMessageParam[];
	readonly #runId: string;
	readonly #active: readonly string[];
	readonly #onStep: OnStep | undefined;
	#told: Promise<void> = Promise.resolve();

	constructor(
		runId: string,
		messages: ChatCompletionMessageParam[],
		active: readonly string[],
		onStep: OnStep | undefined,
	) {
		this.#runId = runId;
		this.messages = messages;
		this.#active = active;
		this.#onStep = onStep;
	}

	/** Records a step now; `onStep` hears of it after the steps before it. */
	add(step: ModelStep | ToolStep): void {
		this.steps.push(step);
		const onStep = this.#onStep;
		if (!onStep) return;
		const snapshot = this.snapshot();
		this.#told = this.#told.then(() => onStep(step, snapshot));
		// Marked handled here; the loop awaits told() and throws what it threw.
		this.#told.catch(() => {});
	}

	/** Waits until `onStep` heard of every step; throws what it threw. */
	told(): Promise<void> {
		return this.#told;
	}

	/** The run so far, frozen. */
	snapshot(): ToolRunSnapshot {
		const usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
		let cost: number | null = null;
		const auditIds: string[] = [];
		for (const step of this.steps) {
			if (step.kind !== "model") continue;
			if (step.usage) {
				for (const key of TOKEN_KEYS)
					usage[key] = addCapped(usage[key], step.usage[key]);
			}
			if (step.cost_idr !== null) cost = addCapped(cost ?? 0, step.cost_idr);
			if (step.audit_id !== null) auditIds.push(step.audit_id);
		}
		return Object.freeze({
			run_id: this.#runId,
			steps: Object.freeze([...this.steps]),
			messages: Object.freeze([...this.messages]),
			usage: Object.freeze(usage) as RunUsage,
			cost_idr: cost,
			audit_ids: Object.freeze(auditIds),
			active_skills: Object.freeze([...this.#active]),
		});
	}
}
