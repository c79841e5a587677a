import { defineConfig } from "tsup";

export default defineConfig({
	// Each subpath export is its own entry; none shares code with the main entry.
	entry: ["src/index.ts", "src/testing.ts", "src/otel.ts"],
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
});
