/**
 * The names this plugin emits, in one place: the version of the OpenTelemetry
 * GenAI semantic conventions they follow, the conventions' attribute, metric
 * and event names, the histogram bucket boundaries they give, and the
 * `monago.atrium.*` namespace for what only the Atrium gateway knows.
 */

/**
 * The version of the OpenTelemetry semantic conventions whose GenAI names
 * (`gen_ai.*`, Development stability) this plugin emits: the last release
 * that held them before they moved to a repository of their own.
 */
export const GEN_AI_CONVENTIONS_VERSION = "1.41.0";

/** The schema URL of {@link GEN_AI_CONVENTIONS_VERSION}, given to the tracer and meter. */
export const SCHEMA_URL = `https://opentelemetry.io/schemas/${GEN_AI_CONVENTIONS_VERSION}`;

/** The instrumentation scope: the tracer's and the meter's name. */
export const SCOPE = "@monagoio/atrium-sdk";

/** The scope's version: this package's (a test keeps it equal to package.json's). */
export const SCOPE_VERSION = "0.1.0";

/** The conventions' names this plugin sets (all `gen_ai.*` are Development stability). */
export const GEN_AI = {
	operation: "gen_ai.operation.name",
	provider: "gen_ai.provider.name",
	conversationId: "gen_ai.conversation.id",
	outputType: "gen_ai.output.type",
	requestModel: "gen_ai.request.model",
	requestStream: "gen_ai.request.stream",
	maxTokens: "gen_ai.request.max_tokens",
	temperature: "gen_ai.request.temperature",
	topP: "gen_ai.request.top_p",
	frequencyPenalty: "gen_ai.request.frequency_penalty",
	presencePenalty: "gen_ai.request.presence_penalty",
	stopSequences: "gen_ai.request.stop_sequences",
	seed: "gen_ai.request.seed",
	choiceCount: "gen_ai.request.choice.count",
	responseId: "gen_ai.response.id",
	responseModel: "gen_ai.response.model",
	finishReasons: "gen_ai.response.finish_reasons",
	timeToFirstChunk: "gen_ai.response.time_to_first_chunk",
	inputTokens: "gen_ai.usage.input_tokens",
	outputTokens: "gen_ai.usage.output_tokens",
	cacheReadTokens: "gen_ai.usage.cache_read.input_tokens",
	reasoningTokens: "gen_ai.usage.reasoning.output_tokens",
	tokenType: "gen_ai.token.type",
	inputMessages: "gen_ai.input.messages",
	outputMessages: "gen_ai.output.messages",
	toolDefinitions: "gen_ai.tool.definitions",
	toolName: "gen_ai.tool.name",
	toolCallId: "gen_ai.tool.call.id",
	agentName: "gen_ai.agent.name",
	workflowName: "gen_ai.workflow.name",
	evaluationName: "gen_ai.evaluation.name",
	evaluationScore: "gen_ai.evaluation.score.value",
	evaluationLabel: "gen_ai.evaluation.score.label",
	evaluationExplanation: "gen_ai.evaluation.explanation",
} as const;

/** Stable general attributes and the OpenAI-specific ones of the conventions. */
export const GENERAL = {
	errorType: "error.type",
	serverAddress: "server.address",
	serverPort: "server.port",
	httpStatus: "http.response.status_code",
	openaiApiType: "openai.api.type",
	openaiRequestTier: "openai.request.service_tier",
	openaiResponseTier: "openai.response.service_tier",
	openaiFingerprint: "openai.response.system_fingerprint",
} as const;

/**
 * Every `monago.atrium.*` attribute this plugin sets: the gateway's
 * governance record, the call's attempts and the SDK's own run metadata.
 */
