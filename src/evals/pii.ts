/**
 * `pii()`: the local PII detectors as an evaluator, before sending (block,
 * flag or redact) or on the answer (block or flag, on streams as they flow).
 */
import { InvalidInputError } from "../index.js";
import { describeFindings, type Located } from "./describe.js";
import { detectPii } from "./detectors/detect.js";
import { PII_TYPES, type PiiType } from "./detectors/types.js";
import { builtIn } from "./evaluator.js";
import type {
	Evaluator,
	EvaluatorOptions,
	Hold,
	Phase,
	Redaction,
	Verdict,
} from "./types.js";

/** Options of {@link pii}. */
export interface PiiOptions<P extends Phase = Phase>
	extends EvaluatorOptions<P> {
	/** The kinds to look for. Default: all of them (`PII_TYPES`). */
	detect?: readonly PiiType[] | undefined;
}

/**
 * On a stream, how far before the new text a scan starts again: longer than
 * any finding (an e-mail address is at most 254 characters), so one split
 * across chunks is seen whole.
 */
const LOOKBACK = 320;

/**
 * An evaluator that finds personal data with local, validated detectors:
 * Indonesian NIK (province, birth date), NPWP (check digit), e-mail, phone
 * numbers (Indonesian and E.164), payment cards (Luhn), US SSN, IBAN (mod
 * 97). Its reason names each finding's kind and position, never its text.
 * `action: "redact"` (pre only) replaces each finding with its kind in
 * brackets (`[NIK]`) before the request is sent. Defaults: name `pii`,
 * phase `pre`, action `block`, every kind.
 *
 * @example
 * pii({ phase: "pre", detect: ["NIK", "EMAIL"], action: "redact" })
 * @throws {InvalidInputError} when an option is malformed.
 */
export function pii<P extends Phase = "pre">(
	options: PiiOptions<P> = {},
): Evaluator<P> {
	const types = options.detect ?? PII_TYPES;
	if (
		!Array.isArray(types) ||
		types.length === 0 ||
		!types.every((type) => PII_TYPES.includes(type))
	) {
		throw new InvalidInputError(
			`pii(): detect must be a non-empty list of ${PII_TYPES.join(", ")}`,
		);
	}
	const redact = options.action === "redact";
	return builtIn<P>("pii()", {
		name: options.name ?? "pii",
		phase: options.phase ?? "pre",
		action: options.action,
		incremental: true,
		timeout: options.timeout,
		failOpen: options.failOpen,
		evaluate(input): Verdict {
			const partial = input.phase === "post" && input.partial;
			const found: Located[] = [];
			const hold: Hold[] = [];
			input.segments.forEach(({ text, from }, segment) => {
				const start = partial ? Math.max(0, from - LOOKBACK) : 0;
				for (const f of detectPii(text, { types, from: start })) {
					// At the end of a stream's text so far, a finding may still
					// grow into another (or none): decide once more text comes.
					if (partial && f.end === text.length)
						hold.push({ segment, at: f.start });
					else
						found.push({ segment, label: f.type, start: f.start, end: f.end });
				}
			});
			if (!found.length) return { pass: true, hold };
			const redactions: Redaction[] | undefined = redact ? found : undefined;
			return {
				pass: false,
				label: [...new Set(found.map((f) => f.label))].join(","),
				reason: describeFindings(found, input.segments),
				redactions,
				hold,
			};
		},
	});
}
