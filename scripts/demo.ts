/**
 * The quickstart, run against the Prism mock of the gateway:
 *
 *   npm install && npm run demo            (add -- --trace for the spans)
 *
 * Starts Prism on a free loopback port, makes an allowed call, a streamed
 * call, a PII-blocked call and two evaluated calls (a local pre block, a
 * post flag), prints what a user sees, and stops Prism; then a two-step
 * tool run through the test kit (see demo-tools.ts). With `--trace`, the
 * calls to Prism run inside an `invoke_workflow demo` span with the tracing
 * plugin, and their spans are printed at the end.
 *
 *   npm run demo -- agents                 (an agent run's trail)
 *
 * `agents` runs a triage agent that hands over to a specialist, through the
 * test kit (see demo-agents.ts), and prints every record of its trail.
 */
import {
	EvaluationBlockedError,
	evaluate,
	keywords,
	pii,
} from "../src/evals.js";
import {
	Atrium,
	isAtriumError,
	PIIBlockedError,
	PolicyBlockedError,
} from "../src/index.js";
import { demoAgentRun } from "./demo-agents.js";
import { demoToolRun } from "./demo-tools.js";
import { startDemoTracing } from "./demo-trace.js";
import { startMockGateway } from "./mock-gateway.js";

/** The quickstart against Prism, then the tool run. */
async function quickstart(): Promise<void> {
	const tracing = process.argv.includes("--trace")
		? startDemoTracing()
		: undefined;
	const gateway = await startMockGateway();
	console.log(`Mock gateway (Prism, openapi/atrium.yaml) at ${gateway.url}\n`);

	try {
		await using client = new Atrium({
			apiKey: "sk-mng-demo-key",
			baseURL: gateway.url,
			plugins: tracing ? [tracing.plugin] : [],
		});
		const run = (work: () => Promise<void>) =>
			tracing?.plugin.wrap
				? tracing.plugin.wrap(
						{ kind: "invoke_workflow", name: "demo", attributes: {} },
						work,
					)
				: work();
		await run(async () => {
			const res = await client.chat.completions.create({
				model: "gpt-5.4-mini",
				messages: [
					{
						role: "user",
						content: "Pasien NIK 3201010101010001 batuk 2 minggu",
					},
				],
			});
			console.log("== Allowed call ==");
			console.log(`content:        ${res.content}`);
			console.log(`finish_reason:  ${res.choices[0]?.finish_reason}`);
			console.log(
				`tokens:         ${res.usage.prompt_tokens} prompt + ${res.usage.completion_tokens} completion = ${res.usage.total_tokens}`,
			);
			console.log("governance:");
			for (const [field, value] of Object.entries(res.governance)) {
				console.log(`  ${field.padEnd(20)} ${JSON.stringify(value)}`);
			}

			console.log("\n== Streamed call ==");
			const stream = await client.chat.completions.create({
				model: "gpt-5.4-mini",
				messages: [{ role: "user", content: "Ringkas: batuk 2 minggu" }],
				stream: true,
			});
			console.log(
				`audit_id before the first chunk: ${stream.governance.audit_id}`,
			);
			process.stdout.write("chunks: ");
			for await (const chunk of stream) {
				const piece = chunk.choices[0]?.delta?.content;
				if (piece) process.stdout.write(`[${piece}]`);
			}
			const streamed = await stream.finalCompletion();
			console.log(
				`\njoined: ${streamed.content} (finish_reason ${streamed.choices[0]?.finish_reason}, ${streamed.usage.total_tokens} tokens from the last, usage-only chunk)`,
			);

			console.log(
				"\n== Blocked call (the mock is asked for its pii_blocked example) ==",
			);
			try {
				await client.chat.completions.create(
					{
						model: "gpt-5.4-mini",
						messages: [
							{ role: "user", content: "NIK 3201010101010001, diagnosa?" },
						],
					},
					{ headers: { Prefer: "code=451, example=pii_blocked" } },
				);
				throw new Error("expected the gateway to block this call");
			} catch (error) {
				if (!(error instanceof PIIBlockedError)) throw error;
				console.log(`error class:     ${error.name}`);
				console.log(`message:         ${error.message}`);
				console.log(`status_code:     ${error.status_code}`);
				console.log(`code:            ${error.code}`);
				console.log(`audit_id:        ${error.audit_id}`);
				console.log(`policy_decision: ${error.policy_decision}`);
				console.log(`block_reason:    ${error.block_reason}`);
				console.log(
					`pii_redacted:    ${JSON.stringify(error.governance.pii_redacted)}`,
				);
			}

			console.log("\n== Evaluators (@monagoio/atrium-sdk/evals) ==");
			const guarded = client.withOptions({
				plugins: [
					evaluate([
						pii({ phase: "pre", action: "block" }),
						keywords({
							name: "medical-terms",
							phase: "post",
							deny: [/\btuberkulosis\b/i],
							action: "flag",
						}),
					]),
				],
			});
			try {
				await guarded.chat.completions.create({
					model: "gpt-5.4-mini",
					messages: [
						{ role: "user", content: "NIK 3201010101010001, diagnosa?" },
					],
				});
				throw new Error("expected the pii evaluator to block this call");
			} catch (error) {
				if (!(error instanceof EvaluationBlockedError)) throw error;
				console.log("Local pre block (nothing reached the gateway):");
				console.log(`  error class:           ${error.name}`);
				console.log(
					`  instanceof PolicyBlockedError: ${error instanceof PolicyBlockedError}`,
				);
				console.log(`  message:               ${error.message}`);
				console.log(`  audit_id:              ${error.audit_id}`);
				console.log(
					`  evaluation:            ${JSON.stringify(error.evaluation)}`,
				);
			}
			const flagged = await guarded.chat.completions.create({
				model: "gpt-5.4-mini",
				messages: [{ role: "user", content: "Batuk 2 minggu, perlu apa?" }],
			});
			console.log("Post flag (the answer is returned, the verdicts recorded):");
			console.log(`  content:     ${flagged.content}`);
			console.log(`  audit_id:    ${flagged.governance.audit_id}`);
			for (const evaluation of flagged.evaluations) {
				console.log(`  evaluation:  ${JSON.stringify(evaluation)}`);
			}
		});
		await demoToolRun();
	} catch (error) {
		console.error(isAtriumError(error) ? error.toJSON() : error);
		process.exitCode = 1;
	} finally {
		await gateway.stop();
		await tracing?.finish();
	}
}

if (process.argv.includes("agents")) await demoAgentRun();
else await quickstart();
