/**
 * An auditor handed a hostile trail: verifyTrail never throws, never hangs
 * on what it is given, keeps its reasons short, and never says ok for a
 * trail whose text another reader would see differently (a duplicate key,
 * a number or escape written otherwise than the trail wrote it).
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
	CANONICAL_LIMITS,
	run,
	type Trail,
	type TrailRecord,
	verifyTrail,
} from "../../src/agents.js";
import { defineTool } from "../../src/skills.js";
import { reply } from "../../src/testing.js";
import { agent, answer, kitClient, transfer } from "./helpers.js";

let trail: Trail;
let lines: string[];

beforeAll(async () => {
	const { client } = kitClient([transfer("b", 10), answer("EKG", 5)]);
	trail = (await run(client, agent("a", { handoffs: [agent("b")] }), "x"))
		.trail;
	lines = trail.toJSONL().trim().split("\n");
	expect(lines).toHaveLength(4);
});

/** The JSONL with line `seq` replaced. */
const withLine = (seq: number, line: string) =>
	lines.map((l, i) => (i === seq - 1 ? line : l)).join("\n");

describe("verifyTrail on hostile JSONL", () => {
	it("finds a duplicate key: JSON.parse keeps the last value, another reader the first, so the line is not the record's own text", async () => {
		const line = lines[3] as string;
		expect(line).toContain('"error":null');
		const forged = line.replace(
			'"error":null',
			'"error":"forged","error":null',
		);
		const check = await verifyTrail(withLine(4, forged), { head: trail.head });
		expect(check).toMatchObject({ ok: false, seq: 4 });
		expect(check.ok || check.reason).toMatch(/canonical JSON/);
	});

	it("finds a line written otherwise than the trail wrote it: spacing, an escaped letter, a number spelled differently", async () => {
		const line = lines[1] as string;
		for (const altered of [
			line.replace('"kind":', '"kind": '),
			line.replace('"handoff"', '"hand\\u006ff"'),
			line.replace('"seq":2', '"seq":2.0'),
			line.replace('"seq":2', '"seq":2e0'),
		]) {
			expect(altered).not.toBe(line);
			expect(await verifyTrail(withLine(2, altered))).toMatchObject({
				ok: false,
				seq: 2,
			});
		}
	});

	it("refuses numbers that are not JSON data once parsed (1e999, -0 written as such) without throwing", async () => {
		const line = lines[0] as string;
		expect(
			await verifyTrail(
				withLine(1, line.replace('"cost_idr":10', '"cost_idr":1e999')),
			),
		).toMatchObject({ ok: false, seq: 1 });
		expect(
			await verifyTrail(
				withLine(1, line.replace('"cost_idr":10', '"cost_idr":-0')),
			),
		).toMatchObject({ ok: false, seq: 1 });
	});

	it("refuses a line longer than any record can be before parsing it, with a short reason", async () => {
		const huge = `{"seq":1,"pad":"${"x".repeat(CANONICAL_LIMITS.chars + 1_000)}"}`;
		const check = await verifyTrail(`${huge}\n`);
		expect(check).toMatchObject({ ok: false, seq: 1 });
		expect(check.ok || check.reason.length).toBeLessThan(300);
	});

	it("keeps reasons short whatever a record holds", async () => {
		const big = "y".repeat(100_000);
		for (const record of [
			{ seq: big },
			{ seq: 1, run_id: big, prev_hash: null },
			{ ...(trail[0] as TrailRecord), run_id: big },
		]) {
			const check = await verifyTrail([record, ...trail.slice(1)]);
			expect(check.ok).toBe(false);
			expect(check.ok || check.reason.length).toBeLessThan(300);
		}
		const second = { ...(trail[1] as TrailRecord), run_id: big };
		const check = await verifyTrail([trail[0], second, ...trail.slice(2)]);
		expect(check).toMatchObject({ ok: false, seq: 2 });
		expect(check.ok || check.reason.length).toBeLessThan(300);
	});

	it("refuses deep nesting, lone surrogates edited in, and text mangled by a bad UTF-8 decode", async () => {
		const deep = `${"[".repeat(200_000)}${"]".repeat(200_000)}`;
		expect(await verifyTrail(deep)).toMatchObject({ ok: false, seq: 1 });
		const line = lines[1] as string;
		const surrogate = line.replace(
			'"kind":"handoff"',
			'"kind":"handoff\\ud800"',
		);
		expect(await verifyTrail(withLine(2, surrogate))).toMatchObject({
			ok: false,
			seq: 2,
		});
		const bytes = Buffer.from(trail.toJSONL(), "utf8");
		const at = bytes.indexOf("handoff");
		bytes[at] = 0xff;
		expect(await verifyTrail(bytes.toString("utf8"))).toMatchObject({
			ok: false,
			seq: 2,
		});
	});
});

