/**
 * What makes the loop governed: every model call carries run_id and step
 * metadata, a block at any step throws its typed error with the run so far,
 * usage and cost add up, tools run inside the plugins' wrap, and the run
 * handle gives each step as it completes.
 */
import { describe, expect, it } from "vitest";
import {
	type AtriumPlugin,
	isPIIBlockedError,
	type Operation,
	PIIBlockedError,
	UsageError,
} from "../../src/index.js";
import {
	defineTool,
	type RunStep,
	runOf,
	runTools,
	type ToolRunSnapshot,
} from "../../src/skills.js";
import { reply } from "../../src/testing.js";
import { BODY, kitClient, lookupTool } from "./helpers.js";

const LOOKUP = reply.toolCalls([
	{ name: "lookup_patient", arguments: { mrn: "MRN-1" } },
]);

describe("runTools: metadata", () => {
	it("sends run_id and step with every model call, over the client's and the run's metadata, the SDK's values winning", async () => {
		const { client, gateway } = kitClient(
			[LOOKUP, LOOKUP, reply.completion("ok")],
			{
				metadata: { user_id: "dr-rina", department: "paru" },
			},
		);
		const contexts: Record<string, string>[] = [];
		const tool = lookupTool([], (_args, ctx) => {
			contexts.push({ ...ctx.metadata });
			return "found";
		});
		const run = runTools(client, BODY, {
			tools: [tool],
			metadata: {
				ticket: "T-7",
				run_id: "mine",
				step: "mine",
				department: null,
			},
		});
		const result = await run;
		expect(run.run_id).toMatch(/^run-[0-9a-f-]{36}$/);
		expect(result.run_id).toBe(run.run_id);
		expect(gateway.calls.map((call) => call.metadata)).toEqual(
			[1, 2, 3].map((step) => ({
				user_id: "dr-rina",
				ticket: "T-7",
				run_id: run.run_id,
				step: String(step),
			})),
		);
		expect(contexts.map((m) => m.step)).toEqual(["1", "2"]);
		expect(contexts[0]?.run_id).toBe(run.run_id);
		expect(
			result.steps
				.filter((s) => s.kind === "model")
				.map((s) => s.completion?.metadata.step),
		).toEqual(["1", "2", "3"]);
	});

	it("takes a run id of the caller's (an agent's, say)", async () => {
		const { client, gateway } = kitClient([reply.completion("ok")]);
		const result = await runTools(client, BODY, { runId: "run-agent-7" });
		expect(result.run_id).toBe("run-agent-7");
		expect(gateway.calls[0]?.metadata.run_id).toBe("run-agent-7");
	});
});

