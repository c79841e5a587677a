/**
 * The trail of a run: its records in order, each chained to the one before
 * by `prev_hash` and sealed by `hash`, the SHA-256 of its canonical JSON
 * (every field but `hash`, keys sorted). The writer assigns `seq` as records are added,
 * hashes them one after another, and hands each to `onRecord` in order.
 */
import type { Governance } from "../index.js";
import { untilAborted } from "./abort.js";
import { canonicalJson } from "./canonical.js";
import { sha256Hex } from "./hash.js";

/** What a record is of. */
export type RecordKind =
	| "model"
	| "tool"
	| "handoff"
	| "evaluation"
	| "error"
	| "end";

/**
 * One record of a run's trail. Field names are snake_case like the
 * gateway's, so an audit store keeps one shape. Values the run did not make
 * are bounded; tool arguments and results are written as the tool's `audit`
 * option says (`"summary"` by default: sizes and keys, no values).
 */
export interface TrailRecord {
	/** Its place in the trail, from 1. */
	readonly seq: number;
	/** The run's id: the same on every record, and on every gateway call of the run (`run_id` metadata). */
	readonly run_id: string;
	/** When it was written: an ISO 8601 time. */
	readonly at: string;
	/** `model` (a gateway call), `tool`, `handoff`, `evaluation` (a block by an evaluator), `error` (what ended the run), `end` (the closing record). */
	readonly kind: RecordKind;
	/** The agent it belongs to; on `end`, the last agent; null when none. */
	readonly agent: string | null;
	/** The gateway's audit id of the call (`model`, and `evaluation` and `error` when the call had one); null otherwise. */
	readonly audit_id: string | null;
	/** The call's governance (`model`); null otherwise. */
	readonly governance: Governance | null;
	/** The tool's name (`tool`, `handoff`); null otherwise. */
	readonly tool: string | null;
	/** The tool's arguments, as its `audit` option says; null otherwise. */
	readonly arguments: unknown;
	/** What came of it: a model call's step, model, finish reason, tool calls asked for, sizes and usage; a tool's step, call id, outcome and result (as its `audit` option says); a handoff's target; a verdict; the end's outcome and record count. */
	readonly result_summary: unknown;
	/** The call's cost in rupiah (`model`); the run's on `end`; null when unknown. */
	readonly cost_idr: number | null;
	/** Milliseconds it took (the run's on `end`); null when not timed. */
	readonly duration_ms: number | null;
	/** What went wrong: the error's class and message (a tool's outcome, unless its audit is `"full"`); null when nothing did. */
	readonly error: string | null;
	/** The `hash` of the record before it; null on the first. */
	readonly prev_hash: string | null;
	/** The SHA-256 (hex) of this record's canonical JSON without `hash`. */
	readonly hash: string;
}

/** What a record says, before the writer numbers, times and chains it. */
export type RecordInit = Omit<
	TrailRecord,
	"seq" | "run_id" | "at" | "prev_hash" | "hash"
>;

/**
 * A run's trail: its records in order (a read-only array), the `head` (the
 * hash of the closing `end` record, to keep apart from the records so a
 * cut-off tail shows), and `toJSONL()` for an audit store.
 */
export interface Trail extends ReadonlyArray<TrailRecord> {
	/** The hash of the last record (the closing `end` record). */
	readonly head: string;
	/** One record's canonical JSON per line, each line ending in `\n`. */
	toJSONL(): string;
}

/** The trail of `records`, frozen, with its head and `toJSONL()`. */
export function makeTrail(records: readonly TrailRecord[]): Trail {
	const trail = [...records];
	Object.defineProperties(trail, {
		head: { value: records.at(-1)?.hash ?? "" },
		toJSONL: {
			value: () => trail.map((record) => `${canonicalJson(record)}\n`).join(""),
		},
	});
	return Object.freeze(trail) as unknown as Trail;
}

function deepFreeze<T>(value: T): T {
	if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const entry of Object.values(value)) deepFreeze(entry);
	}
	return value;
}

type OnRecord = (record: TrailRecord) => void | Promise<void>;

/**
 * Writes a run's records: numbered as added, chained and hashed in order,
 * told to `onRecord` in order. Hashing never waits for `onRecord`: once the
 * caller's signal aborts, the run stops waiting for it (records go on to it
 * in order), so a store that never answers cannot hold the run.
 */
export class TrailWriter {
	readonly records: TrailRecord[] = [];
	readonly #runId: string;
	readonly #onRecord: OnRecord | undefined;
	readonly #signal: AbortSignal | undefined;
	#seq = 0;
	#sealed: Promise<unknown> = Promise.resolve();
	#told: Promise<unknown> = Promise.resolve();

	constructor(
		runId: string,
		onRecord: OnRecord | undefined,
		signal?: AbortSignal | undefined,
	) {
		this.#runId = runId;
		this.#onRecord = onRecord;
		this.#signal = signal;
	}

	/** How many records were added so far. */
	get count(): number {
		return this.#seq;
	}

	/**
	 * Adds a record now (its `seq` is its place in the order of calls); it
	 * is hashed after the records before it, and given to `onRecord` after
	 * them. Settles when `onRecord` has it; rejects with what `onRecord`
	 * threw, or with `AbortError` once the caller's signal aborts (the record
	 * stays in the trail either way).
	 */
	add(init: RecordInit | ((seq: number) => RecordInit)): Promise<TrailRecord> {
		const seq = ++this.#seq;
		const at = new Date().toISOString();
		const fields = typeof init === "function" ? init(seq) : init;
		const sealed = this.#sealed.then(async () => {
			// The fields in the order, for whoever prints a record as is.
			const unsealed = {
				seq,
				run_id: this.#runId,
				at,
				kind: fields.kind,
				agent: fields.agent,
				audit_id: fields.audit_id,
				governance: fields.governance,
				tool: fields.tool,
				arguments: fields.arguments,
				result_summary: fields.result_summary,
				cost_idr: fields.cost_idr,
				duration_ms: fields.duration_ms,
				error: fields.error,
				prev_hash: this.records.at(-1)?.hash ?? null,
			};
			const hash = await sha256Hex(canonicalJson(unsealed));
			const record: TrailRecord = deepFreeze({ ...unsealed, hash });
			this.records.push(record);
			return record;
		});
		this.#sealed = sealed.catch(() => {});
		const told = this.#told.then(async () => {
			const record = await sealed;
			await this.#onRecord?.(record);
			return record;
		});
		this.#told = told.catch(() => {});
		// Sealed first, whatever happens: the trail holds every record added.
		return sealed.then(() => untilAborted(told, this.#signal, "onRecord"));
	}

	/** Waits until every record added so far is hashed, and told (or the caller's signal aborted). */
	async settled(): Promise<void> {
		await this.#sealed;
		await untilAborted(this.#told, this.#signal, "onRecord").catch(() => {});
	}
}
