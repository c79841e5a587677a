/**
 * Contact data: e-mail addresses and phone numbers (Indonesian, and
 * international ones written with `+` or `00`, E.164). Candidate patterns
 * run in linear time; the checks on a candidate decide.
 */
import { type Detector, digitsOf } from "./types.js";

/**
 * Whether a candidate e-mail address keeps the limits of RFC 5321: at most
 * 64 characters before the `@`, 254 in all, and no `..` in the local part.
 */
export function isEmail(address: string): boolean {
	const at = address.lastIndexOf("@");
	return (
		at > 0 &&
		at <= 64 &&
		address.length <= 254 &&
		!address.slice(0, at).includes("..")
	);
}

/**
 * Whether a candidate is a phone number, by its digits and how it starts:
 * `+62`/`0062` or `62` then a national number of 8 to 12 digits (mobile
 * `8...` only without the `+`); `0` then a mobile (`08`, 10 to 13 digits in
 * all) or landline (`02`-`09`, 9 to 12 digits) number; or `+`/`00` with 8 to
 * 15 digits that do not start with 0 (E.164). At most one pair of
 * parentheses.
 */
export function isPhone(candidate: string): boolean {
	const open = candidate.indexOf("(");
	const close = candidate.indexOf(")");
	if (
		open !== candidate.lastIndexOf("(") ||
		close !== candidate.lastIndexOf(")") ||
		(open === -1) !== (close === -1) ||
		close < open
	) {
		return false;
	}
	// "+62 (0)21 ...": the (0) is the national trunk prefix, not part of the number.
	const digits = digitsOf(candidate.replace("(0)", ""));
	const international = candidate.startsWith("+") || candidate.startsWith("00");
	const number = candidate.startsWith("00") ? digits.slice(2) : digits;
	if (number.startsWith("62") && (international || number[2] === "8")) {
		const national = number.slice(2);
		return /^[2-9]\d{7,11}$/.test(national);
	}
	if (international) return /^[1-9]\d{7,14}$/.test(number);
	if (/^08[1-9]/.test(number))
		return number.length >= 10 && number.length <= 13;
	return /^0[2-79]\d{7,10}$/.test(number);
}

const whole = (match: RegExpExecArray): [number, number] => [
	match.index,
	match.index + match[0].length,
];

/** E-mail: a local part, `@`, dot-separated domain labels and a top-level domain of letters. */
export const EMAIL: Detector = {
	type: "EMAIL",
	pattern:
		/(?<![\w.%+-])[A-Za-z0-9](?:[\w.%+-]{0,62}[\w%+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(?![\w-])/g,
	validate: (match) => (isEmail(match[0]) ? whole(match) : null),
};

/** Phone: digits with spaces, dots, dashes or one pair of parentheses between them, 8 to 24 characters. */
export const PHONE: Detector = {
	type: "PHONE",
	pattern: /(?<![\w+])(?:\+|00)?\(?\d[\d ().-]{6,22}\d(?!\w)/g,
	validate: (match) => (isPhone(match[0]) ? whole(match) : null),
};
