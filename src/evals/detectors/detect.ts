/**
 * `detectPii`: every detector over a text, findings in order, overlaps
 * resolved (the longer finding wins; on the same span, the more specific
 * kind).
 */
import { EMAIL, PHONE } from "./contact.js";
import { CREDIT_CARD, IBAN } from "./financial.js";
import { NIK, NPWP, US_SSN } from "./identity.js";
import {
	type Detector,
	PII_TYPES,
	type PiiFinding,
	type PiiType,
} from "./types.js";

const DETECTORS: readonly Detector[] = [
	NIK,
	NPWP,
	EMAIL,
	PHONE,
	CREDIT_CARD,
	US_SSN,
	IBAN,
];

/** Options of {@link detectPii}. */
export interface DetectOptions {
	/** The kinds to look for. Default: all of {@link PII_TYPES}. */
	types?: readonly PiiType[] | undefined;
	/** Where to start looking (candidates start there or later). Default 0. */
	from?: number | undefined;
}

/**
 * Finds personal data in a text with local, validated detectors (check
 * digits and structure, not bare patterns): Indonesian NIK and NPWP,
 * e-mail addresses, phone numbers (Indonesian and E.164), payment cards
 * (Luhn), US SSNs and IBANs (mod 97). Runs in time linear in the text.
 *
 * @example
 * detectPii("NIK 3201010101010001, mail a@b.co");
 * // [{ type: "NIK", start: 4, end: 20 }, { type: "EMAIL", start: 27, end: 33 }]
 */
export function detectPii(
	text: string,
	options: DetectOptions = {},
): PiiFinding[] {
	const types = options.types ?? PII_TYPES;
	const found: PiiFinding[] = [];
	for (const detector of DETECTORS) {
		if (!types.includes(detector.type)) continue;
		// A copy per scan: the module's patterns are never run, so hold no state.
		const pattern = new RegExp(detector.pattern);
		pattern.lastIndex = options.from ?? 0;
		for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
			const span = detector.validate(match, text);
			if (span)
				found.push({ type: detector.type, start: span[0], end: span[1] });
			if (detector.runsOn) pattern.lastIndex = span ? span[1] : match.index + 1;
		}
	}
	return resolveOverlaps(found);
}

// On the same span, the more specific structure names the finding (an SSN
// written with spaces can also be read as an Indonesian landline number).
const PRIORITY: readonly PiiType[] = [
	"NIK",
	"NPWP",
	"IBAN",
	"CREDIT_CARD",
	"US_SSN",
	"EMAIL",
	"PHONE",
];
const rank = (type: PiiType) => PRIORITY.indexOf(type);

function resolveOverlaps(found: PiiFinding[]): PiiFinding[] {
	found.sort(
		(a, b) =>
			a.start - b.start ||
			b.end - b.start - (a.end - a.start) ||
			rank(a.type) - rank(b.type),
	);
	const kept: PiiFinding[] = [];
	for (const finding of found) {
		const last = kept[kept.length - 1];
		if (!last || finding.start >= last.end) kept.push(finding);
		else if (finding.end - finding.start > last.end - last.start)
			kept[kept.length - 1] = finding;
	}
	return kept;
}
