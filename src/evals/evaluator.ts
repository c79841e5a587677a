/**
 * `evaluator()`, the custom form, and the one check every evaluator goes
 * through (built-in, custom or a hand-written object given to `evaluate()`).
 */
import { type CallContext, InvalidInputError } from "../index.js";
import type {
	Evaluator,
	EvaluatorAction,
	InputOf,
	Phase,
	Verdict,
} from "./types.js";

/** Options of {@link evaluator}. */
export interface CustomEvaluatorOptions<P extends Phase> {
	/** Names it in verdicts and errors. */
	name: string;
	/** `pre`: on the request; `post`: on the answer. */
	phase: P;
	/** Decides; may be async. Return `{ pass, score?, label?, reason? }`. */
	evaluate(input: InputOf<P>, ctx: CallContext): Verdict | Promise<Verdict>;
	/** What a failing verdict does. Default `block`. `redact` (pre only) applies the verdict's `redactions`. */
	action?: EvaluatorAction | undefined;
	/**
	 * Post: also run on a stream's text as it flows (`input.partial` true,
	 * `output` the text so far), so a stream is stopped as soon as it fails.
	 * Default false: it runs once, on the whole answer.
	 */
	incremental?: boolean | undefined;
	/** Milliseconds it may take. Default: `evaluate()`'s `evaluatorTimeout`. */
	timeout?: number | undefined;
	/** Record a throw or timeout and carry on. Default: `evaluate()`'s `failOpen`. */
	failOpen?: boolean | undefined;
}

const ACTIONS: readonly string[] = ["block", "flag", "redact"];

/** The longest timeout a timer takes: about 24.8 days. */
const MAX_TIMEOUT = 2_147_483_647;

/** Checks a timeout option: a positive number of milliseconds, or undefined. */
export function checkTimeout(
	source: string,
	value: unknown,
): number | undefined {
	if (value === undefined) return undefined;
	if (typeof value !== "number" || !(value > 0) || value > MAX_TIMEOUT) {
		throw new InvalidInputError(
			`${source} must be a number of milliseconds above 0 and at most ${MAX_TIMEOUT}`,
		);
	}
	return value;
}

/** Checks a boolean option, or undefined. */
export function checkFlag(source: string, value: unknown): boolean | undefined {
	if (value === undefined || typeof value === "boolean") return value;
	throw new InvalidInputError(`${source} must be true or false`);
}

/**
 * Checks an evaluator and gives a frozen copy of it.
 *
 * @throws {InvalidInputError} naming what to fix.
 */
export function checkEvaluator<P extends Phase>(
	source: string,
	value: unknown,
): Evaluator<P> {
	if (typeof value !== "object" || value === null) {
		throw new InvalidInputError(`${source} must be an evaluator object`);
	}
	const given = value as Partial<CustomEvaluatorOptions<P>>;
	const { name, phase, action = "block", incremental = false } = given;
	if (typeof name !== "string" || name === "" || name.length > 128) {
		throw new InvalidInputError(
			`${source} needs a name of 1 to 128 characters`,
		);
	}
	const where = `${source} ("${name}")`;
	if (phase !== "pre" && phase !== "post") {
		throw new InvalidInputError(`${where}: phase must be "pre" or "post"`);
	}
	if (!ACTIONS.includes(action as string)) {
		throw new InvalidInputError(
			`${where}: action must be "block", "flag" or "redact"`,
		);
	}
	if (action === "redact" && phase !== "pre") {
		throw new InvalidInputError(
			`${where}: action "redact" works only before sending (phase "pre"): an answer already came`,
		);
	}
	const evaluate = given.evaluate;
	if (typeof evaluate !== "function") {
		throw new InvalidInputError(`${where}: evaluate must be a function`);
	}
	return Object.freeze({
		name,
		phase,
		action,
		incremental: checkFlag(`${where}: incremental`, incremental) ?? false,
		timeout: checkTimeout(`${where}: timeout`, given.timeout),
		failOpen: checkFlag(`${where}: failOpen`, given.failOpen),
		evaluate: (input: InputOf<P>, ctx: CallContext) =>
			evaluate.call(given, input, ctx),
	}) as Evaluator<P>;
}

/** A built-in evaluator, checked like any: its `evaluate` handles either phase. */
export function builtIn<P extends Phase>(
	source: string,
	options: CustomEvaluatorOptions<Phase>,
): Evaluator<P> {
	return checkEvaluator(source, options) as Evaluator<P>;
}

/**
 * A custom evaluator: a name, a phase and a function that gives a verdict.
 *
 * @example
 * const maxLength = evaluator({
 *   name: "max-length",
 *   phase: "post",
 *   evaluate: ({ output }) =>
 *     output.length < 4000 ? { pass: true } : { pass: false, reason: "too long" },
 * });
 * @throws {InvalidInputError} when an option is malformed.
 */
export function evaluator<P extends Phase>(
	options: CustomEvaluatorOptions<P>,
): Evaluator<P> {
	return checkEvaluator<P>("evaluator()", options);
}
