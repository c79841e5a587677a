/**
 * The tool-run loop against the test kit: tool calls in one step (parallel
 * and in order), arguments corrected by the model, a throwing tool, approval,
 * timeouts, maxSteps, and an abort in the middle of a tool.
 */
import { describe, expect, it } from "vitest";
import { AbortError, AtriumError } from "../../src/index.js";
import {
	defineTool,
	isMaxStepsExceededError,
	MaxStepsExceededError,
	runTools,
	type ToolStep,
} from "../../src/skills.js";
import { reply } from "../../src/testing.js";
import { BODY, deferred, kitClient, lookupTool } from "./helpers.js";

const toolSteps = (steps: readonly { kind: string }[]) =>
	steps.filter((step): step is ToolStep => step.kind === "tool");

/** Two tools that record when they start and end, and yield to the event loop between. */
function recordingTools(
	events: string[],
	gate?: Promise<void>,
	started?: () => void,
) {
	return ["first", "second"].map((name) =>
		defineTool({
			name,
			parameters: { type: "object", properties: {} },
			// A deadlock guard only: the assertions never read time.
			timeout: 10_000,
			run: async () => {
				events.push(`${name}:start`);
				started?.();
				if (gate) await gate;
				await new Promise((resolve) => setImmediate(resolve));
				events.push(`${name}:end`);
				return `${name} done`;
			},
		}),
	);
}

describe("runTools: tool calls in one step", () => {
	it("runs them concurrently with parallelToolCalls: both start before either ends", async () => {
		const { client } = kitClient([
			reply.toolCalls([{ name: "first" }, { name: "second" }]),
			reply.completion("both done"),
		]);
		const events: string[] = [];
		const both = deferred();
		let count = 0;
		// Each tool waits until both have started: one after the other, the first would wait forever.
		const tools = recordingTools(events, both.promise, () => {
			if (++count === 2) both.resolve();
		});
		const result = await runTools(client, BODY, {
			tools,
			parallelToolCalls: true,
		});
		expect(events.slice(0, 2).sort()).toEqual(["first:start", "second:start"]);
		expect(events.slice(2).sort()).toEqual(["first:end", "second:end"]);
		expect(toolSteps(result.steps).map((s) => s.outcome)).toEqual(["ok", "ok"]);
		expect(result.content).toBe("both done");
	});

	it("runs them one after another, in the model's order, by default", async () => {
		const { client } = kitClient([
			reply.toolCalls([{ name: "second" }, { name: "first" }]),
			reply.completion("both done"),
		]);
		const events: string[] = [];
		await runTools(client, BODY, { tools: recordingTools(events) });
		expect(events).toEqual([
			"second:start",
			"second:end",
			"first:start",
			"first:end",
		]);
	});

	it("answers every call with a valid tool message, in the order of the calls, after the assistant message echoed unchanged", async () => {
		const { client, gateway } = kitClient([
			reply.toolCalls([{ name: "first" }, { name: "second" }]),
			reply.completion("ok"),
		]);
		const result = await runTools(client, BODY, {
			tools: recordingTools([]),
			parallelToolCalls: true,
		});
		const sent = gateway.calls[1]?.body?.messages ?? [];
		const first = gateway.calls[0]?.body;
		expect(first?.messages).toEqual(BODY.messages);
		expect(sent[1]).toEqual(
			result.steps[0]?.kind === "model" &&
				result.steps[0].completion?.choices[0]?.message,
		);
		expect(sent.slice(2)).toEqual([
			{ role: "tool", tool_call_id: "call_mock_1_1", content: "first done" },
			{ role: "tool", tool_call_id: "call_mock_1_2", content: "second done" },
		]);
		expect(result.messages).toEqual([
			...sent,
			{ role: "assistant", content: "ok", refusal: null, annotations: [] },
		]);
	});
});

