/**
 * One agent's turn: its tools (agents as tools bound to the run, a
 * `transfer_to_<name>` tool per handoff), then the skills entry's tool loop
 * with the run's id, the agent's metadata, instructions and plugins, every
 * step recorded in the trail, a turn taken before every call, and the loop
 * stopped after a handoff's step.
 */
import { AbortError, type ChatCompletionMessageParam } from "../index.js";
import {
	defineTool,
	type RunMessages,
	runToolLoop,
	type Tool,
	type ToolAudit,
	type ToolRunBody,
} from "../skills.js";
import { type Agent, type Handoff, isAgentTool } from "./agent.js";
import { TRANSFER_PREFIX } from "./checks.js";
import type { RunContext } from "./context.js";
import { handoffsOf } from "./handoff.js";

/** Runs an agent on a conversation (an agent as a tool asks this). */
export type AskAgent = (
	agent: Agent,
	messages: RunMessages,
	signal: AbortSignal,
) => Promise<string>;

/** How a turn ended: an answer, or a handoff. */
export interface TurnEnd {
	readonly content: string;
	/** The agent's conversation, without its system message. */
	readonly messages: RunMessages;
	readonly handoff: Handoff | undefined;
}

function transferTool(target: Handoff, state: { to?: Handoff }): Tool {
	return defineTool({
		name: `${TRANSFER_PREFIX}${target.agent.name}`,
		description: target.description,
		parameters: { type: "object", properties: {} },
		run: () => {
			if (state.to)
				throw new Error(
					`the conversation already goes to the agent "${state.to.agent.name}" after this step: one handoff at a time`,
				);
			state.to = target;
			return `Handed over to the agent "${target.agent.name}".`;
		},
	});
}

function agentTool(
	tool: { agent: Agent; name: string; description: string; audit: ToolAudit },
	ask: AskAgent,
): Tool {
	return defineTool<{ input: string }>({
		name: tool.name,
		description: tool.description,
		audit: tool.audit,
		parameters: {
			type: "object",
			properties: {
				input: {
					type: "string",
					description: `What to ask the agent "${tool.agent.name}"`,
				},
			},
			required: ["input"],
		},
		run: ({ input }, ctx) =>
			ask(tool.agent, [{ role: "user", content: input }], ctx.signal),
	});
}

/** Runs one agent's loop on `messages` until it answers or hands over. */
export async function agentTurn(
	ctx: RunContext,
	agent: Agent,
	messages: RunMessages,
	signal: AbortSignal,
	ask: AskAgent,
): Promise<TurnEnd> {
	if (signal.aborted)
		throw new AbortError(
			`run: aborted before the agent "${agent.name}" started`,
		);
	const stop = ctx.beforeCall(agent.name, true);
	if (stop) throw stop;
	const state: { to?: Handoff; stop?: Error } = {};
	const handoffs = handoffsOf(agent);
	const audits = new Map<string, ToolAudit>();
	const tools = agent.tools.map((tool) => {
		const made = isAgentTool(tool) ? agentTool(tool, ask) : tool;
		audits.set(made.name, made.audit ?? "summary");
		return made;
	});
	for (const skill of agent.skills)
		for (const tool of skill.tools)
			audits.set(tool.name, tool.audit ?? "summary");
	const transfers = new Map(
		handoffs.map((h) => [`${TRANSFER_PREFIX}${h.agent.name}`, h.agent.name]),
	);
	const body: ToolRunBody = {
		...agent.modelSettings,
		model: agent.model,
		messages: [...messages] as ChatCompletionMessageParam[],
	};
	const { settings } = ctx;
	const approve = settings.approve;
	const result = await runToolLoop(settings.client, body, {
		...settings.request,
		signal,
		runId: settings.runId,
		metadata: { ...settings.metadata, agent: agent.name },
		plugins: [...settings.plugins, ...agent.plugins],
		tools: [...tools, ...handoffs.map((h) => transferTool(h, state))],
		skills: agent.skills,
		instructions: agent.instructions,
		attributes: { "gen_ai.agent.name": agent.name },
		maxSteps: settings.maxTurns,
		parallelToolCalls: settings.parallelToolCalls,
		approve:
			approve && ((request) => approve({ ...request, agent: agent.name })),
		onStep: (step) => ctx.record(agent.name, step, { audits, transfers }),
		stopWhen: () => {
			if (state.to) return true;
			state.stop = ctx.beforeCall(agent.name, false);
			return state.stop !== undefined;
		},
	});
	if (state.stop) throw state.stop;
	// The loop puts the agent's system message first; the next agent brings its own.
	const conversation =
		result.messages[0] === body.messages[0]
			? result.messages
			: result.messages.slice(1);
	return {
		content: result.content,
		messages: conversation,
		handoff: result.stopped ? state.to : undefined,
	};
}
