/**
 * The trail: it verifies, and editing, removing, inserting or swapping any
 * record is found and named, whether given as records or as JSONL; a cut
 * tail is found by its missing end record, or (when the end was forged) by
 * the head kept apart. Records stream to onRecord in order, and what it
 * throws ends the run.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/agents/hash.js";
import {
	agentRunOf,
	canonicalJson,
	run,
	type Trail,
	type TrailRecord,
	verifyTrail,
} from "../../src/agents.js";
import { defineTool } from "../../src/skills.js";
import { reply } from "../../src/testing.js";
import {
	agent,
	answer,
	deferred,
	kitClient,
	recordTool,
	rejection,
	transfer,
} from "./helpers.js";

let trail: Trail;

async function seal(record: Omit<TrailRecord, "hash">): Promise<TrailRecord> {
	return { ...record, hash: await sha256Hex(canonicalJson(record)) };
}

beforeAll(async () => {
	const { client } = kitClient([
		transfer("cardiology", 10),
		reply.toolCalls([{ name: "read_record", arguments: { mrn: "MRN-1" } }]),
		answer("EKG", 5),
	]);
	const triage = agent("triage", {
		handoffs: [agent("cardiology", { tools: [recordTool()] })],
	});
	trail = (await run(client, triage, "Nyeri dada")).trail;
	expect(trail).toHaveLength(6);
});

const copy = () => trail.map((r) => ({ ...r }));

describe("verifyTrail", () => {
	it("passes the trail, its records as plain objects, and its JSONL, with and without the head", async () => {
		const ok = {
			ok: true,
			records: 6,
			run_id: trail[0]?.run_id,
			head: trail.head,
		};
		expect(await verifyTrail(trail)).toEqual(ok);
		expect(await verifyTrail(copy(), { head: trail.head })).toEqual(ok);
		const jsonl = trail.toJSONL();
		expect(jsonl.split("\n")).toHaveLength(7);
		expect(jsonl.endsWith("\n")).toBe(true);
		expect(await verifyTrail(jsonl, { head: trail.head })).toEqual(ok);
		expect(await verifyTrail(jsonl.replaceAll("\n", "\r\n"))).toEqual(ok);
		// JSONL lines are canonical: sorted keys, so parsing and writing again gives the same text.
		for (const line of jsonl.trim().split("\n"))
			expect(canonicalJson(JSON.parse(line))).toBe(line);
	});

	it("finds an edit of any record, naming it", async () => {
		for (let i = 0; i < trail.length; i++) {
			const records = copy();
			records[i] = { ...(records[i] as TrailRecord), agent: "forged" };
			expect(await verifyTrail(records)).toEqual({
				ok: false,
				seq: i + 1,
				reason: `record ${i + 1}'s hash does not match its content: it was edited`,
			});
		}
		const jsonl = trail.toJSONL().replace('"cost_idr":10,', '"cost_idr":1,');
		expect(await verifyTrail(jsonl)).toMatchObject({ ok: false, seq: 1 });
	});

	it("finds an edit whose record was sealed again at the next record, and at the last by the head", async () => {
		for (let i = 0; i < trail.length; i++) {
			const records = copy();
			const { hash: _, ...content } = records[i] as TrailRecord;
			records[i] = await seal({ ...content, agent: "forged" });
			const found = await verifyTrail(records, { head: trail.head });
			expect(found).toMatchObject({
				ok: false,
				seq: Math.min(i + 2, trail.length),
			});
		}
	});

	it("finds a record removed, inserted or swapped anywhere", async () => {
		for (let i = 0; i < trail.length; i++) {
			const removed = copy();
			removed.splice(i, 1);
			expect(await verifyTrail(removed)).toMatchObject({
				ok: false,
				seq: i + 1,
			});
			const inserted = copy();
			inserted.splice(i, 0, {
				...(trail[(i + 3) % trail.length] as TrailRecord),
			});
			expect(await verifyTrail(inserted)).toMatchObject({
				ok: false,
				seq: i + 1,
			});
		}
		for (let i = 0; i + 1 < trail.length; i++) {
			const swapped = copy();
			[swapped[i], swapped[i + 1]] = [
				swapped[i + 1] as TrailRecord,
				swapped[i] as TrailRecord,
			];
			expect(await verifyTrail(swapped)).toMatchObject({
				ok: false,
				seq: i + 1,
				reason: expect.stringMatching(/removed, inserted or moved/),
			});
		}
	});

	it("finds a cut tail by the missing end record, and a tail replaced by a forged end only with the head", async () => {
		const cut = copy().slice(0, 4);
		expect(await verifyTrail(cut)).toEqual({
			ok: false,
			seq: 5,
			reason:
				"the trail stops at record 4 without its end record: records were cut off, or the run did not finish",
		});
		const { hash: _, ...end } = trail.at(-1) as TrailRecord;
		const forged = [
			...cut,
			await seal({
				...end,
				seq: 5,
				prev_hash: (cut[3] as TrailRecord).hash,
				result_summary: { outcome: "ok", records: 5, turns: 2 },
			}),
		];
		expect(await verifyTrail(forged)).toMatchObject({ ok: true, records: 5 });
		expect(await verifyTrail(forged, { head: trail.head })).toEqual({
			ok: false,
			seq: 5,
			reason:
				"the last record's hash is not the head given: the trail's tail was cut off or replaced",
		});
	});

	it("refuses what is not a trail, and records after the end record", async () => {
		expect(await verifyTrail([])).toMatchObject({ ok: false, seq: 1 });
		expect(await verifyTrail("")).toMatchObject({ ok: false, seq: 1 });
		expect(await verifyTrail(`${trail.toJSONL()}{not json\n`)).toMatchObject({
			ok: false,
			seq: 7,
		});
		expect(await verifyTrail([...copy(), "x"])).toMatchObject({
			ok: false,
			seq: 7,
		});
		const another = { ...(trail[0] as TrailRecord), run_id: "run-other" };
		expect(await verifyTrail([another, ...copy().slice(1)])).toMatchObject({
			ok: false,
			seq: 1,
		});
		const after = await seal({
			...(trail[0] as TrailRecord),
			seq: 7,
			prev_hash: trail.head,
		});
		expect(await verifyTrail([...copy(), after])).toMatchObject({
			ok: false,
			seq: 7,
			reason: "records follow the end record 6: they were added",
		});
		const badCount = copy();
		const { hash: _, ...end } = badCount[5] as TrailRecord;
		badCount[5] = await seal({
			...end,
			result_summary: { outcome: "ok", records: 9, turns: 2 },
		});
		expect(await verifyTrail(badCount)).toMatchObject({ ok: false, seq: 6 });
	});
});

describe("audit of tool arguments and results", () => {
	const NIK = "3201010101010001";
	const script = () => [
		reply.toolCalls([
			{ name: "read_record", arguments: { mrn: "MRN-1", nik: NIK } },
		]),
		answer("ok"),
	];

	it("keeps argument and result values out of the trail by default (summary: types, sizes and keys)", async () => {
		const { client } = kitClient(script());
		const result = await run(
			client,
			agent("a", { tools: [recordTool()] }),
			"x",
		);
		const tool = result.trail[1] as TrailRecord;
		expect(tool.arguments).toEqual({ type: "object", keys: ["mrn", "nik"] });
		expect(tool.result_summary).toEqual({
			step: 1,
			call_id: "call_mock_1_1",
			outcome: "ok",
			result: { type: "object", keys: ["mrn", "name", "ward"] },
		});
		const text = result.trail.toJSONL();
		for (const value of [NIK, "MRN-1", "Siti Rahayu", "Jantung"])
			expect(text).not.toContain(value);
	});

	it("writes the values (bounded) with audit full, and nothing with audit none", async () => {
		const full = kitClient(script());
		const fullRun = await run(
			full.client,
			agent("a", { tools: [recordTool([], "full")] }),
			"x",
		);
		expect(fullRun.trail[1]).toMatchObject({
			arguments: { mrn: "MRN-1", nik: NIK },
			result_summary: {
				outcome: "ok",
				result: { mrn: "MRN-1", name: "Siti Rahayu", ward: "Jantung" },
			},
		});
		const none = kitClient(script());
		const noneRun = await run(
			none.client,
			agent("a", { tools: [recordTool([], "none")] }),
			"x",
		);
		expect(noneRun.trail[1]).toMatchObject({
			arguments: null,
			result_summary: { step: 1, call_id: "call_mock_1_1", outcome: "ok" },
		});
		expect(noneRun.trail[1]?.result_summary).not.toHaveProperty("result");
	});

	it("writes a failing tool's outcome, not its error text, unless the audit is full", async () => {
		const failing = (audit: "summary" | "full") => ({
			...recordTool([], audit),
			audit,
			run: () => {
				throw new Error(`no record for NIK ${NIK}`);
			},
		});
		const summary = kitClient(script());
		const quiet = await run(
			summary.client,
			agent("a", { tools: [failing("summary")] }),
			"x",
		);
		expect(quiet.trail[1]?.error).toBe("error");
		expect(quiet.trail.toJSONL()).not.toContain(NIK);
		const full = kitClient(script());
		const loud = await run(
			full.client,
			agent("a", { tools: [failing("full")] }),
			"x",
		);
		expect(loud.trail[1]?.error).toBe(`no record for NIK ${NIK}`);
	});

	it("keeps hostile keys as data: __proto__ in a full audit is an own key, and the trail verifies", async () => {
		const { client } = kitClient([
			reply.toolCalls([
				{
					name: "read_record",
					arguments: '{"mrn":"MRN-1","__proto__":{"polluted":1}}',
				},
			]),
			answer("ok"),
		]);
		const loose = defineTool({
			name: "read_record",
			parameters: { type: "object" },
			audit: "full",
			run: () => "ok",
		});
		const result = await run(client, agent("a", { tools: [loose] }), "x");
		const args = result.trail[1]?.arguments as Record<string, unknown>;
		expect(Object.hasOwn(args, "__proto__")).toBe(true);
		expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
		expect(result.trail.toJSONL()).toContain('"__proto__":{"polluted":1}');
		expect(
			await verifyTrail(result.trail.toJSONL(), { head: result.trail.head }),
		).toMatchObject({ ok: true });
	});
});

describe("onRecord", () => {
	it("gets each record as it is written, before the run goes on", async () => {
		const { client, gateway } = kitClient([transfer("b"), answer("ok")]);
		const first = deferred();
		const seen: [number, number][] = [];
		const running = run(client, agent("a", { handoffs: [agent("b")] }), "x", {
			onRecord: async (record) => {
				seen.push([record.seq, gateway.calls.length]);
				if (record.seq === 1) await first.promise;
			},
		});
		// Turns of the event loop, not time: the first record is hashed off
		// the loop (WebCrypto), so wait until onRecord has it, then give a run
		// that did not wait for it the turns to call again.
		for (let i = 0; i < 10_000 && seen.length === 0; i++)
			await new Promise((done) => setImmediate(done));
		for (let i = 0; i < 10; i++)
			await new Promise((done) => setImmediate(done));
		expect(seen).toEqual([[1, 1]]);
		first.resolve();
		const result = await running;
		expect(seen.map(([seq]) => seq)).toEqual([1, 2, 3, 4]);
		expect(seen[2]).toEqual([3, 2]);
		expect(result.trail).toHaveLength(4);
	});

	it("ends the run with what it throws, the trail closed", async () => {
		const { client, gateway } = kitClient([transfer("b"), answer("never")]);
		const failure = new Error("audit store unavailable");
		const error = await rejection(
			run(client, agent("a", { handoffs: [agent("b")] }), "x", {
				onRecord: (record) => {
					if (record.seq === 2) throw failure;
				},
			}),
		);
		expect(error).toBe(failure);
		expect(gateway.calls).toHaveLength(1);
		expect(agentRunOf(error)?.trail.map((r) => r.kind)).toEqual([
			"model",
			"handoff",
			"error",
			"end",
		]);
	});
});
