/**
 * The tools of one run: the caller's, the skills' (shown once a skill is
 * active) and the built-in `use_skill` and `read_resource` tools that
 * disclose skills progressively. Names are unique across all of them.
 */
import type { ChatCompletionFunctionTool } from "../index.js";
import { InvalidInputError } from "../index.js";
import { checkSkill } from "./skill.js";
import { checkTool } from "./tool.js";
import type { Skill, Tool } from "./types.js";

/** The built-in tool that activates a skill. */
export const USE_SKILL = "use_skill";
/** The built-in tool that reads a resource of an active skill. */
export const READ_RESOURCE = "read_resource";

/** A tool of the run, with the skill it belongs to (null for the run's own and the built-in ones). */
export interface ToolEntry {
	readonly tool: Tool;
	readonly skill: string | null;
}

/** What a tool name the model sent leads to: the tool, or why it cannot run. */
export type Lookup =
	| { readonly found: true; readonly entry: ToolEntry }
	| {
			readonly found: false;
			readonly problem: string;
			readonly skill: string | null;
	  };

function definition(tool: Tool): ChatCompletionFunctionTool {
	return {
		type: "function",
		function: {
			name: tool.name,
			...(tool.description ? { description: tool.description } : {}),
			parameters: tool.jsonSchema as Record<string, unknown>,
		},
	};
}

function skillBlock(skill: Skill): string {
	const version = skill.version ? ` version="${skill.version}"` : "";
	const lines = [
		`<skill name="${skill.name}"${version}>`,
		skill.instructions.trim(),
		"</skill>",
	];
	if (skill.tools.length)
		lines.push(
			`Tools of this skill: ${skill.tools.map((t) => t.name).join(", ")}.`,
		);
	if (skill.resources.length)
		lines.push(
			`Resources of this skill (read them with ${READ_RESOURCE}): ${skill.resources.join(", ")}.`,
		);
	return lines.join("\n");
}

/** The tools and skills of one run, and which skills are active. */
export class Toolbox {
	readonly #entries = new Map<string, ToolEntry>();
	readonly #skills = new Map<string, Skill>();
	readonly #own: Tool[];
	/** The skills active so far, in the order they became active. */
	readonly active: string[] = [];

	constructor(tools: unknown, skills: unknown) {
		if (tools !== undefined && !Array.isArray(tools))
			throw new InvalidInputError("options.tools must be an array of tools");
		if (skills !== undefined && !Array.isArray(skills))
			throw new InvalidInputError("options.skills must be an array of skills");
		const given = new Map<string, string>();
		const add = (tool: Tool, skill: string | null, by: string) => {
			const earlier = given.get(tool.name);
			if (earlier !== undefined) {
				throw new InvalidInputError(
					`tool names must be unique in a run: "${tool.name}" is given by ${earlier} and by ${by}`,
				);
			}
			given.set(tool.name, by);
			this.#entries.set(tool.name, { tool, skill });
		};
		this.#own = (tools ?? []).map((tool: unknown, index: number) => {
			const checked = checkTool(tool, `options.tools[${index}]`);
			add(checked, null, `options.tools[${index}]`);
			return checked;
		});
		(skills ?? []).forEach((value: unknown, index: number) => {
			const skill = checkSkill(value, `options.skills[${index}]`);
			if (this.#skills.has(skill.name))
				throw new InvalidInputError(
					`skill names must be unique in a run: "${skill.name}" is given twice`,
				);
			this.#skills.set(skill.name, skill);
			for (const tool of skill.tools)
				add(tool, skill.name, `the skill "${skill.name}"`);
			if (skill.activate === "always") this.active.push(skill.name);
		});
		if (this.#skills.size) {
			for (const name of [USE_SKILL, READ_RESOURCE]) {
				const earlier = given.get(name);
				if (earlier)
					throw new InvalidInputError(
						`tool names must be unique in a run: "${name}" is built in when a run has skills, and is also given by ${earlier}`,
					);
			}
		}
	}

	/** The skill by name, when the run has it. */
	skill(name: string): Skill | undefined {
		return this.#skills.get(name);
	}

	/** The skills the model may still activate with `use_skill`. */
	get onDemand(): Skill[] {
		return [...this.#skills.values()].filter((s) => s.activate === "on-demand");
	}

	/** Activates a skill; false when it already was. */
	activate(name: string): boolean {
		if (this.active.includes(name)) return false;
		this.active.push(name);
		return true;
	}

	/**
	 * The system message the run puts before the caller's messages: the
	 * run's instructions and those of the skills that are always active;
	 * null when there are none.
	 */
	systemMessage(instructions: string | undefined): string | null {
		const parts = instructions ? [instructions] : [];
		for (const name of this.active) {
			const skill = this.#skills.get(name);
			if (skill) parts.push(skillBlock(skill));
		}
		return parts.length ? parts.join("\n\n") : null;
	}

	/** What `use_skill` tells the model about a skill it activated. */
	disclosure(skill: Skill): string {
		return skillBlock(skill);
	}

	/** The tool definitions of the next request: the run's own, the active skills', and the built-in ones. */
	definitions(builtins: readonly Tool[]): ChatCompletionFunctionTool[] {
		const tools = [...this.#own];
		for (const name of this.active)
			tools.push(...(this.#skills.get(name)?.tools ?? []));
		for (const builtin of builtins) {
			if (builtin.name === USE_SKILL && this.onDemand.length)
				tools.push(builtin);
			if (builtin.name === READ_RESOURCE && this.#readable())
				tools.push(builtin);
		}
		return tools.map(definition);
	}

	#readable(): boolean {
		return this.active.some(
			(name) => (this.#skills.get(name)?.resources.length ?? 0) > 0,
		);
	}

	/** The tool a model's call names, if it may run now. */
	lookup(name: string, builtins: readonly Tool[]): Lookup {
		const builtin = builtins.find((tool) => tool.name === name);
		if (builtin && this.#skills.size)
			return { found: true, entry: { tool: builtin, skill: null } };
		const entry = this.#entries.get(name);
		const shown = JSON.stringify(name.slice(0, 64));
		if (!entry)
			return {
				found: false,
				problem: `there is no tool ${shown} in this run`,
				skill: null,
			};
		if (entry.skill !== null && !this.active.includes(entry.skill)) {
			return {
				found: false,
				problem: `the tool ${shown} belongs to the skill "${entry.skill}": activate it with ${USE_SKILL} first`,
				skill: entry.skill,
			};
		}
		return { found: true, entry };
	}
}
