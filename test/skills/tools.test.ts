/**
 * Tools: their definition checks, the JSON Schema subset's readable
 * messages (a table), and Standard Schema validators (zod 4).
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { InvalidInputError } from "../../src/index.js";
import { validateJson } from "../../src/skills/json-schema.js";
import { parseArguments } from "../../src/skills/tool.js";
import {
	defineTool,
	runTools,
	type StandardSchemaV1,
} from "../../src/skills.js";
import { reply } from "../../src/testing.js";
import { BODY, kitClient } from "./helpers.js";

const ORDER = {
	type: "object",
	properties: {
		mrn: { type: "string", pattern: "^MRN-\\d+$" },
		drug: { type: "string", enum: ["paracetamol", "amoxicillin"] },
		dose_mg: { type: "integer", minimum: 1, maximum: 4000 },
		times: {
			type: "array",
			items: { type: "string", minLength: 5, maxLength: 5 },
			minItems: 1,
			maxItems: 4,
			uniqueItems: true,
		},
		note: { type: ["string", "null"], maxLength: 10 },
		urgent: { type: "boolean" },
		route: { anyOf: [{ const: "oral" }, { const: "iv" }] },
		ratio: {
			type: "number",
			exclusiveMinimum: 0,
			exclusiveMaximum: 1,
			multipleOf: 0.25,
		},
		extra: {
			type: "object",
			additionalProperties: { type: "string" },
			maxProperties: 1,
		},
	},
	required: ["mrn", "drug", "dose_mg"],
	additionalProperties: false,
} as const;

const VALID = { mrn: "MRN-1", drug: "paracetamol", dose_mg: 500 };

describe("JSON Schema validation messages", () => {
	it.each([
		[
			{},
			[
				'arguments: missing the required property "mrn"',
				'arguments: missing the required property "drug"',
				'arguments: missing the required property "dose_mg"',
			],
		],
		[[], ["arguments: expected an object, got an array"]],
		[
			{ ...VALID, mrn: 7 },
			["arguments.mrn: expected a string, got an integer"],
		],
		[
			{ ...VALID, mrn: "7" },
			['arguments.mrn: must match the pattern "^MRN-\\\\d+$"'],
		],
		[
			{ ...VALID, drug: "morphine" },
			['arguments.drug: must be one of "paracetamol", "amoxicillin"'],
		],
		[
			{ ...VALID, dose_mg: 2.5 },
			["arguments.dose_mg: expected an integer, got a number"],
		],
		[{ ...VALID, dose_mg: 0 }, ["arguments.dose_mg: must be at least 1"]],
		[{ ...VALID, dose_mg: 5000 }, ["arguments.dose_mg: must be at most 4000"]],
		[{ ...VALID, times: [] }, ["arguments.times: must have at least 1 items"]],
		[
			{ ...VALID, times: ["08:00", "8"] },
			["arguments.times[1]: must be at least 5 characters long"],
		],
		[
			{ ...VALID, times: ["08:00", "08:00"] },
			["arguments.times: must not hold the same item twice"],
		],
		[
			{ ...VALID, note: "a very long note" },
			["arguments.note: must be at most 10 characters long"],
		],
		[
			{ ...VALID, note: 3 },
			["arguments.note: expected a string or null, got an integer"],
		],
		[
			{ ...VALID, urgent: "yes" },
			["arguments.urgent: expected a boolean, got a string"],
		],
		[
			{ ...VALID, route: "im" },
			["arguments.route: must match at least one of 2 schemas (anyOf)"],
		],
		[{ ...VALID, ratio: 1 }, ["arguments.ratio: must be less than 1"]],
		[{ ...VALID, ratio: 0.3 }, ["arguments.ratio: must be a multiple of 0.25"]],
		[
			{ ...VALID, extra: { a: "1", b: 2 } },
			[
				"arguments.extra: must have at most 1 properties",
				"arguments.extra.b: expected a string, got an integer",
			],
		],
		[{ ...VALID, dosage: 1 }, ['arguments: unexpected property "dosage"']],
		[{ ...VALID, "a b": 1 }, ['arguments: unexpected property "a b"']],
		[
			{
				...VALID,
				note: null,
				route: "iv",
				ratio: 0.5,
				times: ["08:00"],
				extra: { a: "x" },
			},
			[],
		],
	])("%j gives %j", (value, messages) => {
		expect(validateJson(ORDER, value)).toEqual(messages);
	});

	it("never echoes the value, only the schema's words", () => {
		const problems = validateJson(ORDER, { ...VALID, mrn: "3201010101010001" });
		expect(problems.join(" ")).not.toContain("3201010101010001");
	});

	it("reads keys from the model as data, never as the schema's own properties", () => {
		const schema = {
			type: "object",
			properties: { a: { type: "string" } },
			additionalProperties: false,
		};
		expect(
			validateJson(schema, JSON.parse('{"__proto__": 1, "constructor": 2}')),
		).toEqual([
			'arguments: unexpected property "__proto__"',
			'arguments: unexpected property "constructor"',
		]);
	});

	it("stops at ten messages and counts the rest", () => {
		const schema = { type: "array", items: { type: "string" } };
		const problems = validateJson(
			schema,
			Array.from({ length: 15 }, (_, i) => i),
		);
		expect(problems).toHaveLength(11);
		expect(problems.at(-1)).toBe("and 5 more");
	});
});

describe("defineTool", () => {
	const run = () => "ok";
	it.each([
		[
			{ name: "has space", parameters: { type: "object" }, run },
			/the name must be 1 to 64 of A-Z a-z 0-9 _ -/,
		],
		[
			{ name: "x".repeat(65), parameters: { type: "object" }, run },
			/the name must be 1 to 64/,
		],
		[{ name: "t", parameters: { type: "object" } }, /run must be a function/],
		[
			{ name: "t", parameters: { type: "string" }, run },
			/must describe an object/,
		],
		[
			{
				name: "t",
				parameters: {
					type: "object",
					properties: { a: { $ref: "#/$defs/a" } },
				},
				run,
			},
			/the keyword "\$ref" is not supported by the SDK's validator; pass a Standard Schema .* \(at properties\/a\)/,
		],
		[
			{
				name: "t",
				parameters: { type: "object", properties: { a: { type: "text" } } },
				run,
			},
			/"type" must be one of/,
		],
		[
			{
				name: "t",
				parameters: { type: "object", properties: { a: { pattern: "(" } } },
				run,
			},
			/"pattern" is not a valid regular expression/,
		],
		[
			{ name: "t", parameters: { type: "object" }, run, timeout: 0 },
			/timeout must be milliseconds above 0/,
		],
		[
			{ name: "t", parameters: { type: "object" }, run, needsApproval: "yes" },
			/needsApproval must be a boolean or a function/,
		],
	])("refuses %j", (init, message) => {
		expect(() => defineTool(init as Parameters<typeof defineTool>[0])).toThrow(
			InvalidInputError,
		);
		expect(() => defineTool(init as Parameters<typeof defineTool>[0])).toThrow(
			message,
		);
	});

	it("gives a frozen tool whose JSON Schema is what the model sees", () => {
		const tool = defineTool({
			name: "t",
			description: "d",
			parameters: ORDER,
			run,
		});
		expect(Object.isFrozen(tool)).toBe(true);
		expect(tool.jsonSchema).toBe(ORDER);
		expect(Object.isFrozen(ORDER)).toBe(false);
	});
});

describe("Standard Schema parameters (zod 4)", () => {
	const Order = z.object({
		mrn: z.string().regex(/^MRN-/),
		dose_mg: z.coerce.number().int().max(4000),
		route: z.enum(["oral", "iv"]).default("oral"),
	});

	it("sends the schema's JSON Schema, validates with the schema, and gives run its output", async () => {
		const got: unknown[] = [];
		const tool = defineTool({
			name: "order_drug",
			parameters: Order,
			run: (args) => {
				got.push(args);
				// Typed from the schema's output.
				const dose: number = args.dose_mg;
				return `${args.route} ${dose}`;
			},
		});
		const { client, gateway } = kitClient([
			reply.toolCalls([
				{ name: "order_drug", arguments: { mrn: "X-1", dose_mg: "9000" } },
			]),
			reply.toolCalls([
				{ name: "order_drug", arguments: { mrn: "MRN-1", dose_mg: "500" } },
			]),
			reply.completion("ordered"),
		]);
		const result = await runTools(client, BODY, { tools: [tool] });
		const { $schema: _, ...expected } = z.toJSONSchema(Order, { io: "input" });
		expect(gateway.calls[0]?.body?.tools?.[0]).toEqual({
			type: "function",
			function: { name: "order_drug", parameters: expected },
		});
		expect(got).toEqual([{ mrn: "MRN-1", dose_mg: 500, route: "oral" }]);
		const failed = result.steps[1];
		expect(failed).toMatchObject({ outcome: "invalid_arguments" });
		expect(failed?.error).toMatch(
			/^arguments\.mrn: .+; arguments\.dose_mg: .+/,
		);
		expect(result.steps[3]).toMatchObject({
			outcome: "ok",
			result: "oral 500",
		});
	});

	it("takes any Standard Schema: one that gives no JSON Schema needs jsonSchema beside it", async () => {
		const even: StandardSchemaV1<{ n: number }> = {
			"~standard": {
				version: 1,
				vendor: "hand-made",
				validate: (value) =>
					typeof (value as { n?: unknown })?.n === "number" &&
					(value as { n: number }).n % 2 === 0
						? { value: value as { n: number } }
						: {
								issues: [
									{ message: "must be an even number", path: [{ key: "n" }] },
								],
							},
			},
		};
		expect(() =>
			defineTool({ name: "even", parameters: even, run: () => "" }),
		).toThrow(
			/a Standard Schema \(hand-made\) that gives no JSON Schema; pass jsonSchema too/,
		);
		const tool = defineTool({
			name: "even",
			parameters: even,
			jsonSchema: { type: "object", properties: { n: { type: "integer" } } },
			run: ({ n }) => n / 2,
		});
		expect(await parseArguments(tool, '{"n": 3}')).toEqual({
			ok: false,
			value: { n: 3 },
			message: "arguments.n: must be an even number",
		});
		expect(await parseArguments(tool, '{"n": 4}')).toEqual({
			ok: true,
			value: { n: 4 },
		});
		expect(await parseArguments(tool, "")).toMatchObject({
			ok: false,
			value: {},
		});
	});
});
