import type { Plugin } from "esbuild";
import { defineConfig } from "tsup";

// Subpath entries (src/evals.ts, ...) import the main entry as "../index.js".
// In dist/ that import stays an import of the main entry's own file, so an
// app loads one copy of the client and its error classes, and the main
// entry's output is the same as when it is built alone.
const mainEntryExternal: Plugin = {
	name: "main-entry-external",
	setup(build) {
		const file =
			build.initialOptions.format === "cjs" ? "./index.cjs" : "./index.js";
		build.onResolve({ filter: /^\.\.\/index\.js$/ }, (args) =>
			/\/src\/[^/]+\/[^/]+\.ts$/.test(args.importer)
				? { path: file, external: true }
				: undefined,
		);
	},
};

export default defineConfig({
	// Each subpath export is its own entry; the test kit shares no code with the main entry.
	entry: ["src/index.ts", "src/testing.ts", "src/evals.ts"],
	format: ["esm", "cjs"],
	dts: true,
	sourcemap: true,
	clean: true,
	target: "es2022",
	platform: "neutral",
	// openapi-fetch stays a dependency, resolved by the consumer's bundler or runtime.
	external: ["openapi-fetch"],
	esbuildPlugins: [mainEntryExternal],
});
