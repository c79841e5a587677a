/**
 * Hostile text: 1 MB inputs that make careless patterns backtrack run
 * through every detector and the keyword evaluator, in a child process with
 * a generous bound (a catastrophic pattern would take minutes or hours), so
 * this file never times anything itself.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = new URL("../..", import.meta.url).pathname;

describe("the detectors on hostile 1 MB inputs", () => {
	it("finish, and find nothing in text that holds nothing", async () => {
		const { stdout } = await run(
			process.execPath,
			["--import", "tsx", "test/evals/fixtures/hostile-scan.ts"],
			{ cwd: root, timeout: 120_000, maxBuffer: 1 << 20 },
		);
		const counts = JSON.parse(stdout) as Record<string, number>;
		expect(Object.keys(counts)).toHaveLength(12);
		for (const [name, count] of Object.entries(counts))
			expect(count, name).toBe(0);
	}, 130_000);
});
