/**
 * Identity numbers: the Indonesian NIK (population number) and NPWP (tax
 * number), and the US Social Security number. Each is a linear-time
 * candidate pattern plus a check of its structure or check digit.
 */
import { luhn } from "./checksums.js";
import { type Detector, digitsOf } from "./types.js";

// Province codes (the first two digits of a NIK): Sumatra 11-19 and 21,
// Java 31-36, Bali and Nusa Tenggara 51-53, Kalimantan 61-65, Sulawesi
// 71-76, Maluku 81-82, Papua 91-96.
const PROVINCES = new Set([
	11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53,
	61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96,
]);

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const number = (text: string, start: number, end: number) =>
	Number(text.slice(start, end));

/**
 * Whether 16 digits are a NIK: `PPRRSSDDMMYYXXXX`, a known province, a
 * regency and a district that are not 00, a birth date (40 added to the day
 * for women; the year may be 19YY or 20YY, so 29 February needs YY divisible
 * by 4) and a serial that is not 0000.
 */
export function isNik(digits: string): boolean {
	if (!/^\d{16}$/.test(digits)) return false;
	if (!PROVINCES.has(number(digits, 0, 2))) return false;
	if (digits.startsWith("00", 2) || digits.startsWith("00", 4)) return false;
	let day = number(digits, 6, 8);
	if (day > 40) day -= 40;
	const month = number(digits, 8, 10);
	const year = number(digits, 10, 12);
	if (month < 1 || month > 12 || day < 1) return false;
	const days = month === 2 && year % 4 !== 0 ? 28 : (DAYS[month - 1] ?? 0);
	return day <= days && !digits.endsWith("0000");
}

/**
 * Whether a number is an NPWP: 15 digits (`ST.sss.sss.C-OOO.BBB`) whose first
 * nine pass the Luhn check and whose serial is not 000000, or the 16-digit
 * form of 2024 (a 0 and the 15 digits).
 */
export function isNpwp(digits: string): boolean {
	const core =
		digits.length === 16 && digits[0] === "0" ? digits.slice(1) : digits;
	return (
		/^\d{15}$/.test(core) &&
		luhn(core.slice(0, 9)) &&
		core.slice(2, 8) !== "000000"
	);
}

/** Whether nine digits are a valid SSN: area not 000, 666 or 900-999, group not 00, serial not 0000. */
export function isUsSsn(digits: string): boolean {
	if (!/^\d{9}$/.test(digits)) return false;
	const area = number(digits, 0, 3);
	return (
		area !== 0 &&
		area !== 666 &&
		area < 900 &&
		digits.slice(3, 5) !== "00" &&
		digits.slice(5) !== "0000"
	);
}

const whole = (match: RegExpExecArray): [number, number] => [
	match.index,
	match.index + match[0].length,
];

/** NIK: 16 digits written together. */
export const NIK: Detector = {
	type: "NIK",
	pattern: /(?<!\d)\d{16}(?!\d)/g,
	validate: (match) => (isNik(match[0]) ? whole(match) : null),
};

/** NPWP: `01.312.166.0-091.000`, or 15 digits (16 with a leading 0) written together. */
export const NPWP: Detector = {
	type: "NPWP",
	pattern: /(?<!\d)(?:\d{2}\.\d{3}\.\d{3}\.\d-\d{3}\.\d{3}|0?\d{15})(?!\d)/g,
	validate: (match) => (isNpwp(digitsOf(match[0])) ? whole(match) : null),
};

/** US SSN: `123-45-6789` or `123 45 6789` (the same separator twice). */
export const US_SSN: Detector = {
	type: "US_SSN",
	pattern: /(?<!\d)\d{3}([- ])\d{2}\1\d{4}(?!\d)/g,
	validate: (match) => (isUsSsn(digitsOf(match[0])) ? whole(match) : null),
};
