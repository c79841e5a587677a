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
	// Each subpath export is its own entry; a feature imports the main entry by its own file.
	entry: ["src/index.ts", "src/testing.ts", "src/evals.ts", "src/otel.ts"],
	format: ["esm", "cjs"],
	dts: true,
	sourcemap: true,
	clean: true,
	target: "es2022",
	platform: "neutral",
	// openapi-fetch stays a dependency, resolved by the consumer's bundler or
	// runtime; @opentelemetry/api is an optional peer that users share with
	// their OpenTelemetry SDK (one copy of the API, one global registry).
	external: ["openapi-fetch", "@opentelemetry/api"],
	esbuildPlugins: [mainEntryExternal],
});
