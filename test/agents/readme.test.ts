/**
 * The README's "Agents" example and `npm run demo -- agents`, run as a user
 * runs them: the code block, with the package's names pointed at this
 * repository's sources, in a child process (tsx); and the demo script.
 */
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const exec = promisify(execFile);
const root = new URL("../..", import.meta.url).pathname;
const dir = join(root, "node_modules/.cache/atrium-readme-agents");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function example(): string {
	const readme = readFileSync(join(root, "README.md"), "utf8");
	const section = readme.slice(readme.indexOf("## Agents"));
	const block = /```ts\n(\/\/ agents-example\.ts[\s\S]*?)```/.exec(
		section,
	)?.[1];
	if (!block)
		throw new Error("README: no agents-example.ts block under Agents");
	let code = block;
	const entries: [string, string][] = [
		["@monagoio/atrium-sdk/agents", "src/agents.ts"],
		["@monagoio/atrium-sdk/skills", "src/skills.ts"],
		["@monagoio/atrium-sdk/testing", "src/testing.ts"],
		["@monagoio/atrium-sdk", "src/index.ts"],
	];
	for (const [name, file] of entries)
		code = code.replace(`"${name}"`, JSON.stringify(join(root, file)));
	return code;
}

describe("README: Agents", () => {
	it("runs its triage example: the answer, the cost per agent, the trail, verified", async () => {
		mkdirSync(dir, { recursive: true });
		const file = join(dir, "agents-example.mts");
		writeFileSync(file, example());
		const { stdout } = await exec(join(root, "node_modules/.bin/tsx"), [file], {
			cwd: root,
			env: { ...process.env, ATRIUM_LOG: "off" },
		});
		const lines = stdout.trim().split("\n");
		expect(lines[0]).toBe(
			"Rekam EKG sekarang. cardiology { triage: 12.5, cardiology: 40.1 }",
		);
		expect(lines.slice(1, 7)).toEqual([
			"1 model triage audit-mock-1",
			"2 handoff triage transfer_to_cardiology",
			"3 model cardiology audit-mock-2",
			"4 tool cardiology read_record",
			"5 model cardiology audit-mock-3",
			"6 end cardiology ",
		]);
		expect(lines.slice(7).join("\n")).toMatch(
			/^\{\s+ok: true,\s+records: 6,\s+run_id: 'run-[0-9a-f-]{36}',\s+head: '[0-9a-f]{64}'\s+\}$/,
		);
	});

	it("npm run demo -- agents prints the trail, verifies it, and finds an edited record", async () => {
		const { stdout } = await exec(
			"npm",
			["run", "-s", "demo", "--", "agents"],
			{
				cwd: root,
				env: { ...process.env, ATRIUM_LOG: "off" },
			},
		);
		expect(stdout).toMatch(/^ {3}2 handoff +triage +transfer_to_cardiology /m);
		expect(stdout).toMatch(/^ {3}6 end +cardiology /m);
		expect(stdout).toContain(
			'verifyTrail(jsonl, { head }): {"ok":true,"records":6,',
		);
		expect(stdout).toContain(
			`after editing record 1's cost: {"ok":false,"seq":1,"reason":"record 1's hash does not match its content: it was edited"}`,
		);
		// The tool's values stay out of the trail (its audit is "summary").
		expect(stdout).not.toContain("Jantung");
		expect(stdout).not.toContain('"mrn":"MRN-0042"');
	});
});
