/**
 * The conventions' client histograms and the gateway's cost, created once
 * per meter provider with the bucket boundaries the conventions give. When
 * the provider is the API's no-op one (no SDK registered), there are none,
 * and a call records nothing.
 */
import {
	type Attributes,
	createNoopMeter,
	type Histogram,
	type MeterProvider,
	metrics,
} from "@opentelemetry/api";
import { METRICS, SCHEMA_URL, SCOPE, SCOPE_VERSION } from "./conventions.js";

/** The histograms a call records into. */
export type Instruments = {
	readonly [K in keyof typeof METRICS]: Histogram<Attributes>;
};

/**
 * The instruments of the given provider, or of the global one as it is at
 * each call (an SDK registered after the plugin was made still counts).
 */
export function meterSource(
	given: MeterProvider | undefined,
): () => Instruments | undefined {
	const noop = createNoopMeter().constructor;
	let provider: MeterProvider | undefined;
	let instruments: Instruments | undefined;
	return () => {
		const current = given ?? metrics.getMeterProvider();
		if (current !== provider) {
			provider = current;
			const meter = current.getMeter(SCOPE, SCOPE_VERSION, {
				schemaUrl: SCHEMA_URL,
			});
			instruments = meter instanceof noop ? undefined : create(meter);
		}
		return instruments;
	};
}

function create(meter: ReturnType<MeterProvider["getMeter"]>): Instruments {
	const histogram = (spec: (typeof METRICS)[keyof typeof METRICS]) =>
		meter.createHistogram(spec.name, {
			unit: spec.unit,
			description: spec.description,
			advice: { explicitBucketBoundaries: [...spec.buckets] },
		});
	return {
		duration: histogram(METRICS.duration),
		tokens: histogram(METRICS.tokens),
		timeToFirstChunk: histogram(METRICS.timeToFirstChunk),
		timePerChunk: histogram(METRICS.timePerChunk),
		cost: histogram(METRICS.cost),
	};
}
