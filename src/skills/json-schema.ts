/**
 * The JSON Schema subset the SDK validates tool arguments with: the keywords
 * a tool's parameters commonly use, checked when the tool is defined (a
 * keyword it cannot enforce is refused then, never ignored later), and
 * messages that say where and what, never the value itself (arguments may
 * hold personal data, and the step records the message).
 */
import { InvalidInputError } from "../index.js";
import { formatPath } from "./standard-schema.js";

/** A JSON Schema object, as a tool's `parameters` takes it. */
export type JsonSchema = { readonly [keyword: string]: unknown };

const TYPES = new Set([
	"string",
	"number",
	"integer",
	"boolean",
	"object",
	"array",
	"null",
]);
// Read by people and models, never enforced (format included: say so in the docs).
const ANNOTATIONS = new Set([
	"$schema",
	"$id",
	"$comment",
	"title",
	"description",
	"default",
	"examples",
	"format",
	"deprecated",
	"readOnly",
	"writeOnly",
]);
const NUMBERS = [
	"minimum",
	"maximum",
	"exclusiveMinimum",
	"exclusiveMaximum",
	"multipleOf",
] as const;
const COUNTS = [
	"minLength",
	"maxLength",
	"minItems",
	"maxItems",
	"minProperties",
	"maxProperties",
] as const;
const KEYWORDS = new Set([
	"type",
	"enum",
	"const",
	"properties",
	"required",
	"additionalProperties",
	"items",
	"uniqueItems",
	"pattern",
	"anyOf",
	"oneOf",
	"allOf",
	...NUMBERS,
	...COUNTS,
]);
const MAX_MESSAGES = 10;

type Path = readonly (string | number)[];

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

function where(path: Path): string {
	return path.length ? `at ${path.join("/")}` : "at the top";
}

/**
 * Checks a tool's JSON Schema once, when the tool is defined: every keyword
 * is one the validator enforces or a plain annotation.
 *
 * @throws {InvalidInputError} naming the keyword and where it is.
 */
export function checkJsonSchema(
	schema: unknown,
	source: string,
	path: Path = [],
): void {
	const refuse = (message: string): never => {
		throw new InvalidInputError(`${source}: ${message} (${where(path)})`);
	};
	if (!isObject(schema)) refuse("a schema must be an object");
	const s = schema as Record<string, unknown>;
	for (const keyword of Object.keys(s)) {
		if (!KEYWORDS.has(keyword) && !ANNOTATIONS.has(keyword)) {
			refuse(
				`the keyword "${keyword}" is not supported by the SDK's validator; pass a Standard Schema (zod, valibot, ...) as parameters instead`,
			);
		}
	}
	const types = Array.isArray(s.type) ? s.type : [s.type];
	if (
		s.type !== undefined &&
		!types.every((type) => typeof type === "string" && TYPES.has(type))
	) {
		refuse(`"type" must be one of ${[...TYPES].join(", ")}, or a list of them`);
	}
	for (const keyword of NUMBERS) {
		if (s[keyword] !== undefined && typeof s[keyword] !== "number")
			refuse(`"${keyword}" must be a number`);
	}
	for (const keyword of COUNTS) {
		const value = s[keyword];
		if (value !== undefined && !(Number.isInteger(value) && Number(value) >= 0))
			refuse(`"${keyword}" must be a whole number >= 0`);
	}
	if (s.enum !== undefined && !Array.isArray(s.enum))
		refuse('"enum" must be an array');
	if (s.pattern !== undefined) {
		try {
			new RegExp(String(s.pattern), "u");
		} catch {
			refuse('"pattern" is not a valid regular expression');
		}
	}
	if (
		s.required !== undefined &&
		!(
			Array.isArray(s.required) &&
			s.required.every((key) => typeof key === "string")
		)
	) {
		refuse('"required" must be an array of property names');
	}
	if (s.properties !== undefined) {
		if (!isObject(s.properties)) refuse('"properties" must be an object');
		for (const [key, sub] of Object.entries(s.properties as object))
			checkJsonSchema(sub, source, [...path, "properties", key]);
	}
	if (isObject(s.additionalProperties))
		checkJsonSchema(s.additionalProperties, source, [
			...path,
			"additionalProperties",
		]);
	else if (
		s.additionalProperties !== undefined &&
		typeof s.additionalProperties !== "boolean"
	) {
		refuse('"additionalProperties" must be a boolean or a schema');
	}
	if (s.items !== undefined)
		checkJsonSchema(s.items, source, [...path, "items"]);
	for (const keyword of ["anyOf", "oneOf", "allOf"] as const) {
		const list = s[keyword];
		if (list === undefined) continue;
		if (!Array.isArray(list) || list.length === 0)
			refuse(`"${keyword}" must be a non-empty array of schemas`);
		(list as unknown[]).forEach((sub, index) => {
			checkJsonSchema(sub, source, [...path, keyword, index]);
		});
	}
}