export const ATRIUM_ATTRIBUTES = {
	/** The gateway's audit record id (`X-Monago-Audit-Id`); on attempt events, that attempt's; on evaluation events, the evaluator's. */
	auditId: "monago.atrium.audit_id",
	/** The policy decision: `allowed`, `blocked`, `redacted`, ... */
	policyDecision: "monago.atrium.policy_decision",
	/** Whether the gateway blocked the call. */
	blocked: "monago.atrium.blocked",
	/** Why the gateway blocked the call, e.g. `PII detected: NIK`. */
	blockReason: "monago.atrium.block_reason",
	/** Whether the gateway found PII in the request. */
	piiDetected: "monago.atrium.pii_detected",
	/** The PII types the gateway redacted (string[]). */
	piiRedacted: "monago.atrium.pii_redacted",
	/** Security incidents the gateway saw, e.g. `prompt_injection` (string[]). */
	securityIncidents: "monago.atrium.security_incidents",
	/** The provider that served the call, as the gateway reported it. */
	provider: "monago.atrium.provider",
	/** The gateway's latency in milliseconds. */
	latencyMs: "monago.atrium.latency_ms",
	/** The call's cost in rupiah. */
	costIdr: "monago.atrium.cost_idr",
	/** How many attempts the call took, retries included. */
	attempts: "monago.atrium.attempts",
	/** On an attempt event: the attempt's number, from 1. */
	attempt: "monago.atrium.attempt",
	/** The `run_id` metadata of a tool run or agent run. */
	runId: "monago.atrium.run_id",
	/** The `step` metadata of a tool run or agent run. */
	step: "monago.atrium.step",
	/** The `agent` metadata of an agent run. */
	agent: "monago.atrium.agent",
	/** True when captured content was cut or older messages left out to fit `maxContentLength`. */
	contentTruncated: "monago.atrium.content_truncated",
	/** On an evaluation event: `pre` (the request) or `post` (the answer). */
	evaluationPhase: "monago.atrium.evaluation.phase",
	/** On an evaluation event: whether the call passed. */
	evaluationPass: "monago.atrium.evaluation.pass",
	/** On an evaluation event: what a failure does (`block`, `flag`, `redact`). */
	evaluationAction: "monago.atrium.evaluation.action",
} as const;

/** A `monago.atrium.*` attribute name this plugin sets. */
export type AtriumAttributeName =
	(typeof ATRIUM_ATTRIBUTES)[keyof typeof ATRIUM_ATTRIBUTES];

/** Span events this plugin adds. */
export const EVENTS = {
	/** One per attempt of a call, retries included. */
	attempt: "monago.atrium.attempt",
	/** One per evaluation of a call (the conventions' event). */
	evaluation: "gen_ai.evaluation.result",
} as const;

/** The conventions' bucket boundaries for durations, in seconds. */
const SECONDS = [
	0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48,
	40.96, 81.92,
];

/** A histogram this plugin records. */
export interface HistogramSpec {
	/** The metric's name. */
	readonly name: string;
	/** Its unit (UCUM). */
	readonly unit: string;
	/** What it measures. */
	readonly description: string;
	/** Its explicit bucket boundaries, given to the SDK as advice. */
	readonly buckets: readonly number[];
}

/** Histograms this plugin records: name, unit, description and bucket boundaries. */
export const METRICS: {
	/** `gen_ai.client.operation.duration` (s): every call, `error.type` on failures. */
	readonly duration: HistogramSpec;
	/** `gen_ai.client.token.usage` ({token}): input and output tokens, by `gen_ai.token.type`. */
	readonly tokens: HistogramSpec;
	/** `gen_ai.client.operation.time_to_first_chunk` (s): streams only. */
	readonly timeToFirstChunk: HistogramSpec;
	/** `gen_ai.client.operation.time_per_output_chunk` (s): streams only, each chunk after the first. */
	readonly timePerChunk: HistogramSpec;
	/** `monago.atrium.client.cost` ({IDR}): the gateway's `cost_idr`, when it sent one. */
	readonly cost: HistogramSpec;
} = {
	duration: {
		name: "gen_ai.client.operation.duration",
		unit: "s",
		description: "GenAI operation duration.",
		buckets: SECONDS,
	},
	tokens: {
		name: "gen_ai.client.token.usage",
		unit: "{token}",
		description: "Number of input and output tokens used.",
		buckets: [
			1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304,
			16777216, 67108864,
		],
	},
	timeToFirstChunk: {
		name: "gen_ai.client.operation.time_to_first_chunk",
		unit: "s",
		description:
			"Time to receive the first chunk of a streamed response, from the request.",
		buckets: SECONDS,
	},
	timePerChunk: {
		name: "gen_ai.client.operation.time_per_output_chunk",
		unit: "s",
		description:
			"Time per output chunk after the first one of a streamed response.",
		buckets: SECONDS,
	},
	cost: {
		name: "monago.atrium.client.cost",
		unit: "{IDR}",
		description:
			"Cost of a call in Indonesian rupiah, as the gateway reported it.",
		buckets: [
			0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000,
			10000,
		],
	},
};
