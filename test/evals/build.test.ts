/**
 * The built evals entry (dist/): it loads the main entry's own file rather
 * than a copy of it (one client, one set of error classes per app), and
 * bundles for a browser with no Node-only import.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { requireDist, root } from "../helpers/bundle.js";

beforeAll(requireDist);

const read = (file: string) => readFileSync(join(root, "dist", file), "utf8");

describe("the built evals entry", () => {
	it("imports the main entry (ESM) and requires it (CJS) instead of copying its classes", () => {
		const esm = read("evals.js");
		const cjs = read("evals.cjs");
		expect(esm).toMatch(/from "\.\/index\.js"/);
		expect(cjs).toMatch(/require\("\.\/index\.cjs"\)/);
		for (const code of [esm, cjs]) {
			expect(code).not.toMatch(/var (AtriumError|PolicyBlockedError) = class/);
			expect(code).not.toMatch(/from "\.\/chunk-|require\("\.\/chunk-/);
		}
	});

	it("bundles for a browser with no Node-only import", async () => {
		const result = await build({
			stdin: {
				contents: `export * from "@monagoio/atrium-sdk/evals";`,
				resolveDir: root,
			},
			bundle: true,
			write: false,
			format: "esm",
			platform: "browser",
			alias: { "@monagoio/atrium-sdk/evals": join(root, "dist/evals.js") },
			logLevel: "silent",
		});
		const code = result.outputFiles[0]?.text ?? "";
		expect(code).toContain("EvaluationBlockedError");
		expect(code).not.toMatch(/from\s*["']node:|require\(["']/);
	});
});
