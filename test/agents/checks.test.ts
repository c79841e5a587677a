/**
 * Bad input is refused before anything is sent, with an InvalidInputError
 * that names what to fix: the run's arguments and options, an agent's
 * fields, and anything an agent reaches (a handoff several agents away).
 */
import { describe, expect, it } from "vitest";
import { Agent, type AgentInit, handoff, run } from "../../src/agents.js";
import { type Atrium, InvalidInputError } from "../../src/index.js";
import { defineSkill, defineTool } from "../../src/skills.js";
import { agent, answer, kitClient, recordTool } from "./helpers.js";

describe("run refuses before any call", () => {
	const { client, gateway } = kitClient(answer("never"));
	const a = agent("a");

	it.each([
		["no client", () => run({} as Atrium, a, "x"), /Atrium client/],
		[
			"no runnable",
			() => run(client, {} as Agent, "x"),
			/an Agent, a sequential/,
		],
		["an empty input", () => run(client, a, ""), /input must not be empty/],
		["no messages", () => run(client, a, []), /non-empty array of messages/],
		[
			"messages that are not objects",
			() => run(client, a, ["hi"] as never),
			/non-empty array of messages/,
		],
		[
			"options that are not an object",
			() => run(client, a, "x", 5 as never),
			/options must be an object/,
		],
		[
			"maxTurns 0",
			() => run(client, a, "x", { maxTurns: 0 }),
			/maxTurns must be a whole number >= 1/,
		],
		["maxTurns 1.5", () => run(client, a, "x", { maxTurns: 1.5 }), /maxTurns/],
		[
			"a negative maxCostIdr",
			() => run(client, a, "x", { maxCostIdr: -1 }),
			/maxCostIdr must be a finite number/,
		],
		[
			"maxCostIdr NaN",
			() => run(client, a, "x", { maxCostIdr: Number.NaN }),
			/maxCostIdr/,
		],
		[
			"an empty runId",
			() => run(client, a, "x", { runId: "" }),
			/runId must be a string of 1 to 512/,
		],
		[
			"onRecord not a function",
			() => run(client, a, "x", { onRecord: "store" as never }),
			/onRecord must be a function/,
		],
		[
			"approve not a function",
			() => run(client, a, "x", { approve: true as never }),
			/approve must be a function/,
		],
		[
			"parallelToolCalls not a boolean",
			() => run(client, a, "x", { parallelToolCalls: 1 as never }),
			/parallelToolCalls must be a boolean/,
		],
		[
			"metadata not an object",
			() => run(client, a, "x", { metadata: [] as never }),
			/metadata must be an object/,
		],
		[
			"plugins not an array",
			() => run(client, a, "x", { plugins: {} as never }),
			/plugins must be an array/,
		],
		[
			"an idempotencyKey",
			() => run(client, a, "x", { idempotencyKey: "k" } as never),
			/idempotencyKey is per call/,
		],
		[
			"a malformed handoff two agents away",
			() =>
				run(
					client,
					agent("x", { handoffs: [agent("y", { handoffs: [{} as Agent] })] }),
					"x",
				),
			/Agent "y": handoffs\[0\] must be an Agent or a handoff/,
		],
		[
			"two handoffs to agents of one name",
			() =>
				run(
					client,
					agent("x", { handoffs: [agent("y"), handoff(agent("y"))] }),
					"x",
				),
			/two handoffs go to agents named "y"/,
		],
		[
			"handoffs from a function that makes new agents each time",
			() => {
				const grow = (n: number): Agent =>
					agent(`g${n}`, { handoffs: () => [grow(n + 1)] });
				return run(client, grow(0), "x");
			},
			/more than 1000 agents and workflows are reachable/,
		],
	])("%s", async (_what, call, message) => {
		const error = await (call as () => Promise<unknown>)().then(
			() => null,
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(InvalidInputError);
		expect((error as Error).message).toMatch(message);
		expect(gateway.calls).toHaveLength(0);
	});
});

describe("new Agent refuses", () => {
	const base = { name: "a", model: "gpt-5.4-mini" };
	const skill = defineSkill({
		name: "ehr",
		description: "EHR",
		instructions: "Read records",
		tools: [recordTool()],
	});
	it.each<[string, Partial<AgentInit>, RegExp]>([
		[
			"a name with a space",
			{ name: "triage agent" },
			/name must be 1 to 52 of A-Z a-z 0-9 _ -/,
		],
		[
			"a name too long for its handoff tool",
			{ name: "a".repeat(53) },
			/name must be 1 to 52/,
		],
		["no model", { model: "" }, /Agent "a": model must be a non-empty string/],
		[
			"tools that are not an array",
			{ tools: {} as never },
			/Agent "a": tools must be an array/,
		],
		[
			"a malformed tool",
			{ tools: [{ name: "x" } as never] },
			/Agent "a": tools\[0\] \("x"\): run must be a function/,
		],
		[
			"a tool named like a handoff",
			{
				tools: [
					defineTool({
						name: "transfer_to_b",
						parameters: { type: "object" },
						run: () => 1,
					}),
				],
			},
			/tool names starting with "transfer_to_" are the handoffs'/,
		],
		[
			"two tools of one name",
			{ tools: [recordTool(), recordTool()] },
			/"read_record" is given by tools\[0\] and by tools\[1\]/,
		],
		[
			"a tool clashing with a skill's",
			{ tools: [recordTool()], skills: [skill] },
			/"read_record" is given by tools\[0\] and by the skill "ehr"/,
		],
		[
			"a tool named use_skill beside skills",
			{
				tools: [
					defineTool({
						name: "use_skill",
						parameters: { type: "object" },
						run: () => 1,
					}),
				],
				skills: [skill],
			},
			/built in when an agent has skills/,
		],
		[
			"a malformed skill",
			{ skills: [{ name: "s" } as never] },
			/skills\[0\] must be a skill made by defineSkill/,
		],
		[
			"a plugin without a name",
			{ plugins: [{} as never] },
			/plugins\[0\] must be a plugin/,
		],
		[
			"modelSettings setting the model",
			{ modelSettings: { model: "x" } as never },
			/modelSettings.model is not allowed/,
		],
		[
			"modelSettings streaming",
			{ modelSettings: { stream: true } as never },
			/modelSettings.stream is not allowed/,
		],
		[
			"modelSettings with n 2",
			{ modelSettings: { n: 2 } as never },
			/modelSettings.n must be 1/,
		],
		[
			"handoffs that are not an array or a function",
			{ handoffs: 3 as never },
			/handoffs must be an array/,
		],
	])("%s", (_what, init, message) => {
		expect(() => new Agent({ ...base, ...init } as AgentInit)).toThrow(message);
		expect(() => new Agent({ ...base, ...init } as AgentInit)).toThrow(
			InvalidInputError,
		);
	});

	it("is frozen, and takes modelSettings into every call's body", async () => {
		const { client, gateway } = kitClient(answer("ok"));
		const a = new Agent({
			...base,
			modelSettings: { temperature: 0.2, max_completion_tokens: 50 },
		});
		expect(Object.isFrozen(a)).toBe(true);
		await run(client, a, "x");
		expect(gateway.calls[0]?.body).toMatchObject({
			model: "gpt-5.4-mini",
			temperature: 0.2,
			max_completion_tokens: 50,
		});
	});
});

describe("defineTool's audit option", () => {
	it("defaults to summary and refuses anything but full, summary or none", () => {
		expect(recordTool().audit).toBe("summary");
		expect(recordTool([], "none").audit).toBe("none");
		expect(() =>
			defineTool({
				name: "x",
				parameters: { type: "object" },
				audit: "values" as never,
				run: () => 1,
			}),
		).toThrow(/audit must be "full", "summary" or "none"/);
	});
});