describe("verifyTrail on a trail the run wrote", () => {
	it("passes its JSONL whatever awkward values a full-audit tool gave: lone surrogates, U+2028, control characters, -0, 1e21, 5e-324, __proto__ keys", async () => {
		const odd = defineTool({
			name: "odd",
			description: "Gives awkward values",
			audit: "full",
			parameters: { type: "object", properties: {} },
			run: () =>
				JSON.parse(
					'{"__proto__":{"x":1},"s":"\\ud800 \\udfff \\u2028 \\u0000\\u001f\\u007f é 🙂","n":[-0,1e21,5e-324,0.30000000000000004]}',
				),
		});
		const { client } = kitClient([
			reply.toolCalls([{ name: "odd", arguments: { "\u2028": "\ud800" } }]),
			answer("ok"),
		]);
		const result = await run(client, agent("a", { tools: [odd] }), "x");
		expect(result.trail[1]?.kind).toBe("tool");
		expect(
			await verifyTrail(result.trail.toJSONL(), { head: result.trail.head }),
		).toMatchObject({ ok: true, records: 4 });
		expect(
			await verifyTrail(result.trail.toJSONL().replaceAll("\n", "\r\n")),
		).toMatchObject({ ok: true });
	});
});

describe("verifyTrail on hostile values", () => {
	it("never throws: null options, a record whose getter throws, a proxy that refuses to be read", async () => {
		expect(await verifyTrail(trail.toJSONL(), null as never)).toMatchObject({
			ok: true,
		});
		const getter = {
			get seq(): number {
				throw new Error("boom");
			},
		};
		expect(await verifyTrail([getter])).toMatchObject({ ok: false, seq: 1 });
		const refusing = new Proxy(
			{},
			{
				ownKeys() {
					throw new Error("no");
				},
				get() {
					throw new Error("no");
				},
			},
		);
		expect(await verifyTrail([...trail.slice(0, 1), refusing])).toMatchObject({
			ok: false,
			seq: 2,
		});
		const array = new Proxy([...trail], {
			get(target, key, receiver) {
				if (key === "length") throw new Error("no");
				return Reflect.get(target, key, receiver);
			},
		});
		expect(await verifyTrail(array)).toMatchObject({ ok: false, seq: 1 });
	});

	it("reads each record once: a getter that changes its value between reads cannot pass an edited record", async () => {
		let reads = 0;
		const first = { ...(trail[0] as TrailRecord) };
		const shifty = Object.defineProperty({ ...first }, "kind", {
			enumerable: true,
			get: () => (reads++ === 0 ? first.kind : "handoff"),
		});
		const check = await verifyTrail([shifty, ...trail.slice(1)], {
			head: trail.head,
		});
		// One reading decided: the record as read is the record checked.
		expect(reads).toBe(1);
		expect(check).toMatchObject({ ok: true });
	});

	it("refuses a record of another kind passed off as an object: a JSONL string, an array, a number", async () => {
		for (const odd of [lines[0], [trail[0]], 1]) {
			expect(await verifyTrail([odd, ...trail.slice(1)])).toMatchObject({
				ok: false,
				seq: 1,
			});
		}
	});
});
