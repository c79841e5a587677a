/**
 * The README's "Skills and tools" example, run as a user runs it: its code
 * block, with the package's names pointed at this repository's sources, in a
 * child process (tsx) against the Prism mock of the spec.
 */
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { usePrism } from "../helpers/prism.js";

const run = promisify(execFile);
const root = new URL("../..", import.meta.url).pathname;
const prism = usePrism();
// Inside the repository, so `zod` resolves from its node_modules.
const dir = join(root, "node_modules/.cache/atrium-readme");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function example(): string {
	const readme = readFileSync(join(root, "README.md"), "utf8");
	const section = readme.slice(readme.indexOf("## Skills and tools"));
	const block = /```ts\n(\/\/ skills-example\.ts[\s\S]*?)```/.exec(
		section,
	)?.[1];
	if (!block)
		throw new Error(
			"README: no skills-example.ts block under Skills and tools",
		);
	return block
		.replace(
			'"@monagoio/atrium-sdk/skills"',
			JSON.stringify(join(root, "src/skills.ts")),
		)
		.replace(
			'"@monagoio/atrium-sdk"',
			JSON.stringify(join(root, "src/index.ts")),
		);
}

describe("README: Skills and tools", () => {
	it("runs its example against the mock (npm run mock)", async () => {
		mkdirSync(dir, { recursive: true });
		// .mts: an ES module wherever it lies, so top-level await works.
		const file = join(dir, "skills-example.mts");
		writeFileSync(file, example());
		const { stdout } = await run(join(root, "node_modules/.bin/tsx"), [file], {
			cwd: root,
			env: { ...process.env, ATRIUM_BASE_URL: prism.url, ATRIUM_LOG: "off" },
		});
		const lines = stdout.trim().split("\n");
		// Prism answers with the spec's example at once: one model step, then the result.
		expect(lines[0]).toBe("model 1 audit-7f3c2a91");
		expect(lines[1]).toMatch(
			/ \[ 'audit-7f3c2a91' \] 87\.25 run-[0-9a-f-]{36}$/,
		);
		expect(lines).toHaveLength(2);
	});
});
