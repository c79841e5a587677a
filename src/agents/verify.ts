/**
 * `verifyTrail`: checks a trail (its records, or their JSONL) record by
 * record: each in its place (`seq`), of the same run, chained to the one
 * before (`prev_hash`), its `hash` that of its content, closed by one `end`
 * record that counts them; and, when given, that the last hash is the head
 * kept apart. Says which record breaks it, and why.
 */
import { CANONICAL_LIMITS, canonicalJson } from "./canonical.js";
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

// A record's line: its content's canonical JSON and the hash field.
const MAX_LINE = CANONICAL_LIMITS.chars + 128;

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A value off a hostile trail, for a reason: short, never the value at length. */
function shown(value: unknown): string {
	if (typeof value === "number" || typeof value === "boolean" || value === null)
		return String(value);
	if (typeof value === "string")
		return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
	return Array.isArray(value) ? "an array" : `a ${typeof value}`;
}

/** One record as read: a value, or why it cannot be one. */
type Entry = { readonly value: unknown } | { readonly problem: string };

/** Each line of a JSONL text as read: it must be the canonical JSON of what it parses to (as `toJSONL` writes it), so no two readers can see two records in it. */
function readLines(jsonl: string): Entry[] {
	const out: Entry[] = [];
	for (let start = 0; start < jsonl.length; ) {
		const end = jsonl.indexOf("\n", start);
		const stop = end === -1 ? jsonl.length : end;
		let from = start;
		let to = stop > start && jsonl[stop - 1] === "\r" ? stop - 1 : stop;
		start = stop + 1;
		while (from < to && /\s/.test(jsonl[from] as string)) from++;
		while (to > from && /\s/.test(jsonl[to - 1] as string)) to--;
		if (from === to) continue;
		const seq = out.length + 1;
		if (to - from > MAX_LINE) {
			out.push({
				problem: `record ${seq} is longer than any record can be (${MAX_LINE} characters)`,
			});
			continue;
		}
		const text = jsonl.slice(from, to);
		let value: unknown;
		try {
			value = JSON.parse(text);
		} catch {
			out.push({ problem: `record ${seq} is not valid JSON` });
			continue;
		}
		let canonical: string | undefined;
		try {
			canonical = canonicalJson(value);
		} catch (error) {
			out.push({
				problem: `record ${seq} is not JSON data within bounds: ${(error as Error).message}`,
			});
			continue;
		}
		out.push(
			canonical === text
				? { value }
				: {
						problem: `record ${seq} is not written as its canonical JSON (a duplicate key, or spacing, an escape or a number written otherwise): it was altered`,
					},
		);
	}
	return out;
}

/** Each record of an array as read once: its canonical JSON parsed again, so a getter or proxy cannot show one thing to one check and another to the next. */
function readRecords(records: readonly unknown[]): Entry[] {
	const out: Entry[] = [];
	for (let i = 0; i < records.length; i++) {
		try {
			out.push({ value: JSON.parse(canonicalJson(records[i])) });
		} catch (error) {
			const why =
				error instanceof TypeError && error.message.startsWith("canonical")
					? error.message
					: "it could not be read";
			out.push({
				problem: `record ${i + 1} is not JSON data within bounds: ${why}`,
			});
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
	let head: unknown;
	let entries: Entry[];
	try {
		head = isObject(options) ? options.head : undefined;
		if (typeof trail === "string") entries = readLines(trail);
		else if (Array.isArray(trail)) entries = readRecords(trail);
		else return fail(1, "a trail is an array of records or their JSONL text");
	} catch {
		return fail(1, "the trail or its options could not be read");
	}
	return check(entries, head, fail);
}

async function check(
	entries: readonly Entry[],
	head: unknown,
	fail: (seq: number, reason: string) => TrailVerification,
): Promise<TrailVerification> {
	if (entries.length === 0) return fail(1, "the trail has no records");
	let runId: unknown;
	let previous: string | null = null;
	for (const [index, entry] of entries.entries()) {
		const seq = index + 1;
		if ("problem" in entry) return fail(seq, entry.problem);
		const record = entry.value;
		if (!isObject(record)) return fail(seq, `record ${seq} is not an object`);
		if (record.seq !== seq) {
			return fail(
				seq,
				`the record in place ${seq} has seq ${shown(record.seq)}: a record before it was removed, inserted or moved`,
			);
		}
		if (index === 0) runId = record.run_id;
		if (typeof record.run_id !== "string" || record.run_id !== runId)
			return fail(seq, `record ${seq} is not of the run ${shown(runId)}`);
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
		if (record.kind === "end" && seq !== entries.length)
			return fail(
				seq + 1,
				`records follow the end record ${seq}: they were added`,
			);
		previous = hash;
	}
	const last = (entries.at(-1) as { value: Record<string, unknown> }).value;
	const count = entries.length;
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
			`the end record counts ${shown(isObject(summary) ? summary.records : null)} records, the trail has ${count}`,
		);
	}
	if (head !== undefined && head !== previous) {
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
