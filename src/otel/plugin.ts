/**
 * The tracing plugin: a span per call by the GenAI conventions, joined to
 * the gateway's audit record, the conventions' client metrics, and spans for
 * work above single calls (`wrap`).
 */
import { diag, trace } from "@opentelemetry/api";
import type { AtriumPlugin, CallContext } from "../index.js";
import { type Server, serverOf } from "./attributes.js";
import { SCHEMA_URL, SCOPE, SCOPE_VERSION } from "./conventions.js";
import { meterSource } from "./metrics.js";
import { type OtelOptions, resolve } from "./options.js";
import { CallTrace } from "./spans.js";
import { wrapOperation } from "./wrap.js";

// The plugin's key in its own per-call `ctx.state`.
const KEY = "trace";

/**
 * A plugin that traces every call of a client with OpenTelemetry: a CLIENT
 * span `chat {model}` per call with the GenAI conventions' attributes and
 * the gateway's governance under `monago.atrium.*`, an event per attempt, a
 * `gen_ai.evaluation.result` event per evaluation, the trace context sent to
 * the gateway in the request headers, and the conventions' client metrics.
 * Its `wrap` gives tools, agents and workflows spans that their calls nest
 * under. Without an OpenTelemetry SDK registered it costs next to nothing.
 *
 * Put it first among the client's plugins: hooks on the way back run in
 * reverse order, so the first plugin sees every evaluation and the call's
 * final outcome.
 *
 * @example
 * import { otel } from "@monagoio/atrium-sdk/otel";
 * const client = new Atrium({ plugins: [otel()] });
 * // or otel({ tracerProvider, meterProvider, captureContent: true })
 *
 * @throws {TypeError} when an option is malformed.
 */
export function otel(options: OtelOptions = {}): AtriumPlugin {
	const resolved = resolve(options);
	// The global provider is a proxy: an SDK registered later still gets spans.
	const tracer = (
		options.tracerProvider ?? trace.getTracerProvider()
	).getTracer(SCOPE, SCOPE_VERSION, { schemaUrl: SCHEMA_URL });
	const instruments = meterSource(options.meterProvider);
	// One client talks to one URL: parse it once, not per call.
	let lastURL: string | undefined;
	let lastServer: Server | undefined;
	const server = (url: string) => {
		if (url !== lastURL) {
			lastURL = url;
			lastServer = serverOf(url);
		}
		return lastServer;
	};
	const of = (ctx: CallContext) => ctx.state[KEY] as CallTrace | undefined;
	// Tracing never fails a call: what goes wrong is reported to the OpenTelemetry diagnostics.
	const safely = (hook: string, work: () => void) => {
		try {
			work();
		} catch (error) {
			diag.error(`@monagoio/atrium-sdk/otel: ${hook} failed`, error);
		}
	};
	return {
		name: "otel",
		onRequest(ctx) {
			safely("onRequest", () => {
				ctx.state[KEY] = new CallTrace(
					ctx,
					tracer,
					resolved,
					server(ctx.url),
					instruments(),
				);
			});
		},
		onAttempt(ctx, attempt) {
			safely("onAttempt", () => of(ctx)?.attempt(attempt));
		},
		onChunk(ctx, chunk) {
			// Per chunk: no closure, unlike the other hooks.
			try {
				of(ctx)?.chunk(chunk);
			} catch (error) {
				diag.error("@monagoio/atrium-sdk/otel: onChunk failed", error);
			}
		},
		onResponse(ctx, completion) {
			safely("onResponse", () =>
				of(ctx)?.finish(ctx, resolved, completion, undefined),
			);
		},
		onError(ctx, error) {
			safely("onError", () => of(ctx)?.finish(ctx, resolved, undefined, error));
		},
		wrap(operation, run) {
			return wrapOperation(tracer, operation, run);
		},
	};
}
