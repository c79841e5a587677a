/**
 * One tool call of a run: find the tool, parse and validate its arguments,
 * ask for approval when it needs it, run it with its timeout and the run's
 * signal inside the plugins' `wrap`, and turn whatever happened into a
 * recorded step and a valid OpenAI tool message. Never throws: an abort is
 * reported as the outcome `aborted`, and the loop ends the run.
 */
import type {
	AtriumPlugin,
	ChatCompletionMessageToolCall,
	ChatCompletionToolMessageParam,
} from "../index.js";
import { untilAborted } from "../runs/signals.js";
import {
	ABORTED,
	runWithin,
	serialise,
	ToolFailure,
	textOf,
} from "./bounded.js";
import type { ApprovalRequest, ToolOutcome, ToolStep } from "./run-types.js";
import { parseArguments } from "./tool.js";
import type { Toolbox } from "./toolbox.js";
import type { Tool, ToolContext } from "./types.js";
import { wrapOperation } from "./wrap.js";

/** What every tool call of one model step shares. */
export interface CallScope {
	readonly runId: string;
	readonly step: number;
	readonly metadata: Readonly<Record<string, string>>;
	/** The run's signal: aborting it aborts every tool in flight. */
	readonly signal: AbortSignal;
	readonly toolbox: Toolbox;
	readonly builtins: readonly Tool[];
	readonly plugins: readonly AtriumPlugin[];
	readonly approve:
		| ((request: ApprovalRequest) => boolean | Promise<boolean>)
		| undefined;
	readonly attributes: Readonly<Record<string, string | number | boolean>>;
}

/** A tool call done: its step and the tool message for the model. */
export interface CallDone {
	readonly step: ToolStep;
	readonly message: ChatCompletionToolMessageParam;
}

async function work(
	tool: Tool,
	skill: string | null,
	text: string,
	ctx: Omit<ToolContext, "signal">,
	scope: CallScope,
	seen: { args: unknown },
): Promise<{ args: unknown; result: unknown; content: string }> {
	// The caller's callbacks (a Standard Schema's validate, needsApproval,
	// approve) are raced with the run's signal: one that never settles cannot
	// hold the run past its abort.
	const stopped = () =>
		new ToolFailure("aborted", "the run was aborted", ABORTED);
	const parsed = await untilAborted(
		parseArguments(tool, text),
		scope.signal,
		stopped,
	);
	seen.args = parsed.value;
	if (!parsed.ok) {
		throw new ToolFailure(
			"invalid_arguments",
			parsed.message,
			`Error: invalid arguments for "${tool.name}": ${parsed.message}. Call it again with arguments that match its parameters.`,
		);
	}
	const args = parsed.value;
	if (tool.needsApproval) {
		const request = { ...ctx, signal: scope.signal };
		const needed = await untilAborted(
			tool.needsApproval(args, request),
			scope.signal,
			stopped,
		);
		if (needed) {
			let approved = false;
			let why = "not approved";
			try {
				approved =
					(await untilAborted(
						scope.approve?.({
							name: tool.name,
							arguments: args,
							call_id: ctx.call_id,
							step: ctx.step,
							run_id: ctx.run_id,
							skill,
						}),
						scope.signal,
						stopped,
					)) === true;
				if (!scope.approve) why = "not approved: the run has no approve option";
			} catch (error) {
				if (error instanceof ToolFailure) throw error;
				why = `not approved: approve threw: ${textOf(error)}`;
			}
			if (!approved) {
				throw new ToolFailure(
					"refused",
					why,
					`Refused: the call to "${tool.name}" was not approved, so it did not run.`,
				);
			}
		}
	}
	const result = await runWithin(tool, args, ctx, scope.signal);
	return { args, result, content: serialise(result) };
}

function names(call: ChatCompletionMessageToolCall): {
	name: string;
	text: string;
} {
	if (call.type === "function")
		return {
			name: String(call.function?.name ?? ""),
			text: String(call.function?.arguments ?? ""),
		};
	const custom = (call as { custom?: { name?: unknown; input?: unknown } })
		.custom;
	return {
		name: String(custom?.name ?? ""),
		text: JSON.stringify(String(custom?.input ?? "")),
	};
}

/** Does one tool call of a model step; never throws. */
export async function executeCall(
	call: ChatCompletionMessageToolCall,
	scope: CallScope,
): Promise<CallDone> {
	const started = performance.now();
	const { name, text } = names(call);
	const callId = String(call.id ?? "");
	const ctx = {
		step: scope.step,
		call_id: callId,
		run_id: scope.runId,
		metadata: scope.metadata,
	};
	let outcome: ToolOutcome = "ok";
	let args: unknown = text;
	let result: unknown = null;
	let content: string;
	let error: string | null = null;
	let skill: string | null = null;
	const found = scope.toolbox.lookup(name, scope.builtins);
	if (!found.found) {
		outcome = "unknown_tool";
		error = found.problem;
		skill = found.skill;
		content = `Error: ${found.problem}.`;
	} else {
		const { tool } = found.entry;
		skill = found.entry.skill;
		const seen = { args };
		try {
			const done = await wrapOperation(
				scope.plugins,
				{
					kind: "execute_tool",
					name: tool.name,
					attributes: {
						...scope.attributes,
						"gen_ai.tool.name": tool.name,
						"gen_ai.tool.call.id": callId,
						"monago.atrium.run_id": scope.runId,
					},
				},
				() => work(tool, skill, text, ctx, scope, seen),
			);
			({ args, result, content } = done);
		} catch (thrown) {
			const failure =
				thrown instanceof ToolFailure
					? thrown
					: scope.signal.aborted
						? new ToolFailure("aborted", "the run was aborted", ABORTED)
						: undefined;
			outcome = failure?.outcome ?? "error";
			error = failure ? failure.message : textOf(thrown);
			content = failure ? failure.content : `Error: ${error}`;
			args = seen.args;
		}
	}
	const step: ToolStep = Object.freeze({
		kind: "tool",
		step: scope.step,
		call_id: callId,
		name,
		skill,
		arguments: args,
		result,
		content,
		outcome,
		error,
		duration_ms: Math.round((performance.now() - started) * 1000) / 1000,
		audit_id: null,
		governance: null,
		tool_calls: null,
	});
	return {
		step,
		message: { role: "tool", tool_call_id: callId, content },
	};
}
