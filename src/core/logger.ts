/**
 * Debug logging: levels, a pluggable logger, and redaction of secrets. A
 * disabled level is `undefined`, so `log.debug?.(...)` costs nothing, its
 * arguments included, unless the level is on.
 */

import type { Scrubber } from "../errors/scrub.js";
import { InvalidInputError } from "../errors/tree.js";
import { readEnv } from "./env.js";

/** How much the SDK logs; `"warn"` by default. */
export type LogLevel = "off" | "error" | "warn" | "info" | "debug";

/** Where log lines go; `console` by default. Each method gets a message and structured data. */
export interface Logger {
	/** Failures. */
	error(message: string, data?: Record<string, unknown>): void;
	/** Risks, such as a plain-http base URL. */
	warn(message: string, data?: Record<string, unknown>): void;
	/** Retries. */
	info(message: string, data?: Record<string, unknown>): void;
	/** Every attempt and its response. */
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

/**
 * Builds the SDK's log from the `logLevel` option (else env `ATRIUM_LOG`,
 * else `"warn"`) and a logger. Every line is prefixed `[atrium]` and its
 * message scrubbed of the key.
 */
export function createLog(
	level: LogLevel | undefined,
	logger: Logger | undefined,
	scrub: Scrubber,
): Log {
	const source = level ? "logLevel" : "ATRIUM_LOG";
	const value = level ?? readEnv("ATRIUM_LOG") ?? "warn";
	const rank = LEVELS.indexOf(value.trim().toLowerCase() as LogLevel);
	if (rank < 0) {
		throw new InvalidInputError(
			`${source} must be one of ${LEVELS.join(", ")}, got "${value}"`,
		);
	}
	const sink = logger ?? console;
	const log: { -readonly [K in keyof Log]?: Emit } = {};
	for (const method of LEVELS.slice(1, rank + 1) as (keyof Logger)[]) {
		if (typeof sink[method] !== "function") {
			throw new InvalidInputError(`logger.${method} must be a function`);
		}
		// The data the SDK logs holds no secret: header names (never values),
		// attempt numbers, statuses and scrubbed audit ids.
		log[method] = (message, data) =>
			sink[method](
				`[atrium] ${scrub(message)}`,
				...(data === undefined ? [] : [data]),
			);
	}
	return log as Log;
}
