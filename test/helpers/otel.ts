/**
 * A real OpenTelemetry SDK for one test file: a tracer provider with an
 * in-memory exporter, a meter provider with an in-memory metric exporter, and
 * (when asked) the AsyncLocalStorage context manager and the W3C propagator
 * registered globally for the file's own process (vitest runs each file in a
 * fork of its own), unregistered after it.
 */
import { type Span as ApiSpan, context, propagation } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import {
	AggregationTemporality,
	type HistogramMetricData,
	InMemoryMetricExporter,
	MeterProvider,
	PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import {
	BasicTracerProvider,
	InMemorySpanExporter,
	type ReadableSpan,
	SimpleSpanProcessor,
	type Span,
	type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, afterEach, beforeAll } from "vitest";

/** Remembers every span started and not yet ended. */
class OpenSpans implements SpanProcessor {
	readonly open = new Set<Span>();
	onStart(span: Span): void {
		this.open.add(span);
	}
	onEnd(span: ReadableSpan): void {
		this.open.delete(span as Span);
	}
	forceFlush(): Promise<void> {
		return Promise.resolve();
	}
	shutdown(): Promise<void> {
		return Promise.resolve();
	}
}

export interface TestTelemetry {
	readonly spans: InMemorySpanExporter;
	readonly tracerProvider: BasicTracerProvider;
	readonly meterProvider: MeterProvider;
	/** Spans started and not ended. */
	readonly open: Set<Span>;
	/** The histograms recorded since the last call of this, by name. */
	histograms(): Promise<Map<string, HistogramMetricData>>;
	/** The finished spans, by name. */
	finished(name?: string): ReadableSpan[];
}

/** Sets up the SDK for a test file; spans and metrics are cleared after each test. */
export function useTelemetry(
	options: { globals?: boolean } = { globals: true },
): TestTelemetry {
	const spans = new InMemorySpanExporter();
	const opened = new OpenSpans();
	const tracerProvider = new BasicTracerProvider({
		spanProcessors: [opened, new SimpleSpanProcessor(spans)],
	});
	const exporter = new InMemoryMetricExporter(AggregationTemporality.DELTA);
	const reader = new PeriodicExportingMetricReader({
		exporter,
		exportIntervalMillis: 3_600_000,
	});
	const meterProvider = new MeterProvider({ readers: [reader] });
	const manager = new AsyncLocalStorageContextManager();

	beforeAll(() => {
		if (options.globals) {
			context.setGlobalContextManager(manager.enable());
			propagation.setGlobalPropagator(new W3CTraceContextPropagator());
		}
	});
	afterEach(() => {
		spans.reset();
	});
	afterAll(async () => {
		await tracerProvider.shutdown();
		await meterProvider.shutdown();
		if (options.globals) {
			context.disable();
			propagation.disable();
		}
	});

	return {
		spans,
		tracerProvider,
		meterProvider,
		open: opened.open,
		async histograms() {
			exporter.reset();
			await reader.forceFlush();
			const out = new Map<string, HistogramMetricData>();
			for (const resource of exporter.getMetrics())
				for (const scope of resource.scopeMetrics)
					for (const metric of scope.metrics)
						out.set(metric.descriptor.name, metric as HistogramMetricData);
			return out;
		},
		finished(name) {
			const all = spans.getFinishedSpans();
			return name === undefined ? all : all.filter((s) => s.name === name);
		},
	};
}

/** The W3C `traceparent` of a span: version, trace id, span id, flags. */
export function traceparentOf(span: ApiSpan | ReadableSpan): string {
	const { traceId, spanId, traceFlags } = span.spanContext();
	return `00-${traceId}-${spanId}-0${traceFlags.toString(16)}`;
}
