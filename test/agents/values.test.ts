/**
 * The pure parts of the trail: canonical JSON (deterministic, strict,
 * bounded), values bounded into records, and summaries without values.
 */
import { describe, expect, it } from "vitest";
import {
	summarise,
	TRAIL_VALUE_LIMITS,
	trailValue,
} from "../../src/agents/bound.js";
import { CANONICAL_LIMITS, canonicalJson } from "../../src/agents.js";

describe("canonicalJson", () => {
	it("writes one text for one value: keys sorted at every level, whatever their order", () => {
		const a = { b: 1, a: { d: [3, { z: 1, y: 2 }], c: "x" }, é: true, B: null };
		const b = { B: null, é: true, a: { c: "x", d: [3, { y: 2, z: 1 }] }, b: 1 };
		const text =
			'{"B":null,"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1,"é":true}';
		expect(canonicalJson(a)).toBe(text);
		expect(canonicalJson(b)).toBe(text);
		expect(canonicalJson(JSON.parse(text))).toBe(text);
	});

	it.each([
		["undefined in an object: left out", { a: undefined, b: 1 }, '{"b":1}'],
		[
			"undefined and holes in an array: null",
			// biome-ignore lint/suspicious/noSparseArray: a hole is what this checks
			[undefined, , 1],
			"[null,null,1]",
		],
		[
			"numbers as JSON writes them",
			[0.1, -0, 1e21, 5e-7],
			"[0.1,0,1e+21,5e-7]",
		],
		[
			"strings escaped as JSON",
			['a"b\\\n\u0001\ud800'],
			'["a\\"b\\\\\\n\\u0001\\ud800"]',
		],
		[
			"a __proto__ key as data",
			JSON.parse('{"__proto__":{"x":1}}'),
			'{"__proto__":{"x":1}}',
		],
		[
			"a null-prototype object",
			Object.assign(Object.create(null), { k: 1 }),
			'{"k":1}',
		],
	])("%s", (_what, value, text) => {
		expect(canonicalJson(value)).toBe(text);
	});

	it.each([
		["NaN", Number.NaN, /not finite/],
		["Infinity", [Number.POSITIVE_INFINITY], /not finite/],
		["a function", { f: () => 1 }, /function is not JSON data/],
		["a bigint", 1n, /bigint is not JSON data/],
		["a class instance", new Date(0), /not plain data/],
		["a Map", new Map(), /not plain data/],
	])("refuses %s", (_what, value, message) => {
		expect(() => canonicalJson(value)).toThrow(message);
	});

	it("refuses a value nested too deep (a cycle too) or too long, never cutting it", () => {
		let deep: unknown = 1;
		for (let i = 0; i < CANONICAL_LIMITS.depth + 1; i++) deep = [deep];
		expect(() => canonicalJson(deep)).toThrow(/nested deeper/);
		const cycle: Record<string, unknown> = {};
		cycle.self = cycle;
		expect(() => canonicalJson(cycle)).toThrow(/nested deeper/);
		expect(() => canonicalJson("x".repeat(CANONICAL_LIMITS.chars))).toThrow(
			/more than/,
		);
	});
});

describe("trailValue", () => {
	it("copies JSON data as JSON would, bigints as text", () => {
		expect(
			trailValue({
				a: [1, "x", null, undefined],
				d: new Date(0),
				f: () => 1,
				n: Number.NaN,
				big: 10n,
			}),
		).toEqual({
			a: [1, "x", null, null],
			d: "1970-01-01T00:00:00.000Z",
			n: null,
			big: "10",
		});
	});

	it("cuts long strings, long lists, many keys and deep nesting, saying so; the result is always canonical JSON", () => {
		const long = trailValue("x".repeat(TRAIL_VALUE_LIMITS.chars + 5)) as string;
		expect(long.endsWith("…(+5 characters)")).toBe(true);
		const items = trailValue(
			Array.from({ length: 150 }, (_, i) => i),
		) as unknown[];
		expect(items).toHaveLength(TRAIL_VALUE_LIMITS.items + 1);
		expect(items.at(-1)).toBe("…(+50 items)");
		const keys = trailValue(
			Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`k${i}`, i])),
		);
		expect(Object.keys(keys as object)).toHaveLength(
			TRAIL_VALUE_LIMITS.items + 1,
		);
		const cycle: Record<string, unknown> = { name: "x" };
		cycle.self = cycle;
		const bounded = trailValue(cycle);
		expect(JSON.stringify(bounded)).toContain("nested deeper than 8");
		const huge = trailValue(
			Array.from({ length: 100 }, () => "y".repeat(4_000)),
		);
		expect(canonicalJson(huge).length).toBeLessThan(
			TRAIL_VALUE_LIMITS.total + 20_000,
		);
		for (const value of [bounded, huge, keys])
			expect(() => canonicalJson(value)).not.toThrow();
	});

	it("never throws: a getter that throws gives a marker", () => {
		const hostile = {
			get boom() {
				throw new Error("no");
			},
		};
		expect(trailValue(hostile)).toBe("…(unreadable)");
	});

	it("keeps a __proto__ key as an own key, polluting nothing", () => {
		const value = trailValue(
			JSON.parse('{"__proto__":{"polluted":true}}'),
		) as object;
		expect(Object.hasOwn(value, "__proto__")).toBe(true);
		expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
		expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
	});
});

describe("summarise", () => {
	it.each([
		["a string: its length", "Siti Rahayu", { type: "string", chars: 11 }],
		["a number: its type", 42, { type: "number" }],
		["null", null, { type: "null" }],
		["an array: its items", ["a", "b"], { type: "array", items: 2 }],
		[
			"an object: its sorted keys",
			{ nik: "3201", mrn: "MRN-1" },
			{ type: "object", keys: ["mrn", "nik"] },
		],
	])("%s", (_what, value, summary) => {
		expect(summarise(value)).toEqual(summary);
	});

	it("lists 32 keys at most, each cut to 64 characters", () => {
		const many = Object.fromEntries(
			Array.from({ length: 40 }, (_, i) => [`${"k".repeat(70)}${i}`, i]),
		);
		const summary = summarise(many) as { keys: string[]; more_keys: number };
		expect(summary.keys).toHaveLength(32);
		expect(summary.more_keys).toBe(8);
		expect(
			summary.keys.every(
				(key) => key.startsWith("k".repeat(64)) && key.length < 100,
			),
		).toBe(true);
	});
});
