import { defineConfig } from "tsup";

export default defineConfig({
	// Each subpath export is its own entry; the test kit shares no code with the main entry.
	entry: ["src/index.ts", "src/testing.ts"],
	format: ["esm", "cjs"],
	dts: true,
	sourcemap: true,
	clean: true,
	target: "es2022",
	platform: "neutral",
	// openapi-fetch stays a dependency, resolved by the consumer's bundler or runtime.
	external: ["openapi-fetch"],
});
