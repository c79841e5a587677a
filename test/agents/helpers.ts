/** Shared pieces of the agents tests: a client over the test kit, agents, tools, a stub's reading of metadata. */
import type { IncomingHttpHeaders } from "node:http";
import { Agent, type AgentInit } from "../../src/agents.js";
import { Atrium, type AtriumOptions } from "../../src/index.js";
import { defineTool, type ToolAudit } from "../../src/skills.js";
import { mockGateway, type ReplyScript, reply } from "../../src/testing.js";

/** A client whose gateway is the test kit's mock, and the mock. */
export function kitClient(script: ReplyScript, options: AtriumOptions = {}) {
	const gateway = mockGateway(script);
	const client = new Atrium({
		apiKey: "sk-mng-agents",
		fetch: gateway.fetch,
		maxRetries: 0,
		...options,
	});
	return { gateway, client };
}

/** An agent on the model every test uses. */
export function agent(name: string, init: Partial<AgentInit> = {}): Agent {
	return new Agent({
		name,
		model: "gpt-5.4-mini",
		instructions: `You are ${name}.`,
		...init,
	});
}

/** A reply asking for a handoff to `name`. */
export const transfer = (name: string, cost?: number) =>
	reply.toolCalls(
		[{ name: `transfer_to_${name}`, arguments: {} }],
		cost === undefined ? {} : { governance: { cost_idr: cost } },
	);

/** An answer with a cost. */
export const answer = (text: string, cost?: number) =>
	reply.completion(
		text,
		cost === undefined ? {} : { governance: { cost_idr: cost } },
	);

/** A tool reading a patient's record; every call's arguments are kept in `seen`. */
export function recordTool(seen: unknown[] = [], audit?: ToolAudit) {
	return defineTool<{ mrn: string; nik?: string }>({
		name: "read_record",
		description: "Read a patient's record by MRN",
		parameters: {
			type: "object",
			properties: { mrn: { type: "string" }, nik: { type: "string" } },
			required: ["mrn"],
		},
		...(audit ? { audit } : {}),
		run: (args) => {
			seen.push(args);
			return { mrn: args.mrn, name: "Siti Rahayu", ward: "Jantung" };
		},
	});
}

/** The metadata a stub got in `X-Monago-Metadata`. */
export function metadataOf(
	headers: IncomingHttpHeaders,
): Record<string, string> {
	const raw = headers["x-monago-metadata"];
	return typeof raw === "string"
		? (JSON.parse(raw) as Record<string, string>)
		: {};
}

/** A promise and its resolver. */
export function deferred<T = void>() {
	let resolve!: (value: T) => void;
	const promise = new Promise<T>((done) => {
		resolve = done;
	});
	return { promise, resolve };
}

/** What a promise rejected with (fails when it resolved). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
	return promise.then(
		() => {
			throw new Error("expected a rejection");
		},
		(error: unknown) => error,
	);
}

/** A request body as a test reads it. */
export interface SentBody {
	readonly messages: {
		readonly role: string;
		readonly content?: unknown;
		readonly tool_calls?: { readonly function: { readonly name: string } }[];
	}[];
	readonly tools?: {
		readonly function: { readonly name: string; readonly description?: string };
	}[];
}

/** The body a recorded call sent. */
export function sent(call: { readonly text: string } | undefined): SentBody {
	if (!call) throw new Error("no such call");
	return JSON.parse(call.text) as SentBody;
}

/** The names of the tools a recorded call offered. */
export function toolNames(
	call: { readonly text: string } | undefined,
): string[] {
	return (sent(call).tools ?? []).map((tool) => tool.function.name);
}
