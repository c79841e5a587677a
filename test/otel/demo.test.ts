/**
 * `npm run demo -- --trace` as a user runs it (Prism and all): the demo's
 * calls, then their spans printed as a tree under the demo's workflow span.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = new URL("../..", import.meta.url).pathname;

describe("npm run demo -- --trace", () => {
	it("prints the spans of the demo's calls, nested under its workflow span", async () => {
		const { stdout } = await run(
			"npm",
			["run", "-s", "demo", "--", "--trace"],
			{
				cwd: root,
				timeout: 90_000,
			},
		);
		const trace = stdout.slice(stdout.indexOf("== Trace"));
		expect(trace).toMatch(
			/^== Trace \(OpenTelemetry, GenAI semantic conventions 1\.41\.0\) ==/,
		);
		const lines = trace.split("\n");
		const spans = lines.filter((line) => /\[(INTERNAL|CLIENT)\]/.test(line));
		expect(spans.map((line) => line.replace(/ {2}\[.*$/, ""))).toEqual([
			"invoke_workflow demo",
			"  chat gpt-5.4-mini",
			"  chat gpt-5.4-mini",
			"  chat gpt-5.4-mini",
			// The evaluators' calls: a local pre block (refused, nothing sent), a post flag.
			"  chat gpt-5.4-mini",
			"  chat gpt-5.4-mini",
		]);
		// One trace for all of them.
		const traces = new Set(
			spans.map((line) => /trace (\w{32})/.exec(line)?.[1]),
		);
		expect(traces.size).toBe(1);
		expect(spans[3]).toContain("ERROR (POST /chat/completions: 451");
		expect(spans[4]).toContain("ERROR");
		expect(trace).toContain('error.type = "EvaluationBlockedError"');
		expect(trace).toContain("gen_ai.evaluation.result");
		expect(trace).toContain('error.type = "PIIBlockedError"');
		expect(trace).toContain("gen_ai.request.stream = true");
		expect(trace).toContain("gen_ai.response.time_to_first_chunk = ");
		expect(trace).toMatch(
			/event monago\.atrium\.attempt monago\.atrium\.attempt=1 http\.response\.status_code=200 monago\.atrium\.audit_id="[^"]+"/,
		);
	}, 120_000);
});
