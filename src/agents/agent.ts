/**
 * `Agent`: a name, a model, instructions, tools, skills, the agents it may
 * hand the conversation to, and plugins of its own. An agent is data: `run`
 * runs it on the skills entry's tool loop. `agent.asTool()` makes an agent a
 * tool of another agent; `handoff()` (handoff.ts) tunes a handoff.
 */
import { type AtriumPlugin, InvalidInputError } from "../index.js";
import type {
	RunMessages,
	Skill,
	Tool,
	ToolAudit,
	ToolRunBody,
} from "../skills.js";
import {
	AGENT_NAME,
	checkAgentTool,
	checkModelSettings,
	checkPlugins,
	checkSkills,
	checkToolNames,
	isRecord,
	list,
	optionalText,
	TOOL_NAME,
	TRANSFER_PREFIX,
	text,
} from "./checks.js";

// On the prototype, registry-wide: an agent from the ESM and the CJS copy alike.
const AGENT = Symbol.for("@monagoio/atrium-sdk/agents.agent");

/** Body fields an agent sends with each of its model calls (`temperature`, `max_completion_tokens`, ...). */
export type ModelSettings = Omit<
	ToolRunBody,
	"model" | "messages" | "stream" | "stream_options" | "n"
>;

/** What the next agent of a handoff starts from, given to an `inputFilter`. */
export interface HandoffInput {
	/** The conversation so far, without the previous agent's system message: the caller's messages, every assistant and tool message, the handoff's tool call and its result last. */
	readonly messages: RunMessages;
	/** The agent that hands over. */
	readonly from: string;
	/** The agent that takes over. */
	readonly to: string;
	/** The run's id. */
	readonly run_id: string;
}

/** Trims the conversation an agent hands over: returns the messages the next agent starts with (at least one). */
export type HandoffInputFilter = (
	input: HandoffInput,
) => RunMessages | Promise<RunMessages>;

/** A handoff an agent offers the model, as the tool `transfer_to_<name>`. Made by {@link handoff}. */
export interface Handoff {
	/** `"handoff"`. */
	readonly kind: "handoff";
	/** The agent that takes over. */
	readonly agent: Agent;
	/** The tool's description, for the model. */
	readonly description: string;
	/** Trims what the next agent gets; undefined: the whole conversation. */
	readonly inputFilter: HandoffInputFilter | undefined;
}

/** An agent callable as a tool by another agent: its own loop, its records in the same trail. Made by {@link Agent.asTool}. */
export interface AgentTool {
	/** `"agent_tool"`. */
	readonly kind: "agent_tool";
	/** The agent that answers. */
	readonly agent: Agent;
	/** The tool's name. */
	readonly name: string;
	/** The tool's description, for the model. */
	readonly description: string;
	/** How the trail writes its argument (the question) and result (the answer). */
	readonly audit: ToolAudit;
}

/** What `new Agent(...)` takes. */
export interface AgentInit {
	/** 1 to 52 of `A-Z a-z 0-9 _ -`: sent as `agent` metadata, and the handoff tool is `transfer_to_<name>`. */
	readonly name: string;
	/** The model it calls. */
	readonly model: string;
	/** Its system message. */
	readonly instructions?: string | undefined;
	/** What it does, for the model of an agent that may hand over to it or call it as a tool. */
	readonly description?: string | undefined;
	/** Tools (made by `defineTool`) and agents as tools (`agent.asTool()`). */
	readonly tools?: readonly (Tool | AgentTool)[] | undefined;
	/** Skills, disclosed progressively as in `runTools`. */
	readonly skills?: readonly Skill[] | undefined;
	/** Agents it may hand the conversation to; a function for handoffs that form a cycle (read at each turn). */
	readonly handoffs?:
		| readonly (Agent | Handoff)[]
		| (() => readonly (Agent | Handoff)[])
		| undefined;
	/** Plugins for its calls only (evaluators, say), after the client's and the run's. */
	readonly plugins?: readonly AtriumPlugin[] | undefined;
	/** Body fields of its calls: `temperature`, `max_completion_tokens`, `response_format`, ... */
	readonly modelSettings?: ModelSettings | undefined;
}

/** Whether `value` is an {@link Agent}, from either build. */
export function isAgent(value: unknown): value is Agent {
	return (
		typeof value === "object" &&
		value !== null &&
		(value as Record<symbol, unknown>)[AGENT] === true
	);
}

/** Whether `value` is an {@link AgentTool}. */
export function isAgentTool(value: unknown): value is AgentTool {
	return isRecord(value) && value.kind === "agent_tool" && isAgent(value.agent);
}

