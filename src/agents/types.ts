/**
 * The shapes of an agent run: its input, options, the run so far (on every
 * error that ends it) and its result. Field names of what the run reports
 * are snake_case like the gateway's (`run_id`, `cost_idr`, `audit_ids`),
 * except the issue's own `finalOutput`, `lastAgent` and `costByAgent`.
 */
import type { RequestOptions } from "../index.js";
import type { ApprovalRequest, RunMessages, RunUsage } from "../skills.js";
import type { Agent } from "./agent.js";
import type { Trail, TrailRecord } from "./trail.js";

/** What a run starts from: a user message's text, or the messages of a conversation. */
export type RunInput = string | RunMessages;

/** What `approve` is asked about in an agent run: the tool call and the agent that made it. */
export interface AgentApprovalRequest extends ApprovalRequest {
	/** The agent whose model asked for the call. */
	readonly agent: string;
}

/** Options of {@link run}. Request options (`timeout`, `maxRetries`, `headers`, `metadata`, `plugins`, `signal`) apply to every model call of the run. */
export interface AgentRunOptions
	extends Omit<
		RequestOptions,
		"idempotencyKey" | "streamIdleTimeout" | "streamFirstChunkTimeout"
	> {
	/** Model calls the whole run makes at most, every agent's counted. Default 10. */
	readonly maxTurns?: number | undefined;
	/** Rupiah: once the gateway-reported cost of the run is above it, no further call is made and the run throws `BudgetExceededError`. Default: no limit. */
	readonly maxCostIdr?: number | undefined;
	/** The run's id, sent as `run_id` metadata with every call and written on every record. Default `run-` and a random UUID. */
	readonly runId?: string | undefined;
	/** Every record of the trail as it is written, in order (awaited): for your audit store. What it throws ends the run. */
	readonly onRecord?:
		| ((record: TrailRecord) => void | Promise<void>)
		| undefined;
	/** Decides tool calls whose tool `needsApproval`; without it such calls are refused. */
	readonly approve?:
		| ((request: AgentApprovalRequest) => boolean | Promise<boolean>)
		| undefined;
	/** Run one step's tool calls concurrently. Default false. */
	readonly parallelToolCalls?: boolean | undefined;
}

/** A run so far: what the result holds, and what `error.run` holds when the run failed. */
export interface AgentRunSnapshot {
	/** The run's id: `run_id` metadata of every call, and of every record. */
	readonly run_id: string;
	/** The agent that answered last; on an error, the agent the error came from (null when it came from no agent). */
	readonly agent: string | null;
	/** Every record, in order, closed by an `end` record; `trail.head` is its hash. */
	readonly trail: Trail;
	/** The sum of the calls' gateway-reported costs; null when none was reported. */
	readonly cost_idr: number | null;
	/** The same by agent name (0 for an agent whose calls reported none). */
	readonly costByAgent: Readonly<Record<string, number>>;
	/** Token counts summed over every call. */
	readonly usage: RunUsage;
	/** The audit ids of every call, in the order they completed. */
	readonly audit_ids: readonly string[];
	/** Model calls made (every agent's). */
	readonly turns: number;
}

/** The result of a finished run. */
export interface AgentRunResult<Output = unknown> extends AgentRunSnapshot {
	/** The answer: an agent's final text; a sequential's last step's output; a parallel's merged outputs. */
	readonly finalOutput: Output;
	/** The agent that answered last (a parallel's: its last branch's). */
	readonly lastAgent: Agent;
	/** That agent's conversation, without its system message: pass it (and a new user message) to the next run to go on. */
	readonly messages: RunMessages;
}
