/**
 * `defineSkill`: a bundle of instructions, tools and resources, named and
 * described by the Agent Skills rules, that a run discloses progressively.
 */
import { InvalidInputError } from "../index.js";
import { checkTool } from "./tool.js";
import type { ResourceSource, Skill, SkillInit } from "./types.js";

/** The Agent Skills name rule: lower-case letters and digits, single hyphens inside, at most 64 characters. */
export const SKILL_NAME = /^(?=.{1,64}$)[a-z0-9]+(-[a-z0-9]+)*$/;
/** The Agent Skills limits on `description` and `compatibility`. */
export const SKILL_LIMITS = { description: 1024, compatibility: 500 } as const;

/** Why a skill name breaks the Agent Skills rules; null when it does not. */
export function skillNameProblem(name: unknown): string | null {
	if (typeof name !== "string" || name === "")
		return "must be a non-empty string";
	if (name.length > 64) return "must be at most 64 characters";
	if (SKILL_NAME.test(name)) return null;
	if (/^-|-$/.test(name)) return "must not start or end with a hyphen";
	if (name.includes("--")) return "must not contain consecutive hyphens";
	return "may hold only lower-case letters, digits and hyphens";
}

function text(
	value: unknown,
	field: string,
	what: string,
	limit = Number.POSITIVE_INFINITY,
	required = true,
): string | null {
	if (value === undefined && !required) return null;
	if (typeof value !== "string" || (required && value.trim() === "")) {
		throw new InvalidInputError(`${what}: ${field} must be a non-empty string`);
	}
	if (value.length > limit) {
		throw new InvalidInputError(
			`${what}: ${field} must be at most ${limit} characters`,
		);
	}
	return value;
}

function strings(value: unknown, field: string, what: string): string[] {
	if (value === undefined) return [];
	if (!Array.isArray(value) || !value.every((item) => typeof item === "string"))
		throw new InvalidInputError(
			`${what}: ${field} must be an array of strings`,
		);
	return [...value];
}

function record(value: unknown, what: string): Record<string, string> {
	if (value === undefined) return {};
	if (typeof value !== "object" || value === null || Array.isArray(value)) {
		throw new InvalidInputError(
			`${what}: metadata must be an object of strings`,
		);
	}
	const out: Record<string, string> = {};
	for (const [key, item] of Object.entries(value)) {
		if (typeof item !== "string")
			throw new InvalidInputError(
				`${what}: metadata "${key}" must be a string`,
			);
		Object.defineProperty(out, key, { value: item, enumerable: true });
	}
	return out;
}

function resources(value: unknown, what: string): Map<string, ResourceSource> {
	const map = new Map<string, ResourceSource>();
	if (value === undefined) return map;
	if (value instanceof Map) {
		for (const [name, source] of value) map.set(name, source);
	} else if (typeof value === "object" && value !== null) {
		for (const [name, source] of Object.entries(value)) map.set(name, source);
	} else {
		throw new InvalidInputError(
			`${what}: resources must be an object of texts by name`,
		);
	}
	for (const [name, source] of map) {
		if (name === "" || name.length > 256)
			throw new InvalidInputError(
				`${what}: a resource name must be 1 to 256 characters`,
			);
		if (typeof source !== "string" && typeof source !== "function")
			throw new InvalidInputError(
				`${what}: resource "${name}" must be a string or a function that reads it`,
			);
	}
	return map;
}

/**
 * Checks a skill, whether made by `defineSkill` of this copy of the SDK or
 * another, and gives it frozen.
 *
 * @throws {InvalidInputError} naming the skill and the field to fix.
 */
export function checkSkill(value: unknown, source: string): Skill {
	const init = value as Partial<SkillInit & Skill> | null;
	if (typeof init !== "object" || init === null)
		throw new InvalidInputError(
			`${source} must be a skill made by defineSkill`,
		);
	const problem = skillNameProblem(init.name);
	if (problem) throw new InvalidInputError(`${source}: the name ${problem}`);
	const what = `${source} ("${init.name}")`;
	if (typeof init.instructions !== "string")
		throw new InvalidInputError(`${what}: instructions must be a string`);
	if (
		init.activate !== undefined &&
		init.activate !== "always" &&
		init.activate !== "on-demand"
	)
		throw new InvalidInputError(
			`${what}: activate must be "always" or "on-demand"`,
		);
	if (init.tools !== undefined && !Array.isArray(init.tools))
		throw new InvalidInputError(`${what}: tools must be an array of tools`);
	const tools = (init.tools ?? []).map((tool, index) =>
		checkTool(tool, `${what} tools[${index}]`),
	);
	// A skill made by defineSkill reads its own resources; a SkillInit gives them.
	const made =
		typeof init.readResource === "function" && Array.isArray(init.resources);
	const sources = made ? undefined : resources(init.resources, what);
	const names = made
		? strings(init.resources, "resources", what)
		: [...(sources?.keys() ?? [])];
	const readOwn = made
		? (init.readResource as Skill["readResource"])
		: undefined;
	const skill: Skill = {
		name: init.name as string,
		description: text(
			init.description,
			"description",
			what,
			SKILL_LIMITS.description,
		) as string,
		instructions: init.instructions,
		version:
			init.version == null
				? null
				: (text(init.version, "version", what) as string),
		tools: Object.freeze(tools),
		resources: Object.freeze(names),
		activate: init.activate ?? "on-demand",
		license: init.license == null ? null : text(init.license, "license", what),
		compatibility:
			init.compatibility == null
				? null
				: text(
						init.compatibility,
						"compatibility",
						what,
						SKILL_LIMITS.compatibility,
					),
		metadata: Object.freeze(record(init.metadata, what)),
		allowedTools: Object.freeze(
			strings(init.allowedTools, "allowedTools", what),
		),
		async readResource(name: string): Promise<string> {
			if (readOwn) return readOwn.call(init, name);
			const found = sources?.get(name);
			if (found === undefined)
				throw new InvalidInputError(
					`the skill "${skill.name}" has no resource ${JSON.stringify(name).slice(0, 100)}`,
				);
			const content = typeof found === "function" ? await found() : found;
			if (typeof content !== "string")
				throw new InvalidInputError(
					`the resource "${name}" of "${skill.name}" did not read as a string`,
				);
			return content;
		},
	};
	return Object.freeze(skill);
}

/**
 * Defines a skill: a named bundle of instructions, tools and resources. A
 * run with skills shows the model only each skill's name and description;
 * the model activates one with the built-in `use_skill` tool, which gives it
 * the instructions and, from the next step, the tools; resources are read
 * with `read_resource`. `activate: "always"` makes a skill active from the
 * first step.
 *
 * @throws {InvalidInputError} when a field breaks a rule (the name: lower-case
 *   letters, digits and hyphens, at most 64 characters).
 * @example
 * const ehrSkill = defineSkill({
 *   name: "ehr-lookup",
 *   version: "1.2.0",
 *   description: "Look up patient records in the hospital EHR",
 *   instructions: "Always confirm the MRN before reading a record.",
 *   tools: [lookupPatient],
 * });
 */
export function defineSkill(init: SkillInit): Skill {
	return checkSkill(init, "defineSkill");
}
