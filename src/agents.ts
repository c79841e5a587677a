/**
 * `@monagoio/atrium-sdk/agents`: agents that hand a conversation to each
 * other, run as tools of each other, in sequence or in parallel, on the
 * skills entry's governed tool loop. Every gateway call of a run carries one
 * `run_id` (with `agent` and `step`) in its metadata, the cost is rolled up
 * per agent, and the run leaves a tamper-evident trail: one record per model
 * call, tool call, handoff, evaluation block and error, each chained to the
 * one before by SHA-256 (WebCrypto: Node, browsers and edge runtimes alike).
 *
 * @example
 * import { Agent, run, verifyTrail } from "@monagoio/atrium-sdk/agents";
 *
 * const cardiology = new Agent({ name: "cardiology", model: "gpt-5.4-mini", instructions: "..." });
 * const triage = new Agent({ name: "triage", model: "gpt-5.4-mini", instructions: "Route the question.", handoffs: [cardiology] });
 * const result = await run(client, triage, "Nyeri dada sejak pagi", { maxTurns: 10, maxCostIdr: 5_000 });
 * result.finalOutput; result.lastAgent.name; result.costByAgent;
 * await verifyTrail(result.trail.toJSONL(), { head: result.trail.head }); // { ok: true, ... }
 *
 * @packageDocumentation
 */

export {
	Agent,
	type AgentInit,
	type AgentTool,
	type Handoff,
	type HandoffInput,
	type HandoffInputFilter,
	isAgent,
	type ModelSettings,
} from "./agents/agent.js";
export { CANONICAL_LIMITS, canonicalJson } from "./agents/canonical.js";
export {
	agentRunOf,
	BudgetExceededError,
	isBudgetExceededError,
	isMaxTurnsExceededError,
	MaxTurnsExceededError,
} from "./agents/errors.js";
export { handoff } from "./agents/handoff.js";
export { DEFAULT_MAX_TURNS, run } from "./agents/run.js";
export type {
	RecordKind,
	Trail,
	TrailRecord,
} from "./agents/trail.js";
export type {
	AgentApprovalRequest,
	AgentRunOptions,
	AgentRunResult,
	AgentRunSnapshot,
	RunInput,
} from "./agents/types.js";
export {
	type TrailVerification,
	type VerifyTrailOptions,
	verifyTrail,
} from "./agents/verify.js";
export {
	type Merge,
	type Parallel,
	parallel,
	type Runnable,
	type Sequential,
	sequential,
} from "./agents/workflow.js";
