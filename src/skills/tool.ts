/**
 * `defineTool`: a tool with checked parameters, and the parsing and
 * validation of the arguments a model sends it.
 */
import { InvalidInputError } from "../index.js";
import { validateJson } from "./json-schema.js";
import { checkJsonSchema, type JsonSchema } from "./json-schema-check.js";
import {
	isStandardSchema,
	type StandardSchemaV1,
	validateStandard,
} from "./standard-schema.js";
import type { Tool, ToolInit } from "./types.js";

/** Tool names as OpenAI function names allow them. */
export const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** The `audit` values a tool may have. */
const AUDIT = new Set<unknown>(["full", "summary", "none"]);
/** Characters of arguments the SDK parses at most; more is refused as invalid. */
const MAX_ARGUMENTS = 1_000_000;

function jsonSchemaOf(
	init: ToolInit<unknown, unknown>,
	what: string,
): JsonSchema {
	const { parameters } = init;
	let schema: unknown = init.jsonSchema;
	if (isStandardSchema(parameters)) {
		// Only sent to the model: the Standard Schema validates.
		if (schema === undefined) {
			const converter = parameters["~standard"].jsonSchema;
			if (typeof converter?.input !== "function") {
				throw new InvalidInputError(
					`${what}: parameters is a Standard Schema (${parameters["~standard"].vendor}) that gives no JSON Schema; pass jsonSchema too`,
				);
			}
			const { $schema: _, ...rest } = converter.input({
				target: "draft-2020-12",
			});
			schema = rest;
		}
	} else if (schema !== undefined && schema !== parameters) {
		throw new InvalidInputError(
			`${what}: jsonSchema is only for a Standard Schema; parameters is the JSON Schema`,
		);
	} else {
		checkJsonSchema(parameters, `${what}: parameters`);
		schema = parameters;
	}
	if ((schema as JsonSchema | null)?.type !== "object") {
		throw new InvalidInputError(
			`${what}: the parameters must describe an object (type: "object"), as the model sends its arguments as one`,
		);
	}
	return schema as JsonSchema;
}

/**
 * Checks a tool, whether made by this copy of the SDK or another (a skill
 * folder's `tools.mjs`), and gives it frozen. Used by `defineTool` and by
 * every run for each tool it is given.
 *
 * @throws {InvalidInputError} naming the tool and the field to fix.
 */
export function checkTool(value: unknown, source: string): Tool {
	const init = value as Partial<ToolInit<unknown, unknown>> | null;
	if (typeof init !== "object" || init === null) {
		throw new InvalidInputError(`${source} must be a tool made by defineTool`);
	}
	if (typeof init.name !== "string" || !TOOL_NAME.test(init.name)) {
		throw new InvalidInputError(
			`${source}: the name must be 1 to 64 of A-Z a-z 0-9 _ -`,
		);
	}
	const what = `${source} ("${init.name}")`;
	if (init.description !== undefined && typeof init.description !== "string")
		throw new InvalidInputError(`${what}: description must be a string`);
	if (typeof init.run !== "function")
		throw new InvalidInputError(`${what}: run must be a function`);
	const { timeout, needsApproval } = init;
	if (
		timeout !== undefined &&
		!(typeof timeout === "number" && Number.isFinite(timeout) && timeout > 0)
	) {
		throw new InvalidInputError(
			`${what}: timeout must be milliseconds above 0`,
		);
	}
	if (
		needsApproval !== undefined &&
		typeof needsApproval !== "boolean" &&
		typeof needsApproval !== "function"
	) {
		throw new InvalidInputError(
			`${what}: needsApproval must be a boolean or a function`,
		);
	}
	const audit = init.audit ?? "summary";
	if (!AUDIT.has(audit))
		throw new InvalidInputError(
			`${what}: audit must be "full", "summary" or "none"`,
		);
	const jsonSchema = jsonSchemaOf(init as ToolInit<unknown, unknown>, what);
	const run = init.run;
	const tool: Tool = {
		name: init.name,
		description: init.description ?? "",
		parameters: init.parameters as JsonSchema | StandardSchemaV1,
		jsonSchema,
		timeout,
		audit,
		run: (args, ctx) => run.call(init, args, ctx),
	};
	if (needsApproval === true) tool.needsApproval = () => true;
	else if (typeof needsApproval === "function") {
		tool.needsApproval = (args, ctx) => needsApproval.call(init, args, ctx);
	}
	return Object.freeze(tool);
}

/**
 * Defines a tool the model may call: a name, a description, its parameters
 * (a JSON Schema, or a Standard Schema v1 value such as a zod 4 schema), and
 * `run`. In a run, the model's arguments are parsed and validated before
 * `run` is called; arguments that fail go back to the model with the reason,
 * so it can correct itself.
 *
 * @throws {InvalidInputError} when a field is malformed, or the JSON Schema
 *   uses a keyword the SDK's validator does not enforce.
 * @example
 * const lookupPatient = defineTool({
 *   name: "lookup_patient",
 *   description: "Find a patient's record by medical record number",
 *   parameters: z.object({ mrn: z.string() }),   // or a JSON Schema object
 *   run: async ({ mrn }, ctx) => ehr.find(mrn, { signal: ctx.signal }),
 * });
 */
export function defineTool<Schema extends StandardSchemaV1, Result>(
	init: ToolInit<StandardSchemaV1.InferOutput<Schema>, Result> & {
		readonly parameters: Schema;
	},
): Tool<StandardSchemaV1.InferOutput<Schema>, Result>;
/** A tool whose parameters are a JSON Schema; give the arguments' type as `Args`. */
export function defineTool<Args = Record<string, unknown>, Result = unknown>(
	init: ToolInit<Args, Result> & { readonly parameters: JsonSchema },
): Tool<Args, Result>;
export function defineTool(init: ToolInit<unknown, unknown>): Tool {
	return checkTool(init, "defineTool");
}

/** The arguments of a tool call: valid and ready for `run`, or what is wrong with them. */
export type ParsedArguments =
	| { readonly ok: true; readonly value: unknown }
	| { readonly ok: false; readonly value: unknown; readonly message: string };

/**
 * Parses the arguments text a model sent and validates it against the tool's
 * parameters (its Standard Schema, else its JSON Schema). Never throws for
 * bad arguments: the message goes back to the model.
 */
export async function parseArguments(
	tool: Tool,
	text: string,
): Promise<ParsedArguments> {
	if (text.length > MAX_ARGUMENTS) {
		return {
			ok: false,
			value: `${text.slice(0, 200)}...`,
			message: `arguments: longer than ${MAX_ARGUMENTS} characters`,
		};
	}
	let value: unknown;
	try {
		// Some models send nothing for a tool without parameters.
		value = text.trim() === "" ? {} : JSON.parse(text);
	} catch {
		return {
			ok: false,
			value: text,
			message: "arguments: not valid JSON; send one JSON object",
		};
	}
	if (isStandardSchema(tool.parameters)) {
		const checked = await validateStandard(tool.parameters, value);
		return checked.ok
			? checked
			: { ok: false, value, message: checked.message };
	}
	const problems = validateJson(tool.jsonSchema, value);
	return problems.length
		? { ok: false, value, message: problems.join("; ") }
		: { ok: true, value };
}
