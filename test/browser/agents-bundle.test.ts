/**
 * The agents entry in a browser bundle: no Node-only import (the trail
 * hashes with WebCrypto), the SDK and the loop taken from the main and
 * skills entries' own files (one copy of each), the main entry's bundle
 * without agents code, and a handoff run whose trail verifies with only web
 * globals.
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
	app = mkdtempSync(join(tmpdir(), "atrium-agents-bundle-"));
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

describe("the agents entry in a browser bundle", () => {
	it("imports nothing but the main and skills entries' own files, in its ESM and CJS builds, and nothing from Node", () => {
		const esm = readFileSync(join(root, "dist/agents.js"), "utf8");
		const imports = [
			...esm.matchAll(/^import\b[^;]*?from\s*"([^"]+)";$/gm),
		].map((m) => m[1]);
		expect(new Set(imports)).toEqual(new Set(["./index.js", "./skills.js"]));
		const cjs = readFileSync(join(root, "dist/agents.cjs"), "utf8");
		const required = [...cjs.matchAll(/require\("([^"]+)"\)/g)].map(
			(m) => m[1],
		);
		expect(new Set(required)).toEqual(new Set(["./index.cjs", "./skills.cjs"]));
		for (const code of [esm, cjs]) {
			expect(code).not.toMatch(/["']node:|\bprocess\.|\bBuffer\b|\bimport\(/);
		}
	});

	it("leaves the main entry's bundle without agents code", async () => {
		const { code, inputs } = await bundle(
			`import { Atrium } from "@monagoio/atrium-sdk";\nexport const client = new Atrium({ apiKey: "k", dangerouslyAllowBrowser: true });`,
		);
		expect(inputs.filter((path) => /agents|skills/.test(path))).toEqual([]);
		expect(code).not.toMatch(/transfer_to_|verifyTrail|MaxTurnsExceeded/);
	});

	it("runs a handoff whose trail verifies, with only web globals", async () => {
		const { code, inputs } = await bundle(
			`export * as sdk from "@monagoio/atrium-sdk";\nexport * as kit from "@monagoio/atrium-sdk/testing";\nexport * as agents from "@monagoio/atrium-sdk/agents";`,
			"iife",
		);
		expect(inputs).toEqual(
			expect.arrayContaining([
				"dist/agents.js",
				"dist/skills.js",
				"dist/index.js",
			]),
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
			const { sdk, kit, agents } = bundle;
			const gateway = kit.mockGateway([
				kit.reply.toolCalls([{ name: "transfer_to_cardiology", arguments: {} }]),
				kit.reply.completion("EKG"),
			]);
			const client = new sdk.Atrium({ apiKey: "sk-mng-edge", fetch: gateway.fetch, dangerouslyAllowBrowser: true });
			const cardiology = new agents.Agent({ name: "cardiology", model: "m" });
			const triage = new agents.Agent({ name: "triage", model: "m", handoffs: [cardiology] });
			const result = await agents.run(client, triage, "Nyeri dada");
			const check = await agents.verifyTrail(result.trail.toJSONL(), { head: result.trail.head });
			return [result.finalOutput, result.trail.map((r) => r.kind), gateway.calls[1].metadata.agent, check.ok, typeof process];
		};`,
			context,
		);
		const result = await (
			context as unknown as { run: () => Promise<unknown[]> }
		).run();
		expect(result).toEqual([
			"EKG",
			["model", "handoff", "model", "end"],
			"cardiology",
			true,
			"undefined",
		]);
	});
});
