/**
 * The attempts of one call: each through the transport, its governance kept
 * and shown to plugins, failures mapped to typed errors, and retries as
 * `retry.ts` decides.
 */
import type { AtriumError } from "../errors/tree.js";
import {
	type AttemptRecord,
	type Governance,
	parseGovernance,
} from "../governance/parse.js";
import type { Endpoint } from "./endpoint.js";
import { type Loaded, load } from "./lazy.js";
import type { Log } from "./logger.js";
import type { CallState, PluginRunner } from "./plugins.js";
import type {
	Transport,
	TransportRequest,
	TransportResponse,
} from "./transport.js";

/** What the attempts need from the client: built once per client. */
export interface AttemptRunner {
	readonly transport: Transport;
	readonly endpoint: Endpoint;
	readonly log: Log;
	/** Attempts and retry waits in flight, aborted when the client closes. */
	readonly inflight: Set<AbortController>;
	/** Whether the client was closed. */
	readonly closed: () => boolean;
	/** Code loaded on first use and kept. */
	readonly lazy: Loaded;
}

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

/**
 * Runs a call's attempts, up to `maxRetries` retries, and returns the first
 * success, or throws the last failure. Each attempt's record goes to
 * `call.attempts` (and `call.governance`) and to the plugins' `onAttempt`.
 */
export async function runAttempts(
	runner: AttemptRunner,
	call: CallState,
	plugins: PluginRunner | undefined,
	request: TransportRequest,
	maxRetries: number,
): Promise<TransportResponse> {
	const { transport, endpoint, log } = runner;
	const { what } = endpoint;
	// Records an attempt on the call and shows it to the plugins.
	const settle = (
		attempt: number,
		status: number | null,
		governance: Governance,
		error: AtriumError | null,
	) => {
		const entry = record(attempt, status, governance, error);
		call.attempts = Object.freeze([...call.attempts, entry]);
		call.governance = governance;
		return plugins?.attempt(entry);
	};
	for (let attempt = 1; ; attempt++) {
		// Header names only: metadata values can be personal data.
		log.debug?.(`${what}: attempt ${attempt}`, {
			headers: Object.keys(request.headers),
		});
		let exchange: TransportResponse | undefined;
		let thrown: unknown;
		try {
			exchange = await transport(request);
		} catch (error) {
			thrown = error;
		}
		// Scrubbed: a gateway that echoes the key must not leak it through the
		// attempts.
		const governance = parseGovernance(
			exchange?.response.headers,
			endpoint.scrub,
		);
		if (exchange) {
			const { response } = exchange;
			log.debug?.(`${what}: ${response.status}`, {
				attempt,
				audit_id: governance.audit_id,
			});
			if (response.ok && !response.redirected) {
				try {
					await settle(attempt, response.status, governance, null);
				} catch (error) {
					// A stream's body is still open: close it with the call.
					if (exchange.body instanceof ReadableStream)
						exchange.body.cancel().catch(() => {});
					exchange.call?.release();
					throw error;
				}
				return exchange;
			}
		}
		// Loaded with the client's first failed attempt, and kept.
		const failed = await load(
			runner.lazy,
			"failure",
			() => import("./failure.js"),
		);
		const failure = exchange
			? failed.responseFailure(exchange, governance, endpoint)
			: failed.thrownFailure(thrown, endpoint);
		// A failure after the head keeps the head's status and governance.
		const { error } = failure;
		await settle(attempt, error.status_code, error.governance, error);
		if (!failure.retryable || attempt > maxRetries) throw failure.error;
		await failed.wait(attempt, failure, request.signal, runner);
	}
}
