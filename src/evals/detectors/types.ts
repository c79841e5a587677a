/** What the PII detectors share: the kinds they find and one finding. */

/** The kinds of personal data {@link detectPii} finds. */
export const PII_TYPES = [
	"NIK",
	"NPWP",
	"EMAIL",
	"PHONE",
	"CREDIT_CARD",
	"US_SSN",
	"IBAN",
] as const;

/** A kind of personal data: `NIK`, `NPWP`, `EMAIL`, `PHONE`, `CREDIT_CARD`, `US_SSN` or `IBAN`. */
export type PiiType = (typeof PII_TYPES)[number];

/** One piece of personal data found in a text: its kind and where it is (UTF-16 indexes, end exclusive). */
export interface PiiFinding {
	/** What was found. */
	readonly type: PiiType;
	/** Where it starts. */
	readonly start: number;
	/** Where it ends (exclusive). */
	readonly end: number;
}

/** A detector: a linear-time candidate pattern and the validation of a candidate. */
export interface Detector {
	readonly type: PiiType;
	/** A global pattern of candidates; copied for every scan, never run itself. */
	readonly pattern: RegExp;
	/**
	 * Whether a candidate may run on past the finding (into the next words),
	 * so the scan goes on from the finding's end, or from just after an
	 * invalid candidate's start, rather than from the candidate's end.
	 */
	readonly runsOn?: boolean;
	/** The span of the finding in the text when the candidate is valid, else null. */
	validate(match: RegExpExecArray, text: string): [number, number] | null;
}

/** The ASCII digits of a string. */
export const digitsOf = (text: string) => text.replace(/\D/g, "");
