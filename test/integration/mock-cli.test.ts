/**
 * `npm run mock` as a user runs it: a child process on a fixed port that
 * prints a base URL with `/v1`, serves the spec there, and takes Prism down
 * with it on SIGTERM (sent to npm alone) and on Ctrl-C (SIGINT to the whole
 * process group, as a terminal sends it).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { connect, createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";

const root = new URL("../..", import.meta.url).pathname;
const started: ChildProcess[] = [];

async function freePort(): Promise<number> {
	const server = createServer().listen(0, "127.0.0.1");
	await once(server, "listening");
	const address = server.address();
	server.close();
	await once(server, "close");
	if (typeof address !== "object" || address === null)
		throw new Error("no port");
	return address.port;
}

/** Starts `npm run mock` in its own process group; resolves with the URL it prints. */
async function startMock(args: string[], env: Record<string, string> = {}) {
	const child = spawn("npm", ["run", "-s", "mock", "--", ...args], {
		cwd: root,
		env: { ...process.env, ...env },
		detached: true,
		stdio: ["ignore", "pipe", "pipe"],
	});
	started.push(child);
	let output = "";
	const url = await new Promise<string>((resolve, reject) => {
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			const match = /listening at (http:\/\/\S+)/.exec(output);
			if (match?.[1]) resolve(match[1]);
		};
		child.stdout?.on("data", onData);
		child.stderr?.on("data", onData);
		child.once("exit", (code) =>
			reject(new Error(`npm run mock exited (${code}):\n${output}`)),
		);
	});
	return { child, url };
}

/** True when nothing accepts connections on the port any more. */
async function refused(port: number): Promise<boolean> {
	const socket = connect(port, "127.0.0.1");
	try {
		await once(socket, "connect");
		return false;
	} catch {
		return true;
	} finally {
		socket.destroy();
	}
}

const post = (url: string) =>
	fetch(url, {
		method: "POST",
		headers: {
			Authorization: "Bearer sk-mng-mock-cli",
			"Content-Type": "application/json",
		},
		body: JSON.stringify({
			model: "gpt-5.4-mini",
			messages: [{ role: "user", content: "Hello" }],
		}),
	});

afterEach(() => {
	// The whole group, so a failed test leaves no Prism behind even when npm
	// itself is gone.
	for (const child of started.splice(0)) {
		try {
			if (child.pid) process.kill(-child.pid, "SIGKILL");
		} catch {
			// the group is gone already
		}
	}
});

describe("npm run mock", () => {
	it("listens on --port, prints the base URL with /v1, serves the spec there, and SIGTERM to npm stops Prism too", async () => {
		const port = await freePort();
		const { child, url } = await startMock(["--port", String(port)]);
		expect(url).toBe(`http://127.0.0.1:${port}/v1`);

		const ok = await post(`${url}/chat/completions`);
		expect(ok.status).toBe(200);
		expect(await ok.json()).toMatchObject({ object: "chat.completion" });
		// As on the gateway, the path without the base path is not there.
		const missing = await post(`http://127.0.0.1:${port}/chat/completions`);
		await missing.body?.cancel();
		expect(missing.status).toBe(404);

		const exited = once(child, "exit");
		child.kill("SIGTERM");
		await exited;
		expect(await refused(port)).toBe(true);
	});

	it("takes the port from PORT, and Ctrl-C (SIGINT to the process group) stops Prism too", async () => {
		const port = await freePort();
		const { child, url } = await startMock([], { PORT: String(port) });
		expect(url).toBe(`http://127.0.0.1:${port}/v1`);

		const exited = once(child, "exit");
		if (child.pid) process.kill(-child.pid, "SIGINT");
		await exited;
		expect(await refused(port)).toBe(true);
	});
});
