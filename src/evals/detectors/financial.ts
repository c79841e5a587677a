/**
 * Financial numbers: payment cards (the Luhn check and the number ranges
 * and lengths of the major networks) and IBANs (the country's length and
 * the ISO 7064 mod 97 check).
 */
import { ibanRemainder, luhn } from "./checksums.js";
import { type Detector, digitsOf } from "./types.js";

// [first digits from, to, shortest, longest]: Visa, Mastercard, American
// Express, Discover, JCB, Diners Club, UnionPay, Maestro.
const RANGES: readonly (readonly [number, number, number, number])[] = [
	[4, 4, 13, 19],
	[51, 55, 16, 16],
	[2221, 2720, 16, 16],
	[34, 34, 15, 15],
	[37, 37, 15, 15],
	[6011, 6011, 16, 19],
	[644, 649, 16, 19],
	[65, 65, 16, 19],
	[3528, 3589, 16, 19],
	[300, 305, 14, 19],
	[36, 36, 14, 19],
	[38, 39, 16, 19],
	[62, 62, 16, 19],
	[50, 50, 12, 19],
	[56, 58, 12, 19],
	[63, 63, 12, 19],
	[67, 67, 12, 19],
];

/** Whether 12 to 19 digits are a payment card number: a network's range and length, and the Luhn check. */
export function isCardNumber(digits: string): boolean {
	if (!/^\d{12,19}$/.test(digits) || !luhn(digits)) return false;
	return RANGES.some(([from, to, shortest, longest]) => {
		const prefix = Number(digits.slice(0, String(from).length));
		return (
			prefix >= from &&
			prefix <= to &&
			digits.length >= shortest &&
			digits.length <= longest
		);
	});
}

// IBAN lengths by country, from the SWIFT IBAN registry.
const IBAN_LENGTHS: ReadonlyMap<string, number> = /* @__PURE__ */ new Map(
	(
		"AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 " +
		"CY28 CZ24 DE22 DJ27 DK18 DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 " +
		"GE22 GI23 GL18 GR27 GT28 HN28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 " +
		"KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 " +
		"MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 " +
		"RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 " +
		"UA29 VA22 VG24 XK20 YE30"
	)
		.split(" ")
		.map((entry) => [entry.slice(0, 2), Number(entry.slice(2))]),
);

/** Whether letters and digits (no spaces) are an IBAN: a known country, its length, and mod 97 = 1. */
export function isIban(compact: string): boolean {
	const iban = compact.toUpperCase();
	return (
		/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban) &&
		IBAN_LENGTHS.get(iban.slice(0, 2)) === iban.length &&
		ibanRemainder(iban) === 1
	);
}

/** Payment card: 12 to 19 digits, single spaces or dashes between them allowed. */
export const CREDIT_CARD: Detector = {
	type: "CREDIT_CARD",
	pattern: /(?<!\d)\d(?:[ -]?\d){11,18}(?!\d)/g,
	validate: (match) =>
		isCardNumber(digitsOf(match[0]))
			? [match.index, match.index + match[0].length]
			: null,
};

/**
 * IBAN: a country code, two check digits and the account, in groups of
 * four or written together. The candidate runs on as far as it can; its
 * country's length decides where the IBAN ends.
 */
export const IBAN: Detector = {
	type: "IBAN",
	pattern: /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,30}/g,
	runsOn: true,
	validate(match, text) {
		const length = IBAN_LENGTHS.get(match[0].slice(0, 2).toUpperCase());
		if (length === undefined) return null;
		let compact = "";
		let end = match.index;
		for (const char of match[0]) {
			if (compact.length === length) break;
			end++;
			if (char !== " ") compact += char;
		}
		const next = text.charCodeAt(end);
		const alphanumeric =
			(next >= 48 && next <= 57) || /[A-Za-z]/.test(text.charAt(end));
		return compact.length === length && !alphanumeric && isIban(compact)
			? [match.index, end]
			: null;
	},
};
