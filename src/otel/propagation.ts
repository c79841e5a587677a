/**
 * Trace context to the gateway: the registered propagator (W3C
 * `traceparent`/`tracestate` by default in the SDKs) writes into the call's
 * headers, so the gateway's audit record joins the caller's trace.
 */
import {
	type Context,
	propagation,
	type TextMapSetter,
} from "@opentelemetry/api";

// An HTTP token, and a value without CR, LF or NUL, of bounded length.
const NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/;
const UNSAFE = /[\r\n\0]/;
const MAX_VALUE = 8192;

/**
 * Sets a header the propagator gives, replacing one of the same name in any
 * case; a name or value that could not be sent safely is dropped, so a
 * hostile `tracestate` or baggage entry never reaches the wire and never
 * fails the call.
 */
const setter: TextMapSetter<Record<string, string>> = {
	set(headers, key, value) {
		if (
			typeof key !== "string" ||
			typeof value !== "string" ||
			!NAME.test(key) ||
			value.length > MAX_VALUE ||
			UNSAFE.test(value)
		)
			return;
		const lower = key.toLowerCase();
		for (const name of Object.keys(headers)) {
			if (name.toLowerCase() === lower) delete headers[name];
		}
		headers[lower] = value;
	},
};

/** Writes `context`'s trace context into `headers` through the registered propagator. */
export function inject(
	context: Context,
	headers: Record<string, string>,
): void {
	propagation.inject(context, headers, setter);
}
