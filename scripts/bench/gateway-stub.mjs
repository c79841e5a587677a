// A loopback gateway stub for benchmarks, in its own process so its work and
// memory stay out of the measured process. Prints its URL on stdout.
//
//   node scripts/bench/gateway-stub.mjs [--fail-every N] [--chunks N]
//
// POST .../chat/completions answers a chat.completion with governance headers
// (every Nth request a 503 with retry-after-ms: 0 when --fail-every is given),
// or, for a body with "stream": true, an SSE stream of --chunks chunks.
import { createServer } from "node:http";

const arg = (name, fallback) => {
	const at = process.argv.indexOf(name);
	return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const failEvery = arg("--fail-every", 0);
const chunks = arg("--chunks", 1000);

const headers = {
	"Content-Type": "application/json",
	"X-Monago-Audit-Id": "audit-bench",
	"X-Monago-Pii-Detected": "false",
	"X-Monago-Pii-Redacted": "",
	"X-Monago-Policy-Decision": "allowed",
	"X-Monago-Provider": "openai",
	"X-Monago-Latency-Ms": "1.5",
	"X-Monago-Cost-Idr": "2.25",
};
const body = JSON.stringify({
	id: "chatcmpl-bench",
	object: "chat.completion",
	created: 1763971200,
	model: "gpt-5.4-mini",
	choices: [
		{
			index: 0,
			message: {
				role: "assistant",
				content: "Batuk lebih dari dua minggu perlu pemeriksaan dahak.",
			},
			finish_reason: "stop",
			logprobs: null,
		},
	],
	usage: { prompt_tokens: 21, completion_tokens: 14, total_tokens: 35 },
});
const chunk = (i) =>
	`data: ${JSON.stringify({ id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1763971200, model: "gpt-5.4-mini", choices: [{ index: 0, delta: { content: `tok${i} ` }, finish_reason: null }] })}\n\n`;
const stream = `${Array.from({ length: chunks }, (_, i) => chunk(i)).join("")}data: ${JSON.stringify({ id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1763971200, model: "gpt-5.4-mini", choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage: { prompt_tokens: 5, completion_tokens: chunks, total_tokens: chunks + 5 } })}\n\ndata: [DONE]\n\n`;
const streamBytes = Buffer.from(stream);

let count = 0;
const server = createServer((req, res) => {
	const parts = [];
	req.on("data", (part) => parts.push(part));
	req.on("end", () => {
		count++;
		if (failEvery && count % failEvery === 0) {
			res.writeHead(503, { ...headers, "retry-after-ms": "0" });
			res.end('{"error":{"message":"busy","code":"overloaded"}}');
			return;
		}
		if (Buffer.concat(parts).includes('"stream":true')) {
			res.writeHead(200, { ...headers, "Content-Type": "text/event-stream" });
			// In 16 KiB writes, so the client sees many reads, as from a real network.
			for (let at = 0; at < streamBytes.length; at += 16_384)
				res.write(streamBytes.subarray(at, at + 16_384));
			res.end();
			return;
		}
		res.writeHead(200, headers);
		res.end(body);
	});
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
	console.log(`http://127.0.0.1:${server.address().port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
