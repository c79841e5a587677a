/**
 * The shapes of a run: its steps, its snapshot and result, its options.
 * Field names of records are snake_case like the gateway's, so an audit
 * store keeps one shape; options are camelCase like the SDK's other options.
 */
import type {
	ChatCompletion,
	ChatCompletionChunk,
	ChatCompletionCreateParams,
	ChatCompletionMessageParam,
	ChatCompletionMessageToolCall,
	Governance,
	RequestOptions,
} from "../index.js";
import type { Skill, Tool } from "./types.js";

/** The conversation of a run: chat messages (system, user, assistant, tool, ...). */
export type RunMessages = readonly ChatCompletionMessageParam[];

/** The tool calls of an assistant message. */
export type ToolCalls = readonly ChatCompletionMessageToolCall[];

/** How a tool call ended. */
export type ToolOutcome =
	| "ok"
	| "invalid_arguments"
	| "error"
	| "refused"
	| "timeout"
	| "aborted"
	| "unknown_tool";

/** A call to the model, as the run recorded it. */
export interface ModelStep {
	/** `"model"`. */
	readonly kind: "model";
	/** Which model call of the run, from 1 (also sent as the `step` metadata). */
	readonly step: number;
	/** The gateway's audit id of the call; null when none came. */
	readonly audit_id: string | null;
	/** The call's governance; null when the call failed before any response. */
	readonly governance: Governance | null;
	/** The tool calls the model asked for (empty for an answer). */
	readonly tool_calls: ToolCalls;
	/** The text of the answer (`""` when none). */
	readonly content: string;
	/** Token counts of the call; null when it failed. */
	readonly usage: RunUsage | null;
	/** The call's cost in rupiah; null when unknown. */
	readonly cost_idr: number | null;
	/** The whole result (attempts, metadata, evaluations); null when the call failed. */
	readonly completion: ChatCompletion | null;
	/** The error's class and message when the call failed (the run then throws it); null otherwise. */
	readonly error: string | null;
	/** Milliseconds the call took. */
	readonly duration_ms: number;
	/** Always null on a model step (a tool step's field). */
	readonly name: null;
	/** Always null on a model step (a tool step's field). */
	readonly arguments: null;
	/** Always null on a model step (a tool step's field). */
	readonly result: null;
}

/** A tool call, as the run recorded it. */
export interface ToolStep {
	/** `"tool"`. */
	readonly kind: "tool";
	/** The model step whose tool calls this one belongs to. */
	readonly step: number;
	/** The model's id for the call. */
	readonly call_id: string;
	/** The tool's name, as the model called it. */
	readonly name: string;
	/** The skill the tool belongs to; null for the run's own tools and the built-in ones. */
	readonly skill: string | null;
	/** The arguments: parsed (and validated) when they could be, else the text the model sent. */
	readonly arguments: unknown;
	/** What `run` returned; null when it did not return. */
	readonly result: unknown;
	/** The tool message's content: what the model was told. */
	readonly content: string;
	/** How it ended. */
	readonly outcome: ToolOutcome;
	/** Why it did not end `ok` (a validation message, the error's text, ...); null when it did. */
	readonly error: string | null;
	/** Milliseconds from the call's start to its end. */
	readonly duration_ms: number;
	/** Always null on a tool step (tools make no gateway call of the run's own). */
	readonly audit_id: null;
	/** Always null on a tool step. */
	readonly governance: null;
	/** Always null on a tool step. */
	readonly tool_calls: null;
}

/** One step of a run: a model call or a tool call. */
export type RunStep = ModelStep | ToolStep;

/** Token counts summed over a run's model calls. */
export interface RunUsage {
	/** Prompt tokens. */
	readonly prompt_tokens: number;
	/** Completion tokens. */
	readonly completion_tokens: number;
	/** Both. */
	readonly total_tokens: number;
}

/** A run so far: what the result holds, and what `error.run` holds when the run failed. */
export interface ToolRunSnapshot {
	/** The run's id, sent as `run_id` metadata with every model call. */
	readonly run_id: string;
	/** Every step so far, in the order they completed. */
	readonly steps: readonly RunStep[];
	/** The conversation as sent: the caller's messages, the SDK's system message when it added one, every assistant message and tool message. */
	readonly messages: RunMessages;
	/** Token counts summed over the model calls. */
	readonly usage: RunUsage;
	/** The sum of the model calls' known `cost_idr`; null when none was known. */
	readonly cost_idr: number | null;
	/** The audit ids of the model calls, in order (a failed call's too, when it had one). */
	readonly audit_ids: readonly string[];
	/** The skills active at the end, in the order they were activated. */
	readonly active_skills: readonly string[];
}

/** The result of a finished run. */
export interface ToolRunResult extends ToolRunSnapshot {
	/** The answer's text. */
	readonly content: string;
	/** The last model call's result. */
	readonly completion: ChatCompletion;
	/** True when `stopWhen` ended the run before the model answered without tool calls. */
	readonly stopped: boolean;
}

/** What `approve` is asked about. */
export interface ApprovalRequest {
	/** The tool's name. */
	readonly name: string;
	/** The validated arguments. */
	readonly arguments: unknown;
	/** The model's id for the call. */
	readonly call_id: string;
	/** The model step. */
	readonly step: number;
	/** The run's id. */
	readonly run_id: string;
	/** The skill the tool belongs to; null when none. */
	readonly skill: string | null;
}

/** The body of a run: a chat completion body, without tools of its own (pass tools in the options). */
export type ToolRunBody = Omit<
	ChatCompletionCreateParams,
	"tools" | "functions" | "function_call"
>;

/** Options of a run. Request options (`signal`, `timeout`, `maxRetries`, `headers`, `metadata`, `plugins`) apply to every model call. */
export interface RunToolsOptions
	extends Omit<RequestOptions, "idempotencyKey"> {
	/** Tools the model may call from the first step. */
	readonly tools?: readonly Tool[] | undefined;
	/** Skills: the model sees their names and descriptions, and activates one with `use_skill`. */
	readonly skills?: readonly Skill[] | undefined;
	/** Model calls at most; a run that needs more throws `MaxStepsExceededError`. Default 10. */
	readonly maxSteps?: number | undefined;
	/** Run one step's tool calls concurrently (true) or one after another in the model's order (false). Default false. */
	readonly parallelToolCalls?: boolean | undefined;
	/** Decides calls whose tool `needsApproval`; without it such calls are refused. */
	readonly approve?:
		| ((request: ApprovalRequest) => boolean | Promise<boolean>)
		| undefined;
	/** With `stream: true` in the body: every chunk of every model call, as it arrives. */
	readonly onChunk?:
		| ((
				chunk: ChatCompletionChunk,
				info: { readonly step: number; readonly run_id: string },
		  ) => void | Promise<void>)
		| undefined;
	/** Every step as it completes, with the run so far; what it throws ends the run. */
	readonly onStep?:
		| ((step: RunStep, run: ToolRunSnapshot) => void | Promise<void>)
		| undefined;
	/** Asked after each step's tool calls ran: true ends the run there (`stopped: true`). */
	readonly stopWhen?:
		| ((run: ToolRunSnapshot) => boolean | Promise<boolean>)
		| undefined;
	/** A system message put before the caller's messages (with the instructions of skills that are always active). */
	readonly instructions?: string | undefined;
	/** The run's id. Default: `run-` and a random UUID. */
	readonly runId?: string | undefined;
	/** Attributes added to every `execute_tool` operation the plugins' `wrap` sees (e.g. an agent's name). */
	readonly attributes?:
		| Readonly<Record<string, string | number | boolean>>
		| undefined;
}
