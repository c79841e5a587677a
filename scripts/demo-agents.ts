/**
 * `npm run demo -- agents`: a triage agent hands a patient's question to a
 * cardiology agent, which reads the record with a tool and answers; then the
 * run's trail is printed record by record, verified, and verified again
 * after one record is edited. Prism answers every call with its one example
 * and cannot script a handoff, so this runs through the test kit's
 * mockGateway: the SDK's real call path, parsing and governance on scripted
 * gateway replies.
 */
import { Agent, run, verifyTrail } from "../src/agents.js";
import { Atrium } from "../src/index.js";
import { defineTool } from "../src/skills.js";
import { mockGateway, reply } from "../src/testing.js";

/** Runs the triage example and prints its trail. */
export async function demoAgentRun(): Promise<void> {
	console.log(
		"== Agents: triage hands over to cardiology (through the test kit's mockGateway, as Prism cannot script a handoff) ==",
	);
	const gateway = mockGateway([
		reply.toolCalls([{ name: "transfer_to_cardiology", arguments: {} }], {
			governance: { cost_idr: 12.5 },
		}),
		reply.toolCalls([{ name: "read_record", arguments: { mrn: "MRN-0042" } }], {
			governance: { cost_idr: 20 },
		}),
		reply.completion(
			"Nyeri dada 2 jam dengan riwayat hipertensi: rekam EKG sekarang.",
			{
				governance: { cost_idr: 20.1 },
			},
		),
	]);
	await using client = new Atrium({
		apiKey: "sk-mng-demo-key",
		fetch: gateway.fetch,
	});
	const readRecord = defineTool<{ mrn: string }>({
		name: "read_record",
		description: "Read a patient's record by medical record number",
		parameters: {
			type: "object",
			properties: { mrn: { type: "string", pattern: "^MRN-" } },
			required: ["mrn"],
		},
		// The default: the trail keeps types, sizes and keys, never the values.
		audit: "summary",
		run: ({ mrn }) => ({ mrn, history: ["hipertensi"], ward: "Jantung" }),
	});
	const cardiology = new Agent({
		name: "cardiology",
		model: "gpt-5.4-mini",
		description: "Chest pain, palpitations, heart conditions",
		instructions:
			"You are a cardiology assistant. Read the record before advising.",
		tools: [readRecord],
	});
	const billing = new Agent({
		name: "billing",
		model: "gpt-5.4-mini",
		description: "Invoices and payments",
		instructions: "You answer billing questions.",
	});
	const triage = new Agent({
		name: "triage",
		model: "gpt-5.4-mini",
		instructions: "Route the patient's question to the right department.",
		handoffs: [cardiology, billing],
	});
	const result = await run(
		client,
		triage,
		"Pasien MRN-0042 nyeri dada sejak pagi",
		{
			maxTurns: 10,
			maxCostIdr: 5_000,
			metadata: { user_id: "dr-rina" },
		},
	);
	console.log(`finalOutput: ${result.finalOutput}`);
	console.log(`lastAgent:   ${result.lastAgent.name}`);
	console.log(`run_id:      ${result.run_id}`);
	console.log(
		`cost_idr:    ${result.cost_idr} (by agent ${JSON.stringify(result.costByAgent)})`,
	);
	console.log("metadata of each call, as the gateway's audit records get it:");
	for (const call of gateway.calls)
		console.log(`  ${JSON.stringify(call.metadata)}`);
	console.log("the trail:");
	for (const record of result.trail) {
		const what = record.tool ?? record.audit_id ?? "";
		console.log(
			`  ${String(record.seq).padStart(2)} ${record.kind.padEnd(8)} ${String(record.agent).padEnd(11)} ${what.padEnd(23)} ${JSON.stringify(record.arguments)} -> ${JSON.stringify(record.result_summary)}  prev ${record.prev_hash?.slice(0, 12) ?? "null        "} hash ${record.hash.slice(0, 12)}`,
		);
	}
	console.log(`head: ${result.trail.head}`);
	const jsonl = result.trail.toJSONL();
	console.log("the first JSONL line, for the audit store:");
	console.log(`  ${jsonl.split("\n")[0]}`);
	console.log(
		`verifyTrail(jsonl, { head }): ${JSON.stringify(await verifyTrail(jsonl, { head: result.trail.head }))}`,
	);
	const edited = jsonl.replace('"cost_idr":12.5', '"cost_idr":1.5');
	console.log(
		`after editing record 1's cost: ${JSON.stringify(await verifyTrail(edited, { head: result.trail.head }))}`,
	);
}
