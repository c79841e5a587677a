/**
 * `@monagoio/atrium-sdk/evals`: evaluators that check a request before it
 * is sent and its answer on the way back (streams included, held back just
 * enough to check them), with their verdicts on the result, the stream and
 * every error, beside the gateway's governance.
 *
 * @example
 * import { Atrium } from "@monagoio/atrium-sdk";
 * import { evaluate, judge, keywords, pii } from "@monagoio/atrium-sdk/evals";
 *
 * const client = new Atrium({
 *   plugins: [
 *     evaluate([
 *       pii({ phase: "pre", detect: ["NIK", "EMAIL", "PHONE"], action: "block" }),
 *       pii({ phase: "post", action: "flag" }),
 *       keywords({ phase: "post", deny: [/\bdiagnos(is|a)\b/i] }),
 *       judge({ model: "gpt-5.4-mini", rubric: "Is the answer polite?", threshold: 0.7 }),
 *     ]),
 *   ],
 * });
 *
 * @packageDocumentation
 */
export { type DetectOptions, detectPii } from "./evals/detectors/detect.js";
export {
	PII_TYPES,
	type PiiFinding,
	type PiiType,
} from "./evals/detectors/types.js";
export {
	EvaluationBlockedError,
	EvaluatorError,
	isEvaluationBlockedError,
	isEvaluatorError,
} from "./evals/errors.js";
export {
	type CustomEvaluatorOptions,
	evaluator,
} from "./evals/evaluator.js";
export { type JudgeOptions, judge } from "./evals/judge.js";
export { type KeywordsOptions, keywords } from "./evals/keywords.js";
export { type PiiOptions, pii } from "./evals/pii.js";
export {
	DEFAULT_EVALUATOR_TIMEOUT,
	DEFAULT_HOLD_BACK,
	evaluate,
} from "./evals/plugin.js";
export type {
	EvaluateOptions,
	EvaluationInput,
	Evaluator,
	EvaluatorAction,
	EvaluatorOptions,
	Hold,
	InputOf,
	OutputToolCall,
	Phase,
	PostInput,
	PreInput,
	Redaction,
	RequestMessage,
	TextSegment,
	Verdict,
} from "./evals/types.js";
