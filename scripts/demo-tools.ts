/**
 * The tool-run part of `npm run demo`: a two-step run (the model asks for a
 * tool, the tool runs, the model answers) with the skills loop. Prism answers
 * every call with its one example and cannot script a tool call followed by
 * an answer, so this part runs through the test kit's mockGateway: the SDK's
 * real call path, parsing and governance on scripted gateway replies.
 */
import { Atrium } from "../src/index.js";
import { defineTool, runTools } from "../src/skills.js";
import { mockGateway, reply } from "../src/testing.js";

/** Runs and prints the two-step tool run. */
export async function demoToolRun(): Promise<void> {
	console.log(
		"\n== Tool run: two steps (through the test kit's mockGateway, as Prism cannot script a tool call followed by an answer) ==",
	);
	const gateway = mockGateway([
		reply.toolCalls(
			[{ name: "lookup_patient", arguments: { mrn: "MRN-0042" } }],
			{
				governance: { cost_idr: 52 },
			},
		),
		reply.completion("Pasien MRN-0042 dirawat di bangsal Paru sejak 2 hari.", {
			governance: { cost_idr: 63.25 },
		}),
	]);
	await using client = new Atrium({
		apiKey: "sk-mng-demo-key",
		fetch: gateway.fetch,
	});
	const lookupPatient = defineTool<{ mrn: string }>({
		name: "lookup_patient",
		description: "Find a patient's record by medical record number",
		parameters: {
			type: "object",
			properties: { mrn: { type: "string", pattern: "^MRN-" } },
			required: ["mrn"],
			additionalProperties: false,
		},
		run: ({ mrn }) => ({ mrn, ward: "Paru", admitted_days: 2 }),
	});
	const run = runTools(
		client,
		{
			model: "gpt-5.4-mini",
			messages: [{ role: "user", content: "Di mana pasien MRN-0042?" }],
		},
		{ tools: [lookupPatient], metadata: { user_id: "dr-rina" } },
	);
	for await (const step of run) {
		if (step.kind === "model") {
			const asked = step.tool_calls.map((call) =>
				call.type === "function" ? call.function.name : call.type,
			);
			console.log(
				`step ${step.step} model  audit_id ${step.audit_id}  cost_idr ${step.cost_idr}  ${asked.length ? `asks for ${asked.join(", ")}` : `answers "${step.content}"`}`,
			);
		} else {
			console.log(
				`step ${step.step} tool   ${step.name}(${JSON.stringify(step.arguments)}) -> ${step.outcome}: ${step.content.split("\n")[0]}`,
			);
		}
	}
	const result = await run;
	console.log(`content:    ${result.content}`);
	console.log(`run_id:     ${result.run_id}`);
	console.log(`audit_ids:  ${JSON.stringify(result.audit_ids)}`);
	console.log(`cost_idr:   ${result.cost_idr}`);
	console.log(`usage:      ${JSON.stringify(result.usage)}`);
	console.log("metadata of each call, as the gateway's audit records get it:");
	for (const call of gateway.calls)
		console.log(`  ${JSON.stringify(call.metadata)}`);
}
