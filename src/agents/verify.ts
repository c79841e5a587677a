/**
 * `verifyTrail`: checks a trail (its records, or their JSONL) record by
 * record: each in its place (`seq`), of the same run, chained to the one
 * before (`prev_hash`), its `hash` that of its content, closed by one `end`
 * record that counts them; and, when given, that the last hash is the head
 * kept apart. Says which record breaks it, and why.
 */
import { canonicalJson } from "./canonical.js";
import { sha256Hex } from "./hash.js";
import type { TrailRecord } from "./trail.js";

/** What {@link verifyTrail} found. */
export type TrailVerification =
	| {
			/** The chain holds, the trail is closed, and the head matches when one was given. */
			readonly ok: true;
			/** How many records it has. */
			readonly records: number;
			/** The run's id. */
			readonly run_id: string;
			/** The last record's hash. */
			readonly head: string;
	  }
	| {
			/** The trail was altered, cut off or is not a trail. */
			readonly ok: false;
			/** The place (from 1) of the first record that breaks it: a record's `seq` where it should be. */
			readonly seq: number;
			/** What is wrong there. */
			readonly reason: string;
	  };

/** Options of {@link verifyTrail}. */
export interface VerifyTrailOptions {
	/** The trail's head (`trail.head`), kept apart from the records: a trail whose last hash differs was cut off or replaced. */
	readonly head?: string | undefined;
}

const HASH = /^[0-9a-f]{64}$/;

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseLines(
	jsonl: string,
): unknown[] | { seq: number; reason: string } {
	const out: unknown[] = [];
	for (const line of jsonl.split("\n")) {
		const text = line.endsWith("\r") ? line.slice(0, -1) : line;
		if (text.trim() === "") continue;
		try {
			out.push(JSON.parse(text));
		} catch {
			return {
				seq: out.length + 1,
				reason: `record ${out.length + 1} is not valid JSON`,
			};
		}
	}
	return out;
}

/**
 * Checks a trail: `result.trail` (or `error.run.trail`), an array of its
 * records, or the JSONL of `trail.toJSONL()`. Any edit of a record, a record
 * removed, inserted or moved, is found, and the first record it breaks is
 * named; a trail without its closing `end` record is reported as cut off.
 * Give `head` (kept apart from the records) to also find a tail cut off and
 * replaced by a forged end: the chain alone cannot show it, as anyone can
 * compute SHA-256.
 *
 * @example
 * const check = await verifyTrail(jsonl, { head: storedHead });
 * if (!check.ok) console.error(`record ${check.seq}: ${check.reason}`);
 */
export async function verifyTrail(
	trail: readonly TrailRecord[] | readonly unknown[] | string,
	options: VerifyTrailOptions = {},
): Promise<TrailVerification> {
	const fail = (seq: number, reason: string): TrailVerification =>
		Object.freeze({ ok: false, seq, reason });
	let records: readonly unknown[];
	if (typeof trail === "string") {
		const parsed = parseLines(trail);
		if (!Array.isArray(parsed)) return fail(parsed.seq, parsed.reason);
		records = parsed;
	} else if (Array.isArray(trail)) records = trail;
	else return fail(1, "a trail is an array of records or their JSONL text");
	if (records.length === 0) return fail(1, "the trail has no records");
	let runId: unknown;
	let previous: string | null = null;
	for (const [index, record] of records.entries()) {
		const seq = index + 1;
		if (!isObject(record)) return fail(seq, `record ${seq} is not an object`);
		if (record.seq !== seq) {
			return fail(
				seq,
				`the record in place ${seq} has seq ${JSON.stringify(record.seq)}: a record before it was removed, inserted or moved`,
			);
		}
		if (index === 0) runId = record.run_id;
		if (typeof record.run_id !== "string" || record.run_id !== runId)
			return fail(
				seq,
				`record ${seq} is not of the run ${JSON.stringify(runId)}`,
			);
		if (record.prev_hash !== previous) {
			return fail(
				seq,
				index === 0
					? "the first record has a prev_hash: records before it were removed"
					: `record ${seq}'s prev_hash is not record ${index}'s hash: a record was removed, inserted or moved`,
			);
		}
		const { hash, ...content } = record;
		if (typeof hash !== "string" || !HASH.test(hash))
			return fail(seq, `record ${seq} has no SHA-256 hash`);
		let text: string;
		try {
			text = canonicalJson(content);
		} catch (error) {
			return fail(
				seq,
				`record ${seq} is not JSON data within bounds: ${(error as Error).message}`,
			);
		}
		if ((await sha256Hex(text)) !== hash)
			return fail(
				seq,
				`record ${seq}'s hash does not match its content: it was edited`,
			);
		if (record.kind === "end" && seq !== records.length)
			return fail(
				seq + 1,
				`records follow the end record ${seq}: they were added`,
			);
		previous = hash;
	}
	const last = records.at(-1) as Record<string, unknown>;
	const count = records.length;
	if (last.kind !== "end") {
		return fail(
			count + 1,
			`the trail stops at record ${count} without its end record: records were cut off, or the run did not finish`,
		);
	}
	const summary = last.result_summary;
	if (!isObject(summary) || summary.records !== count) {
		return fail(
			count,
			`the end record counts ${JSON.stringify(isObject(summary) ? summary.records : null)} records, the trail has ${count}`,
		);
	}
	if (options.head !== undefined && options.head !== previous) {
		return fail(
			count,
			"the last record's hash is not the head given: the trail's tail was cut off or replaced",
		);
	}
	return Object.freeze({
		ok: true,
		records: count,
		run_id: runId as string,
		head: previous as string,
	});
}
