/**
 * What the tracing plugin costs: CPU per call of this SDK (the built dist/)
 * without plugins, with one no-op plugin (the plugin seam alone), with one
 * that has an `onChunk` (which routes every chunk of a stream through the
 * plugins), with `otel()` and no OpenTelemetry SDK registered, and with
 * `otel()` given a real SDK (spans to an exporter that drops them, metrics to
 * a reader); then CPU per streamed chunk, the same ways. Rounds are
 * interleaved against a loopback stub in its own process; medians, with
 * ratios against "no plugin" in the same run.
 *
 *   npm run bench:otel [-- --rounds 7 --calls 2000 --streams 40]
 */
import { MeterProvider } from "@opentelemetry/sdk-metrics";
import {
	BasicTracerProvider,
	SimpleSpanProcessor,
	type SpanExporter,
} from "@opentelemetry/sdk-trace-base";
import { startStubProcess } from "./stub-process.js";

const arg = (name: string, fallback: number) => {
	const at = process.argv.indexOf(name);
	return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const ROUNDS = arg("--rounds", 7);
const CALLS = arg("--calls", 2000);
const STREAMS = arg("--streams", 40);
const CHUNKS = 100;
const BODY = {
	model: "gpt-5.4-mini",
	messages: [{ role: "user" as const, content: "ping" }],
};
const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ??
	Number.NaN;

const [{ Atrium }, { otel }] = await Promise.all([
	import("../../dist/index.js"),
	import("../../dist/otel.js"),
]);
const stub = await startStubProcess(["--chunks", String(CHUNKS)]);

// A real SDK, given to the plugin directly so the globals stay unregistered
// for the "no SDK" contender: spans go to an exporter that drops them.
const drop: SpanExporter = {
	export: (_spans, done) => done({ code: 0 }),
	shutdown: async () => {},
};
const tracerProvider = new BasicTracerProvider({
	spanProcessors: [new SimpleSpanProcessor(drop)],
});
const meterProvider = new MeterProvider();

const options = {
	apiKey: "sk-mng-bench",
	baseURL: stub.url,
	logLevel: "off",
	maxRetries: 0,
} as const;
const clients = {
	"no plugin": new Atrium(options),
	"1 no-op plugin": new Atrium({
		...options,
		plugins: [{ name: "noop", onRequest() {}, onResponse() {} }],
	}),
	"1 no-op plugin + onChunk": new Atrium({
		...options,
		plugins: [{ name: "noop", onRequest() {}, onChunk() {}, onResponse() {} }],
	}),
	"otel(), no SDK registered": new Atrium({ ...options, plugins: [otel()] }),
	"otel(), SDK given": new Atrium({
		...options,
		plugins: [otel({ tracerProvider, meterProvider })],
	}),
};
type Client = (typeof clients)[keyof typeof clients];

async function calls(client: Client): Promise<number> {
	const cpu = process.cpuUsage();
	for (let i = 0; i < CALLS; i++) await client.chat.completions.create(BODY);
	const used = process.cpuUsage(cpu);
	return (used.user + used.system) / CALLS;
}

async function streams(client: Client): Promise<number> {
	const cpu = process.cpuUsage();
	let chunks = 0;
	for (let i = 0; i < STREAMS; i++) {
		const stream = await client.chat.completions.create({
			...BODY,
			stream: true,
		});
		for await (const _ of stream) chunks++;
	}
	const used = process.cpuUsage(cpu);
	return (used.user + used.system) / chunks;
}

/** Runs the contenders in interleaved rounds, prints medians and ratios; gives the median of "no plugin". */
async function compare(
	title: string,
	measure: (client: Client) => Promise<number>,
): Promise<number> {
	const results = new Map<string, number[]>(
		Object.keys(clients).map((name) => [name, []]),
	);
	for (const client of Object.values(clients)) await measure(client); // warm-up
	for (let round = 0; round < ROUNDS; round++) {
		const order = Object.entries(clients);
		if (round % 2) order.reverse();
		for (const [name, client] of order)
			results.get(name)?.push(await measure(client));
	}
	const base = median(results.get("no plugin") ?? []);
	console.log(`${title}, ${ROUNDS} interleaved rounds, medians`);
	for (const [name, values] of results) {
		const value = median(values);
		console.log(
			`  ${name.padEnd(28)} ${value.toFixed(2).padStart(8)} µs CPU  ${(value / base).toFixed(2)}x`,
		);
	}
	return base;
}

/**
 * The plugin's own hooks for one call (onRequest, onAttempt, onResponse) on
 * a context and a completion like the SDK's, without the network: the part
 * of a call's CPU that is the plugin's, measured without the noise of I/O.
 */
async function hooksAlone(): Promise<Map<string, number>> {
	const completion = await clients["no plugin"].chat.completions.create(BODY);
	const [attempt] = completion.attempts;
	if (!attempt) throw new Error("no attempt");
	const plugins = {
		"otel(), no SDK registered": otel(),
		"otel(), SDK given": otel({ tracerProvider, meterProvider }),
	};
	const LOOPS = 20_000;
	const run = (plugin: (typeof plugins)[keyof typeof plugins]) => {
		const begin = performance.now();
		for (let i = 0; i < LOOPS; i++) {
			const ctx = {
				method: "POST",
				path: "/chat/completions",
				url: `${stub.url}/chat/completions`,
				body: { ...BODY },
				headers: { "Idempotency-Key": "k" } as Record<string, string>,
				metadata: {},
				stream: false,
				signal: undefined,
				attempts: completion.attempts,
				governance: completion.governance,
				evaluations: [],
				state: {},
				create: () => Promise.reject(new Error("unused")),
			};
			plugin.onRequest?.(ctx);
			plugin.onAttempt?.(ctx, attempt);
			plugin.onResponse?.(ctx, completion);
		}
		return ((performance.now() - begin) * 1000) / LOOPS;
	};
	const results = new Map<string, number[]>();
	for (const [name, plugin] of Object.entries(plugins)) {
		run(plugin); // warm-up
		results.set(name, []);
	}
	for (let round = 0; round < ROUNDS; round++)
		for (const [name, plugin] of Object.entries(plugins))
			results.get(name)?.push(run(plugin));
	console.log(
		`The plugin's hooks alone, one call's worth, ${LOOPS} x ${ROUNDS} rounds, medians`,
	);
	const medians = new Map<string, number>();
	for (const [name, values] of results) {
		medians.set(name, median(values));
		console.log(
			`  ${name.padEnd(28)} ${median(values).toFixed(2).padStart(8)} µs`,
		);
	}
	return medians;
}

try {
	const hooks = await hooksAlone();
	const call = await compare(`CPU per call, ${CALLS} sequential calls`, calls);
	console.log("The hooks alone against a call's CPU without plugins, this run");
	for (const [name, value] of hooks)
		console.log(
			`  ${name.padEnd(28)} ${((100 * value) / call).toFixed(2).padStart(8)} %`,
		);
	await compare(
		`CPU per streamed chunk, ${STREAMS} streams of ${CHUNKS} chunks`,
		streams,
	);
} finally {
	for (const client of Object.values(clients)) await client.close();
	await tracerProvider.shutdown();
	await meterProvider.shutdown();
	await stub.stop();
}
