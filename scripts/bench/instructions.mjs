/**
 * Instructions per call and per streamed chunk, counted by valgrind's
 * callgrind under `node --jitless`: repeatable on a shared, noisy machine
 * where wall and CPU time are not. `fetch` answers in the process (no
 * network), so what is counted is the SDK's own work, openapi-fetch's and
 * the runtime's Response handling. Each figure is the difference between a
 * long and a short run, so start-up cancels out.
 *
 *   npm run bench:instructions                      (builds dist/ first)
 *   ATRIUM_BENCH_BASELINE=<a dist/ folder> npm run bench:instructions
 *   npm run bench:instructions -- call stream       (only these cases)
 *
 * Needs valgrind (Debian's `valgrind` package). Interpreted code weighs
 * differently from JIT-compiled code: compare builds with it, do not read
 * the numbers as time.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const self = fileURLToPath(import.meta.url);
const mode = process.argv[2];

if (mode === "--run") {
	// One measured run: argv = --run <dist> <call|stream|plugins> <count>
	const [, , , dist, kind, count] = process.argv;
	const body = JSON.stringify({
		id: "c",
		object: "chat.completion",
		created: 1,
		model: "m",
		choices: [
			{
				index: 0,
				message: { role: "assistant", content: "hello", refusal: null },
				finish_reason: "stop",
				logprobs: null,
			},
		],
		usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
	});
	const headers = {
		"content-type": "application/json",
		"content-length": String(body.length),
		"x-monago-audit-id": "audit-1",
		"x-monago-policy-decision": "allowed",
		"x-monago-provider": "openai",
		"x-monago-latency-ms": "12",
		"x-monago-cost-idr": "3.5",
	};
	let sse = "";
	for (let i = 0; i < 1000; i++)
		sse += `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content: `tok${i} ` }, finish_reason: null }] })}\n\n`;
	sse += "data: [DONE]\n\n";
	const bytes = new TextEncoder().encode(sse);
	globalThis.fetch = async () =>
		kind === "stream"
			? new Response(
					new ReadableStream({
						start(controller) {
							for (let at = 0; at < bytes.length; at += 4096)
								controller.enqueue(bytes.subarray(at, at + 4096));
							controller.close();
						},
					}),
					{ headers: { "content-type": "text/event-stream" } },
				)
			: new Response(body, { headers });
	const { Atrium } = await import(`${dist}/index.js`);
	const noop = (name) => ({
		name,
		onRequest() {},
		onAttempt() {},
		onResponse() {},
	});
	const client = new Atrium({
		apiKey: "sk-mng-bench",
		baseURL: "https://gateway.test/v1",
		logLevel: "off",
		maxRetries: 0,
		...(kind === "plugins"
			? { plugins: [noop("a"), noop("b"), noop("c")] }
			: {}),
	});
	const request = {
		model: "m",
		messages: [{ role: "user", content: "s" }],
		stream: kind === "stream",
	};
	for (let i = 0; i < Number(count); i++) {
		const result = await client.chat.completions.create(request);
		if (kind === "stream") for await (const _ of result);
	}
	process.exit(0);
}

function instructions(dist, kind, count) {
	const run = spawnSync(
		"valgrind",
		[
			"--tool=callgrind",
			"--callgrind-out-file=/dev/null",
			process.execPath,
			"--jitless",
			self,
			"--run",
			dist,
			kind,
			String(count),
		],
		{ encoding: "utf8" },
	);
	const refs = /I\s+refs:\s+([\d,]+)/.exec(run.stderr ?? "")?.[1];
	if (!refs)
		throw new Error(`callgrind gave no count: ${run.error ?? run.stderr}`);
	return Number(refs.replaceAll(",", ""));
}

const builds = {
	"@monagoio/atrium-sdk": fileURLToPath(new URL("../../dist", import.meta.url)),
	...(process.env.ATRIUM_BENCH_BASELINE
		? { "baseline build": process.env.ATRIUM_BENCH_BASELINE }
		: {}),
};
// [kind, short run, long run, units per run]
const cases = [
	["call", 100, 300, 1, "instructions per call"],
	["plugins", 100, 300, 1, "instructions per call with 3 no-op plugins"],
	["stream", 5, 15, 1000, "instructions per streamed chunk"],
];
// `npm run bench:instructions -- call stream` runs only those cases.
const only = process.argv.slice(2);
console.log("callgrind, node --jitless, fetch answered in the process:");
for (const [kind, short, long, units, label] of cases) {
	if (only.length && !only.includes(kind)) continue;
	for (const [name, dist] of Object.entries(builds)) {
		const per =
			(instructions(dist, kind, long) - instructions(dist, kind, short)) /
			((long - short) * units);
		console.log(
			`  ${name.padEnd(22)} ${Math.round(per).toLocaleString("en").padStart(10)} ${label}`,
		);
	}
}