describe("runTools: arguments", () => {
	it("sends invalid arguments back with the reason, without running the tool, and runs the corrected call", async () => {
		const { client, gateway } = kitClient([
			reply.toolCalls([{ name: "lookup_patient", arguments: { mrn: 42 } }]),
			reply.toolCalls([{ name: "lookup_patient", arguments: "{not json" }]),
			reply.toolCalls([
				{ name: "lookup_patient", arguments: { mrn: "MRN-1" } },
			]),
			reply.completion("Pasien A, bangsal Paru"),
		]);
		const seen: string[] = [];
		const result = await runTools(client, BODY, { tools: [lookupTool(seen)] });
		expect(seen).toEqual(["MRN-1"]);
		const [wrongType, notJson, right] = toolSteps(result.steps);
		expect(wrongType).toMatchObject({
			outcome: "invalid_arguments",
			arguments: { mrn: 42 },
			error: "arguments.mrn: expected a string, got an integer",
			result: null,
		});
		expect(notJson).toMatchObject({
			outcome: "invalid_arguments",
			arguments: "{not json",
			error: "arguments: not valid JSON; send one JSON object",
		});
		expect(right).toMatchObject({
			outcome: "ok",
			arguments: { mrn: "MRN-1" },
			error: null,
		});
		expect(right?.result).toEqual({
			mrn: "MRN-1",
			name: "Pasien A",
			ward: "Paru",
		});
		// The model was told what was wrong.
		expect(gateway.calls[1]?.body?.messages.at(-1)).toEqual({
			role: "tool",
			tool_call_id: "call_mock_1_1",
			content:
				'Error: invalid arguments for "lookup_patient": arguments.mrn: expected a string, got an integer. Call it again with arguments that match its parameters.',
		});
		expect(result.content).toBe("Pasien A, bangsal Paru");
	});

	it("tells the model about a tool the run does not have", async () => {
		const { client, gateway } = kitClient([
			reply.toolCalls([{ name: "delete_patient" }]),
			reply.completion("sorry"),
		]);
		const result = await runTools(client, BODY, { tools: [lookupTool()] });
		expect(toolSteps(result.steps)[0]).toMatchObject({
			outcome: "unknown_tool",
			name: "delete_patient",
		});
		expect(gateway.calls[1]?.body?.messages.at(-1)).toMatchObject({
			content: 'Error: there is no tool "delete_patient" in this run.',
		});
	});
});

describe("runTools: failing, refused and slow tools", () => {
	it("gives the model a throwing tool's error text, never its stack, and goes on", async () => {
		const { client, gateway } = kitClient([
			reply.toolCalls([
				{ name: "lookup_patient", arguments: { mrn: "MRN-1" } },
			]),
			reply.completion("EHR tidak tersedia"),
		]);
		const broken = lookupTool([], () => {
			throw new Error("EHR is down");
		});
		const result = await runTools(client, BODY, { tools: [broken] });
		expect(toolSteps(result.steps)[0]).toMatchObject({
			outcome: "error",
			error: "EHR is down",
			content: "Error: EHR is down",
			arguments: { mrn: "MRN-1" },
		});
		const message = gateway.calls[1]?.body?.messages.at(-1);
		expect(message).toEqual({
			role: "tool",
			tool_call_id: "call_mock_1_1",
			content: "Error: EHR is down",
		});
		expect(JSON.stringify(gateway.calls[1]?.body)).not.toMatch(
			/at .*loop\.test|\.ts:\d+/,
		);
		expect(result.content).toBe("EHR tidak tersedia");
	});

	it("refuses a call that needs approval when approve says no (or there is none), and runs it when approve says yes", async () => {
		const script = [
			reply.toolCalls([{ name: "discharge", arguments: { mrn: "MRN-1" } }]),
			reply.toolCalls([{ name: "discharge", arguments: { mrn: "MRN-2" } }]),
			reply.toolCalls([{ name: "discharge", arguments: { mrn: "MRN-3" } }]),
			reply.completion("done"),
		];
		const { client, gateway } = kitClient(script);
		const ran: string[] = [];
		const asked: unknown[] = [];
		const discharge = defineTool<{ mrn: string }>({
			name: "discharge",
			parameters: {
				type: "object",
				properties: { mrn: { type: "string" } },
				required: ["mrn"],
			},
			needsApproval: ({ mrn }) => mrn !== "MRN-3",
			run: ({ mrn }) => {
				ran.push(mrn);
				return "discharged";
			},
		});
		const result = await runTools(client, BODY, {
			tools: [discharge],
			approve: (request) => {
				asked.push(request);
				return (
					request.arguments !== null &&
					(request.arguments as { mrn: string }).mrn === "MRN-2"
				);
			},
		});
		expect(ran).toEqual(["MRN-2", "MRN-3"]);
		expect(asked).toHaveLength(2);
		expect(asked[0]).toMatchObject({
			name: "discharge",
			arguments: { mrn: "MRN-1" },
			step: 1,
			skill: null,
			run_id: result.run_id,
		});
		expect(toolSteps(result.steps).map((s) => s.outcome)).toEqual([
			"refused",
			"ok",
			"ok",
		]);
		expect(gateway.calls[1]?.body?.messages.at(-1)?.content).toBe(
			'Refused: the call to "discharge" was not approved, so it did not run.',
		);

		const { client: noApprover } = kitClient(script);
		const refused = await runTools(noApprover, BODY, { tools: [discharge] });
		expect(toolSteps(refused.steps)[0]).toMatchObject({
			outcome: "refused",
			error: "not approved: the run has no approve option",
		});
	});

	it("stops waiting for a tool at its timeout, aborts its signal, and tells the model", async () => {
		const { client, gateway } = kitClient([
			reply.toolCalls([{ name: "slow" }]),
			reply.completion("later"),
		]);
		let aborted = false;
		const slow = defineTool({
			name: "slow",
			parameters: { type: "object" },
			timeout: 20,
			run: (_args, ctx) =>
				new Promise((resolve) => {
					ctx.signal.addEventListener("abort", () => {
						aborted = true;
					});
					void resolve;
				}),
		});
		const result = await runTools(client, BODY, { tools: [slow] });
		expect(aborted).toBe(true);
		expect(toolSteps(result.steps)[0]).toMatchObject({
			outcome: "timeout",
			error: "did not finish within 20 ms",
		});
		expect(gateway.calls[1]?.body?.messages.at(-1)?.content).toBe(
			'Error: "slow" did not finish within 20 ms.',
		);
	});
});

