import { defineConfig } from "vitest/config";

export default defineConfig({
	test: {
		include: ["test/**/*.test.ts"],
		testTimeout: 20_000,
		hookTimeout: 60_000,
		// Prism and the stubs are real processes and sockets; tests must leave none behind.
		pool: "forks",
	},
});
