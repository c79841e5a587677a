/**
 * One logical call: attempts through the transport, each one's governance
 * kept, failures mapped to typed errors, and retries as `retry.ts` decides.
 */
import { type CallContext, errorFromResponse } from "../errors/mapping.js";
import {
	type AtriumError,
	isAtriumError,
	withAttempts,
} from "../errors/tree.js";
import {
	type AttemptRecord,
	emptyGovernance,
	type Governance,
	type HeaderSource,
	parseGovernance,
} from "../governance/parse.js";
import type { Log } from "./logger.js";
import { retryDelay, shouldRetryStatus } from "./retry.js";
import {
	sleep,
	type Transport,
	type TransportRequest,
	type TransportResponse,
} from "./transport.js";

/** What a call needs from the client: built once per client. */
export interface CallRunner {
	readonly transport: Transport;
	readonly context: CallContext;
	readonly log: Log;
	/** Attempts and retry waits in flight, aborted when the client closes. */
	readonly inflight: Set<AbortController>;
}

/** A successful call: the last attempt's response, body and governance, and every attempt. */
export interface CallResult extends TransportResponse {
	readonly governance: Governance;
	readonly attempts: readonly AttemptRecord[];
}

type Failure = {
	readonly error: AtriumError;
	readonly retryable: boolean;
	readonly headers: HeaderSource | null;
};

function record(
	attempt: number,
	status: number | null,
	governance: Governance,
	error: AtriumError | null,
): AttemptRecord {
	return Object.freeze({
		attempt,
		status_code: status,
		audit_id: governance.audit_id,
		error: error ? error.name : null,
		governance,
	});
}

// A thrown error: network failures and timeouts are worth another attempt;
// the caller's abort and refused input are not.
function failureOf(error: unknown): Failure {
	if (!isAtriumError(error)) throw error;
	const retryable = error.name === "APIError" || error.name === "TimeoutError";
	return { error, retryable, headers: null };
}

/**
 * Runs a call with up to `maxRetries` retries and returns the first success,
 * or throws the last failure with every attempt attached.
 */
export async function runCall(
	runner: CallRunner,
	request: TransportRequest,
	maxRetries: number,
): Promise<CallResult> {
	const { transport, context, log } = runner;
	const what = `${context.method} ${context.path}`;
	const attempts: AttemptRecord[] = [];
	for (let attempt = 1; ; attempt++) {
		log.debug?.(`${what}: attempt ${attempt}`, { headers: request.headers });
		let failure: Failure;
		try {
			const exchange = await transport(request);
			const { response } = exchange;
			const governance = parseGovernance(response.headers);
			log.debug?.(`${what}: ${response.status}`, {
				attempt,
				audit_id: governance.audit_id,
			});
			if (response.ok) {
				attempts.push(record(attempt, response.status, governance, null));
				return { ...exchange, governance, attempts };
			}
			const error = errorFromResponse(
				response.status,
				exchange.body,
				governance,
				context,
			);
			attempts.push(record(attempt, response.status, governance, error));
			failure = {
				error,
				retryable: shouldRetryStatus(response.status, response.headers),
				headers: response.headers,
			};
		} catch (thrown) {
			failure = failureOf(thrown);
			attempts.push(record(attempt, null, emptyGovernance(), failure.error));
		}
		if (!failure.retryable || attempt > maxRetries) {
			throw withAttempts(failure.error, attempts);
		}
		const delay = retryDelay(attempt, failure.headers);
		log.info?.(
			`${what}: retrying in ${Math.round(delay)} ms after ${failure.error.name}`,
			{ attempt, status_code: failure.error.status_code },
		);
		await sleep(delay, request.signal, runner.inflight, what);
	}
}
