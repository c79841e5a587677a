/**
 * `@monagoio/atrium-sdk/otel`: tracing and metrics with OpenTelemetry, by the
 * GenAI semantic conventions, joined to the gateway's audit record. Needs
 * `@opentelemetry/api` 1.9 or later (an optional peer dependency); only this
 * entry imports it.
 *
 * @example
 * import { Atrium } from "@monagoio/atrium-sdk";
 * import { otel } from "@monagoio/atrium-sdk/otel";
 *
 * const client = new Atrium({ plugins: [otel()] });
 *
 * @packageDocumentation
 */
export {
	ATRIUM_ATTRIBUTES,
	type AtriumAttributeName,
	GEN_AI_CONVENTIONS_VERSION,
	METRICS,
} from "./otel/conventions.js";
export {
	type ContentCapture,
	DEFAULT_MAX_CONTENT_LENGTH,
	type OtelOptions,
} from "./otel/options.js";
export { otel } from "./otel/plugin.js";
