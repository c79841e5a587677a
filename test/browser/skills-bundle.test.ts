/**
 * The skills entry in a browser bundle: no Node-only import (it runs in
 * browsers and on the edge), the SDK taken from the main entry's own file
 * (one copy of the client and its errors), the main entry's bundle as it
 * was, and a tool run with only web globals. `skills/node` is the only
 * Node-only entry.
 */
import {
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createContext, runInContext } from "node:vm";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireDist, root } from "../helpers/bundle.js";

let app = "";

beforeAll(() => {
	requireDist();
	app = mkdtempSync(join(tmpdir(), "atrium-skills-bundle-"));
	mkdirSync(join(app, "node_modules/@monagoio"), { recursive: true });
	symlinkSync(root, join(app, "node_modules/@monagoio/atrium-sdk"), "dir");
});

afterAll(() => {
	if (app) rmSync(app, { recursive: true, force: true });
});

async function bundle(source: string, format: "esm" | "iife" = "esm") {
	const result = await build({
		stdin: { contents: source, resolveDir: app, loader: "js" },
		bundle: true,
		write: false,
		metafile: true,
		format,
		...(format === "iife" ? { globalName: "bundle" } : {}),
		platform: "browser",
		target: "es2022",
		logLevel: "silent",
	});
	const inputs = Object.keys(result.metafile.inputs).filter(
		(path) => path !== "<stdin>",
	);
	return { code: result.outputFiles[0]?.text ?? "", inputs };
}

describe("the skills entry in a browser bundle", () => {
	it("imports nothing but the main entry's own file, in its ESM and CJS builds, and nothing from Node", () => {
		const esm = readFileSync(join(root, "dist/skills.js"), "utf8");
		const imports = [
			...esm.matchAll(/^import\b[^;]*?from\s*"([^"]+)";$/gm),
		].map((m) => m[1]);
		expect(new Set(imports)).toEqual(new Set(["./index.js"]));
		const cjs = readFileSync(join(root, "dist/skills.cjs"), "utf8");
		const required = [...cjs.matchAll(/require\("([^"]+)"\)/g)].map(
			(m) => m[1],
		);
		expect(new Set(required)).toEqual(new Set(["./index.cjs"]));
		for (const code of [esm, cjs]) {
			expect(code).not.toMatch(/["']node:|\bprocess\.|\bBuffer\b|\bimport\(/);
		}
	});

	it("bundles for the browser from dist/skills.js and the main entry, with no Node-only code", async () => {
		const { code, inputs } = await bundle(
			`export { runTools, defineTool, defineSkill } from "@monagoio/atrium-sdk/skills";`,
		);
		expect(inputs).toContain("dist/skills.js");
		expect(inputs).toContain("dist/index.js");
		expect(inputs.filter((path) => /skills-node|testing/.test(path))).toEqual(
			[],
		);
		expect(code).not.toMatch(/from\s*["']node:|require\(/);
	});

	it("leaves the main entry's bundle as it was: no skills code in it", async () => {
		const { code, inputs } = await bundle(
			`import { Atrium } from "@monagoio/atrium-sdk";\nexport const client = new Atrium({ apiKey: "k", dangerouslyAllowBrowser: true });`,
		);
		expect(inputs.filter((path) => /skills/.test(path))).toEqual([]);
		expect(code).not.toMatch(/runTools|use_skill|MaxStepsExceeded/);
	});

	it("keeps Node's modules to skills/node, which takes the rest from the other entries' own files", () => {
		const node = readFileSync(join(root, "dist/skills-node.js"), "utf8");
		const imports = [
			...node.matchAll(/^import\b[^;]*?from\s*"([^"]+)";$/gm),
		].map((m) => m[1]);
		expect(new Set(imports)).toEqual(
			new Set(["fs/promises", "path", "url", "./index.js", "./skills.js"]),
		);
	});

	it("runs a two-step tool run with only web globals", async () => {
		const { code } = await bundle(
			`export * as sdk from "@monagoio/atrium-sdk";\nexport * as kit from "@monagoio/atrium-sdk/testing";\nexport * as skills from "@monagoio/atrium-sdk/skills";`,
			"iife",
		);
		const web = {
			Request,
			Response,
			Headers,
			URL,
			TextEncoder,
			TextDecoder,
			AbortController,
			AbortSignal,
			ReadableStream,
			FormData,
			Blob,
			setTimeout,
			clearTimeout,
			crypto,
			console,
			Promise,
			performance,
		};
		const context = createContext({ ...web });
		runInContext(
			`${code}\nglobalThis.run = async () => {
			const { sdk, kit, skills } = bundle;
			const gateway = kit.mockGateway([
				kit.reply.toolCalls([{ name: "ward_of", arguments: { mrn: "MRN-1" } }]),
				kit.reply.completion("Paru"),
			]);
			const client = new sdk.Atrium({ apiKey: "sk-mng-edge", fetch: gateway.fetch, dangerouslyAllowBrowser: true });
			const tool = skills.defineTool({ name: "ward_of", parameters: { type: "object", properties: { mrn: { type: "string" } } }, run: ({ mrn }) => mrn + " di Paru" });
			const result = await skills.runTools(client, { model: "m", messages: [{ role: "user", content: "hi" }] }, { tools: [tool] });
			return [result.content, result.steps.map((s) => s.kind), gateway.calls[1].body.messages[2].content, gateway.calls[1].metadata.step, typeof process];
		};`,
			context,
		);
		const result = await (
			context as unknown as { run: () => Promise<unknown[]> }
		).run();
		expect(result).toEqual([
			"Paru",
			["model", "tool", "model"],
			"MRN-1 di Paru",
			"2",
			"undefined",
		]);
	});
});
