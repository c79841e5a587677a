/**
 * The shapes of tools and skills: what `defineTool` and `defineSkill` take
 * and give. The shapes of a run are in `run-types.ts`.
 */
import type { JsonSchema } from "./json-schema-check.js";
import type { StandardSchemaV1 } from "./standard-schema.js";

/** What a tool's `run` gets besides its arguments. */
export interface ToolContext {
	/** Aborts when the run is aborted or the tool's `timeout` passes: stop work and settle. */
	readonly signal: AbortSignal;
	/** The model step (from 1) whose tool calls this one belongs to. */
	readonly step: number;
	/** The model's id for this tool call (`tool_call_id`). */
	readonly call_id: string;
	/** The id of the run, as sent in every request's `run_id` metadata. */
	readonly run_id: string;
	/** The metadata the model step that asked for this call was sent with (`run_id`, `step` and yours). */
	readonly metadata: Readonly<Record<string, string>>;
}

/**
 * How an audit trail (an agent run's) writes a tool's arguments and result,
 * as they may hold personal data: `"full"` the values (bounded), `"summary"`
 * their types, sizes and top-level keys, no values, `"none"` nothing.
 */
export type ToolAudit = "full" | "summary" | "none";

/** What `defineTool` takes. `Args` is what `run` gets: inferred from a Standard Schema, or given as a type argument with a JSON Schema. */
export interface ToolInit<Args, Result> {
	/** The name the model calls it by: 1 to 64 of `A-Z a-z 0-9 _ -`, unique in a run. */
	readonly name: string;
	/** What it does and when to use it, for the model. */
	readonly description?: string | undefined;
	/** Its arguments: a JSON Schema object (`type: "object"`) or a Standard Schema v1 value (zod 4, valibot, arktype, ...). */
	readonly parameters: JsonSchema | StandardSchemaV1;
	/** The JSON Schema the model sees, for a Standard Schema that cannot give one itself (zod 4 can). */
	readonly jsonSchema?: JsonSchema | undefined;
	/** Runs the tool with validated arguments; what it returns goes back to the model (a string as is, anything else as JSON). */
	run(args: Args, ctx: ToolContext): Result | Promise<Result>;
	/** Milliseconds `run` may take; then `ctx.signal` aborts and the model is told it timed out. Default: no limit. */
	readonly timeout?: number | undefined;
	/** Whether a call needs the run's `approve` to say yes before it runs (`true`, or a function of the arguments). Default: no. */
	readonly needsApproval?:
		| boolean
		| ((args: Args, ctx: ToolContext) => boolean | Promise<boolean>)
		| undefined;
	/** How an agent run's audit trail writes its arguments and result: `"full"`, `"summary"` (sizes and keys, no values) or `"none"`. Default `"summary"`. */
	readonly audit?: ToolAudit | undefined;
}

/** A tool made by `defineTool`: checked, frozen, with the JSON Schema the model sees. */
export interface Tool<Args = unknown, Result = unknown> {
	/** The name the model calls it by. */
	readonly name: string;
	/** What it does, for the model (`""` when none was given). */
	readonly description: string;
	/** The parameters as given: a JSON Schema or a Standard Schema. */
	readonly parameters: JsonSchema | StandardSchemaV1;
	/** The JSON Schema of its arguments, as sent to the model. */
	readonly jsonSchema: JsonSchema;
	/** Milliseconds `run` may take; undefined for no limit. */
	readonly timeout: number | undefined;
	/** How an agent run's audit trail writes its arguments and result. */
	readonly audit: ToolAudit;
	/** Runs the tool. */
	run(args: Args, ctx: ToolContext): Result | Promise<Result>;
	/** Whether a call needs approval; absent when none does. */
	needsApproval?(args: Args, ctx: ToolContext): boolean | Promise<boolean>;
}

/** A skill's resource: its text, or a function that reads it when the model asks. */
export type ResourceSource = string | (() => string | Promise<string>);

/** What `defineSkill` takes. */
export interface SkillInit {
	/** Lower-case letters, digits and single hyphens, at most 64 characters (the Agent Skills rule). */
	readonly name: string;
	/** What it does and when to use it: the model sees this before it activates the skill. 1 to 1,024 characters. */
	readonly description: string;
	/** What the model reads when it activates the skill. */
	readonly instructions: string;
	/** The skill's version, e.g. `1.2.0`. */
	readonly version?: string | undefined;
	/** Tools the model gets once the skill is active. */
	readonly tools?: readonly Tool[] | undefined;
	/** Texts the model may read with `read_resource` once the skill is active, by name (e.g. `references/guide.md`). */
	readonly resources?: Readonly<Record<string, ResourceSource>> | undefined;
	/** `"on-demand"` (default): the model activates it with `use_skill`; `"always"`: active from the first step. */
	readonly activate?: "always" | "on-demand" | undefined;
	/** The Agent Skills `license` field. */
	readonly license?: string | undefined;
	/** The Agent Skills `compatibility` field, at most 500 characters. */
	readonly compatibility?: string | undefined;
	/** The Agent Skills `metadata` field: strings by key. */
	readonly metadata?: Readonly<Record<string, string>> | undefined;
	/** The Agent Skills `allowed-tools` field (experimental; recorded, not enforced). */
	readonly allowedTools?: readonly string[] | undefined;
}

/** A skill made by `defineSkill` (or `loadSkill`): checked and frozen. */
export interface Skill {
	/** Its name. */
	readonly name: string;
	/** Its description. */
	readonly description: string;
	/** Its instructions. */
	readonly instructions: string;
	/** Its version; null when none was given. */
	readonly version: string | null;
	/** Its tools. */
	readonly tools: readonly Tool[];
	/** The names of its resources. */
	readonly resources: readonly string[];
	/** When it becomes active. */
	readonly activate: "always" | "on-demand";
	/** The `license` field; null when none. */
	readonly license: string | null;
	/** The `compatibility` field; null when none. */
	readonly compatibility: string | null;
	/** The `metadata` field. */
	readonly metadata: Readonly<Record<string, string>>;
	/** The `allowed-tools` field. */
	readonly allowedTools: readonly string[];
	/** Reads a resource by name. */
	readResource(name: string): Promise<string>;
}
