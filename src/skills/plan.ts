/**
 * A run's inputs, checked before anything is sent: the client, the body,
 * the options; and what the loop derives from them once (the toolbox, the
 * built-in tools, the run id, the options every model call gets).
 */
import {
	type Atrium,
	InvalidInputError,
	type RequestOptions,
} from "../index.js";
import { isSignal, newRunId } from "../runs/signals.js";
import { builtinTools } from "./builtins.js";
import type { RunToolsOptions, ToolRunBody } from "./run-types.js";
import { Toolbox } from "./toolbox.js";
import type { Tool } from "./types.js";

/** Model calls a run makes at most, unless `maxSteps` says otherwise. */
export const DEFAULT_MAX_STEPS = 10;

/** A run, checked and ready. */
export interface Plan {
	readonly client: Atrium;
	readonly body: ToolRunBody;
	readonly options: RunToolsOptions;
	/** The request options every model call gets (metadata apart). */
	readonly request: RequestOptions;
	readonly toolbox: Toolbox;
	readonly builtins: readonly Tool[];
	readonly runId: string;
	readonly maxSteps: number;
	readonly parallel: boolean;
	/** The caller's signal, or one that never aborts. */
	readonly signal: AbortSignal;
}

// The run's own options; every other option is a request option of each call.
const RUN_KEYS = new Set([
	"tools",
	"skills",
	"maxSteps",
	"parallelToolCalls",
	"approve",
	"onChunk",
	"onStep",
	"stopWhen",
	"instructions",
	"runId",
	"attributes",
	"metadata",
]);
const CALLBACKS = ["approve", "onChunk", "onStep", "stopWhen"] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkBody(body: unknown): ToolRunBody {
	if (!isRecord(body))
		throw new InvalidInputError("runTools needs a body: { model, messages }");
	if (!Array.isArray(body.messages) || body.messages.length === 0)
		throw new InvalidInputError("`messages` must be a non-empty array");
	for (const field of ["tools", "functions", "function_call"]) {
		if (body[field] !== undefined && body[field] !== null) {
			throw new InvalidInputError(
				`runTools: pass tools as options.tools (made by defineTool), not as body.${field}: the loop runs only tools it can call`,
			);
		}
	}
	if (body.n !== undefined && body.n !== null && body.n !== 1)
		throw new InvalidInputError(
			"runTools: `n` must be 1 (the loop follows one answer)",
		);
	return body as ToolRunBody;
}

/**
 * Checks a run's client, body and options.
 *
 * @throws {InvalidInputError} naming what to fix.
 */
export function checkPlan(
	client: unknown,
	body: unknown,
	given: unknown,
): Plan {
	if (
		typeof (client as Atrium | null)?.chat?.completions?.create !== "function"
	) {
		throw new InvalidInputError(
			"runTools needs an Atrium client as its first argument",
		);
	}
	const checked = checkBody(body);
	if (given !== undefined && !isRecord(given))
		throw new InvalidInputError("runTools options must be an object");
	const options = (given ?? {}) as RunToolsOptions;
	const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
	if (!Number.isInteger(maxSteps) || maxSteps < 1)
		throw new InvalidInputError(
			`maxSteps must be a whole number >= 1, got ${typeof maxSteps === "number" ? maxSteps : `a ${typeof maxSteps}`}`,
		);
	if (
		options.parallelToolCalls !== undefined &&
		typeof options.parallelToolCalls !== "boolean"
	)
		throw new InvalidInputError("parallelToolCalls must be a boolean");
	for (const name of CALLBACKS) {
		if (options[name] !== undefined && typeof options[name] !== "function")
			throw new InvalidInputError(`${name} must be a function`);
	}
	if (
		options.instructions !== undefined &&
		typeof options.instructions !== "string"
	)
		throw new InvalidInputError("instructions must be a string");
	const runId = options.runId ?? newRunId();
	if (typeof runId !== "string" || runId === "" || runId.length > 512)
		throw new InvalidInputError(
			"runId must be a string of 1 to 512 characters",
		);
	if (options.signal !== undefined && !isSignal(options.signal))
		throw new InvalidInputError("signal must be an AbortSignal");
	if (options.metadata !== undefined && !isRecord(options.metadata))
		throw new InvalidInputError("metadata must be an object of strings");
	if (options.attributes !== undefined && !isRecord(options.attributes))
		throw new InvalidInputError("attributes must be an object");
	if ((options as RequestOptions).idempotencyKey !== undefined)
		throw new InvalidInputError(
			"runTools: idempotencyKey is per call, and a run makes many: each model call gets its own",
		);
	const request: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(options)) {
		if (!RUN_KEYS.has(key) && value !== undefined) request[key] = value;
	}
	const toolbox = new Toolbox(options.tools, options.skills);
	return {
		client: client as Atrium,
		body: checked,
		options,
		request: request as RequestOptions,
		toolbox,
		builtins: builtinTools(toolbox),
		runId,
		maxSteps,
		parallel: options.parallelToolCalls === true,
		signal: options.signal ?? new AbortController().signal,
	};
}
