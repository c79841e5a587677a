/**
 * Checks of what agents, handoffs and runs are built from, each refusing a
 * malformed value with an `InvalidInputError` that names the field to fix
 * (never its value), before anything is sent.
 */
import { type AtriumPlugin, InvalidInputError } from "../index.js";
import {
	defineTool,
	READ_RESOURCE,
	type Skill,
	type Tool,
	USE_SKILL,
} from "../skills.js";

/** Agent names: they become tool names `transfer_to_<name>`, at most 64 characters. */
export const AGENT_NAME = /^[A-Za-z0-9_-]{1,52}$/;
/** Tool names, as OpenAI function names allow them. */
export const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** The prefix of handoff tools, which no tool of an agent may take. */
export const TRANSFER_PREFIX = "transfer_to_";

// Body fields an agent's modelSettings may not set: the agent and the run own them.
const OWNED = [
	"model",
	"messages",
	"tools",
	"functions",
	"function_call",
	"stream",
	"stream_options",
];

/** Whether `value` is an object that is not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A string of 1 to `max` characters, or an error naming `field`. */
export function text(value: unknown, field: string, max: number): string {
	if (typeof value !== "string" || value.trim() === "" || value.length > max)
		throw new InvalidInputError(
			`${field} must be a non-empty string of at most ${max} characters`,
		);
	return value;
}

/** An optional string, or an error naming `field`. */
export function optionalText(
	value: unknown,
	field: string,
	max: number,
): string | undefined {
	if (value === undefined) return undefined;
	if (typeof value !== "string" || value.length > max)
		throw new InvalidInputError(
			`${field} must be a string of at most ${max} characters`,
		);
	return value;
}

/** An optional array, or an error naming `field`. */
export function list(value: unknown, field: string): readonly unknown[] {
	if (value === undefined) return [];
	if (!Array.isArray(value))
		throw new InvalidInputError(`${field} must be an array`);
	return value;
}

/** A tool of an agent, checked as a run would check it. */
export function checkAgentTool(value: unknown, field: string): Tool {
	try {
		return defineTool(value as Parameters<typeof defineTool>[0]);
	} catch (error) {
		// defineTool's message names the tool as `defineTool ("name"): ...`.
		const why = (error as Error).message.replace(/^defineTool\s*/, "");
		throw new InvalidInputError(
			why.startsWith("(") ? `${field} ${why}` : `${field}: ${why}`,
		);
	}
}

/** Checks that the tool names of an agent are unique and free of the names the run gives itself. */
export function checkToolNames(
	names: readonly { name: string; by: string }[],
	hasSkills: boolean,
	agent: string,
): void {
	const seen = new Map<string, string>();
	for (const { name, by } of names) {
		if (name.startsWith(TRANSFER_PREFIX))
			throw new InvalidInputError(
				`Agent "${agent}": ${by} is named "${name}", but tool names starting with "${TRANSFER_PREFIX}" are the handoffs'`,
			);
		if (hasSkills && (name === USE_SKILL || name === READ_RESOURCE))
			throw new InvalidInputError(
				`Agent "${agent}": ${by} is named "${name}", which is built in when an agent has skills`,
			);
		const earlier = seen.get(name);
		if (earlier !== undefined)
			throw new InvalidInputError(
				`Agent "${agent}": tool names must be unique: "${name}" is given by ${earlier} and by ${by}`,
			);
		seen.set(name, by);
	}
}

/** An agent's model settings: body fields other than those the agent and the run own. */
export function checkModelSettings(
	value: unknown,
	agent: string,
): Readonly<Record<string, unknown>> {
	if (value === undefined) return Object.freeze({});
	if (!isRecord(value))
		throw new InvalidInputError(
			`Agent "${agent}": modelSettings must be an object of body fields`,
		);
	for (const field of OWNED) {
		if (value[field] !== undefined && value[field] !== null)
			throw new InvalidInputError(
				`Agent "${agent}": modelSettings.${field} is not allowed: the agent and the run set it`,
			);
	}
	if (value.n !== undefined && value.n !== null && value.n !== 1)
		throw new InvalidInputError(
			`Agent "${agent}": modelSettings.n must be 1 (an agent follows one answer)`,
		);
	return Object.freeze({ ...value });
}

/** An agent's skills (fully checked by the loop), their tools' names added to `names`. */
export function checkSkills(
	value: unknown,
	agent: string,
	names: { name: string; by: string }[],
): readonly Skill[] {
	return Object.freeze(
		list(value, `Agent "${agent}": skills`).map((skill, i) => {
			if (
				!isRecord(skill) ||
				typeof skill.name !== "string" ||
				!Array.isArray(skill.tools)
			)
				throw new InvalidInputError(
					`Agent "${agent}": skills[${i}] must be a skill made by defineSkill or loadSkill`,
				);
			for (const tool of skill.tools as Tool[])
				names.push({
					name: String(tool?.name),
					by: `the skill "${skill.name}"`,
				});
			return skill as unknown as Skill;
		}),
	);
}

/** An agent's own plugins. */
export function checkPlugins(
	value: unknown,
	agent: string,
): readonly AtriumPlugin[] {
	return Object.freeze(
		list(value, `Agent "${agent}": plugins`).map((plugin, i) => {
			if (!isRecord(plugin) || typeof plugin.name !== "string")
				throw new InvalidInputError(
					`Agent "${agent}": plugins[${i}] must be a plugin ({ name, ...hooks })`,
				);
			return plugin as unknown as AtriumPlugin;
		}),
	);
}
