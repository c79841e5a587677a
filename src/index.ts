/**
 * `@monagoio/atrium-sdk`: the TypeScript client for the Monago Atrium gateway.
 *
 * @packageDocumentation
 */
export { Atrium, AsyncAtrium } from "./client.js";
export type { ChatCompletion, Completions } from "./completions.js";
export {
  AbortError,
  APIError,
  AtriumError,
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
  type AtriumErrorInit,
} from "./errors.js";
export { parseGovernance, type Governance, type HeaderSource } from "./governance.js";
export {
  DEFAULT_BASE_URL,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT,
  type AtriumOptions,
  type RequestOptions,
} from "./options.js";
export type { Fetch } from "./transport.js";
export type * from "./types.js";
