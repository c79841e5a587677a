/**
 * CPU per streamed chunk: this SDK, the `openai` package's streaming
 * iterator, and raw fetch + eventsource-parser, reading the same 1,000-chunk
 * SSE stream from a loopback stub in another process. Rounds are interleaved
 * and medians reported, with ratios against the raw parser.
 *
 *   npm run bench:stream [-- --rounds 15]   (builds dist/ first)
 *
 * With ATRIUM_BENCH_BASELINE=<a dist/ folder of another build>, that build
 * reads the same streams in the same rounds (a before/after of a change).
 */
import { createParser } from "eventsource-parser";
import { startContenders } from "./stub-process.js";

const CHUNKS = 1000;
const roundsAt = process.argv.indexOf("--rounds");
const ROUNDS = roundsAt === -1 ? 15 : Number(process.argv[roundsAt + 1]);
const STREAMS_PER_ROUND = 10;
const BODY = {
	model: "gpt-5.4-mini",
	messages: [{ role: "user" as const, content: "stream" }],
	stream: true as const,
};

const {
	url: stubURL,
	atrium,
	baseline,
	openai,
	stop,
} = await startContenders(["--chunks", String(CHUNKS)]);

const sdkOf = (client: typeof atrium) => async (): Promise<number> => {
	let count = 0;
	const stream = await client.chat.completions.create(BODY);
	for await (const chunk of stream)
		if (chunk.choices[0]?.delta?.content !== undefined) count++;
	return count;
};

async function openaiStream(): Promise<number> {
	let count = 0;
	const stream = await openai.chat.completions.create(BODY);
	for await (const chunk of stream)
		if (chunk.choices[0]?.delta?.content !== undefined) count++;
	return count;
}

async function raw(): Promise<number> {
	let count = 0;
	const response = await fetch(`${stubURL}/chat/completions`, {
		method: "POST",
		headers: {
			Authorization: "Bearer sk-bench",
			"Content-Type": "application/json",
			Accept: "text/event-stream",
		},
		body: JSON.stringify(BODY),
	});
	if (!response.body) throw new Error("no body");
	const parser = createParser({
		onEvent(event) {
			if (event.data === "[DONE]") return;
			const chunk = JSON.parse(event.data) as {
				choices: { delta?: { content?: string } }[];
			};
			if (chunk.choices[0]?.delta?.content !== undefined) count++;
		},
	});
	const decoder = new TextDecoder();
	for await (const bytes of response.body)
		parser.feed(decoder.decode(bytes, { stream: true }));
	return count;
}

const contenders: Record<string, () => Promise<number>> = {
	"raw fetch + eventsource-parser": raw,
	"@monagoio/atrium-sdk": sdkOf(atrium),
	...(baseline ? { "  baseline build": sdkOf(baseline) } : {}),
	"openai (6.x)": openaiStream,
};
type Name = string;
const samples = new Map<Name, number[]>(
	Object.keys(contenders).map((name) => [name as Name, []]),
);

async function measure(run: () => Promise<number>): Promise<number> {
	const before = process.cpuUsage();
	let chunks = 0;
	for (let i = 0; i < STREAMS_PER_ROUND; i++) chunks += await run();
	const used = process.cpuUsage(before);
	if (chunks !== STREAMS_PER_ROUND * CHUNKS)
		throw new Error(
			`expected ${STREAMS_PER_ROUND * CHUNKS} chunks, got ${chunks}`,
		);
	return (used.user + used.system) / chunks;
}

const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

try {
	for (const run of Object.values(contenders)) await measure(run); // warm-up
	for (let round = 0; round < ROUNDS; round++) {
		const order = Object.entries(contenders) as [Name, () => Promise<number>][];
		if (round % 2) order.reverse();
		for (const [name, run] of order)
			samples.get(name)?.push(await measure(run));
	}
	// Noise on a shared machine only ever adds CPU time, so the minimum is shown beside the median.
	const base = median(samples.get("raw fetch + eventsource-parser") ?? []);
	const baseMin = Math.min(
		...(samples.get("raw fetch + eventsource-parser") ?? []),
	);
	console.log(
		`CPU per chunk, ${CHUNKS}-chunk streams, ${ROUNDS} interleaved rounds of ${STREAMS_PER_ROUND} streams:`,
	);
	for (const [name, values] of samples) {
		const value = median(values);
		const least = Math.min(...values);
		console.log(
			`  ${name.padEnd(32)} median ${value.toFixed(2).padStart(6)} µs/chunk ${(value / base).toFixed(2)}x   ` +
				`min ${least.toFixed(2).padStart(6)} µs/chunk ${(least / baseMin).toFixed(2)}x`,
		);
	}
} finally {
	await stop();
}
