/**
 * The error tree. Errors hold data; `mapping.ts` decides which class a
 * response becomes. Same names and fields as the Python SDK.
 *
 * ```
 * AtriumError
 * ├── AuthError                (401/403, or no key at construction)
 * ├── RateLimitError           (429)
 * ├── APIError                 (5xx, network failure, malformed body)
 * ├── TimeoutError
 * ├── AbortError               (the caller's AbortSignal; TypeScript only)
 * ├── InvalidInputError        (refused before sending; TypeScript only)
 * ├── PluginError              (a plugin's hook failed; TypeScript only)
 * ├── UsageError               (the SDK used in a way it cannot serve, e.g. a stream read twice; TypeScript only)
 * └── PolicyBlockedError       (400/422/451 with a block signal)
 *     ├── PIIBlockedError
 *     ├── SecurityBlockedError (prompt injection, jailbreak)
 *     └── ModelNotAllowedError
 * ```
 */
import type { CallRecord, EvaluationResult } from "../core/result.js";
import {
	type AttemptRecord,
	emptyGovernance,
	type Governance,
	NONE,
} from "../governance/parse.js";

/** The metadata of a call sent without any: one shared frozen empty object. */
export const NO_METADATA: Readonly<Record<string, string>> =
	/* @__PURE__ */ Object.freeze({});

// A registry-wide symbol on AtriumError's prototype, so the ESM and the CJS
// copy of this package recognise each other's errors and `instanceof` works
// across them.
const BRAND = Symbol.for("@monagoio/atrium-sdk/error");

/** The fields an error is built from. */
export interface AtriumErrorInit {
	/** HTTP status; null or omitted when there was no response. */
	status_code?: number | null;
	/** The response body: parsed JSON, else text, else null. */
	response_body?: unknown;
	/** Governance of the response (empty when there was none). */
	governance?: Governance;
	/** The error code from the body (`pii_blocked`, ...), when there is one. */
	code?: string | null;
	/** The underlying error, such as a network failure. */
	cause?: unknown;
}

/**
 * Base class of every error the SDK throws. Carries the audit trail: the
 * gateway's audit id, block reason, policy decision and whole governance.
 *
 * `instanceof` works across the ESM and CJS builds; the `isXxxError` guards do
 * the same by name.
 */
export class AtriumError extends Error {
	static {
		Object.defineProperty(this.prototype, BRAND, { value: true });
	}

	/** The class's name, read off the prototype (so a bundler can drop an unused subclass). */
	override get name(): string {
		return "AtriumError";
	}

	/** HTTP status of the response; null when there was none (network, timeout). */
	declare readonly status_code: number | null;
	/** The gateway's audit record id; null when unknown. */
	declare readonly audit_id: string | null;
	/** Why the gateway blocked the call, from `X-Monago-Block-Reason`. */
	declare readonly block_reason: string | null;
	/** The gateway's policy decision, e.g. `blocked`. */
	declare readonly policy_decision: string | null;
	/** The error code from the body, e.g. `pii_blocked`; null when none. */
	declare readonly code: string | null;
	/** The response body: parsed JSON, else text, else null. Secrets scrubbed. */
	declare readonly response_body: unknown;
	/** The whole governance record of the response. */
	declare readonly governance: Governance;
	/** Every attempt of the call, the last one included: each has its own audit id. */
	declare readonly attempts: readonly AttemptRecord[];
	/** The request metadata the call was sent with (frozen); empty when none. */
	declare readonly metadata: Readonly<Record<string, string>>;
	/** The evaluations that ran on the call before it failed (empty when none did). */
	declare readonly evaluations: readonly EvaluationResult[];

	constructor(message: string, init: AtriumErrorInit = {}) {
		super(
			message,
			init.cause === undefined ? undefined : { cause: init.cause },
		);
		const governance = init.governance ?? emptyGovernance();
		this.status_code = init.status_code ?? null;
		this.audit_id = governance.audit_id;
		this.block_reason = governance.block_reason;
		this.policy_decision = governance.policy_decision;
		this.code = init.code ?? null;
		this.response_body = init.response_body ?? null;
		this.governance = governance;
		this.attempts = NONE;
		this.metadata = NO_METADATA;
		this.evaluations = NONE;
	}

