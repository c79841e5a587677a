/**
 * `@monagoio/atrium-sdk`: the TypeScript client for the Monago Atrium gateway.
 *
 * @packageDocumentation
 */
export type { Completions } from "./chat/completions.js";
export { isChatCompletionStream } from "./chat/completions.js";
export { AsyncAtrium, Atrium, type ClientOverrides } from "./client.js";
export type { Fetch } from "./core/gateway-client.js";
export type { Logger, LogLevel } from "./core/logger.js";
export {
	type AtriumOptions,
	type AtriumPlugin,
	type CallContext,
	type ChatCompletionCreateParamsNonStreaming,
	type ChatCompletionCreateParamsStreaming,
	type ChunkResult,
	DEFAULT_BASE_URL,
	DEFAULT_MAX_RESPONSE_BYTES,
	DEFAULT_MAX_RETRIES,
	DEFAULT_STREAM_FIRST_CHUNK_TIMEOUT,
	DEFAULT_STREAM_IDLE_TIMEOUT,
	DEFAULT_TIMEOUT,
	type Operation,
	type RequestOptions,
} from "./core/options.js";
export { AtriumPromise, type WithResponse } from "./core/promise.js";
export type { ChatCompletion, EvaluationResult } from "./core/result.js";
export {
	isAbortError,
	isAPIError,
	isAtriumError,
	isAuthError,
	isInvalidInputError,
	isModelNotAllowedError,
	isPIIBlockedError,
	isPluginError,
	isPolicyBlockedError,
	isRateLimitError,
	isSecurityBlockedError,
	isTimeoutError,
	isUsageError,
} from "./errors/guards.js";
export {
	AbortError,
	APIError,
	AtriumError,
	type AtriumErrorInit,
	AuthError,
	InvalidInputError,
	ModelNotAllowedError,
	PIIBlockedError,
	PluginError,
	PolicyBlockedError,
	RateLimitError,
	SecurityBlockedError,
	TimeoutError,
	UsageError,
} from "./errors/tree.js";
export {
	type AttemptRecord,
	type Governance,
	type HeaderSource,
	parseGovernance,
} from "./governance/parse.js";
export {
	METADATA_LIMITS,
	type Metadata,
	type MetadataUpdate,
} from "./metadata/metadata.js";
export type { ChatCompletionStream } from "./streaming/types.js";
export type * from "./types.js";
