/**
 * `npm run demo -- --trace`: an OpenTelemetry SDK for the demo (the
 * AsyncLocalStorage context manager, the W3C propagator, a tracer provider)
 * whose spans go to a console-style exporter that prints them as a tree once
 * the demo is done.
 */
import {
	type AttributeValue,
	context,
	propagation,
	SpanKind,
	SpanStatusCode,
} from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
	type ExportResult,
	W3CTraceContextPropagator,
} from "@opentelemetry/core";
import {
	BasicTracerProvider,
	type ReadableSpan,
	SimpleSpanProcessor,
	type SpanExporter,
} from "@opentelemetry/sdk-trace-base";
import { GEN_AI_CONVENTIONS_VERSION, otel } from "../src/otel.js";

/** Keeps every span it is given, to print them as a tree. */
class ConsoleTreeExporter implements SpanExporter {
	readonly spans: ReadableSpan[] = [];
	export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
		this.spans.push(...spans);
		done({ code: 0 });
	}
	async shutdown(): Promise<void> {}

	print(): void {
		console.log(
			`\n== Trace (OpenTelemetry, GenAI semantic conventions ${GEN_AI_CONVENTIONS_VERSION}) ==`,
		);
		const ids = new Set(this.spans.map((s) => s.spanContext().spanId));
		const roots = this.spans.filter(
			(s) => !s.parentSpanContext || !ids.has(s.parentSpanContext.spanId),
		);
		for (const root of roots) this.#print(root, "");
	}

	#print(span: ReadableSpan, indent: string): void {
		const { traceId, spanId } = span.spanContext();
		const ms = span.duration[0] * 1e3 + span.duration[1] / 1e6;
		const status =
			span.status.code === SpanStatusCode.ERROR
				? ` ERROR (${span.status.message})`
				: "";
		console.log(
			`${indent}${span.name}  [${SpanKind[span.kind]}] ${ms.toFixed(1)} ms  trace ${traceId} span ${spanId}${status}`,
		);
		for (const [name, value] of Object.entries(span.attributes))
			console.log(`${indent}    ${name} = ${show(value)}`);
		for (const event of span.events) {
			const fields = Object.entries(event.attributes ?? {})
				.map(([name, value]) => `${name}=${show(value)}`)
				.join(" ");
			console.log(`${indent}    event ${event.name} ${fields}`);
		}
		const children = this.spans
			.filter((s) => s.parentSpanContext?.spanId === spanId)
			.sort(
				(a, b) =>
					a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1],
			);
		for (const child of children) this.#print(child, `${indent}  `);
	}
}

const show = (value: AttributeValue | undefined) => JSON.stringify(value);

/** Sets up tracing for the demo: the plugin to give the client, and a function that prints the spans and shuts down. */
export function startDemoTracing() {
	context.setGlobalContextManager(
		new AsyncLocalStorageContextManager().enable(),
	);
	propagation.setGlobalPropagator(new W3CTraceContextPropagator());
	const exporter = new ConsoleTreeExporter();
	const tracerProvider = new BasicTracerProvider({
		spanProcessors: [new SimpleSpanProcessor(exporter)],
	});
	return {
		plugin: otel({ tracerProvider, captureContent: { output: true } }),
		async finish() {
			await tracerProvider.forceFlush();
			exporter.print();
			await tracerProvider.shutdown();
		},
	};
}
