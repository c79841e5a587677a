/**
 * `otel()` with no providers given uses the global ones of
 * `@opentelemetry/api`: with no SDK registered, calls go through untouched
 * and nothing is recorded; an SDK registered after the plugin was made gets
 * the spans and metrics of the calls after it.
 */
import { context, metrics, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { afterAll, describe, expect, it } from "vitest";
import { Atrium } from "../../src/index.js";
import { otel } from "../../src/otel.js";
import { traceparentOf, useTelemetry } from "../helpers/otel.js";
import {
	CHAT,
	completionBody,
	sendJSON,
	useStubs,
} from "../helpers/stub-server.js";

const telemetry = useTelemetry({ globals: false });
const serve = useStubs();

afterAll(() => {
	trace.disable();
	metrics.disable();
	propagation.disable();
	context.disable();
});

describe("otel() on the global API", () => {
	it("leaves a call untouched when no SDK is registered, then traces it once one is", async () => {
		const stub = await serve((_req, res) =>
			sendJSON(res, 200, completionBody("fine")),
		);
		const client = new Atrium({
			apiKey: "sk-mng-otel-global",
			baseURL: stub.url,
			logLevel: "off",
			plugins: [otel()],
		});

		const before = await client.chat.completions.create(CHAT);
		expect(before.content).toBe("fine");
		expect(stub.requests[0]?.headers.traceparent).toBeUndefined();
		expect(telemetry.finished()).toHaveLength(0);

		context.setGlobalContextManager(
			new AsyncLocalStorageContextManager().enable(),
		);
		propagation.setGlobalPropagator(new W3CTraceContextPropagator());
		trace.setGlobalTracerProvider(telemetry.tracerProvider);
		metrics.setGlobalMeterProvider(telemetry.meterProvider);

		await client.chat.completions.create(CHAT);
		const [span] = telemetry.finished();
		expect(span?.name).toBe("chat gpt-5.4-mini");
		expect(stub.requests[1]?.headers.traceparent).toBe(
			traceparentOf(span as NonNullable<typeof span>),
		);
		const histograms = await telemetry.histograms();
		// Only the call made after the SDK was registered.
		expect(
			histograms.get("gen_ai.client.operation.duration")?.dataPoints[0]?.value
				.count,
		).toBe(1);
	});
});
