/**
 * `reply`: one builder per thing the gateway can answer, each producing its
 * exact wire form so that the SDK's real code parses and maps it.
 */

import { block } from "./blocks.js";
import { completion, redacted, toolCalls } from "./completion.js";
import { authError, invalidRequest, rateLimit, serverError } from "./errors.js";
import { networkError, timeout } from "./faults.js";
import { stream } from "./stream.js";

/**
 * The replies of a {@link mockGateway}. Every HTTP reply sends all nine
 * `X-Monago-*` headers with realistic defaults (an audit id per call,
 * `audit-mock-1`, `audit-mock-2`, ...; provider, latency, cost), which
 * `{ governance }` overrides field by field. Error codes and messages are
 * the spec's named examples.
 *
 * @example
 * mockGateway([
 *   reply.rateLimit({ retryAfterMs: 0 }),
 *   reply.completion("Batuk dua minggu perlu pemeriksaan dahak.", { governance: { cost_idr: 12.5 } }),
 * ]);
 */
export const reply = Object.freeze({
	/**
	 * An allowed call: 200 with a `chat.completion` body (the request's
	 * model, usage estimated from the text), `policy_decision: "allowed"`.
	 * Give text, or the body fields to set (`{ choices, usage, ... }`). A
	 * streaming request gets the same answer as server-sent events.
	 *
	 * @example
	 * reply.completion("Pasien dirujuk ke poli paru.", { governance: { pii_redacted: ["NIK"] } })
	 */
	completion,
	/**
	 * An allowed call whose PII the gateway redacted before the provider saw
	 * it: `pii_detected: true`, `pii_redacted: pii` (default `["NIK"]`),
	 * `policy_decision: "redacted"`.
	 *
	 * @example
	 * reply.redacted("Pasien [NIK] batuk.", { pii: ["NIK", "EMAIL"] })
	 */
	redacted,
	/**
	 * An assistant message with tool calls and `finish_reason: "tool_calls"`,
	 * for a tool-run loop or an agent. Arguments given as an object are sent
	 * as JSON text, as a model writes them.
	 *
	 * @example
	 * reply.toolCalls([{ name: "lookup_patient", arguments: { id: "P-1" } }])
	 */
	toolCalls,
	/**
	 * A block, as the gateway sends it: status 400 (or `status` 422/451),
	 * `X-Monago-Policy-Decision: blocked`, a block reason, and the spec's
	 * error body for the kind (`pii_blocked`, `security_block`,
	 * `model_not_allowed`, `policy_blocked`). The client throws
	 * `PIIBlockedError`, `SecurityBlockedError`, `ModelNotAllowedError` or
	 * `PolicyBlockedError`.
	 *
	 * @example
	 * reply.block("pii", { block_reason: "PII detected: NIK", audit_id: "audit-blk-1", status: 451 })
	 */
	block,
	/**
	 * A request the gateway could not parse or validate: 400 (or
	 * `{ status: 422 }`) with code `invalid_request`, never a block (the
	 * client throws a plain `AtriumError`).
	 */
	invalidRequest,
	/**
	 * 429 with `Retry-After-Ms` (default 0, so a retry comes at once) and
	 * `Retry-After`; or `retryAfter` seconds (or an HTTP date) alone.
	 *
	 * @example
	 * reply.rateLimit({ retryAfter: 1 })
	 */
	rateLimit,
	/**
	 * A gateway failure: 500 by default, 503 with the spec's
	 * `provider_unavailable` body, any 5xx. No `Retry-After` unless given,
	 * so the client backs off (from 0.5 s): give `retryAfterMs: 0` for fast
	 * tests of retries.
	 */
	serverError,
	/** A refused key: 401 (`invalid_api_key`), or `{ status: 403 }` (`forbidden`). */
	authError,
	/**
	 * No connection: the fetch rejects as undici's does, with
	 * `TypeError("fetch failed")` whose cause has the code `ECONNREFUSED`
	 * (or `code`). The client retries it, then throws `APIError`.
	 */
	networkError,
	/**
	 * No answer, ever: the fetch settles only when the request's signal
	 * aborts, rejecting with the signal's reason, so the client's `timeout`
	 * (or your `AbortSignal`) decides. Without a signal it never settles.
	 */
	timeout,
	/**
	 * A streamed answer, `text/event-stream`, for a request with
	 * `stream: true`: text (one chunk per word) or a list of chunks; the
	 * first has the role, the last the finish reason. Options add
	 * `event: governance` updates, a usage chunk, a block after chunk n
	 * (`blockAfter`: `event: governance` then `event: error`), a provider
	 * error (`errorAfter`), a dropped connection (`disconnectAfter`), or an
	 * end without `[DONE]` (`withoutDone`).
	 *
	 * @example
	 * reply.stream(["Batuk ", "dua ", "minggu."], { blockAfter: 2, block: { kind: "pii", block_reason: "PII in output: NIK" } })
	 */
	stream,
});
