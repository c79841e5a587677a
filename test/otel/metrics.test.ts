/**
 * The tracing plugin's metrics, with the real OpenTelemetry metrics SDK and
 * an in-memory exporter: the conventions' histograms with their units,
 * attributes and bucket boundaries, and the gateway's cost.
 */
import type { ServerResponse } from "node:http";
import type { HistogramMetricData } from "@opentelemetry/sdk-metrics";
import { beforeEach, describe, expect, it } from "vitest";
import { Atrium, PIIBlockedError } from "../../src/index.js";
import { METRICS, otel } from "../../src/otel.js";
import { useTelemetry } from "../helpers/otel.js";
import { chunk, data } from "../helpers/sse.js";
import {
	CHAT,
	completionBody,
	GOVERNANCE_HEADERS,
	sendJSON,
	useStubs,
} from "../helpers/stub-server.js";

const telemetry = useTelemetry();
const serve = useStubs();

const client = (url: string) =>
	new Atrium({
		apiKey: "sk-mng-otel-metrics",
		baseURL: url,
		logLevel: "off",
		maxRetries: 0,
		plugins: [
			otel({
				tracerProvider: telemetry.tracerProvider,
				meterProvider: telemetry.meterProvider,
			}),
		],
	});

const SECONDS = [
	0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48,
	40.96, 81.92,
];
const TOKENS = [
	1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304,
	16777216, 67108864,
];

/** The data points of a histogram, as [attributes, count, sum]. */
const points = (metric: HistogramMetricData | undefined) =>
	(metric?.dataPoints ?? []).map((point) => [
		point.attributes,
		point.value.count,
		point.value.sum,
	]);

beforeEach(async () => {
	await telemetry.histograms(); // start each test from nothing
});

describe("the plugin's metrics", () => {
	it("record a whole call's duration and tokens with the conventions' units, attributes and buckets, and its cost in IDR", async () => {
		const stub = await serve((_req, res) =>
			sendJSON(res, 200, completionBody("hi")),
		);
		const port = Number(new URL(stub.url).port);
		await client(stub.url).chat.completions.create(CHAT);
		const metrics = await telemetry.histograms();
		const common = {
			"gen_ai.operation.name": "chat",
			"gen_ai.provider.name": "openai",
			"gen_ai.request.model": "gpt-5.4-mini",
			"gen_ai.response.model": "gpt-5.4-mini",
			"server.address": "127.0.0.1",
			"server.port": port,
		};

		const duration = metrics.get("gen_ai.client.operation.duration");
		expect(duration?.descriptor.unit).toBe("s");
		expect(duration?.dataPoints[0]?.value.buckets.boundaries).toEqual(SECONDS);
		expect(duration?.dataPoints.map((p) => p.attributes)).toEqual([common]);
		expect(duration?.dataPoints[0]?.value.count).toBe(1);
		expect(duration?.dataPoints[0]?.value.sum).toBeGreaterThan(0);

		const tokens = metrics.get("gen_ai.client.token.usage");
		expect(tokens?.descriptor.unit).toBe("{token}");
		expect(tokens?.dataPoints[0]?.value.buckets.boundaries).toEqual(TOKENS);
		expect(points(tokens)).toEqual([
			[{ ...common, "gen_ai.token.type": "input" }, 1, 3],
			[{ ...common, "gen_ai.token.type": "output" }, 1, 1],
		]);

		const cost = metrics.get("monago.atrium.client.cost");
		expect(cost?.descriptor.unit).toBe("{IDR}");
		expect(cost?.dataPoints[0]?.value.buckets.boundaries).toEqual(
			METRICS.cost.buckets,
		);
		expect(points(cost)).toEqual([[common, 1, 3.5]]);

		// Streams only.
		expect(metrics.has("gen_ai.client.operation.time_to_first_chunk")).toBe(
			false,
		);
		expect(metrics.has("gen_ai.client.operation.time_per_output_chunk")).toBe(
			false,
		);
	});

	it("record a failed call's duration with error.type, and no tokens", async () => {
		const stub = await serve((_req, res) =>
			sendJSON(res, 451, '{"error":{"message":"PII","code":"pii_blocked"}}', {
				"X-Monago-Audit-Id": "audit-blk",
				"X-Monago-Policy-Decision": "blocked",
			}),
		);
		await expect(
			client(stub.url).chat.completions.create(CHAT),
		).rejects.toBeInstanceOf(PIIBlockedError);
		const metrics = await telemetry.histograms();
		const duration = metrics.get("gen_ai.client.operation.duration");
		expect(duration?.dataPoints.map((p) => p.attributes)).toEqual([
			{
				"gen_ai.operation.name": "chat",
				"gen_ai.provider.name": "openai",
				"gen_ai.request.model": "gpt-5.4-mini",
				"server.address": "127.0.0.1",
				"server.port": Number(new URL(stub.url).port),
				"error.type": "PIIBlockedError",
			},
		]);
		expect(metrics.has("gen_ai.client.token.usage")).toBe(false);
		expect(metrics.has("monago.atrium.client.cost")).toBe(false);
	});

	it("record a stream's time to first chunk and time per chunk after it", async () => {
		const stub = await serve((_req, res: ServerResponse) => {
			res.writeHead(200, {
				"Content-Type": "text/event-stream",
				...GOVERNANCE_HEADERS,
			});
			for (const content of ["a", "b", "c"])
				res.write(data(chunk({ content })));
			res.write(
				data({
					...chunk({}),
					choices: [],
					usage: { prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 },
				}),
			);
			res.end("data: [DONE]\n\n");
		});
		const stream = await client(stub.url).chat.completions.create({
			...CHAT,
			stream: true,
		});
		for await (const _ of stream);
		const metrics = await telemetry.histograms();
		const first = metrics.get("gen_ai.client.operation.time_to_first_chunk");
		expect(first?.descriptor.unit).toBe("s");
		expect(first?.dataPoints[0]?.value.buckets.boundaries).toEqual(SECONDS);
		expect(first?.dataPoints[0]?.value.count).toBe(1);
		expect(first?.dataPoints[0]?.attributes["error.type"]).toBeUndefined();
		const perChunk = metrics.get(
			"gen_ai.client.operation.time_per_output_chunk",
		);
		expect(perChunk?.descriptor.unit).toBe("s");
		// Four chunks (three with content, one with usage): three after the first.
		expect(perChunk?.dataPoints[0]?.value.count).toBe(3);
		const tokens = metrics.get("gen_ai.client.token.usage");
		expect(tokens?.dataPoints.map((p) => p.value.sum)).toEqual([4, 3]);
		expect(
			metrics.get("gen_ai.client.operation.duration")?.dataPoints[0]?.value
				.count,
		).toBe(1);
	});
});
