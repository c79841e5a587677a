/** Builds browser bundles of the built package (dist/) with esbuild, for the budget and browser tests. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { build, type Plugin } from "esbuild";

export const root = new URL("../..", import.meta.url).pathname;

export function requireDist(): void {
	if (!existsSync(join(root, "dist/index.js"))) {
		throw new Error(
			"dist/ is missing: run `npm run build` first (npm test does)",
		);
	}
}

/** The chunks the SDK loads only when a call needs them: a stream, plugins or metadata, a failed attempt. */
export const LAZY_CHUNKS = /\/lazy\/[\w-]+\.js$/;

/** Leaves the lazily loaded chunks out of the bundle, as a browser loads each only when a call needs it. */
export const lazyExternal: Plugin = {
	name: "lazy-external",
	setup(builder) {
		builder.onResolve({ filter: LAZY_CHUNKS }, (args) => ({
			path: args.path,
			external: true,
		}));
	},
};

/** Bundles `source` (which imports "@monagoio/atrium-sdk") for the browser, from dist/. */
export async function bundle(
	source: string,
	options: {
		format: "esm" | "iife";
		minify: boolean;
		plugins?: Plugin[];
		splitting?: boolean;
		globalName?: string;
	},
) {
	const result = await build({
		stdin: { contents: source, resolveDir: root, loader: "ts" },
		bundle: true,
		write: false,
		outdir: "/virtual-out",
		...(options.globalName ? { globalName: options.globalName } : {}),
		format: options.format,
		splitting: options.splitting ?? false,
		platform: "browser",
		target: "es2022",
		minify: options.minify,
		alias: { "@monagoio/atrium-sdk": join(root, "dist/index.js") },
		plugins: options.plugins ?? [],
		logLevel: "silent",
	});
	return result.outputFiles;
}
