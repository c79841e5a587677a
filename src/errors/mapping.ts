/**
 * The one factory that turns what came back (status, body, governance) into
 * the right error class. The rule table below is the gateway's mapping, first
 * match wins.
 */
import type { Endpoint } from "../core/endpoint.js";
import type { Governance } from "../governance/parse.js";
import { scrubValue } from "./scrub.js";
import {
	APIError,
	AtriumError,
	AuthError,
	ModelNotAllowedError,
	PIIBlockedError,
	PolicyBlockedError,
	RateLimitError,
	SecurityBlockedError,
} from "./tree.js";

type ErrorClass = new (
	message: string,
	init: ConstructorParameters<typeof AtriumError>[1],
) => AtriumError;

interface Facts {
	readonly status: number;
	/** Lower-cased code + " " + lower-cased block reason. */
	readonly signal: string;
	readonly blocked: boolean;
}

const BLOCK_STATUSES = new Set([400, 422, 451]);

const isBlock = (facts: Facts) => BLOCK_STATUSES.has(facts.status);
const has = (facts: Facts, ...words: string[]) =>
	words.some((word) => facts.signal.includes(word));

/** The gateway's mapping, in order; the first rule that matches decides. */
const RULES: ReadonlyArray<
	readonly [(facts: Facts) => boolean, ErrorClass, string]
> = [
	[
		(f) => f.status === 401 || f.status === 403,
		AuthError,
		"Authentication failed: check the API key",
	],
	[(f) => f.status === 429, RateLimitError, "Rate limit exceeded"],
	[
		(f) => isBlock(f) && has(f, "pii"),
		PIIBlockedError,
		"Blocked: PII detected",
	],
	[
		(f) => isBlock(f) && has(f, "security", "injection", "jailbreak"),
		SecurityBlockedError,
		"Blocked: security incident",
	],
	[
		(f) => isBlock(f) && has(f, "model") && has(f, "allow", "denied"),
		ModelNotAllowedError,
		"Blocked: model not allowed",
	],
	[
		(f) => isBlock(f) && (f.blocked || has(f, "policy")),
		PolicyBlockedError,
		"Blocked by policy",
	],
	[(f) => f.status >= 500, APIError, "Gateway error"],
];

/** The value as an object of named fields; null for anything else (arrays too). */
export function asRecord(value: unknown): Record<string, unknown> | null {
	return typeof value === "object" && value !== null && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: null;
}

function firstString(...values: unknown[]): string | null {
	for (const value of values)
		if (typeof value === "string" && value) return value;
	return null;
}

/** The message of an error body: `error.message`, else `message`. */
export function bodyMessage(body: unknown): string | null {
	const top = asRecord(body);
	return firstString(asRecord(top?.error)?.message, top?.message);
}

/** The code of an error body: `error.code`, else `error.type`, else `code`, else `type`. */
export function bodyCode(body: unknown): string | null {
	const top = asRecord(body);
	const inner = asRecord(top?.error);
	return firstString(inner?.code, inner?.type, top?.code, top?.type);
}

/** Picks the class and default message for a status, body and governance. */
function classify(
	status: number,
	body: unknown,
	governance: Governance,
): { ErrorClass: ErrorClass; fallback: string } {
	const facts: Facts = {
		status,
		signal: `${(bodyCode(body) ?? "").toLowerCase()} ${(governance.block_reason ?? "").toLowerCase()}`,
		blocked: governance.policy_decision === "blocked",
	};
	for (const [test, ErrorClass, fallback] of RULES)
		if (test(facts)) return { ErrorClass, fallback };
	return {
		ErrorClass: AtriumError,
		fallback: `Request failed with status ${status}`,
	};
}

// An error message quotes at most this much of what the gateway said.
const EXCERPT = 500;

const excerpt = (text: string) =>
	text.length > EXCERPT ? `${text.slice(0, EXCERPT)}...` : text;

/**
 * Builds the typed error for a response that is not a success, with secrets
 * scrubbed from its message, body and governance, and the message kept
 * short. `detail` (a mock's note on why it refused the request) is added to
 * the message. A status no rule maps (a 404, say) names the whole URL, so a
 * wrong `baseURL` shows.
 *
 * @example
 * throw errorFromResponse(400, { error: { code: "pii_blocked" } }, governance, endpoint);
 */
export function errorFromResponse(
	status: number,
	body: unknown,
	governance: Governance,
	endpoint: Endpoint,
	detail?: string | null,
	headers?: Headers,
): AtriumError {
	const safeBody = scrubValue(body ?? null, endpoint.scrub);
	const safeGovernance = scrubValue(governance, endpoint.scrub);
	const { ErrorClass, fallback } = classify(status, safeBody, safeGovernance);
	const said = excerpt(bodyMessage(safeBody) ?? fallback);
	const where =
		ErrorClass === AtriumError ? `POST ${endpoint.url}` : endpoint.what;
	const hint =
		status === 404
			? " (check baseURL: it ends in /v1, without /chat/completions)"
			: "";
	const note = detail ? ` (${excerpt(endpoint.scrub(detail))})` : "";
	const error = new ErrorClass(`${where}: ${status} ${said}${note}${hint}`, {
		status_code: status,
		response_body: safeBody,
		governance: safeGovernance,
		code: bodyCode(safeBody),
	});
	return headers ? withHeaders(error, headers, endpoint.scrub) : error;
}

/**
 * Puts a response's headers on its error as `error.headers` (openai-node's
 * name): values scrubbed of the key, cookies left out; not enumerable, so
 * `toJSON()` stays the audit trail.
 */
export function withHeaders<E extends AtriumError>(
	error: E,
	headers: Headers,
	scrub: (text: string) => string,
): E {
	const safe = new Headers();
	for (const [name, value] of headers)
		if (!/^(set-cookie|cookie|authorization)$/i.test(name))
			safe.append(name, scrub(value));
	return Object.defineProperty(error, "headers", { value: safe });
}
