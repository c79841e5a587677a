/**
 * The test kit in a browser bundle: resolved by name through the package's
 * `exports` (browser conditions), with no Node-only import, sharing no code
 * with the main entry (so the main entry's bundle is what it was without the
 * kit), and running with only web globals, as in a browser or on the edge.
 */
import {
	mkdirSync,
	mkdtempSync,
	readdirSync,
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
	// An app whose node_modules holds the package under its name, as a bundler sees it.
	app = mkdtempSync(join(tmpdir(), "atrium-kit-bundle-"));
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
	// Paths relative to the working directory, the repository root: dist/... for the package.
	const inputs = Object.keys(result.metafile.inputs).filter(
		(path) => path !== "<stdin>",
	);
	return { code: result.outputFiles[0]?.text ?? "", inputs };
}

describe("the test kit in a browser bundle", () => {
	it("bundles from dist/testing.js alone, with no Node-only import and no process or Buffer", async () => {
		const { code, inputs } = await bundle(
			`export { mockGateway, reply } from "@monagoio/atrium-sdk/testing";`,
		);
		expect(inputs).toEqual(["dist/testing.js"]);
		expect(code).toContain("mockGateway");
		expect(code).not.toMatch(
			/from\s*["']node:|require\(|\bprocess\b|\bBuffer\b/,
		);
	});

	it("imports no test runner and nothing else, in its ESM and CJS builds alike", () => {
		for (const file of ["dist/testing.js", "dist/testing.cjs"]) {
			const code = readFileSync(join(root, file), "utf8");
			expect(code, file).not.toMatch(
				/vitest|@jest|node:test|require\(|^\s*import\s/m,
			);
		}
	});

	it("leaves the main entry's bundle as it was: no kit code, no chunk shared with the kit", async () => {
		const { code, inputs } = await bundle(
			`import { Atrium } from "@monagoio/atrium-sdk";\nexport const client = new Atrium({ apiKey: "k", dangerouslyAllowBrowser: true });`,
		);
		expect(inputs.some((path) => path.startsWith("dist/"))).toBe(true);
		expect(inputs.filter((path) => /testing/.test(path))).toEqual([]);
		expect(code).not.toContain("mockGateway");
		// The kit's build imports nothing, so code splitting cannot have moved main-entry code into a chunk for it.
		const kit = readFileSync(join(root, "dist/testing.js"), "utf8");
		expect(kit).not.toMatch(/^\s*import\s|\bimport\(|from\s*["']/m);
		const kitChunks = readdirSync(join(root, "dist")).filter(
			(file) =>
				file.endsWith(".js") && file !== "testing.js" && kit.includes(file),
		);
		expect(kitChunks).toEqual([]);
	});

	it("runs with only web globals: a block, a retried 429 and a stream blocked mid-way", async () => {
		const { code } = await bundle(
			`export * as sdk from "@monagoio/atrium-sdk";\nexport * as kit from "@monagoio/atrium-sdk/testing";`,
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
		};
		const context = createContext({ ...web });
		runInContext(
			`${code}\nglobalThis.run = async () => {
			const { sdk, kit } = bundle;
			const { reply } = kit;
			const gateway = kit.mockGateway([
				reply.block("pii", { audit_id: "audit-edge-blk" }),
				reply.rateLimit(),
				reply.completion("edge ok"),
				reply.stream("Batuk dua minggu.", { blockAfter: 1 }),
			]);
			const client = new sdk.Atrium({ apiKey: "sk-mng-edge", fetch: gateway.fetch, dangerouslyAllowBrowser: true });
			const body = { model: "m", messages: [{ role: "user", content: "hi" }] };
			const blocked = await client.chat.completions.create(body).catch((e) => e);
			const ok = await client.chat.completions.create(body);
			const stream = await client.chat.completions.create({ ...body, stream: true });
			const pieces = [];
			const streamError = await (async () => { for await (const c of stream) pieces.push(c.choices[0]?.delta?.content); })().catch((e) => e);
			return [blocked.name, blocked.audit_id, ok.content, ok.attempts.length, pieces, streamError.name, typeof process];
		};`,
			context,
		);
		const result = await (
			context as unknown as { run: () => Promise<unknown[]> }
		).run();
		expect(result).toEqual([
			"PIIBlockedError",
			"audit-edge-blk",
			"edge ok",
			2,
			["Batuk "],
			"PIIBlockedError",
			"undefined",
		]);
	});
});
