/**
 * Starts the Prism mock of openapi/atrium.yaml on a free loopback port, for
 * the contract tests and the demo. Run directly to keep one up by hand:
 *
 *   tsx scripts/mock-gateway.ts            prints its URL, stops on Ctrl-C
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;

/** A running mock gateway. */
export interface MockGateway {
	/** Base URL to give the SDK, e.g. `http://127.0.0.1:41234`. */
	readonly url: string;
	/** Stops Prism and waits for it to exit. */
	stop(): Promise<void>;
}

async function freePort(): Promise<number> {
	const server = createServer();
	server.listen(0, "127.0.0.1");
	await once(server, "listening");
	const address = server.address();
	server.close();
	await once(server, "close");
	if (typeof address !== "object" || address === null)
		throw new Error("could not find a free port");
	return address.port;
}

async function stopChild(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = once(child, "exit");
	child.kill("SIGTERM");
	const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
	await exited;
	clearTimeout(timer);
}

/** Starts Prism on 127.0.0.1 and resolves once it listens (at most `timeoutMs`). */
export async function startMockGateway(
	timeoutMs = 30_000,
): Promise<MockGateway> {
	const port = await freePort();
	const bin = join(root, "node_modules/@stoplight/prism-cli/dist/index.js");
	const child = spawn(
		process.execPath,
		[
			bin,
			"mock",
			join(root, "openapi/atrium.yaml"),
			"-h",
			"127.0.0.1",
			"-p",
			String(port),
		],
		{
			stdio: ["ignore", "pipe", "pipe"],
		},
	);
	let log = "";
	const ready = new Promise<void>((resolve, reject) => {
		const timer = setTimeout(
			() =>
				reject(
					new Error(`Prism did not start within ${timeoutMs} ms:\n${log}`),
				),
			timeoutMs,
		);
		const onData = (chunk: Buffer) => {
			log += chunk.toString();
			if (log.includes("Prism is listening")) {
				clearTimeout(timer);
				resolve();
			}
		};
		child.stdout?.on("data", onData);
		child.stderr?.on("data", onData);
		child.once("exit", (code) => {
			clearTimeout(timer);
			reject(
				new Error(`Prism exited with code ${code} before listening:\n${log}`),
			);
		});
	});
	try {
		await ready;
	} catch (error) {
		await stopChild(child);
		throw error;
	}
	// Drain output so Prism never blocks on a full pipe.
	child.stdout?.resume();
	child.stderr?.resume();
	return { url: `http://127.0.0.1:${port}`, stop: () => stopChild(child) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const gateway = await startMockGateway();
	console.log(`Atrium mock gateway (Prism) listening at ${gateway.url}`);
	const shutdown = () => void gateway.stop().then(() => process.exit(0));
	process.once("SIGINT", shutdown);
	process.once("SIGTERM", shutdown);
}
