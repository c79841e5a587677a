import { afterEach, describe, expect, it, vi } from "vitest";
import { createLog, type Logger } from "../../src/core/logger.js";
import { createScrubber } from "../../src/errors/scrub.js";
import { InvalidInputError } from "../../src/errors/tree.js";

const KEY = "sk-mng-logger-secret-1";
const scrub = createScrubber(KEY);

function capture(): Logger & { lines: [string, string, unknown][] } {
	const lines: [string, string, unknown][] = [];
	const at = (level: string) => (message: string, data?: unknown) =>
		lines.push([level, message, data]);
	return {
		lines,
		error: at("error"),
		warn: at("warn"),
		info: at("info"),
		debug: at("debug"),
	};
}

afterEach(() => {
	vi.unstubAllEnvs();
});

describe("createLog", () => {
	it.each([
		["off", []],
		["error", ["error"]],
		["warn", ["error", "warn"]],
		["info", ["error", "warn", "info"]],
		["debug", ["error", "warn", "info", "debug"]],
	] as const)(
		"at level %s enables %j and leaves the rest undefined",
		(level, enabled) => {
			const log = createLog(level, capture(), scrub);
			for (const method of ["error", "warn", "info", "debug"] as const) {
				expect(typeof log[method] === "function").toBe(
					enabled.includes(method as never),
				);
			}
		},
	);

	it("defaults to warn, and reads ATRIUM_LOG when no level is given", () => {
		expect(createLog(undefined, capture(), scrub).info).toBeUndefined();
		expect(createLog(undefined, capture(), scrub).warn).toBeDefined();
		vi.stubEnv("ATRIUM_LOG", "DEBUG");
		expect(createLog(undefined, capture(), scrub).debug).toBeDefined();
		expect(createLog("error", capture(), scrub).warn).toBeUndefined();
	});

	it("evaluates nothing for a disabled level", () => {
		const log = createLog("warn", capture(), scrub);
		const expensive = vi.fn(() => ({}));
		log.debug?.("x", expensive());
		expect(expensive).not.toHaveBeenCalled();
	});

	it("refuses an unknown level or an incomplete logger", () => {
		expect(() => createLog("verbose" as never, capture(), scrub)).toThrow(
			InvalidInputError,
		);
		vi.stubEnv("ATRIUM_LOG", "loud");
		expect(() => createLog(undefined, capture(), scrub)).toThrow(
			/ATRIUM_LOG must be one of/,
		);
		expect(() => createLog("warn", { warn() {} } as never, scrub)).toThrow(
			/logger.error must be a function/,
		);
	});

	it("prefixes lines and redacts the key from the message; data goes as given, as the SDK logs no secret in it", () => {
		const logger = capture();
		const data = { headers: ["Authorization", "X-Monago-User-Id"], attempt: 1 };
		createLog("debug", logger, scrub).debug?.(`sent with ${KEY}`, data);
		expect(logger.lines).toEqual([
			["debug", "[atrium] sent with [redacted]", data],
		]);
		expect(JSON.stringify(logger.lines)).not.toContain(KEY);
	});
});
