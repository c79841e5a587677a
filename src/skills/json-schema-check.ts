/**
 * The JSON Schema subset the SDK validates tool arguments with: the keywords
 * a tool's parameters commonly use, checked when the tool is defined (a
 * keyword it cannot enforce is refused then, never ignored later). The
 * validation itself is in `json-schema.ts`.
 */
import { InvalidInputError } from "../index.js";

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
type Path = readonly (string | number)[];

/** True for a plain object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
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
