/**
 * The built-in tools of a run with skills: `use_skill`, which activates a
 * skill (its instructions as the tool's result, its tools from the next
 * step), and `read_resource`, which reads a resource of an active skill.
 */
import { checkTool } from "./tool.js";
import { READ_RESOURCE, type Toolbox, USE_SKILL } from "./toolbox.js";
import type { Tool } from "./types.js";

/** The built-in tools for one run's toolbox (none when the run has no skills). */
export function builtinTools(toolbox: Toolbox): readonly Tool[] {
	const onDemand = toolbox.onDemand;
	const withResources = [
		...onDemand,
		...toolbox.active.map((name) => toolbox.skill(name)),
	].filter((skill) => skill && skill.resources.length > 0);
	const tools: Tool[] = [];
	if (onDemand.length) {
		const catalogue = onDemand
			.map((skill) => `- ${skill.name}: ${skill.description}`)
			.join("\n");
		tools.push(
			checkTool(
				{
					name: USE_SKILL,
					description: `Activate a skill when the task matches its description: you get its instructions now and its tools from your next step.\nAvailable skills:\n${catalogue}`,
					parameters: {
						type: "object",
						properties: {
							name: {
								type: "string",
								enum: onDemand.map((skill) => skill.name),
								description: "The skill's name",
							},
						},
						required: ["name"],
						additionalProperties: false,
					},
					run: ({ name }: { name: string }) => {
						const skill = toolbox.skill(name);
						if (!skill) throw new Error(`there is no skill "${name}"`);
						if (!toolbox.activate(name))
							return `The skill "${name}" is already active.`;
						return toolbox.disclosure(skill);
					},
				},
				USE_SKILL,
			),
		);
	}
	if (withResources.length) {
		tools.push(
			checkTool(
				{
					name: READ_RESOURCE,
					description:
						"Read a resource of an active skill, by the name its instructions list.",
					parameters: {
						type: "object",
						properties: {
							skill: {
								type: "string",
								enum: withResources.map((skill) => skill?.name),
							},
							name: { type: "string", description: "The resource's name" },
						},
						required: ["skill", "name"],
						additionalProperties: false,
					},
					run: async ({ skill, name }: { skill: string; name: string }) => {
						const found = toolbox.skill(skill);
						if (!found || !toolbox.active.includes(skill))
							throw new Error(
								`the skill "${skill}" is not active: activate it with ${USE_SKILL} first`,
							);
						if (!found.resources.includes(name)) {
							throw new Error(
								`the skill "${skill}" has no resource ${JSON.stringify(name.slice(0, 200))}; it has: ${found.resources.join(", ")}`,
							);
						}
						return found.readResource(name);
					},
				},
				READ_RESOURCE,
			),
		);
	}
	return tools;
}
