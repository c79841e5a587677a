/**
 * The Prism mock of openapi/atrium.yaml, for the contract tests, the demo and
 * by hand. It serves the spec's paths under its server URL's base path
 * (`/v1`), as the gateway does, so the URL it gives is a `baseURL` as is:
 *
 *   npm run mock                   a free port; prints the base URL
 *   npm run mock -- --port 4010    a fixed port (or PORT=4010 npm run mock)
 *
 * Ctrl-C or SIGTERM stops Prism with it. (`npm run mock` execs tsx, so npm's
 * SIGTERM reaches this process rather than an intermediate shell.)
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";

const root = new URL("..", import.meta.url).pathname;
const SPEC = join(root, "openapi/atrium.yaml");

/** A running mock gateway. */
export interface MockGateway {
	/** Base URL to give the SDK, e.g. `http://127.0.0.1:41234/v1`. */
	readonly url: string;
	/** Stops Prism and waits for it to exit. */
	stop(): Promise<void>;
}

/** Where and how long to start the mock. */
export interface MockGatewayOptions {
	/** The port to listen on; a free one when absent or 0. */
	port?: number;
	/** How long to wait for Prism to listen; 30 s by default. */
	timeoutMs?: number;
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

/**
 * Prism ignores the servers' base path, so it is given a copy of the spec
 * whose paths carry it: `/v1/chat/completions`, as the gateway serves it.
 */
function specWithBasePath(dir: string): { file: string; basePath: string } {
	const spec = parse(readFileSync(SPEC, "utf8")) as {
		servers?: { url: string }[];
		paths: Record<string, unknown>;
	};
	const server = spec.servers?.[0]?.url;
	const basePath = server ? new URL(server).pathname.replace(/\/$/, "") : "";
	spec.paths = Object.fromEntries(
		Object.entries(spec.paths).map(([path, item]) => [basePath + path, item]),
	);
	const file = join(dir, "atrium.json");
	writeFileSync(file, JSON.stringify(spec));
	return { file, basePath };
}

async function stopChild(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = once(child, "exit");
	child.kill("SIGTERM");
	const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
	await exited;
	clearTimeout(timer);
}

/** Starts Prism on 127.0.0.1 and resolves once it listens. */
export async function startMockGateway(
	options: MockGatewayOptions = {},
): Promise<MockGateway> {
	const { timeoutMs = 30_000 } = options;
	const port = options.port || (await freePort());
	const dir = mkdtempSync(join(tmpdir(), "atrium-mock-"));
	const { file, basePath } = specWithBasePath(dir);
	const bin = join(root, "node_modules/@stoplight/prism-cli/dist/index.js");
	const child = spawn(
		process.execPath,
		[bin, "mock", file, "-h", "127.0.0.1", "-p", String(port)],
		{ stdio: ["ignore", "pipe", "pipe"] },
	);
	// If this process ends without stop() (an uncaught error, process.exit),
	// Prism and the spec copy go with it.
	const cleanUp = () => {
		if (child.exitCode === null && child.signalCode === null)
			child.kill("SIGTERM");
		rmSync(dir, { recursive: true, force: true });
	};
	process.once("exit", cleanUp);
	const stop = async () => {
		process.removeListener("exit", cleanUp);
		await stopChild(child);
		rmSync(dir, { recursive: true, force: true });
	};
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
		await stop();
		throw error;
	}
	// Drain output so Prism never blocks on a full pipe.
	child.stdout?.resume();
	child.stderr?.resume();
	return { url: `http://127.0.0.1:${port}${basePath}`, stop };
}

/** The port asked for on the command line (`--port N`, `--port=N`) or in PORT. */
function portArgument(argv: string[], env: NodeJS.ProcessEnv): number {
	const at = argv.findIndex((arg) => arg === "--port" || arg === "-p");
	const given =
		(at >= 0 ? argv[at + 1] : undefined) ??
		argv.find((arg) => arg.startsWith("--port="))?.slice("--port=".length) ??
		env.PORT;
	if (given === undefined || given === "") return 0;
	const port = Number(given);
	if (!Number.isInteger(port) || port < 0 || port > 65535) {
		throw new Error(`--port or PORT must be a port number, got "${given}"`);
	}
	return port;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	let port: number;
	try {
		port = portArgument(process.argv.slice(2), process.env);
	} catch (error) {
		console.error((error as Error).message);
		process.exit(2);
	}
	const gateway = await startMockGateway({ port });
	console.log(`Atrium mock gateway (Prism) listening at ${gateway.url}`);
	console.log(
		'Give it as baseURL; pick a response with a Prefer header, e.g. "Prefer: code=451, example=pii_blocked". Ctrl-C stops it.',
	);
	let stopping = false;
	const shutdown = () => {
		if (stopping) return;
		stopping = true;
		void gateway.stop().then(() => process.exit(0));
	};
	// `on`, not `once`: Ctrl-C can deliver SIGINT twice (from the terminal
	// and relayed by tsx), and a second one must not kill us before Prism.
	process.on("SIGINT", shutdown);
	process.on("SIGTERM", shutdown);
}
