/**
 * `@monagoio/atrium-sdk`: the TypeScript client for the Monago Atrium gateway.
 *
 * @packageDocumentation
 */

export type {
	ChatCompletion,
	ChatCompletionCreateParamsNonStreaming,
	ChatCompletionCreateParamsStreaming,
	Completions,
} from "./chat/completions.js";
export { isChatCompletionStream } from "./chat/completions.js";
export { AsyncAtrium, Atrium } from "./client.js";
export type { Fetch } from "./core/gateway-client.js";
export type { Logger, LogLevel } from "./core/logger.js";
export {
	type AtriumOptions,
	DEFAULT_BASE_URL,
	DEFAULT_MAX_RETRIES,
	DEFAULT_STREAM_IDLE_TIMEOUT,
	DEFAULT_TIMEOUT,
	type RequestOptions,
} from "./core/options.js";
export { AtriumPromise, type WithResponse } from "./core/promise.js";
export {
	AbortError,
	APIError,
	AtriumError,
	type AtriumErrorInit,
	AuthError,
	InvalidInputError,
	isAbortError,
	isAPIError,
	isAtriumError,
	isAuthError,
	isInvalidInputError,
	isModelNotAllowedError,
	isPIIBlockedError,
	isPolicyBlockedError,
	isRateLimitError,
	isSecurityBlockedError,
	isTimeoutError,
	ModelNotAllowedError,
	PIIBlockedError,
	PolicyBlockedError,
	RateLimitError,
	SecurityBlockedError,
	TimeoutError,
} from "./errors/tree.js";
export {
	type AttemptRecord,
	type Governance,
	type HeaderSource,
	parseGovernance,
} from "./governance/parse.js";
export type { ChatCompletionStream } from "./streaming/stream.js";
export type * from "./types.js";
