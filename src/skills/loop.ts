/**
 * The tool-run loop: call the model through the client's public `create`;
 * when it asks for tools, run them and call it again with their results,
 * until it answers without tool calls, `maxSteps` is reached, the caller
 * aborts, or a call fails. Every call carries `run_id` and `step` metadata.
 */
import {
	AbortError,
	APIError,
	type Atrium,
	type ChatCompletion,
	type ChatCompletionAssistantMessageParam,
	type ChatCompletionCreateParams,
	type ChatCompletionCreateParamsNonStreaming,
	type ChatCompletionMessageParam,
	type ChatCompletionMessageToolCall,
	type ChatCompletionStream,
	isAtriumError,
} from "../index.js";
import { untilAborted } from "../runs/signals.js";
import { attachRun, MaxStepsExceededError } from "./errors.js";
import { type CallDone, type CallScope, executeCall } from "./execute.js";
import { checkPlan, type Plan } from "./plan.js";
import {
	failedModelStep,
	MAX_TOOL_CALLS,
	modelStep,
	RunRecord,
	toolCallsOf,
} from "./record.js";
import type {
	RunToolsOptions,
	ToolRunBody,
	ToolRunResult,
} from "./run-types.js";
import { operationPlugins } from "./wrap.js";

/** Tool calls of one model step the run does at most; the rest are answered with an error. */
export const MAX_CALLS_PER_STEP = 64;

function elapsed(started: number): number {
	return Math.round((performance.now() - started) * 1000) / 1000;
}

async function callModel(
	plan: Plan,
	messages: readonly ChatCompletionMessageParam[],
	step: number,
): Promise<ChatCompletion> {
	const { client, body, options } = plan;
	const tools = plan.toolbox.definitions(plan.builtins);
	const request = {
		...body,
		messages: [...messages],
		...(tools.length ? { tools } : {}),
	} as ChatCompletionCreateParams;
	const callOptions = {
		...plan.request,
		// The SDK's values win for its reserved keys.
		metadata: { ...options.metadata, run_id: plan.runId, step: String(step) },
	};
	if (body.stream !== true) {
		// The body as given: `stream` is absent, false or null.
		return client.chat.completions.create(
			request as ChatCompletionCreateParamsNonStreaming,
			callOptions,
		);
	}
	const stream: ChatCompletionStream = await client.chat.completions.create(
		{ ...request, stream: true },
		callOptions,
	);
	const { onChunk } = options;
	if (onChunk) {
		for await (const chunk of stream) {
			// The caller's: raced with the signal, as the stream's reads are.
			await untilAborted(
				onChunk(chunk, { step, run_id: plan.runId }),
				plan.signal,
				() => new AbortError(`runTools: the run was aborted (step ${step})`),
			);
		}
	}
	return stream.finalCompletion();
}

async function runCalls(
	calls: readonly ChatCompletionMessageToolCall[],
	scope: CallScope,
	parallel: boolean,
	record: RunRecord,
): Promise<CallDone[]> {
	const run = async (call: ChatCompletionMessageToolCall, index: number) => {
		const done =
			index < MAX_CALLS_PER_STEP
				? await executeCall(call, scope)
				: tooMany(call, scope);
		record.add(done.step);
		return done;
	};
	if (parallel) return Promise.all(calls.map(run));
	const out: CallDone[] = [];
	for (const [index, call] of calls.entries()) {
		if (scope.signal.aborted) break;
		out.push(await run(call, index));
	}
	return out;
}

function tooMany(
	call: ChatCompletionMessageToolCall,
	scope: CallScope,
): CallDone {
	const problem = `too many tool calls in one step (at most ${MAX_CALLS_PER_STEP}): make this call in your next step`;
	const callId = String(call.id ?? "");
	const name =
		call.type === "function" ? String(call.function?.name ?? "") : "";
	const content = `Error: ${problem}.`;
	return {
		step: Object.freeze({
			kind: "tool",
			step: scope.step,
			call_id: callId,
			name,
			skill: null,
			arguments: call.type === "function" ? call.function?.arguments : null,
			result: null,
			content,
			outcome: "error",
			error: problem,
			duration_ms: 0,
			audit_id: null,
			governance: null,
			tool_calls: null,
		}),
		message: { role: "tool", tool_call_id: callId, content },
	};
}

