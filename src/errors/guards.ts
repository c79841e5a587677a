/**
 * Name-based guards for the error tree: they work where `instanceof` cannot,
 * when an app ends up with both the ESM and the CJS copy of this package.
 */
import {
	type AbortError,
	type APIError,
	type AtriumError,
	type AuthError,
	hasLineage,
	type InvalidInputError,
	type ModelNotAllowedError,
	type PIIBlockedError,
	type PluginError,
	type PolicyBlockedError,
	type RateLimitError,
	type SecurityBlockedError,
	type TimeoutError,
	type UsageError,
} from "./tree.js";

function guard<T extends AtriumError>(
	name: string,
): (value: unknown) => value is T {
	return (value): value is T => hasLineage(value, name);
}

/**
 * True for any error this SDK throws, from either build.
 *
 * @function
 */
export const isAtriumError = /* @__PURE__ */ guard<AtriumError>("AtriumError");
/**
 * True for an {@link AuthError}, from either build.
 *
 * @function
 */
export const isAuthError = /* @__PURE__ */ guard<AuthError>("AuthError");
/**
 * True for a {@link RateLimitError}, from either build.
 *
 * @function
 */
export const isRateLimitError =
	/* @__PURE__ */ guard<RateLimitError>("RateLimitError");
/**
 * True for an {@link APIError}, from either build.
 *
 * @function
 */
export const isAPIError = /* @__PURE__ */ guard<APIError>("APIError");
/**
 * True for a {@link TimeoutError}, from either build.
 *
 * @function
 */
export const isTimeoutError =
	/* @__PURE__ */ guard<TimeoutError>("TimeoutError");
/**
 * True for an {@link AbortError}, from either build.
 *
 * @function
 */
export const isAbortError = /* @__PURE__ */ guard<AbortError>("AbortError");
/**
 * True for a {@link PluginError}, from either build.
 *
 * @function
 */
export const isPluginError = /* @__PURE__ */ guard<PluginError>("PluginError");
/**
 * True for a {@link UsageError}, from either build.
 *
 * @function
 */
export const isUsageError = /* @__PURE__ */ guard<UsageError>("UsageError");
/**
 * True for an {@link InvalidInputError}, from either build.
 *
 * @function
 */
export const isInvalidInputError =
	/* @__PURE__ */ guard<InvalidInputError>("InvalidInputError");
/**
 * True for a {@link PolicyBlockedError} or any of its subclasses, from either build.
 *
 * @function
 */
export const isPolicyBlockedError =
	/* @__PURE__ */ guard<PolicyBlockedError>("PolicyBlockedError");
/**
 * True for a {@link PIIBlockedError}, from either build.
 *
 * @function
 */
export const isPIIBlockedError =
	/* @__PURE__ */ guard<PIIBlockedError>("PIIBlockedError");
/**
 * True for a {@link SecurityBlockedError}, from either build.
 *
 * @function
 */
export const isSecurityBlockedError =
	/* @__PURE__ */ guard<SecurityBlockedError>("SecurityBlockedError");
/**
 * True for a {@link ModelNotAllowedError}, from either build.
 *
 * @function
 */
export const isModelNotAllowedError =
	/* @__PURE__ */ guard<ModelNotAllowedError>("ModelNotAllowedError");
