/**
 * Validates tool arguments against a JSON Schema of the subset that
 * `json-schema-check.ts` admits, with messages that say where and what,
 * never the value itself (arguments may hold personal data, and the step
 * records the message).
 */
import { isObject, type JsonSchema } from "./json-schema-check.js";
import { formatPath } from "./standard-schema.js";

const MAX_MESSAGES = 10;

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
