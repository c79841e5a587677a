/**
 * Span attributes from what a call knows: the request (at the span's start,
 * so samplers see them), the response, and the gateway's governance record.
 * Pure functions; every value from the wire goes through `bound.ts`.
 */
import type { Attributes } from "@opentelemetry/api";
import type { CallContext, ChatCompletion, Governance } from "../index.js";
import { count, integer, LONG, number, record, text, texts } from "./bound.js";
import { ATRIUM_ATTRIBUTES as A, GEN_AI, GENERAL } from "./conventions.js";

/** The gateway's address and port, as the conventions' `server.*` attributes want them. */
export interface Server {
	readonly address: string;
	readonly port: number;
}

const DEFAULT_PORTS: Record<string, number> = { "https:": 443, "http:": 80 };

/** The host and port of a URL; undefined when it does not parse. */
export function serverOf(url: string): Server | undefined {
	try {
		const parsed = new URL(url);
		const port = parsed.port
			? Number(parsed.port)
			: DEFAULT_PORTS[parsed.protocol];
		const address = text(parsed.hostname);
		return address && port ? { address, port } : undefined;
	} catch {
		return undefined;
	}
}

/** The attributes every span and metric of a call shares: operation, provider, model, server. */
export function baseAttributes(
	provider: string,
	model: unknown,
	server: Server | undefined,
): Attributes {
	const attributes: Attributes = {
		[GEN_AI.operation]: "chat",
		[GEN_AI.provider]: provider,
	};
	const requested = text(model);
	if (requested) attributes[GEN_AI.requestModel] = requested;
	if (server) {
		attributes[GENERAL.serverAddress] = server.address;
		attributes[GENERAL.serverPort] = server.port;
	}
	return attributes;
}

const OUTPUT_TYPES: Record<string, string> = {
	text: "text",
	json_object: "json",
	json_schema: "json",
};

/** What the request asks for beyond the base attributes: parameters that are set, the output type, and the run metadata. */
export function requestAttributes(ctx: CallContext): Attributes {
	const body = ctx.body as unknown as Record<string, unknown>;
	const attributes: Attributes = {
		[GEN_AI.requestStream]: ctx.stream,
		[GENERAL.openaiApiType]: "chat_completions",
	};
	const set = (name: string, value: Attributes[string] | undefined) => {
		if (value !== undefined) attributes[name] = value;
	};
	set(GEN_AI.maxTokens, count(body.max_completion_tokens ?? body.max_tokens));
	set(GEN_AI.temperature, number(body.temperature));
	set(GEN_AI.topP, number(body.top_p));
	set(GEN_AI.frequencyPenalty, number(body.frequency_penalty));
	set(GEN_AI.presencePenalty, number(body.presence_penalty));
	set(GEN_AI.stopSequences, texts(body.stop));
	set(GEN_AI.seed, integer(body.seed));
	const choices = count(body.n);
	if (choices !== undefined && choices !== 1) set(GEN_AI.choiceCount, choices);
	const format = text(record(body.response_format)?.type);
	if (format && Object.hasOwn(OUTPUT_TYPES, format))
		set(GEN_AI.outputType, OUTPUT_TYPES[format]);
	const tier = text(body.service_tier);
	if (tier !== "auto") set(GENERAL.openaiRequestTier, tier);
	const { metadata } = ctx;
	set(GEN_AI.conversationId, text(metadata.session_id));
	set(A.runId, text(metadata.run_id));
	set(A.step, text(metadata.step));
	set(A.agent, text(metadata.agent));
	return attributes;
}

/** What the response says: id, model, finish reasons, usage and service tier. */
export function responseAttributes(completion: ChatCompletion): Attributes {
	const attributes: Attributes = {};
	const set = (name: string, value: Attributes[string] | undefined) => {
		if (value !== undefined) attributes[name] = value;
	};
	set(GEN_AI.responseId, text(completion.id));
	set(GEN_AI.responseModel, text(completion.model));
	set(GEN_AI.finishReasons, finishReasons(completion.choices));
	const usage = record(completion.usage);
	if (usage) {
		set(GEN_AI.inputTokens, count(usage.prompt_tokens));
		set(GEN_AI.outputTokens, count(usage.completion_tokens));
		set(
			GEN_AI.cacheReadTokens,
			count(record(usage.prompt_tokens_details)?.cached_tokens),
		);
		set(
			GEN_AI.reasoningTokens,
			count(record(usage.completion_tokens_details)?.reasoning_tokens),
		);
	}
	set(GENERAL.openaiResponseTier, text(completion.service_tier));
	set(GENERAL.openaiFingerprint, text(completion.system_fingerprint));
	return attributes;
}

function finishReasons(choices: unknown): string[] | undefined {
	if (!Array.isArray(choices)) return undefined;
	return texts(choices.map((choice) => record(choice)?.finish_reason));
}

/** The gateway's governance record under `monago.atrium.*`; fields it did not send are left out. */
export function governanceAttributes(
	governance: Governance | null | undefined,
): Attributes {
	const attributes: Attributes = {};
	// No response, no record: an empty one says nothing about PII or blocks.
	if (!governance || isEmpty(governance)) return attributes;
	const set = (name: string, value: Attributes[string] | undefined) => {
		if (value !== undefined) attributes[name] = value;
	};
	set(A.auditId, text(governance.audit_id));
	set(A.policyDecision, text(governance.policy_decision));
	set(A.blocked, governance.blocked === true);
	set(A.blockReason, text(governance.block_reason, LONG));
	set(A.piiDetected, governance.pii_detected === true);
	set(A.piiRedacted, texts(governance.pii_redacted));
	set(A.securityIncidents, texts(governance.security_incidents));
	set(A.provider, text(governance.provider));
	set(A.latencyMs, number(governance.latency_ms));
	set(A.costIdr, number(governance.cost_idr));
	return attributes;
}

function isEmpty(governance: Governance): boolean {
	return (
		governance.audit_id === null &&
		governance.policy_decision === null &&
		governance.provider === null &&
		governance.latency_ms === null &&
		governance.cost_idr === null &&
		governance.block_reason === null &&
		!governance.pii_detected &&
		!governance.pii_redacted?.length &&
		!governance.security_incidents?.length
	);
}
