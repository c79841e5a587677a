/**
 * Nothing hangs: a caller's callback (approve, needsApproval, a Standard
 * Schema's validate, an inputFilter, a parallel's merge, onRecord) that never
 * settles cannot hold a run past the caller's abort. The run rejects with
 * AbortError, its trail closed and verifying. Each test aborts from inside
 * the stuck callback: no timer, no timing.
 */
import { describe, expect, it } from "vitest";
import {
	agentRunOf,
	handoff,
	parallel,
	run,
	verifyTrail,
} from "../../src/agents.js";
import { AbortError } from "../../src/index.js";
import {
	defineTool,
	runTools,
	type StandardSchemaV1,
} from "../../src/skills.js";
import { reply } from "../../src/testing.js";
import { agent, answer, kitClient, rejection, transfer } from "./helpers.js";

const never = <T>() => new Promise<T>(() => {});

/** A callback that aborts `controller` and never settles. */
function stuck<T>(controller: AbortController): () => Promise<T> {
	return () => {
		queueMicrotask(() => controller.abort());
		return never<T>();
	};
}

const CALL_T = () => reply.toolCalls([{ name: "t", arguments: {} }]);

function tool(init: Partial<Parameters<typeof defineTool>[0]> = {}) {
	return defineTool({
		name: "t",
		description: "A tool",
		parameters: { type: "object", properties: {} },
		run: () => "done",
		...init,
	} as Parameters<typeof defineTool>[0]);
}

async function abortedRun(error: unknown, kinds?: readonly string[]) {
	expect(error).toBeInstanceOf(AbortError);
	const ended = agentRunOf(error);
	expect(ended?.trail.at(-1)?.kind).toBe("end");
	if (kinds) expect(ended?.trail.map((r) => r.kind)).toEqual(kinds);
	expect(
		await verifyTrail(ended?.trail ?? [], { head: ended?.trail.head }),
	).toMatchObject({ ok: true });
}

describe("a stuck callback and the caller's abort", () => {
	it("approve", async () => {
		const controller = new AbortController();
		const { client } = kitClient([CALL_T(), answer("never")]);
		const a = agent("a", { tools: [tool({ needsApproval: true })] });
		const error = await rejection(
			run(client, a, "x", {
				signal: controller.signal,
				approve: stuck(controller),
			}),
		);
		await abortedRun(error);
	});

	it("needsApproval", async () => {
		const controller = new AbortController();
		const { client } = kitClient([CALL_T(), answer("never")]);
		const a = agent("a", {
			tools: [tool({ needsApproval: stuck<boolean>(controller) })],
		});
		await abortedRun(
			await rejection(run(client, a, "x", { signal: controller.signal })),
		);
	});

	it("a Standard Schema's validate", async () => {
		const controller = new AbortController();
		const schema: StandardSchemaV1 = {
			"~standard": {
				version: 1,
				vendor: "hostile",
				validate: stuck(controller),
			},
		};
		const { client } = kitClient([CALL_T(), answer("never")]);
		const a = agent("a", {
			tools: [
				tool({
					parameters: schema,
					jsonSchema: { type: "object", properties: {} },
				} as never),
			],
		});
		await abortedRun(
			await rejection(run(client, a, "x", { signal: controller.signal })),
		);
	});

	it("a handoff's inputFilter", async () => {
		const controller = new AbortController();
		const { client, gateway } = kitClient([transfer("b"), answer("never")]);
		const a = agent("a", {
			handoffs: [handoff(agent("b"), { inputFilter: stuck(controller) })],
		});
		await abortedRun(
			await rejection(run(client, a, "x", { signal: controller.signal })),
			["model", "handoff", "error", "end"],
		);
		expect(gateway.calls).toHaveLength(1);
	});

	it("a parallel's merge", async () => {
		const controller = new AbortController();
		const { client } = kitClient([answer("one"), answer("two")]);
		const both = parallel([agent("a"), agent("b")], {
			merge: stuck(controller),
		});
		await abortedRun(
			await rejection(run(client, both, "x", { signal: controller.signal })),
			["model", "model", "error", "end"],
		);
	});

	it("onRecord: the run ends, and the records go on to it in order", async () => {
		const controller = new AbortController();
		const { client, gateway } = kitClient([transfer("b"), answer("never")]);
		const told: number[] = [];
		const error = await rejection(
			run(client, agent("a", { handoffs: [agent("b")] }), "x", {
				signal: controller.signal,
				onRecord: (record) => {
					told.push(record.seq);
					if (record.seq === 1) return stuck<void>(controller)();
				},
			}),
		);
		await abortedRun(error, ["model", "error", "end"]);
		expect(gateway.calls).toHaveLength(1);
		expect(told).toEqual([1]);
	});
});

describe("a tool that never settles and ignores its signal", () => {
	const hang = (onStart: () => void) =>
		defineTool({
			name: "hang",
			description: "Never answers",
			parameters: { type: "object", properties: {} },
			run: () => {
				onStart();
				return never();
			},
		});
	const CALL_HANG = () => reply.toolCalls([{ name: "hang", arguments: {} }]);

	it("inside an agent called as a tool, inside a parallel branch: the caller's abort ends the run", async () => {
		const controller = new AbortController();
		const { client } = kitClient([
			reply.toolCalls([{ name: "inner", arguments: { input: "q" } }]),
			answer("other branch"),
			CALL_HANG(),
		]);
		const inner = agent("inner", {
			tools: [hang(() => controller.abort())],
		});
		const outer = agent("outer", { tools: [inner.asTool()] });
		const error = await rejection(
			run(client, parallel([outer, agent("other")]), "x", {
				signal: controller.signal,
			}),
		);
		await abortedRun(error);
	});

	it("in one branch while the other is blocked: the block ends the run, its class kept", async () => {
		const { client } = kitClient([CALL_HANG(), reply.block("pii")]);
		const started: string[] = [];
		const a = agent("a", { tools: [hang(() => started.push("hang"))] });
		const error = await rejection(run(client, parallel([a, agent("b")]), "x"));
		expect((error as Error).name).toBe("PIIBlockedError");
		const ended = agentRunOf(error);
		expect(ended?.trail.at(-1)?.kind).toBe("end");
		expect(
			await verifyTrail(ended?.trail ?? [], { head: ended?.trail.head }),
		).toMatchObject({ ok: true });
	});
});

describe("runTools: a stuck callback and the caller's abort", () => {
	const body = {
		model: "gpt-5.4-mini",
		messages: [{ role: "user" as const, content: "x" }],
	};

	it("onStep", async () => {
		const controller = new AbortController();
		const { client } = kitClient([CALL_T(), answer("never")]);
		const error = await rejection(
			Promise.resolve(
				runTools(client, body, {
					tools: [tool()],
					signal: controller.signal,
					onStep: stuck(controller),
				}),
			),
		);
		expect(error).toBeInstanceOf(AbortError);
	});

	it("stopWhen", async () => {
		const controller = new AbortController();
		const { client } = kitClient([CALL_T(), answer("never")]);
		const error = await rejection(
			Promise.resolve(
				runTools(client, body, {
					tools: [tool()],
					signal: controller.signal,
					stopWhen: stuck(controller),
				}),
			),
		);
		expect(error).toBeInstanceOf(AbortError);
	});
});
