/** Starts scripts/bench/gateway-stub.mjs in its own process and resolves with its URL. */
import { spawn } from "node:child_process";
import { once } from "node:events";

export interface StubProcess {
	readonly url: string;
	stop(): Promise<void>;
}

export async function startStubProcess(
	args: string[] = [],
): Promise<StubProcess> {
	const script = new URL("./gateway-stub.mjs", import.meta.url).pathname;
	const child = spawn(process.execPath, [script, ...args], {
		stdio: ["ignore", "pipe", "inherit"],
	});
	const [line] = (await once(child.stdout, "data")) as [Buffer];
	const url = line.toString().trim();
	return {
		url,
		async stop() {
			const exited = once(child, "exit");
			child.kill("SIGTERM");
			await exited;
		},
	};
}

/**
 * A stub process with this SDK (the built dist/, also with three no-op
 * plugins, and a baseline build when ATRIUM_BENCH_BASELINE names its dist/
 * folder) and the `openai` package pointed at it, retries off, for
 * benchmarks that compare them.
 */
export async function startContenders(args: string[] = []) {
	const baselineDist = process.env.ATRIUM_BENCH_BASELINE;
	const [{ Atrium }, { default: OpenAI }, before] = await Promise.all([
		import("../../dist/index.js"),
		import("openai"),
		baselineDist
			? (import(`${baselineDist}/index.js`) as Promise<
					typeof import("../../dist/index.js")
				>)
			: undefined,
	]);
	const stub = await startStubProcess(args);
	const options = {
		apiKey: "sk-mng-bench",
		baseURL: stub.url,
		logLevel: "off",
		maxRetries: 0,
	} as const;
	const atrium = new Atrium(options);
	const noop = (name: string) => ({
		name,
		onRequest() {},
		onAttempt() {},
		onResponse() {},
	});
	const withPlugins = new Atrium({
		...options,
		plugins: [noop("a"), noop("b"), noop("c")],
	});
	const baseline = before ? new before.Atrium(options) : undefined;
	const openai = new OpenAI({
		apiKey: "sk-bench",
		baseURL: stub.url,
		maxRetries: 0,
	});
	return {
		url: stub.url,
		atrium,
		withPlugins,
		baseline,
		openai,
		async stop() {
			await atrium.close();
			await withPlugins.close();
			await baseline?.close();
			await stub.stop();
		},
	};
}