describe("runTools: limits and aborts", () => {
	it("throws MaxStepsExceededError after maxSteps model calls, with the run so far", async () => {
		const { client, gateway } = kitClient(
			reply.toolCalls([
				{ name: "lookup_patient", arguments: { mrn: "MRN-1" } },
			]),
		);
		const seen: string[] = [];
		const error = await runTools(client, BODY, {
			tools: [lookupTool(seen)],
			maxSteps: 3,
		}).then(
			() => null,
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(MaxStepsExceededError);
		expect(error).toBeInstanceOf(AtriumError);
		expect(isMaxStepsExceededError(error)).toBe(true);
		if (!isMaxStepsExceededError(error)) return;
		expect(error.name).toBe("MaxStepsExceededError");
		expect(gateway.calls).toHaveLength(3);
		// The third call's tool call did not run.
		expect(seen).toEqual(["MRN-1", "MRN-1"]);
		expect(error.run.steps.map((s) => `${s.kind}${s.step}`)).toEqual([
			"model1",
			"tool1",
			"model2",
			"tool2",
			"model3",
		]);
		expect(error.run.audit_ids).toEqual([
			"audit-mock-1",
			"audit-mock-2",
			"audit-mock-3",
		]);
		expect(error.message).toContain("after 3 model calls");
		expect(Object.keys(error.toJSON())).not.toContain("run");
	});

	it("makes at most 10 model calls by default", async () => {
		const { client, gateway } = kitClient(
			reply.toolCalls([
				{ name: "lookup_patient", arguments: { mrn: "MRN-1" } },
			]),
		);
		await expect(
			runTools(client, BODY, { tools: [lookupTool()] }),
		).rejects.toBeInstanceOf(MaxStepsExceededError);
		expect(gateway.calls).toHaveLength(10);
	});

	it("aborts the tool in flight and the run when the caller's signal fires", async () => {
		const { client, gateway } = kitClient([
			reply.toolCalls([{ name: "wait" }]),
			reply.completion("never"),
		]);
		const started = deferred();
		let toolSawAbort = false;
		const wait = defineTool({
			name: "wait",
			parameters: { type: "object" },
			run: (_args, ctx) =>
				new Promise((_resolve, reject) => {
					ctx.signal.addEventListener("abort", () => {
						toolSawAbort = true;
						reject(ctx.signal.reason);
					});
					started.resolve();
				}),
		});
		const controller = new AbortController();
		const run = runTools(client, BODY, {
			tools: [wait],
			signal: controller.signal,
		});
		await started.promise;
		controller.abort();
		const error = await run.then(
			() => null,
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(AbortError);
		expect(toolSawAbort).toBe(true);
		expect(gateway.calls).toHaveLength(1);
		const steps = (error as { run: { steps: ToolStep[] } }).run.steps;
		expect(steps.at(-1)).toMatchObject({
			kind: "tool",
			name: "wait",
			outcome: "aborted",
		});
	});

	it("settles on abort even when the tool ignores its signal (nothing hangs), and run.abort() does the same", async () => {
		const { client } = kitClient([reply.toolCalls([{ name: "stuck" }])]);
		const started = deferred();
		const stuck = defineTool({
			name: "stuck",
			parameters: { type: "object" },
			run: () => {
				started.resolve();
				return new Promise(() => {});
			},
		});
		const run = runTools(client, BODY, { tools: [stuck] });
		await started.promise;
		run.abort();
		await expect(run).rejects.toBeInstanceOf(AbortError);
	});

	it("aborts a model call in flight", async () => {
		const { client } = kitClient([reply.timeout()]);
		const controller = new AbortController();
		const run = runTools(client, BODY, {
			tools: [lookupTool()],
			signal: controller.signal,
		});
		await new Promise((resolve) => setImmediate(resolve));
		controller.abort();
		const error = await run.then(
			() => null,
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(AbortError);
		expect(
			(error as { run: { steps: { kind: string; error: string }[] } }).run
				.steps,
		).toMatchObject([
			{ kind: "model", error: expect.stringMatching(/^AbortError: /) },
		]);
	});
});