	/** True when `value` is an instance of this class, from either build of the package. */
	static override [Symbol.hasInstance](value: unknown): boolean {
		// `this` is the class on the right of `instanceof`, a subclass included.
		return hasLineage(value, this.prototype.name);
	}

	/** The HTTP status, as openai-node names it: the same as `status_code`. */
	get status(): number | null {
		return this.status_code;
	}

	/**
	 * The response's headers, as openai-node names them (values scrubbed of
	 * the key, cookies left out); null when no response came.
	 */
	get headers(): Headers | null {
		return null;
	}

	/** The audit trail as plain data, for logs and audit stores. */
	toJSON(): Record<string, unknown> {
		// The fields above are the error's own enumerable properties.
		const fields: Record<string, unknown> = {
			name: this.name,
			message: this.message,
		};
		return Object.assign(fields, this);
	}
}

/**
 * Attaches what a call tried, sent and evaluated to its final error: its
 * attempts, metadata and evaluations (read-only to users; a later call's
 * error may re-attach).
 */
export function withCall<E extends AtriumError>(error: E, call: CallRecord): E {
	const field = (value: unknown) => ({
		value,
		enumerable: true,
		configurable: true,
	});
	return Object.defineProperties(error, {
		attempts: field(call.attempts),
		metadata: field(call.metadata),
		evaluations: field(call.evaluations),
	});
}

// Every class of the tree has its own `name` getter on its prototype, so an
// error's class and its ancestors are the names along its prototype chain.
/** Whether `value` is an error of this tree whose class, or an ancestor, has this name. @internal */
export function hasLineage(value: unknown, name: string): boolean {
	if (typeof value !== "object" || value === null || !(BRAND in value))
		return false;
	for (
		let proto = Object.getPrototypeOf(value);
		proto;
		proto = Object.getPrototypeOf(proto)
	) {
		if (Object.hasOwn(proto, "name") && proto.name === name) return true;
	}
	return false;
}

/** The API key is missing, invalid or not allowed (401/403). */
export class AuthError extends AtriumError {
	override get name(): string {
		return "AuthError";
	}
}

/** Too many requests (429). */
export class RateLimitError extends AtriumError {
	override get name(): string {
		return "RateLimitError";
	}
}

/** The gateway failed (5xx), the network failed, or a success body was not JSON. */
export class APIError extends AtriumError {
	override get name(): string {
		return "APIError";
	}
}

/** An attempt took longer than its `timeout` (after every retry), or a stream passed `streamIdleTimeout` or `streamFirstChunkTimeout`. */
export class TimeoutError extends AtriumError {
	override get name(): string {
		return "TimeoutError";
	}
}

/** The caller's `AbortSignal` fired (or the client was closed). Never retried. */
export class AbortError extends AtriumError {
	override get name(): string {
		return "AbortError";
	}
}

/** The SDK refused the input before sending anything; the message says what to fix. */
export class InvalidInputError extends AtriumError {
	override get name(): string {
		return "InvalidInputError";
	}
}

/**
 * A plugin's hook threw something that is not an {@link AtriumError}; the
 * message names the plugin and the hook, and `cause` holds what it threw.
 */
export class PluginError extends AtriumError {
	override get name(): string {
		return "PluginError";
	}
}

/**
 * The SDK was used in a way it cannot serve, such as reading a stream twice
 * or from two places at once; the message says how to use it instead.
 */
export class UsageError extends AtriumError {
	override get name(): string {
		return "UsageError";
	}
}

/** The gateway's policy engine blocked the call. */
export class PolicyBlockedError extends AtriumError {
	override get name(): string {
		return "PolicyBlockedError";
	}
}

/** Blocked because the request holds PII the policy does not allow. */
export class PIIBlockedError extends PolicyBlockedError {
	override get name(): string {
		return "PIIBlockedError";
	}
}

/** Blocked as a security incident: prompt injection or a jailbreak attempt. */
export class SecurityBlockedError extends PolicyBlockedError {
	override get name(): string {
		return "SecurityBlockedError";
	}
}

/** Blocked because the model is not on the tenant's allow-list. */
export class ModelNotAllowedError extends PolicyBlockedError {
	override get name(): string {
		return "ModelNotAllowedError";
	}
}
