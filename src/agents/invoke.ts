/**
 * Runs what `run` is given: an agent (its turn, then the agent it hands
 * over to, inside its `invoke_agent` operation so the spans nest), or a
 * workflow (`invoke_workflow`): a sequential's steps in order, a parallel's
 * branches concurrently. Any failure ends the whole run: it is recorded as
 * the run's first error, which aborts everything else in flight.
 */
import { InvalidInputError } from "../index.js";
import { type RunMessages, wrapOperation } from "../skills.js";
import { untilAborted } from "./abort.js";
import { type Agent, type Handoff, isAgent } from "./agent.js";
import { isRecord } from "./checks.js";
import type { RunContext } from "./context.js";
import { agentTurn } from "./turn.js";
import type { Parallel, Runnable, Sequential } from "./workflow.js";

/** What a runnable gave. */
export interface Outcome {
	readonly output: unknown;
	readonly lastAgent: Agent;
	readonly messages: RunMessages;
}

/** An output as the next step's input text: a string as is, anything else as JSON. */
function asText(output: unknown): string {
	if (typeof output === "string") return output;
	try {
		return JSON.stringify(output) ?? "null";
	} catch {
		throw new InvalidInputError(
			"run: a step's output could not be passed on as JSON text (check the parallel's merge)",
		);
	}
}

async function handedOver(
	ctx: RunContext,
	from: Agent,
	to: Handoff,
	messages: RunMessages,
): Promise<RunMessages> {
	if (!to.inputFilter) return messages;
	const filtered: unknown = await untilAborted(
		to.inputFilter(
			Object.freeze({
				messages,
				from: from.name,
				to: to.agent.name,
				run_id: ctx.settings.runId,
			}),
		),
		ctx.signal,
		`the inputFilter of the handoff from "${from.name}" to "${to.agent.name}"`,
	);
	if (
		!Array.isArray(filtered) ||
		filtered.length === 0 ||
		!filtered.every(isRecord)
	)
		throw new InvalidInputError(
			`run: the inputFilter of the handoff from "${from.name}" to "${to.agent.name}" must return a non-empty array of messages`,
		);
	return filtered as unknown as RunMessages;
}

function invokeAgent(
	ctx: RunContext,
	agent: Agent,
	messages: RunMessages,
	signal: AbortSignal,
): Promise<Outcome> {
	const ask = (sub: Agent, input: RunMessages, subSignal: AbortSignal) =>
		invokeAgent(ctx, sub, input, subSignal).then((done) => asText(done.output));
	const work = wrapOperation(
		ctx.operationPlugins(agent.plugins),
		{
			kind: "invoke_agent",
			name: agent.name,
			attributes: {
				"gen_ai.agent.name": agent.name,
				"monago.atrium.run_id": ctx.settings.runId,
			},
		},
		async (): Promise<Outcome> => {
			const turn = await agentTurn(ctx, agent, messages, signal, ask);
			if (!turn.handoff)
				return {
					output: turn.content,
					lastAgent: agent,
					messages: turn.messages,
				};
			const next = await handedOver(ctx, agent, turn.handoff, turn.messages);
			// Inside this agent's operation: the agent it hands over to nests under it.
			return invokeAgent(ctx, turn.handoff.agent, next, signal);
		},
	);
	return ctx.track(
		work.catch((error: unknown) => {
			ctx.fail(error, agent.name);
			throw error;
		}),
	);
}

async function runSequential(
	ctx: RunContext,
	workflow: Sequential,
	messages: RunMessages,
	signal: AbortSignal,
): Promise<Outcome> {
	let input = messages;
	let out: Outcome | undefined;
	for (const step of workflow.steps) {
		if (out) input = [{ role: "user", content: asText(out.output) }];
		out = await invoke(ctx, step, input, signal);
	}
	return out as Outcome;
}

async function runParallel(
	ctx: RunContext,
	workflow: Parallel,
	messages: RunMessages,
	signal: AbortSignal,
): Promise<Outcome> {
	const settled = await Promise.allSettled(
		workflow.steps.map((step) => invoke(ctx, step, messages, signal)),
	);
	const outcomes: Outcome[] = [];
	for (const branch of settled) {
		if (branch.status === "rejected") throw ctx.fatal?.error ?? branch.reason;
		outcomes.push(branch.value);
	}
	const outputs = Object.freeze(outcomes.map((o) => o.output));
	const last = outcomes.at(-1) as Outcome;
	return {
		output: workflow.merge
			? await untilAborted(
					workflow.merge(outputs),
					signal,
					`the merge of "${workflow.name}"`,
				)
			: outputs,
		lastAgent: last.lastAgent,
		messages: last.messages,
	};
}

/** Runs a runnable on `messages` within the run. */
export function invoke(
	ctx: RunContext,
	runnable: Runnable,
	messages: RunMessages,
	signal: AbortSignal,
): Promise<Outcome> {
	if (isAgent(runnable)) return invokeAgent(ctx, runnable, messages, signal);
	const workflow = runnable;
	return wrapOperation(
		ctx.operationPlugins(),
		{
			kind: "invoke_workflow",
			name: workflow.name,
			attributes: { "monago.atrium.run_id": ctx.settings.runId },
		},
		() =>
			workflow.kind === "sequential"
				? runSequential(ctx, workflow, messages, signal)
				: runParallel(ctx, workflow, messages, signal),
	).catch((error: unknown) => {
		ctx.fail(error, null);
		throw error;
	});
}