const ARTICLE: Record<string, string> = {
	string: "a string",
	number: "a number",
	integer: "an integer",
	boolean: "a boolean",
	object: "an object",
	array: "an array",
	null: "null",
};

function typeOf(value: unknown): string {
	if (value === null) return "null";
	if (Array.isArray(value)) return "array";
	if (typeof value === "number")
		return Number.isInteger(value) ? "integer" : "number";
	return typeof value;
}

function hasType(value: unknown, type: string): boolean {
	const actual = typeOf(value);
	return actual === type || (type === "number" && actual === "integer");
}

// Deep equality of JSON values, for enum, const and uniqueItems.
function same(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== "object" || typeof b !== "object" || !a || !b) return false;
	if (Array.isArray(a) !== Array.isArray(b)) return false;
	const keysA = Object.keys(a);
	const keysB = Object.keys(b);
	return (
		keysA.length === keysB.length &&
		keysA.every(
			(key) =>
				Object.hasOwn(b, key) &&
				same(
					(a as Record<string, unknown>)[key],
					(b as Record<string, unknown>)[key],
				),
		)
	);
}

function label(value: unknown): string {
	return JSON.stringify(value)?.slice(0, 80) ?? String(value);
}

/**
 * Validates a value (tool arguments parsed from JSON) against a schema that
 * passed {@link checkJsonSchema}: every problem found (at most ten), each as
 * `arguments.path: what is wrong`; empty when the value is valid.
 */
export function validateJson(schema: JsonSchema, value: unknown): string[] {
	const problems: string[] = [];
	visit(schema, value, [], problems);
	if (problems.length > MAX_MESSAGES) {
		const more = problems.length - MAX_MESSAGES;
		problems.length = MAX_MESSAGES;
		problems.push(`and ${more} more`);
	}
	return problems;
}

function visit(
	schema: JsonSchema,
	value: unknown,
	path: (string | number)[],
	out: string[],
): void {
	const say = (message: string) => out.push(`${formatPath(path)}: ${message}`);
	if (schema.type !== undefined) {
		const types = (
			Array.isArray(schema.type) ? schema.type : [schema.type]
		) as string[];
		if (!types.some((type) => hasType(value, type))) {
			say(
				`expected ${types.map((type) => ARTICLE[type]).join(" or ")}, got ${ARTICLE[typeOf(value)] ?? typeOf(value)}`,
			);
			return;
		}
	}
	if (schema.const !== undefined && !same(schema.const, value))
		say(`must be ${label(schema.const)}`);
	if (Array.isArray(schema.enum) && !schema.enum.some((v) => same(v, value)))
		say(`must be one of ${schema.enum.map(label).join(", ")}`);
	if (typeof value === "string") strings(schema, value, say);
	else if (typeof value === "number") numbers(schema, value, say);
	else if (Array.isArray(value)) arrays(schema, value, path, out, say);
	else if (typeof value === "object" && value !== null)
		objects(schema, value as Record<string, unknown>, path, out, say);
	combinators(schema, value, path, out, say);
}

type Say = (message: string) => void;

