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
 * A stub process with this SDK (the built dist/) and the `openai` package
 * pointed at it, retries off, for benchmarks that compare them.
 */
export async function startContenders(args: string[] = []) {
	const [{ Atrium }, { default: OpenAI }] = await Promise.all([
		import("../../dist/index.js"),
		import("openai"),
	]);
	const stub = await startStubProcess(args);
	const atrium = new Atrium({
		apiKey: "sk-mng-bench",
		baseURL: stub.url,
		logLevel: "off",
		maxRetries: 0,
	});
	const openai = new OpenAI({
		apiKey: "sk-bench",
		baseURL: stub.url,
		maxRetries: 0,
	});
	return {
		url: stub.url,
		atrium,
		openai,
		async stop() {
			await atrium.close();
			await stub.stop();
		},
	};
}
