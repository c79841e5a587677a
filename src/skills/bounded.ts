/**
 * What runs a tool and what its end becomes: a tool bounded by its timeout
 * and the run's signal (settling at once on abort, even when the tool
 * ignores its signal), the failures that end a call other than `ok`, and a
 * result turned into a tool message's text.
 */
import type { ToolOutcome } from "./run-types.js";
import type { Tool, ToolContext } from "./types.js";

/** Characters of an error's text the model and the step get at most. */
const MAX_ERROR_TEXT = 2_000;
/** What the model would be told of a tool that the run's abort stopped. */
export const ABORTED = "Error: the run was aborted.";

/** Why a call did not end `ok`: thrown inside the wrapped work, so tracing sees a failure. */
export class ToolFailure extends Error {
	constructor(
		readonly outcome: ToolOutcome,
		message: string,
		readonly content: string,
	) {
		super(message);
	}
}

export function textOf(thrown: unknown): string {
	const text = thrown instanceof Error ? thrown.message : String(thrown);
	return text.length > MAX_ERROR_TEXT
		? `${text.slice(0, MAX_ERROR_TEXT)}...`
		: text;
}

export function serialise(result: unknown): string {
	if (typeof result === "string") return result;
	try {
		return JSON.stringify(result ?? null) ?? "null";
	} catch (error) {
		throw new ToolFailure(
			"error",
			`the result could not be sent as JSON: ${textOf(error)}`,
			"Error: the tool's result could not be sent as JSON.",
		);
	}
}

/** Runs the tool with its timeout, settling at once when the run aborts, even if the tool ignores its signal. */
export function runWithin(
	tool: Tool,
	args: unknown,
	ctx: Omit<ToolContext, "signal">,
	runSignal: AbortSignal,
): Promise<unknown> {
	const controller = new AbortController();
	return new Promise<unknown>((resolve, reject) => {
		let timer: ReturnType<typeof setTimeout> | undefined;
		// Whichever ends the call first (the tool, the abort, the timeout)
		// releases the others, so nothing is left behind for a tool that
		// never settles.
		const done = () => {
			clearTimeout(timer);
			runSignal.removeEventListener("abort", onAbort);
		};
		const onAbort = () => {
			done();
			controller.abort(runSignal.reason);
			reject(new ToolFailure("aborted", "the run was aborted", ABORTED));
		};
		if (runSignal.aborted) return onAbort();
		runSignal.addEventListener("abort", onAbort, { once: true });
		if (tool.timeout !== undefined) {
			const ms = tool.timeout;
			timer = setTimeout(() => {
				const failure = new ToolFailure(
					"timeout",
					`did not finish within ${ms} ms`,
					`Error: "${tool.name}" did not finish within ${ms} ms.`,
				);
				done();
				controller.abort(failure);
				reject(failure);
			}, ms);
		}
		Promise.resolve()
			.then(() => tool.run(args, { ...ctx, signal: controller.signal }))
			.then(resolve, reject)
			.finally(done);
	});
}
