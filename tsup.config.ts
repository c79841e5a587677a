import { resolve } from "node:path";
import type { Plugin } from "esbuild";
import { defineConfig, type Options } from "tsup";

// Entries that other entries import at run time: the main entry, and
// src/skills.ts (which skills/node builds on).
const SHARED = ["index", "skills"].map((name) => ({
	name,
	source: resolve("src", `${name}.ts`),
}));

// Subpath entries (src/evals.ts, src/skills.ts, ...) import the main entry as
// "../index.js" (skills/node also "../../skills.js", agents "../skills.js"). In dist/ such an import
// stays an import of that entry's own file, so an app loads one copy of the
// client and its error classes, and the main entry's output is the same as
// when it is built alone.
const mainEntryExternal: Plugin = {
	name: "main-entry-external",
	setup(build) {
		const extension = build.initialOptions.format === "cjs" ? "cjs" : "js";
		build.onResolve({ filter: /^(\.\.\/)+(index|skills)\.js$/ }, (args) => {
			const target = resolve(args.resolveDir, args.path).replace(
				/\.js$/,
				".ts",
			);
			const entry = SHARED.find((shared) => shared.source === target);
			return entry && args.importer !== entry.source
				? { path: `./${entry.name}.${extension}`, external: true }
				: undefined;
		});
	},
};

// The public entries that share chunks, built together: the main one and
// each subpath export. An entry added here renames the shared chunks
// (esbuild's chunk hashes depend on the set of entries), which changes
// dist/index.js even when no code of it changes.
const PUBLIC = Object.fromEntries(
	["index", "testing", "evals", "otel", "skills", "skills-node"].map((name) => [
		name,
		`src/${name}.ts`,
	]),
);

// The code the main entry loads only when a call needs it. As entries of
// their own they keep fixed names (dist/lazy/failure.js, ...), not hashed
// ones: the main entry names each, and a hash in a name does not compress.
const LAZY = {
	"lazy/failure": "src/core/failure.ts",
	"lazy/extras": "src/core/extras.ts",
	"lazy/limits": "src/core/limits.ts",
	"lazy/race": "src/core/race.ts",
	"lazy/stream-call": "src/streaming/stream-call.ts",
};

// Entries whose code is built on its own: each imports the shared entries'
// own files (the plugin above) and shares no chunk, so adding one leaves the
// others' output as it was. Their declarations come with the others'.
const ON_THEIR_OWN = { agents: "src/agents.ts" };

const common = {
	format: ["esm", "cjs"],
	sourcemap: true,
	target: "es2022",
	platform: "neutral",
	// openapi-fetch stays a dependency, resolved by the consumer's bundler or
	// runtime; @opentelemetry/api is an optional peer that users share with
	// their OpenTelemetry SDK (one copy of the API, one global registry).
	external: ["openapi-fetch", "@opentelemetry/api"],
	esbuildPlugins: [mainEntryExternal],
} satisfies Options;

export default defineConfig([
	{
		...common,
		// Each subpath export is its own entry; a feature imports the main entry by its own file.
		entry: { ...PUBLIC, ...LAZY },
		// Node's types for the Node-only entry (skills/node); the others use none
		// (tsconfig.json checks that), so their declarations are unchanged.
		dts: {
			entry: { ...PUBLIC, ...ON_THEIR_OWN },
			compilerOptions: { types: ["node"] },
		},
		// Not the files of the entries built on their own (built at the same time).
		clean: Object.keys(ON_THEIR_OWN).flatMap((name) => {
			return [
				`!${name}.js`,
				`!${name}.cjs`,
				`!${name}.js.map`,
				`!${name}.cjs.map`,
			];
		}),
	},
	{ ...common, entry: ON_THEIR_OWN, dts: false, clean: false },
]);
