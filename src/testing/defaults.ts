/**
 * The defaults that make a reply look real: an audit id per call, the
 * governance of an allowed call and of a refused one, the spec's example
 * bodies, token counts, the request's model.
 */
import type { CompletionUsage } from "../index.js";
import {
	SPEC_EXAMPLES,
	type SpecExample,
	type SpecExampleName,
} from "./spec-examples.js";
import type {
	GovernanceField,
	GovernanceInput,
	RecordedCall,
	ReplyOptions,
} from "./types.js";
import { type ErrorBody, GOVERNANCE_FIELDS } from "./wire.js";

/** The `created` time of every completion: fixed, so results compare equal across runs. */
export const CREATED = 1763971200;

/** What every completion and chunk says of where it was served, as OpenAI's do. */
export const SERVED = {
	service_tier: "default",
	system_fingerprint: "fp_mock_0001",
} as const;

/** The model a reply names when the request named none. */
export const DEFAULT_MODEL = "gpt-5.4-mini";

/** The audit id of call `index` (from 0): `audit-mock-1`, `audit-mock-2`, ... */
export const auditId = (index: number): string => `audit-mock-${index + 1}`;

/** The completion id of call `index`: `chatcmpl-mock-1`, ... */
export const completionId = (index: number): string =>
	`chatcmpl-mock-${index + 1}`;

/** Governance of a call the gateway allowed and forwarded. */
export function allowed(index: number): GovernanceInput {
	return {
		audit_id: auditId(index),
		pii_detected: false,
		pii_redacted: [],
		policy_decision: "allowed",
		provider: "openai",
		latency_ms: 412.5,
		cost_idr: 87.25,
		security_incidents: [],
		block_reason: null,
	};
}

/** Governance of a call the gateway answered itself, without a provider. */
export function unforwarded(index: number): GovernanceInput {
	return {
		...allowed(index),
		policy_decision: null,
		provider: null,
		latency_ms: 3,
		cost_idr: 0,
	};
}

/** Layers of governance, later ones winning; `undefined` fields are skipped, unknown keys ignored. */
export function merge(
	...layers: ReadonlyArray<GovernanceInput | undefined>
): GovernanceInput {
	const out: { -readonly [K in GovernanceField]?: GovernanceInput[K] } = {};
	for (const layer of layers) {
		for (const field of GOVERNANCE_FIELDS) {
			const value = layer?.[field];
			// Each field is copied with its own type; the cast only names that.
			if (value !== undefined) (out as Record<string, unknown>)[field] = value;
		}
	}
	return out;
}

/** The reply options' governance over a builder's own. */
export const withOptions = (
	base: GovernanceInput,
	options: ReplyOptions,
): GovernanceInput => merge(base, options.governance);

function errorBody(value: unknown): ErrorBody | null {
	const error = (value as Partial<ErrorBody> | null)?.error;
	if (typeof error?.message !== "string") return null;
	return {
		error: {
			message: error.message,
			code: error.code ?? null,
			type: error.type ?? null,
		},
	};
}

/** The error body of the spec's example `name`. */
export function exampleError(name: SpecExampleName): ErrorBody {
	const body = errorBody(SPEC_EXAMPLES[name].value);
	if (!body) {
		throw new Error(
			`the spec's example ${name} is not an error body: run npm run generate`,
		);
	}
	return body;
}

/** The error body of the spec's example `name` when the spec has it (it may come later), else `fallback`. */
export function laterExampleError(
	name: string,
	fallback: ErrorBody,
): ErrorBody {
	const examples: Readonly<Record<string, SpecExample | undefined>> =
		SPEC_EXAMPLES;
	return errorBody(examples[name]?.value) ?? fallback;
}

/** The model the request asked for, which the gateway echoes. */
export function modelOf(call: RecordedCall): string {
	const model = call.body?.model;
	return typeof model === "string" && model ? model : DEFAULT_MODEL;
}

/** A rough token count: about four characters a token, at least one. */
export const tokens = (text: string): number =>
	Math.max(1, Math.ceil(text.length / 4));

function promptText(call: RecordedCall): string {
	const messages = call.body?.messages;
	if (!Array.isArray(messages)) return "";
	return messages
		.map((message) =>
			typeof message.content === "string"
				? message.content
				: JSON.stringify(message.content ?? ""),
		)
		.join("\n");
}

/** Usage that looks real: prompt tokens from the request, completion tokens from the answer. */
export function usageFor(call: RecordedCall, answer: string): CompletionUsage {
	const prompt_tokens = tokens(promptText(call));
	const completion_tokens = tokens(answer);
	return {
		prompt_tokens,
		completion_tokens,
		total_tokens: prompt_tokens + completion_tokens,
	};
}
