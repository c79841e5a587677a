/**
 * Calls per second of this SDK, raw fetch and the `openai` package against
 * the same loopback stub (in its own process), sequential and 32 concurrent,
 * in interleaved rounds; medians and ratios against raw fetch. Then the cold
 * import time of this SDK (dist/) and `openai` over `node -e 0`.
 *
 *   npm run bench:throughput   (builds dist/ first) [-- --rounds 7 --calls 2000]
 *
 * Also measured: the SDK with three no-op plugins (the cost of the plugin
 * seam), and, with ATRIUM_BENCH_BASELINE=<a dist/ folder of another build>,
 * that build beside this one in the same run (a before/after of a change).
 */
import { spawnSync } from "node:child_process";
import { startContenders } from "./stub-process.js";

const arg = (name: string, fallback: number) => {
	const at = process.argv.indexOf(name);
	return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const ROUNDS = arg("--rounds", 7);
const CALLS = arg("--calls", 2000);
const IMPORT_RUNS = arg("--import-runs", 25);
const BODY = {
	model: "gpt-5.4-mini",
	messages: [{ role: "user" as const, content: "ping" }],
};
const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ??
	Number.NaN;

const {
	url: stubURL,
	atrium,
	withPlugins,
	baseline,
	openai,
	stop,
} = await startContenders();
const rawURL = `${stubURL}/chat/completions`;

async function raw(signal?: AbortSignal): Promise<unknown> {
	const response = await fetch(rawURL, {
		method: "POST",
		headers: {
			Authorization: "Bearer sk-bench",
			"Content-Type": "application/json",
		},
		body: JSON.stringify(BODY),
		...(signal ? { signal } : {}),
	});
	return response.json();
}

const contenders: Record<string, () => Promise<unknown>> = {
	"raw fetch": () => raw(),
	// What any client with a timeout pays: undici does real work per signal.
	"raw fetch + timeout": async () => {
		const controller = new AbortController();
		const timer = setTimeout(() => controller.abort(), 60_000);
		try {
			return await raw(controller.signal);
		} finally {
			clearTimeout(timer);
		}
	},
	"@monagoio/atrium-sdk": () => atrium.chat.completions.create(BODY),
	"  + 3 no-op plugins": () => withPlugins.chat.completions.create(BODY),
	...(baseline
		? { "  baseline build": () => baseline.chat.completions.create(BODY) }
		: {}),
	"openai (6.x)": () => openai.chat.completions.create(BODY),
};

/** Calls per second (wall clock), and CPU microseconds per call (steadier on a shared machine). */
async function measure(call: () => Promise<unknown>, concurrency: number) {
	let started = 0;
	const cpu = process.cpuUsage();
	const begin = performance.now();
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (started < CALLS) {
				started++;
				await call();
			}
		}),
	);
	const seconds = (performance.now() - begin) / 1000;
	const used = process.cpuUsage(cpu);
	return {
		perSecond: CALLS / seconds,
		cpuPerCall: (used.user + used.system) / CALLS,
	};
}

try {
	for (const concurrency of [1, 32]) {
		const rate = new Map<string, number[]>(
			Object.keys(contenders).map((name) => [name, []]),
		);
		const cpu = new Map<string, number[]>(
			Object.keys(contenders).map((name) => [name, []]),
		);
		for (const call of Object.values(contenders))
			await measure(call, concurrency); // warm-up
		for (let round = 0; round < ROUNDS; round++) {
			const order = Object.entries(contenders);
			if (round % 2) order.reverse();
			for (const [name, call] of order) {
				const result = await measure(call, concurrency);
				rate.get(name)?.push(result.perSecond);
				cpu.get(name)?.push(result.cpuPerCall);
			}
		}
		const baseRate = median(rate.get("raw fetch") ?? []);
		const baseCpu = median(cpu.get("raw fetch") ?? []);
		console.log(
			`${concurrency === 1 ? "sequential" : `${concurrency} concurrent`}: ${CALLS} calls x ${ROUNDS} interleaved rounds, medians`,
		);
		for (const name of Object.keys(contenders)) {
			const value = median(rate.get(name) ?? []);
			const micros = median(cpu.get(name) ?? []);
			console.log(
				`  ${name.padEnd(22)} ${value.toFixed(0).padStart(6)} calls/s ${(value / baseRate).toFixed(2)}x   ` +
					`${micros.toFixed(0).padStart(4)} µs CPU/call ${(micros / baseCpu).toFixed(2)}x`,
			);
		}
	}
} finally {
	await stop();
}

// Cold import: a fresh node process each time, interleaved, median wall
// time. The ESM imports are also shown over an empty ESM program, so the ESM
// loader's own start-up is not counted against a package.
const dist = new URL("../../dist/", import.meta.url).pathname;
const programs: Record<string, string[]> = {
	"node -e 0": ["-e", "0"],
	"node (ESM) -e 0": ["--input-type=module", "-e", "0"],
	"@monagoio/atrium-sdk (import)": [
		"--input-type=module",
		"-e",
		`await import(${JSON.stringify(`${dist}index.js`)})`,
	],
	"@monagoio/atrium-sdk (require)": [
		"-e",
		`require(${JSON.stringify(`${dist}index.cjs`)})`,
	],
	"openai 6.x (import)": [
		"--input-type=module",
		"-e",
		'await import("openai")',
	],
	"openai 6.x (require)": ["-e", 'require("openai")'],
};
const times = new Map<string, number[]>(
	Object.keys(programs).map((name) => [name, []]),
);
for (let run = 0; run < IMPORT_RUNS; run++) {
	for (const [name, args] of Object.entries(programs)) {
		const begin = performance.now();
		const result = spawnSync(process.execPath, args, {
			cwd: new URL("../..", import.meta.url).pathname,
			stdio: "ignore",
		});
		if (result.status !== 0) throw new Error(`${name} failed to load`);
		times.get(name)?.push(performance.now() - begin);
	}
}
const cjsBase = median(times.get("node -e 0") ?? []);
const esmBase = median(times.get("node (ESM) -e 0") ?? []);
console.log(
	`cold load, ${IMPORT_RUNS} interleaved runs, median wall time (node -e 0: ${cjsBase.toFixed(1)} ms, ESM -e 0: ${esmBase.toFixed(1)} ms):`,
);
for (const [name, values] of times) {
	if (name.startsWith("node")) continue;
	const value = median(values);
	const esm = name.includes("(import)")
		? `, +${(value - esmBase).toFixed(1)} ms over ESM -e 0`
		: "";
	console.log(
		`  ${name.padEnd(32)} +${(value - cjsBase).toFixed(1)} ms over node -e 0${esm}`,
	);
}
