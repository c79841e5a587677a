/**
 * Skills: the Agent Skills rules of defineSkill, and progressive disclosure
 * in a run (names and descriptions first, instructions and tools on
 * use_skill, resources on read_resource).
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/index.js";
import {
	defineSkill,
	defineTool,
	READ_RESOURCE,
	runTools,
	USE_SKILL,
} from "../../src/skills.js";
import { reply } from "../../src/testing.js";
import { BODY, kitClient, lookupTool } from "./helpers.js";

const INSTRUCTIONS =
	"Always confirm the MRN with the nurse before reading a record.";
const GUIDE = "Ward codes: PARU = pulmonology.";

function ehrSkill(activate?: "always") {
	return defineSkill({
		name: "ehr-lookup",
		version: "1.2.0",
		description: "Look up patient records in the hospital EHR",
		instructions: INSTRUCTIONS,
		tools: [lookupTool()],
		resources: {
			"references/wards.md": GUIDE,
			"references/lazy.md": async () => "read when asked",
		},
		activate,
	});
}

const labSkill = defineSkill({
	name: "lab-results",
	description: "Read laboratory results",
	instructions: "Report values with their units.",
});

describe("defineSkill", () => {
	it.each([
		["ehr-lookup", null],
		["a", null],
		["x2-y3", null],
		["EHR", /lower-case letters, digits and hyphens/],
		["-ehr", /must not start or end with a hyphen/],
		["ehr-", /must not start or end with a hyphen/],
		["ehr--lookup", /must not contain consecutive hyphens/],
		["ehr_lookup", /lower-case letters, digits and hyphens/],
		["a".repeat(65), /at most 64 characters/],
		["", /non-empty/],
	])("name %j", (name, problem) => {
		const make = () =>
			defineSkill({ name, description: "d", instructions: "" });
		if (problem === null) expect(make().name).toBe(name);
		else expect(make).toThrow(problem);
	});

	it("checks the description and compatibility limits and the fields' types", () => {
		const base = { name: "s", instructions: "" };
		expect(() => defineSkill({ ...base, description: "" })).toThrow(
			/description must be a non-empty string/,
		);
		expect(() =>
			defineSkill({ ...base, description: "d".repeat(1025) }),
		).toThrow(/at most 1024 characters/);
		expect(() =>
			defineSkill({
				...base,
				description: "d",
				compatibility: "c".repeat(501),
			}),
		).toThrow(/at most 500/);
		expect(() =>
			defineSkill({ ...base, description: "d", tools: [{} as never] }),
		).toThrow(InvalidInputError);
		expect(() =>
			defineSkill({
				...base,
				description: "d",
				activate: "sometimes" as never,
			}),
		).toThrow(/"always" or "on-demand"/);
	});

	it("gives a frozen skill that reads its resources", async () => {
		const skill = ehrSkill();
		expect(Object.isFrozen(skill)).toBe(true);
		expect(skill).toMatchObject({
			version: "1.2.0",
			activate: "on-demand",
			resources: ["references/wards.md", "references/lazy.md"],
		});
		expect(await skill.readResource("references/lazy.md")).toBe(
			"read when asked",
		);
		await expect(skill.readResource("../../etc/passwd")).rejects.toThrow(
			/has no resource/,
		);
	});
});

describe("runTools with skills: progressive disclosure", () => {
	it("shows only names and descriptions first; use_skill gives the instructions and, from the next step, the tools", async () => {
		const { client, gateway } = kitClient([
			reply.toolCalls([{ name: USE_SKILL, arguments: { name: "ehr-lookup" } }]),
			reply.toolCalls([
				{ name: "lookup_patient", arguments: { mrn: "MRN-1" } },
			]),
			reply.toolCalls([
				{
					name: READ_RESOURCE,
					arguments: { skill: "ehr-lookup", name: "references/wards.md" },
				},
			]),
			reply.completion("Pasien A di bangsal paru"),
		]);
		const result = await runTools(client, BODY, {
			skills: [ehrSkill(), labSkill],
		});
		const [first, second, third] = gateway.calls;
		expect(first?.body?.messages).toEqual(BODY.messages);
		expect(
			first?.body?.tools?.map((t) => t.type === "function" && t.function.name),
		).toEqual([USE_SKILL]);
		const useSkill = first?.body?.tools?.[0];
		const description =
			useSkill?.type === "function" ? useSkill.function.description : "";
		expect(description).toContain(
			"- ehr-lookup: Look up patient records in the hospital EHR",
		);
		expect(description).toContain("- lab-results: Read laboratory results");
		// Nothing of a skill but its name and description before it is activated.
		expect(first?.text).not.toContain(INSTRUCTIONS);
		expect(first?.text).not.toContain("lookup_patient");
		expect(first?.text).not.toContain("wards.md");

		const disclosed = second?.body?.messages.at(-1);
		expect(disclosed).toMatchObject({
			role: "tool",
			tool_call_id: "call_mock_1_1",
		});
		expect(disclosed?.content).toContain(INSTRUCTIONS);
		expect(disclosed?.content).toContain(
			'<skill name="ehr-lookup" version="1.2.0">',
		);
		expect(disclosed?.content).toContain("references/wards.md");
		expect(
			second?.body?.tools?.map((t) => t.type === "function" && t.function.name),
		).toEqual(["lookup_patient", USE_SKILL, READ_RESOURCE]);
		expect(third?.body?.messages.at(-1)?.content).toContain('"ward":"Paru"');
		expect(
			result.steps
				.filter((s) => s.kind === "tool")
				.map((s) => [s.name, s.skill, s.outcome]),
		).toEqual([
			[USE_SKILL, null, "ok"],
			["lookup_patient", "ehr-lookup", "ok"],
			[READ_RESOURCE, null, "ok"],
		]);
		expect(gateway.calls[3]?.body?.messages.at(-1)?.content).toBe(GUIDE);
		expect(result.active_skills).toEqual(["ehr-lookup"]);
	});

	it("refuses a skill's tool until the skill is active, and a resource of a skill that is not", async () => {
		const { client, gateway } = kitClient([
			reply.toolCalls([
				{ name: "lookup_patient", arguments: { mrn: "MRN-1" } },
				{
					name: READ_RESOURCE,
					arguments: { skill: "ehr-lookup", name: "references/wards.md" },
				},
			]),
			reply.completion("ok"),
		]);
		const result = await runTools(client, BODY, {
			skills: [ehrSkill(), labSkill],
		});
		expect(
			result.steps.filter((s) => s.kind === "tool").map((s) => s.outcome),
		).toEqual(["unknown_tool", "error"]);
		expect(
			gateway.calls[1]?.body?.messages.slice(-2).map((m) => m.content),
		).toEqual([
			'Error: the tool "lookup_patient" belongs to the skill "ehr-lookup": activate it with use_skill first.',
			'Error: the skill "ehr-lookup" is not active: activate it with use_skill first',
		]);
	});

	it("puts an always-active skill's instructions in a system message and its tools in from the first step", async () => {
		const { client, gateway } = kitClient([reply.completion("ok")]);
		const result = await runTools(client, BODY, {
			skills: [ehrSkill("always"), labSkill],
			instructions: "You assist ward nurses.",
		});
		const first = gateway.calls[0]?.body;
		expect(first?.messages[0]).toEqual({
			role: "system",
			content: expect.stringMatching(
				/^You assist ward nurses\.\n\n<skill name="ehr-lookup" version="1.2.0">\nAlways confirm/,
			),
		});
		expect(first?.messages.slice(1)).toEqual(BODY.messages);
		expect(
			first?.tools?.map((t) => t.type === "function" && t.function.name),
		).toEqual(["lookup_patient", USE_SKILL, READ_RESOURCE]);
		const useSkill = first?.tools?.[1];
		expect(
			useSkill?.type === "function" && useSkill.function.description,
		).not.toContain("ehr-lookup");
		expect(result.messages[0]).toEqual(first?.messages[0]);
	});

	it("refuses a signal that is not an AbortSignal with InvalidInputError, sending nothing", async () => {
		const { client, gateway } = kitClient([reply.completion("x")]);
		for (const signal of [{ addEventListener: 1 }, "stop", { aborted: false }])
			await expect(
				runTools(client, BODY, { signal: signal as never }),
			).rejects.toThrow(
				expect.objectContaining({
					name: "InvalidInputError",
					message: "signal must be an AbortSignal",
				}),
			);
		expect(gateway.calls).toHaveLength(0);
	});

	it("says which tool names clash, built-in ones included", async () => {
		const { client } = kitClient([reply.completion("x")]);
		await expect(
			runTools(client, BODY, { tools: [lookupTool()], skills: [ehrSkill()] }),
		).rejects.toThrow(
			'tool names must be unique in a run: "lookup_patient" is given by options.tools[0] and by the skill "ehr-lookup"',
		);
		const own = defineTool({
			name: USE_SKILL,
			parameters: { type: "object" },
			run: () => "",
		});
		await expect(
			runTools(client, BODY, { tools: [own], skills: [labSkill] }),
		).rejects.toThrow(
			'"use_skill" is built in when a run has skills, and is also given by options.tools[0]',
		);
		await expect(
			runTools(client, BODY, { skills: [labSkill, labSkill] }),
		).rejects.toThrow(
			'skill names must be unique in a run: "lab-results" is given twice',
		);
		// Without skills, a tool may be called use_skill.
		await expect(
			runTools(client, BODY, { tools: [own] }),
		).resolves.toMatchObject({ content: "x" });
	});
});