describe("runTools: a block at any step", () => {
	it("throws the typed error of a PII block at step 2, with the run so far: audit ids, tools run, cost", async () => {
		const { client } = kitClient([
			reply.toolCalls(
				[{ name: "lookup_patient", arguments: { mrn: "MRN-1" } }],
				{
					governance: { cost_idr: 12.5 },
				},
			),
			reply.block("pii", {
				block_reason: "PII detected: NIK",
				audit_id: "audit-blk-2",
			}),
		]);
		const error = await runTools(client, BODY, { tools: [lookupTool()] }).then(
			() => null,
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(PIIBlockedError);
		expect(isPIIBlockedError(error)).toBe(true);
		if (!isPIIBlockedError(error)) return;
		expect(error.audit_id).toBe("audit-blk-2");
		expect(error.metadata.step).toBe("2");
		const run = runOf(error) as ToolRunSnapshot;
		expect(run).toBe((error as unknown as { run: unknown }).run);
		expect(run.steps.map((s) => s.kind)).toEqual(["model", "tool", "model"]);
		expect(run.steps[0]).toMatchObject({
			audit_id: "audit-mock-1",
			cost_idr: 12.5,
			error: null,
		});
		expect(run.steps[1]).toMatchObject({
			name: "lookup_patient",
			outcome: "ok",
			arguments: { mrn: "MRN-1" },
		});
		expect(run.steps[2]).toMatchObject({
			audit_id: "audit-blk-2",
			completion: null,
			error: expect.stringMatching(/^PIIBlockedError: /),
		});
		expect(run.steps[2]?.governance?.block_reason).toBe("PII detected: NIK");
		expect(run.audit_ids).toEqual(["audit-mock-1", "audit-blk-2"]);
		expect(run.cost_idr).toBe(12.5 + (run.steps[2]?.governance?.cost_idr ?? 0));
		// The tool results stay out of the error's serialised audit trail.
		expect(JSON.stringify(error)).not.toContain("Pasien A");
	});
});

describe("runTools: usage and cost", () => {
	it("sums usage over the model calls, and the known costs (null when none is known)", async () => {
		const { client } = kitClient([
			reply.toolCalls(
				[{ name: "lookup_patient", arguments: { mrn: "MRN-1" } }],
				{
					governance: { cost_idr: 10 },
				},
			),
			reply.completion(
				{
					content: "ok",
					usage: { prompt_tokens: 30, completion_tokens: 5, total_tokens: 35 },
				},
				{ governance: { cost_idr: null } },
			),
		]);
		const result = await runTools(client, BODY, { tools: [lookupTool()] });
		const first =
			result.steps[0]?.kind === "model" ? result.steps[0].usage : null;
		expect(result.usage).toEqual({
			prompt_tokens: (first?.prompt_tokens ?? 0) + 30,
			completion_tokens: (first?.completion_tokens ?? 0) + 5,
			total_tokens: (first?.total_tokens ?? 0) + 35,
		});
		expect(result.cost_idr).toBe(10);
		expect(result.audit_ids).toEqual(["audit-mock-1", "audit-mock-2"]);

		const { client: unknownCost } = kitClient(
			reply.completion("ok", { governance: { cost_idr: null } }),
		);
		expect((await runTools(unknownCost, BODY)).cost_idr).toBeNull();
	});
});

describe("runTools: plugins", () => {
	it("runs each tool inside every plugin's wrap, the client's outermost, then the run's", async () => {
		const log: string[] = [];
		const seen: Operation[] = [];
		const recorder = (name: string): AtriumPlugin => ({
			name,
			async wrap<T>(operation: Operation, run: () => Promise<T>): Promise<T> {
				if (name === "outer") seen.push(operation);
				log.push(`${name}:enter ${operation.name}`);
				try {
					return await run();
				} finally {
					log.push(`${name}:leave ${operation.name}`);
				}
			},
		});
		const { client } = kitClient(
			[LOOKUP, reply.toolCalls([{ name: "broken" }]), reply.completion("ok")],
			{
				plugins: [recorder("outer")],
			},
		);
		const broken = defineTool({
			name: "broken",
			parameters: { type: "object" },
			run: () => {
				log.push("broken:run");
				throw new Error("nope");
			},
		});
		const seenByRun: string[] = [];
		const tool = lookupTool([], () => {
			log.push("lookup:run");
			seenByRun.push("ran");
			return "found";
		});
		const result = await runTools(client, BODY, {
			tools: [tool, broken],
			plugins: [recorder("inner")],
		});
		expect(log).toEqual([
			"outer:enter lookup_patient",
			"inner:enter lookup_patient",
			"lookup:run",
			"inner:leave lookup_patient",
			"outer:leave lookup_patient",
			"outer:enter broken",
			"inner:enter broken",
			"broken:run",
			"inner:leave broken",
			"outer:leave broken",
		]);
		expect(seen[0]).toEqual({
			kind: "execute_tool",
			name: "lookup_patient",
			attributes: {
				"gen_ai.tool.name": "lookup_patient",
				"gen_ai.tool.call.id": "call_mock_1_1",
				"monago.atrium.run_id": result.run_id,
			},
		});
		expect(
			result.steps.filter((s) => s.kind === "tool").map((s) => s.outcome),
		).toEqual(["ok", "error"]);
	});

	it("lets a wrap see a failing tool as a rejection (a span's error), and runs the tool once even if a wrap calls run twice", async () => {
		const outcomes: string[] = [];
		let runs = 0;
		const twice: AtriumPlugin = {
			name: "twice",
			async wrap<T>(_operation: Operation, run: () => Promise<T>): Promise<T> {
				await run().then(
					() => outcomes.push("resolved"),
					(error: Error) => outcomes.push(`rejected: ${error.message}`),
				);
				return run();
			},
		};
		const { client } = kitClient(
			[reply.toolCalls([{ name: "flaky" }]), reply.completion("ok")],
			{ plugins: [twice] },
		);
		const flaky = defineTool({
			name: "flaky",
			parameters: { type: "object" },
			run: () => {
				runs++;
				throw new Error("flaky failed");
			},
		});
		const result = await runTools(client, BODY, { tools: [flaky] });
		expect(runs).toBe(1);
		expect(outcomes).toEqual(["rejected: flaky failed"]);
		expect(result.steps[1]).toMatchObject({
			outcome: "error",
			error: "flaky failed",
		});
	});
});

describe("the run handle", () => {
	it("gives each step as it completes, in the order of result.steps, and the same to onStep", async () => {
		const { client } = kitClient([LOOKUP, reply.completion("done")]);
		const told: RunStep[] = [];
		const run = runTools(client, BODY, {
			tools: [lookupTool()],
			onStep: (step, so) => {
				told.push(step);
				expect(so.steps.at(-1)).toBe(step);
			},
		});
		const iterated: RunStep[] = [];
		for await (const step of run) iterated.push(step);
		const result = await run;
		expect(iterated.map((s) => s.kind)).toEqual(["model", "tool", "model"]);
		expect(iterated).toEqual([...result.steps]);
		expect(told).toEqual(iterated);
		expect(() => run[Symbol.asyncIterator]()).toThrow(UsageError);
	});

	it("iterates the steps before a failure, then throws the run's error", async () => {
		const { client } = kitClient([LOOKUP, reply.block("pii")]);
		const run = runTools(client, BODY, { tools: [lookupTool()] });
		const kinds: string[] = [];
		const error = await (async () => {
			for await (const step of run) kinds.push(step.kind);
		})().then(
			() => null,
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(PIIBlockedError);
		expect(kinds).toEqual(["model", "tool", "model"]);
		await expect(run).rejects.toBe(error);
	});

	it("ends early when stopWhen says so, after the step's tools ran", async () => {
		const { client, gateway } = kitClient([
			LOOKUP,
			reply.completion("never asked"),
		]);
		const result = await runTools(client, BODY, {
			tools: [lookupTool()],
			stopWhen: (run) =>
				run.steps.some((s) => s.kind === "tool" && s.name === "lookup_patient"),
		});
		expect(result.stopped).toBe(true);
		expect(gateway.calls).toHaveLength(1);
		expect(result.messages.at(-1)).toMatchObject({ role: "tool" });
	});

	it("refuses bad input before anything is sent", async () => {
		const { client, gateway } = kitClient([reply.completion("x")]);
		const cases: [unknown, unknown, RegExp][] = [
			[{ ...BODY, tools: [] }, {}, /pass tools as options\.tools/],
			[{ ...BODY, n: 2 }, {}, /`n` must be 1/],
			[{ model: "m", messages: [] }, {}, /messages/],
			[BODY, { maxSteps: 0 }, /maxSteps must be a whole number >= 1/],
			[BODY, { idempotencyKey: "k" }, /idempotencyKey is per call/],
			[
				BODY,
				{ tools: [lookupTool(), lookupTool()] },
				/"lookup_patient" is given by options\.tools\[0\] and by options\.tools\[1\]/,
			],
		];
		for (const [body, options, message] of cases) {
			await expect(
				runTools(
					client,
					body as typeof BODY,
					options as Parameters<typeof runTools>[2],
				),
			).rejects.toThrow(message);
		}
		expect(gateway.calls).toHaveLength(0);
	});
});
