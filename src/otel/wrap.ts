/**
 * Work above single calls (a tool, an agent, a workflow) as an INTERNAL span
 * that is the active context while the work runs, so the chat spans of the
 * calls it makes nest under it.
 */
import {
	type Attributes,
	context,
	SpanKind,
	SpanStatusCode,
	type Tracer,
	trace,
} from "@opentelemetry/api";
import type { Operation } from "../index.js";
import { ITEMS, LONG, number, SHORT, text, texts } from "./bound.js";
import { GEN_AI, GENERAL } from "./conventions.js";

// The attribute naming the operation's subject, per kind.
const SUBJECT: Record<Operation["kind"], string> = {
	execute_tool: GEN_AI.toolName,
	invoke_agent: GEN_AI.agentName,
	invoke_workflow: GEN_AI.workflowName,
};

/** The operation's attributes: the given ones (bounded), then the conventions' own. */
export function operationAttributes(operation: Operation): Attributes {
	const attributes: Attributes = {};
	const given = operation.attributes ?? {};
	let kept = 0;
	for (const key of Object.keys(given)) {
		if (kept >= ITEMS * 2) break;
		if (key.length > SHORT) continue;
		const value = given[key];
		const bounded =
			typeof value === "string"
				? text(value, LONG)
				: typeof value === "number"
					? number(value)
					: typeof value === "boolean"
						? value
						: texts(value);
		if (bounded === undefined) continue;
		attributes[key] = bounded;
		kept++;
	}
	attributes[GEN_AI.operation] = operation.kind;
	const name = text(operation.name);
	if (name && Object.hasOwn(SUBJECT, operation.kind))
		attributes[SUBJECT[operation.kind]] = name;
	return attributes;
}

/**
 * Runs `run` inside an `{kind} {name}` span made the active context; the
 * span ends when `run` settles, with ERROR status and `error.type` when it
 * throws (what it throws is rethrown unchanged).
 */
export async function wrapOperation<T>(
	tracer: Tracer,
	operation: Operation,
	run: () => Promise<T>,
): Promise<T> {
	const name = text(operation.name);
	const parent = context.active();
	const span = tracer.startSpan(
		name ? `${operation.kind} ${name}` : operation.kind,
		{ kind: SpanKind.INTERNAL, attributes: operationAttributes(operation) },
		parent,
	);
	try {
		return await context.with(trace.setSpan(parent, span), run);
	} catch (error) {
		const type =
			(error instanceof Error || (typeof error === "object" && error !== null)
				? text((error as { name?: unknown }).name)
				: undefined) ?? "_OTHER";
		span.setAttribute(GENERAL.errorType, type);
		span.setStatus({
			code: SpanStatusCode.ERROR,
			message:
				error instanceof Error ? (text(error.message, LONG) ?? type) : type,
		});
		throw error;
	} finally {
		span.end();
	}
}
