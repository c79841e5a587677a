/**
 * Debug logging: levels, a pluggable logger, and redaction of secrets. A
 * disabled level is `undefined`, so `log.debug?.(...)` costs nothing, its
 * arguments included, unless the level is on.
 */
import { readEnv } from "./env.js";
import { InvalidInputError } from "./errors.js";
import { REDACTED, type Scrubber } from "./scrub.js";

/** How much the SDK logs; `"warn"` by default. */
export type LogLevel = "off" | "error" | "warn" | "info" | "debug";

/** Where log lines go; `console` by default. Each method gets a message and structured data. */
export interface Logger {
	error(message: string, data?: Record<string, unknown>): void;
	warn(message: string, data?: Record<string, unknown>): void;
	info(message: string, data?: Record<string, unknown>): void;
	debug(message: string, data?: Record<string, unknown>): void;
}

type Emit = (message: string, data?: Record<string, unknown>) => void;

/** The SDK's view of logging: one function per enabled level, undefined otherwise. */
export interface Log {
	readonly error: Emit | undefined;
	readonly warn: Emit | undefined;
	readonly info: Emit | undefined;
	readonly debug: Emit | undefined;
}

const LEVELS: readonly LogLevel[] = ["off", "error", "warn", "info", "debug"];
const SECRET_HEADERS = new Set([
	"authorization",
	"proxy-authorization",
	"cookie",
	"set-cookie",
	"x-api-key",
]);

function checkLevel(value: string, source: string): LogLevel {
	const level = value.trim().toLowerCase() as LogLevel;
	if (!LEVELS.includes(level)) {
		throw new InvalidInputError(
			`${source} must be one of ${LEVELS.join(", ")}, got "${value}"`,
		);
	}
	return level;
}

function scrubData(data: unknown, scrub: Scrubber): unknown {
	if (typeof data === "string") return scrub(data);
	if (Array.isArray(data)) return data.map((item) => scrubData(item, scrub));
	if (typeof data === "object" && data !== null) {
		const out: Record<string, unknown> = {};
		for (const [key, value] of Object.entries(data)) {
			out[key] = SECRET_HEADERS.has(key.toLowerCase())
				? REDACTED
				: scrubData(value, scrub);
		}
		return out;
	}
	return data;
}

/**
 * Builds the SDK's log from the `logLevel` option (else env `ATRIUM_LOG`,
 * else `"warn"`) and a logger. Every line is prefixed `[atrium]` and scrubbed
 * of the key and of secret headers.
 */
export function createLog(
	level: LogLevel | undefined,
	logger: Logger | undefined,
	scrub: Scrubber,
): Log {
	const env = readEnv("ATRIUM_LOG");
	const chosen = level
		? checkLevel(level, "logLevel")
		: env
			? checkLevel(env, "ATRIUM_LOG")
			: "warn";
	const sink: Logger = logger ?? console;
	if (logger !== undefined) {
		for (const method of ["error", "warn", "info", "debug"] as const) {
			if (typeof logger[method] !== "function") {
				throw new InvalidInputError(
					`logger must have error, warn, info and debug methods; ${method} is missing`,
				);
			}
		}
	}
	const rank = LEVELS.indexOf(chosen);
	const emit = (method: keyof Logger, at: number): Emit | undefined =>
		rank >= at
			? (message, data) =>
					data === undefined
						? sink[method](`[atrium] ${scrub(message)}`)
						: sink[method](
								`[atrium] ${scrub(message)}`,
								scrubData(data, scrub) as Record<string, unknown>,
							)
			: undefined;
	return {
		error: emit("error", 1),
		warn: emit("warn", 2),
		info: emit("info", 3),
		debug: emit("debug", 4),
	};
}
