/**
 * The options of the tracing plugin, their defaults, and their checks.
 */
import type { MeterProvider, TracerProvider } from "@opentelemetry/api";

/** Which content to record, when not all of it. */
export interface ContentCapture {
	/** The request's messages (`gen_ai.input.messages`) and tool names (`gen_ai.tool.definitions`): what your app sent, before the gateway redacted anything. */
	readonly input?: boolean | undefined;
	/** The answer (`gen_ai.output.messages`): what the gateway returned, already redacted. */
	readonly output?: boolean | undefined;
}

/** Options of {@link otel}; every one has a documented default. */
export interface OtelOptions {
	/** Where spans go. Default: the global tracer provider of `@opentelemetry/api`. */
	readonly tracerProvider?: TracerProvider | undefined;
	/** Where metrics go. Default: the global meter provider of `@opentelemetry/api`, as it is at each call. */
	readonly meterProvider?: MeterProvider | undefined;
	/**
	 * Record message content on the call's span: `true` for input and output,
	 * or `{ input, output }`. Default: env
	 * `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`, else off.
	 */
	readonly captureContent?: boolean | ContentCapture | undefined;
	/** Characters of each captured content attribute's JSON at most (newest input messages kept first). Default 16384. */
	readonly maxContentLength?: number | undefined;
	/**
	 * `gen_ai.provider.name`: the telemetry flavour of the API called, which
	 * for the gateway's OpenAI-compatible API is `openai`. The provider that
	 * served the call is `monago.atrium.provider`. Default `"openai"`.
	 */
	readonly providerName?: string | undefined;
}

/** The options resolved once, when the plugin is made. */
export interface Resolved {
	readonly input: boolean;
	readonly output: boolean;
	readonly limit: number;
	readonly provider: string;
}

/** The default of {@link OtelOptions.maxContentLength}. */
export const DEFAULT_MAX_CONTENT_LENGTH = 16_384;

const ENV = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT";

function env(name: string): string | undefined {
	return (
		globalThis as { process?: { env?: Record<string, string | undefined> } }
	).process?.env?.[name];
}

/**
 * Checks and resolves the options.
 *
 * @throws {TypeError} naming the option to fix.
 */
export function resolve(options: OtelOptions): Resolved {
	if (typeof options !== "object" || options === null)
		throw new TypeError("otel(options): options must be an object");
	const { tracerProvider, meterProvider, captureContent } = options;
	if (
		tracerProvider !== undefined &&
		typeof tracerProvider?.getTracer !== "function"
	)
		throw new TypeError("otel(options): tracerProvider needs getTracer()");
	if (
		meterProvider !== undefined &&
		typeof meterProvider?.getMeter !== "function"
	)
		throw new TypeError("otel(options): meterProvider needs getMeter()");
	const limit = options.maxContentLength ?? DEFAULT_MAX_CONTENT_LENGTH;
	if (!Number.isSafeInteger(limit) || limit < 64)
		throw new TypeError(
			"otel(options): maxContentLength must be an integer of at least 64",
		);
	const provider = options.providerName ?? "openai";
	if (typeof provider !== "string" || provider === "" || provider.length > 64)
		throw new TypeError(
			"otel(options): providerName must be a string of 1 to 64 characters",
		);
	let input: boolean;
	let output: boolean;
	if (captureContent === undefined) {
		input = output = env(ENV)?.trim().toLowerCase() === "true";
	} else if (typeof captureContent === "boolean") {
		input = output = captureContent;
	} else if (typeof captureContent === "object" && captureContent !== null) {
		input = captureContent.input === true;
		output = captureContent.output === true;
	} else {
		throw new TypeError(
			"otel(options): captureContent must be a boolean or { input, output }",
		);
	}
	return { input, output, limit, provider };
}
