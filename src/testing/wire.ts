/**
 * The gateway's wire form: governance as `X-Monago-*` headers, JSON and error
 * bodies, server-sent events. Pure functions; only web-platform globals.
 */
import type {
	GovernanceField,
	GovernanceInput,
	ReplyOptions,
} from "./types.js";

/** Each governance field and its header, named as the gateway writes it. */
const HEADERS: ReadonlyArray<readonly [GovernanceField, string]> = [
	["audit_id", "X-Monago-Audit-Id"],
	["pii_detected", "X-Monago-Pii-Detected"],
	["pii_redacted", "X-Monago-Pii-Redacted"],
	["policy_decision", "X-Monago-Policy-Decision"],
	["provider", "X-Monago-Provider"],
	["latency_ms", "X-Monago-Latency-Ms"],
	["cost_idr", "X-Monago-Cost-Idr"],
	["security_incidents", "X-Monago-Security-Incident"],
	["block_reason", "X-Monago-Block-Reason"],
];

/** The governance fields the gateway sends, in header order. */
export const GOVERNANCE_FIELDS: readonly GovernanceField[] = HEADERS.map(
	([field]) => field,
);

function encode(value: GovernanceInput[GovernanceField]): string {
	if (value === null || value === undefined) return "";
	if (Array.isArray(value)) return value.join(", ");
	return String(value);
}

/**
 * The `X-Monago-*` headers that carry the given governance, as the gateway
 * writes them: lists comma-separated, booleans `true`/`false`, null empty.
 * Only the fields given are sent. Handy for your own server stubs too.
 *
 * @example
 * governanceHeaders({ audit_id: "audit-1", pii_redacted: ["NIK", "EMAIL"] });
 * // { "X-Monago-Audit-Id": "audit-1", "X-Monago-Pii-Redacted": "NIK, EMAIL" }
 */
export function governanceHeaders(
	governance: GovernanceInput,
): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const [field, name] of HEADERS) {
		if (Object.hasOwn(governance, field))
			headers[name] = encode(governance[field]);
	}
	return headers;
}

/**
 * Checks, when a reply is built, that its governance and headers make valid
 * header values, so a bad value fails in the test that wrote it rather than
 * as a failed fetch later.
 */
export function checkOptions(what: string, options: ReplyOptions): void {
	try {
		new Headers({
			...governanceHeaders(options.governance ?? {}),
			...options.headers,
		});
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		throw new TypeError(
			`${what}: a governance field or header is not a valid header value (${reason})`,
		);
	}
}

/** An error body as the gateway sends it: `{"error": {"message", "code", "type"}}`. */
export interface ErrorBody {
	readonly error: {
		readonly message: string;
		readonly code: string | null;
		readonly type: string | null;
	};
}

/** A JSON response with the given status and headers. */
export function jsonResponse(
	status: number,
	body: unknown,
	headers: Readonly<Record<string, string>>,
): Response {
	return new Response(JSON.stringify(body), {
		status,
		headers: { "Content-Type": "application/json", ...headers },
	});
}

/** One server-sent event: `data:` alone for a chunk, or a named event. */
export interface SseEvent {
	readonly event?: string | undefined;
	/** The data line: JSON, or `[DONE]`. */
	readonly data: string;
}

/** The terminator of a stream. */
export const DONE: SseEvent = { data: "[DONE]" };

/** A `data:` event holding `value` as JSON. */
export const dataEvent = (value: unknown): SseEvent => ({
	data: JSON.stringify(value),
});

/** A named event (`governance`, `error`) holding `value` as JSON. */
export const namedEvent = (event: string, value: unknown): SseEvent => ({
	event,
	data: JSON.stringify(value),
});

/** An event's bytes on the wire, ended with its blank line. */
export function frame(event: SseEvent): string {
	// JSON.stringify escapes line breaks, so the data is always one line.
	return `${event.event ? `event: ${event.event}\n` : ""}data: ${event.data}\n\n`;
}
