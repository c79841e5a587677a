/**
 * Blocks: the gateway refusing a call for PII, a security incident, the
 * model or a policy rule, with 400, 422 or 451; before a stream began (an
 * error response) or after (events in the stream). Bodies are the spec's
 * named examples.
 */
import { exampleError, merge, unforwarded } from "./defaults.js";
import { errorReply } from "./errors.js";
import type { SpecExampleName } from "./spec-examples.js";
import type { GovernanceInput, Reply, ReplyOptions } from "./types.js";
import { checkOptions, type ErrorBody } from "./wire.js";

/** What the gateway blocks for: PII, a security incident, the model, or a policy rule. */
export type BlockKind = "pii" | "security" | "model" | "policy";

/** The statuses the gateway blocks with. */
export type BlockStatus = 400 | 422 | 451;

/** Options of `reply.block` (and of a block inside `reply.stream`). */
export interface BlockOptions extends ReplyOptions {
	/** `X-Monago-Block-Reason`. Default per kind, e.g. `PII detected: NIK`. */
	readonly block_reason?: string | undefined;
	/** `X-Monago-Audit-Id`. Default `audit-mock-<call>`. */
	readonly audit_id?: string | undefined;
	/** 400, 422 or 451. Default 400. */
	readonly status?: BlockStatus | undefined;
	/** The body's `error.message`. Default: the spec's example for the kind. */
	readonly message?: string | undefined;
	/** The body's `error.code`. Default: the spec's example for the kind, e.g. `pii_blocked`. */
	readonly code?: string | undefined;
}

interface Kind {
	/** The spec example whose body the block sends. */
	readonly example: SpecExampleName;
	readonly governance: GovernanceInput;
}

/** Each kind of block as the gateway sends it. */
const KINDS: Readonly<Record<BlockKind, Kind>> = {
	pii: {
		example: "pii_blocked",
		governance: {
			pii_detected: true,
			pii_redacted: ["NIK"],
			block_reason: "PII detected: NIK",
		},
	},
	security: {
		example: "security_block",
		governance: {
			security_incidents: ["prompt_injection"],
			block_reason: "Prompt injection detected",
		},
	},
	model: {
		example: "model_not_allowed",
		governance: { block_reason: "Model not on the tenant's allow-list" },
	},
	policy: {
		example: "policy_blocked",
		governance: { block_reason: "Policy rule no-diagnosis" },
	},
};

const BLOCK_STATUSES: ReadonlySet<number> = new Set([400, 422, 451]);

/** A block of `kind`: its status, its error body and the governance fields it sets. */
export function blockOf(
	what: string,
	kind: BlockKind,
	options: BlockOptions,
): { status: BlockStatus; body: ErrorBody; update: GovernanceInput } {
	if (typeof kind !== "string" || !Object.hasOwn(KINDS, kind)) {
		throw new TypeError(
			`${what}: the kind must be one of ${Object.keys(KINDS).join(", ")}, got ${JSON.stringify(kind)}`,
		);
	}
	const status = options.status ?? 400;
	if (!BLOCK_STATUSES.has(status)) {
		throw new TypeError(
			`${what}: status must be 400, 422 or 451, got ${status}`,
		);
	}
	checkOptions(what, options);
	const spec = KINDS[kind];
	const { error } = exampleError(spec.example);
	return {
		status,
		body: {
			error: {
				...error,
				message: options.message ?? error.message,
				code: options.code ?? error.code,
			},
		},
		update: merge(
			{ policy_decision: "blocked" },
			spec.governance,
			options.governance,
			{ audit_id: options.audit_id, block_reason: options.block_reason },
		),
	};
}

/** `reply.block`: see {@link reply}. */
export function block(kind: BlockKind, options: BlockOptions = {}): Reply {
	const what = `reply.block(${JSON.stringify(kind)})`;
	const { status, body, update } = blockOf(what, kind, options);
	return errorReply(what, options, (index) => ({
		status,
		body,
		governance: merge(unforwarded(index), update),
	}));
}