/**
 * An agent: what a run calls the model as. Its tools and skills are checked
 * here; its handoffs when a run starts (a run refuses a malformed one
 * before any call).
 *
 * @example
 * const cardiology = new Agent({ name: "cardiology", model: "gpt-5.4-mini", instructions: "...", tools: [ecgTool] });
 * const triage = new Agent({ name: "triage", model: "gpt-5.4-mini", instructions: "Route the question.", handoffs: [cardiology] });
 * const result = await run(client, triage, "Nyeri dada sejak pagi");
 */
export class Agent {
	static {
		Object.defineProperty(this.prototype, AGENT, { value: true });
	}

	/** Its name. */
	readonly name: string;
	/** The model it calls. */
	readonly model: string;
	/** Its system message; undefined when none. */
	readonly instructions: string | undefined;
	/** What it does (`""` when not given). */
	readonly description: string;
	/** Its tools and agents as tools. */
	readonly tools: readonly (Tool | AgentTool)[];
	/** Its skills. */
	readonly skills: readonly Skill[];
	/** Its own plugins. */
	readonly plugins: readonly AtriumPlugin[];
	/** Body fields of its calls. */
	readonly modelSettings: ModelSettings;
	/** The agents it may hand over to, as given (read at each turn when a function). */
	readonly handoffs: AgentInit["handoffs"];

	constructor(init: AgentInit) {
		if (!isRecord(init))
			throw new InvalidInputError(
				"new Agent({ name, model, ... }) needs an object",
			);
		if (typeof init.name !== "string" || !AGENT_NAME.test(init.name))
			throw new InvalidInputError(
				"Agent: name must be 1 to 52 of A-Z a-z 0-9 _ - (the handoff tool is transfer_to_<name>)",
			);
		const name = init.name;
		this.name = name;
		this.model = text(init.model, `Agent "${name}": model`, 256);
		this.instructions = optionalText(
			init.instructions,
			`Agent "${name}": instructions`,
			1_000_000,
		);
		this.description =
			optionalText(init.description, `Agent "${name}": description`, 1024) ??
			"";
		const names: { name: string; by: string }[] = [];
		this.tools = Object.freeze(
			list(init.tools, `Agent "${name}": tools`).map((tool, i) => {
				const field = `Agent "${name}": tools[${i}]`;
				if (isAgentTool(tool)) {
					names.push({
						name: tool.name,
						by: `tools[${i}] (the agent "${tool.agent.name}")`,
					});
					return tool;
				}
				const checked = checkAgentTool(tool, field);
				names.push({ name: checked.name, by: `tools[${i}]` });
				return tool as Tool;
			}),
		);
		this.skills = checkSkills(init.skills, name, names);
		checkToolNames(names, this.skills.length > 0, name);
		this.plugins = checkPlugins(init.plugins, name);
		this.modelSettings = checkModelSettings(
			init.modelSettings,
			name,
		) as ModelSettings;
		const handoffs = init.handoffs;
		if (handoffs !== undefined && typeof handoffs !== "function")
			list(handoffs, `Agent "${name}": handoffs`);
		this.handoffs = Array.isArray(handoffs)
			? Object.freeze([...handoffs])
			: handoffs;
		Object.freeze(this);
	}

	/**
	 * This agent as a tool of another agent: the model calls it with
	 * `{ input }`, this agent runs its own loop (handoffs included) in the
	 * same run and trail, and its final answer is the tool's result. A block
	 * or a run limit inside it ends the whole run.
	 *
	 * @example
	 * const supervisor = new Agent({ name: "supervisor", model, tools: [pharmacist.asTool({ description: "Checks drug interactions" })] });
	 */
	asTool(
		options: {
			/** The tool's name. Default: the agent's. */
			readonly name?: string | undefined;
			/** The tool's description. Default: the agent's. */
			readonly description?: string | undefined;
			/** How the trail writes the question and the answer. Default `"summary"`. */
			readonly audit?: ToolAudit | undefined;
		} = {},
	): AgentTool {
		if (!isRecord(options))
			throw new InvalidInputError("asTool options must be an object");
		const name = options.name ?? this.name;
		if (
			typeof name !== "string" ||
			!TOOL_NAME.test(name) ||
			name.startsWith(TRANSFER_PREFIX)
		)
			throw new InvalidInputError(
				`Agent "${this.name}": asTool name must be 1 to 64 of A-Z a-z 0-9 _ -, not starting with "${TRANSFER_PREFIX}"`,
			);
		const audit = options.audit ?? "summary";
		if (audit !== "full" && audit !== "summary" && audit !== "none")
			throw new InvalidInputError(
				`Agent "${this.name}": asTool audit must be "full", "summary" or "none"`,
			);
		const description =
			optionalText(
				options.description,
				`Agent "${this.name}": asTool description`,
				1024,
			) ??
			(this.description || `Ask the agent "${this.name}"; it answers in text.`);
		return Object.freeze({
			kind: "agent_tool",
			agent: this,
			name,
			description,
			audit,
		});
	}
}
