/**
 * The SDK never keeps a Node process alive on its own: a script that made a
 * stream it never reads to its end (an error thrown before the loop, a
 * stream kept for later) exits like one that left a fetch body unread. Run
 * in a child process against the built package (dist/). The gateway has sent
 * the whole stream: a connection still open would hold the process in raw
 * fetch too, until the stream's timeouts end it.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { chunk, data } from "../helpers/sse.js";
import { GOVERNANCE_HEADERS, useStubs } from "../helpers/stub-server.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const serve = useStubs();

// Runs `script` (ESM, with `Atrium` and `url` in scope) in a child node
// process; gives its exit code, or "alive" if it has not exited after 15 s
// (then it is killed). An SDK timer would hold it for 10 minutes.
function runChild(url: string, script: string): Promise<number | "alive"> {
	const source = `
		const { Atrium } = await import(${JSON.stringify(`${root}dist/index.js`)});
		const url = ${JSON.stringify(url)};
		${script}`;
	const child = spawn(process.execPath, ["--input-type=module", "-e", source], {
		stdio: ["ignore", "ignore", "inherit"],
	});
	return new Promise((resolve) => {
		const timer = setTimeout(() => {
			child.kill("SIGKILL");
			resolve("alive");
		}, 15_000);
		child.once("exit", (code) => {
			clearTimeout(timer);
			resolve(code ?? -1);
		});
	});
}

// A whole stream, sent at once and ended.
const openStream = () =>
	serve((_req, res) => {
		res.writeHead(200, {
			"Content-Type": "text/event-stream",
			...GOVERNANCE_HEADERS,
		});
		res.end(
			`${data(chunk({ content: "Pasien " }))}${data(chunk({ content: "stabil" }))}data: [DONE]\n\n`,
		);
	});

const LONG =
	"{ apiKey: 'sk-mng-exit', baseURL: url, streamIdleTimeout: 600000, streamFirstChunkTimeout: 600000, timeout: 600000, logLevel: 'off' }";
const BODY =
	"{ model: 'm', messages: [{ role: 'user', content: 'q' }], stream: true }";

describe("the process exits when the script is done", () => {
	it("with a stream that was created and never read", async () => {
		const stub = await openStream();
		const code = await runChild(
			stub.url,
			`const client = new Atrium(${LONG});
			globalThis.kept = await client.chat.completions.create(${BODY});`,
		);
		expect(code).toBe(0);
		expect(stub.requests).toHaveLength(1);
	});

	it("with a stream read once and then left", async () => {
		const stub = await openStream();
		const code = await runChild(
			stub.url,
			`const client = new Atrium(${LONG});
			const stream = await client.chat.completions.create(${BODY});
			const iterator = stream[Symbol.asyncIterator]();
			const first = await iterator.next();
			if (first.value?.choices[0]?.delta.content !== "Pasien ") process.exit(3);`,
		);
		expect(code).toBe(0);
	});
});
