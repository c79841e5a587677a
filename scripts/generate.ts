/**
 * Writes generated/atrium.ts from openapi/atrium.yaml with openapi-typescript.
 *
 *   tsx scripts/generate.ts          regenerate
 *   tsx scripts/generate.ts --check  fail when generated/ differs from a fresh generation
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const spec = join(root, "openapi/atrium.yaml");
const target = join(root, "generated/atrium.ts");
const bin = join(root, "node_modules/openapi-typescript/bin/cli.js");

function generate(): string {
	const dir = mkdtempSync(join(tmpdir(), "atrium-gen-"));
	try {
		const out = join(dir, "atrium.ts");
		// --default-non-nullable=false keeps fields with a default (such as `stream`) optional.
		execFileSync(
			process.execPath,
			[bin, spec, "-o", out, "--default-non-nullable=false"],
			{
				stdio: ["ignore", "ignore", "inherit"],
			},
		);
		return readFileSync(out, "utf8");
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

const fresh = generate();
if (process.argv.includes("--check")) {
	let current = "";
	try {
		current = readFileSync(target, "utf8");
	} catch {
		// missing counts as different
	}
	if (current !== fresh) {
		console.error(
			"generated/atrium.ts differs from a fresh generation of openapi/atrium.yaml: run `npm run generate` and commit it.",
		);
		process.exit(1);
	}
	console.log("generated/atrium.ts is up to date with openapi/atrium.yaml");
} else {
	writeFileSync(target, fresh);
	console.log("wrote generated/atrium.ts");
}
