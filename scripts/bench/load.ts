/**
 * Load and leak check: 10,000 calls at 256 concurrency against a loopback
 * stub (every 97th answer a 503, so retries run too) must all settle; then
 * heap after a forced GC must not grow across 50,000 more calls.
 *
 *   npm run bench:load
 */
import { Atrium } from "../../src/index.js";
import { startStubProcess } from "./stub-process.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc (npm run bench:load does)");

const BODY = {
	model: "gpt-5.4-mini",
	messages: [{ role: "user" as const, content: "ping" }],
};

async function run(client: Atrium, calls: number, concurrency: number) {
	const outcomes = new Map<string, number>();
	const latencies: number[] = [];
	let next = 0;
	async function worker() {
		while (next < calls) {
			next++;
			const started = performance.now();
			let name = "fulfilled";
			try {
				await client.chat.completions.create(BODY);
			} catch (error) {
				name = (error as Error).name;
			}
			latencies.push(performance.now() - started);
			outcomes.set(name, (outcomes.get(name) ?? 0) + 1);
		}
	}
	const started = performance.now();
	await Promise.all(Array.from({ length: concurrency }, worker));
	const seconds = (performance.now() - started) / 1000;
	latencies.sort((a, b) => a - b);
	const at = (q: number) =>
		latencies[
			Math.min(latencies.length - 1, Math.floor(q * latencies.length))
		] ?? 0;
	return {
		settled: latencies.length,
		outcomes: Object.fromEntries(outcomes),
		perSecond: calls / seconds,
		p50: at(0.5),
		p99: at(0.99),
	};
}

function heapMB(): number {
	gc?.();
	gc?.();
	return process.memoryUsage().heapUsed / 2 ** 20;
}

const stub = await startStubProcess(["--fail-every", "97"]);
try {
	const client = new Atrium({
		apiKey: "sk-mng-bench",
		baseURL: stub.url,
		logLevel: "off",
	});

	const load = await run(client, 10_000, 256);
	console.log(
		`load: ${load.settled}/10000 settled at 256 concurrency, ${JSON.stringify(load.outcomes)}, ` +
			`${load.perSecond.toFixed(0)} calls/s, p50 ${load.p50.toFixed(1)} ms, p99 ${load.p99.toFixed(1)} ms`,
	);

	await run(client, 5_000, 64); // warm-up
	const start = heapMB();
	const checkpoints: string[] = [];
	for (let done = 0; done < 50_000; done += 10_000) {
		await run(client, 10_000, 64);
		checkpoints.push(heapMB().toFixed(2));
	}
	const growth = Number(checkpoints.at(-1)) - start;
	console.log(
		`heap: ${start.toFixed(2)} MB after warm-up, then ${checkpoints.join(", ")} MB every 10,000 calls; ` +
			`growth across 50,000 calls ${growth.toFixed(2)} MB (${((growth * 2 ** 20) / 50_000).toFixed(1)} bytes/call)`,
	);
	await client.close();
	const ok = load.settled === 10_000 && growth < 2;
	console.log(ok ? "OK: every call settled and the heap did not grow" : "FAIL");
	process.exitCode = ok ? 0 : 1;
} finally {
	await stub.stop();
}