function strings(schema: JsonSchema, value: string, say: Say): void {
	const length = [...value].length;
	if (typeof schema.minLength === "number" && length < schema.minLength)
		say(`must be at least ${schema.minLength} characters long`);
	if (typeof schema.maxLength === "number" && length > schema.maxLength)
		say(`must be at most ${schema.maxLength} characters long`);
	if (
		typeof schema.pattern === "string" &&
		!new RegExp(schema.pattern, "u").test(value)
	)
		say(`must match the pattern ${label(schema.pattern)}`);
}

function numbers(schema: JsonSchema, value: number, say: Say): void {
	const { minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf } =
		schema;
	if (typeof minimum === "number" && value < minimum)
		say(`must be at least ${minimum}`);
	if (typeof maximum === "number" && value > maximum)
		say(`must be at most ${maximum}`);
	if (typeof exclusiveMinimum === "number" && value <= exclusiveMinimum)
		say(`must be more than ${exclusiveMinimum}`);
	if (typeof exclusiveMaximum === "number" && value >= exclusiveMaximum)
		say(`must be less than ${exclusiveMaximum}`);
	if (
		typeof multipleOf === "number" &&
		multipleOf > 0 &&
		!Number.isInteger(value / multipleOf)
	)
		say(`must be a multiple of ${multipleOf}`);
}

function arrays(
	schema: JsonSchema,
	value: unknown[],
	path: (string | number)[],
	out: string[],
	say: Say,
): void {
	if (typeof schema.minItems === "number" && value.length < schema.minItems)
		say(`must have at least ${schema.minItems} items`);
	if (typeof schema.maxItems === "number" && value.length > schema.maxItems)
		say(`must have at most ${schema.maxItems} items`);
	if (
		schema.uniqueItems === true &&
		value.some((item, i) => value.findIndex((other) => same(item, other)) < i)
	)
		say("must not hold the same item twice");
	if (isObject(schema.items)) {
		value.forEach((item, index) => {
			visit(schema.items as JsonSchema, item, [...path, index], out);
		});
	}
}

function objects(
	schema: JsonSchema,
	value: Record<string, unknown>,
	path: (string | number)[],
	out: string[],
	say: Say,
): void {
	const keys = Object.keys(value);
	const properties = isObject(schema.properties) ? schema.properties : {};
	for (const key of (schema.required as string[] | undefined) ?? []) {
		if (!Object.hasOwn(value, key))
			say(`missing the required property ${label(key)}`);
	}
	if (
		typeof schema.minProperties === "number" &&
		keys.length < schema.minProperties
	)
		say(`must have at least ${schema.minProperties} properties`);
	if (
		typeof schema.maxProperties === "number" &&
		keys.length > schema.maxProperties
	)
		say(`must have at most ${schema.maxProperties} properties`);
	for (const key of keys) {
		const sub = Object.hasOwn(properties, key) ? properties[key] : undefined;
		if (isObject(sub)) {
			visit(sub, value[key], [...path, key], out);
		} else if (schema.additionalProperties === false) {
			say(`unexpected property ${label(key)}`);
		} else if (isObject(schema.additionalProperties)) {
			visit(schema.additionalProperties, value[key], [...path, key], out);
		}
	}
}

function combinators(
	schema: JsonSchema,
	value: unknown,
	path: (string | number)[],
	out: string[],
	say: Say,
): void {
	const passing = (list: unknown) =>
		(list as JsonSchema[]).filter((sub) => {
			const inner: string[] = [];
			visit(sub, value, path, inner);
			return inner.length === 0;
		}).length;
	if (Array.isArray(schema.allOf)) {
		for (const sub of schema.allOf as JsonSchema[])
			visit(sub, value, path, out);
	}
	if (Array.isArray(schema.anyOf) && passing(schema.anyOf) === 0)
		say(`must match at least one of ${schema.anyOf.length} schemas (anyOf)`);
	if (Array.isArray(schema.oneOf)) {
		const count = passing(schema.oneOf);
		if (count !== 1)
			say(
				`must match exactly one of ${schema.oneOf.length} schemas (oneOf), matched ${count}`,
			);
	}
}