/**
 * Runs the tool loop to its end and gives the result: the promise behind
 * `runTools`, for code that builds on the loop (agents, workflows) and
 * hears of steps through `onStep`.
 *
 * @throws {InvalidInputError} before any call, when the body or an option is malformed.
 * @throws {MaxStepsExceededError} when the model still asks for tools after `maxSteps` calls.
 * @throws {AtriumError} a call's typed error (`PIIBlockedError`, `AbortError`, ...), with `error.run`.
 * @example
 * const result = await runToolLoop(client, { model, messages }, {
 *   tools: [lookupPatient],
 *   onStep: (step) => trail.push(step),
 * });
 */
export async function runToolLoop(
	client: Atrium,
	body: ToolRunBody,
	options: RunToolsOptions = {},
): Promise<ToolRunResult> {
	const plan = checkPlan(client, body, options);
	const { toolbox, signal } = plan;
	const system = toolbox.systemMessage(options.instructions);
	const record = new RunRecord(
		plan.runId,
		[
			...(system ? [{ role: "system" as const, content: system }] : []),
			...body.messages,
		],
		toolbox.active,
		options.onStep,
	);
	const fail = (error: unknown): never => {
		throw isAtriumError(error) ? attachRun(error, record.snapshot()) : error;
	};
	const abortError = (step: number) =>
		new AbortError(`runTools: the run was aborted (step ${step})`);
	const aborted = (step: number) => fail(abortError(step));
	// onStep and stopWhen are the caller's: raced with the signal, so one that
	// never settles cannot hold the run past its abort.
	const told = (step: number) =>
		untilAborted(record.told(), signal, () => abortError(step));
	for (let step = 1; ; step++) {
		if (signal.aborted) aborted(step);
		const started = performance.now();
		let completion: ChatCompletion;
		try {
			completion = await callModel(plan, record.messages, step);
		} catch (error) {
			if (isAtriumError(error))
				record.add(failedModelStep(step, error, elapsed(started)));
			await told(step).catch(() => {});
			return fail(error);
		}
		record.add(modelStep(step, completion, elapsed(started)));
		await told(step).catch(fail);
		const calls = toolCallsOf(completion);
		if (!calls)
			return fail(
				new APIError(
					`runTools: the gateway's answer is malformed: its message's tool_calls are not a list of at most ${MAX_TOOL_CALLS} tool calls`,
					{ governance: completion.governance, status_code: 200 },
				),
			);
		const message = completion.choices[0]?.message;
		if (!message || calls.length === 0) {
			if (message)
				record.messages.push(message as ChatCompletionAssistantMessageParam);
			return result(record, completion, false);
		}
		if (step >= plan.maxSteps) {
			throw new MaxStepsExceededError(
				`runTools: the model still asked for tools after ${plan.maxSteps} model calls (maxSteps); the last call's ${calls.length} tool call(s) did not run`,
				record.snapshot(),
			);
		}
		// Echoed back unchanged: the assistant message as the model sent it.
		record.messages.push(message as ChatCompletionAssistantMessageParam);
		const scope: CallScope = {
			runId: plan.runId,
			step,
			metadata: completion.metadata,
			signal,
			toolbox,
			builtins: plan.builtins,
			plugins: operationPlugins(client, options.plugins),
			approve: options.approve,
			attributes: options.attributes ?? {},
		};
		const done = await runCalls(calls, scope, plan.parallel, record);
		await told(step).catch(fail);
		if (signal.aborted) aborted(step);
		for (const call of done) record.messages.push(call.message);
		const { stopWhen } = options;
		if (
			stopWhen &&
			(await untilAborted(stopWhen(record.snapshot()), signal, () =>
				abortError(step),
			).catch(fail))
		)
			return result(record, completion, true);
	}
}

function result(
	record: RunRecord,
	completion: ChatCompletion,
	stopped: boolean,
): ToolRunResult {
	return Object.freeze({
		...record.snapshot(),
		content: completion.content,
		completion,
		stopped,
	});
}
