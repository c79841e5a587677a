/**
 * `@monagoio/atrium-sdk`: the TypeScript client for the Monago Atrium gateway.
 *
 * @packageDocumentation
 */
export { AsyncAtrium, Atrium } from "./client.js";
export type {
	ChatCompletion,
	ChatCompletionCreateParamsNonStreaming,
	ChatCompletionCreateParamsStreaming,
	Completions,
} from "./completions.js";
export { isChatCompletionStream } from "./completions.js";
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
} from "./errors.js";
export type { Fetch } from "./gateway-client.js";
export {
	type AttemptRecord,
	type Governance,
	type HeaderSource,
	parseGovernance,
} from "./governance.js";
export type { Logger, LogLevel } from "./logger.js";
export {
	type AtriumOptions,
	DEFAULT_BASE_URL,
	DEFAULT_MAX_RETRIES,
	DEFAULT_STREAM_IDLE_TIMEOUT,
	DEFAULT_TIMEOUT,
	type RequestOptions,
} from "./options.js";
export { AtriumPromise, type WithResponse } from "./promise.js";
export type { ChatCompletionStream } from "./stream.js";
export type * from "./types.js";
