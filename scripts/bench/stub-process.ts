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
