/**
 * The PII detectors against tables of valid and invalid numbers: check
 * digits (Luhn, mod 97) and structure (NIK province and birth date, NPWP,
 * SSN ranges, phone prefixes and lengths), each finding with its type and
 * position.
 */
import { describe, expect, it } from "vitest";
import { ibanRemainder, luhn } from "../../src/evals/detectors/checksums.js";
import { detectPii, PII_TYPES, type PiiType } from "../../src/evals.js";

const VALID: Record<PiiType, readonly string[]> = {
	NIK: [
		"3201010101010001", // Jawa Barat, 01-01-01
		"3171011708450001", // DKI Jakarta, 17-08-45
		"3171015708450001", // a woman: day 57 is the 17th
		"3171012902001234", // 29 February 2000
		"9171010101900001", // Papua
		"1101014503990002", // Aceh, a woman born 5 March 1999
		"9601017112990001", // Papua Barat Daya, 31 December
	],
	NPWP: [
		"01.312.166.0-091.000",
		"016090524017000",
		"02.183.241.5-000.000",
		"0013121660091000", // the 16-digit form of 2024
	],
	EMAIL: ["a@b.co", "dr.budi+rs@rs-sehat.co.id", "x_y%z@sub.domain.example"],
	PHONE: [
		"+62 812-3456-7890",
		"0812 3456 7890",
		"081234567890",
		"6281234567890",
		"+6281234567890",
		"0062 812 3456 7890",
		"(021) 555-1234",
		"+62 (0)21 555 1234",
		"+1 415 555 2671",
		"+44 20 7946 0958",
	],
	CREDIT_CARD: [
		"4111 1111 1111 1111",
		"4111-1111-1111-1111",
		"5500 0000 0000 0004",
		"2223 0000 4841 0010", // Mastercard 2-series
		"3782 822463 10005", // American Express
		"6011 1111 1111 1117", // Discover
		"3530 1113 3330 0000", // JCB
		"36227206271667", // Diners Club, 14 digits
		"4222222222222", // Visa, 13 digits
	],
	US_SSN: ["123-45-6789", "078 05 1120", "899-99-9999"],
	IBAN: [
		"GB82 WEST 1234 5698 7654 32",
		"DE89370400440532013000",
		"DE89 3704 0044 0532 0130 00",
		"NL91ABNA0417164300",
		"FR1420041010050500013M02606",
		"NO9386011117947",
		"gb82west12345698765432",
	],
};

const INVALID: readonly [string, string][] = [
	["9971011708450001", "NIK: province 99"],
	["2201010101010001", "NIK: province 22"],
	["3200010101010001", "NIK: regency 00"],
	["3201000101010001", "NIK: district 00"],
	["3171013002001234", "NIK: 30 February"],
	["3171013201001234", "NIK: day 32"],
	["3171017208450001", "NIK: day 72 (a woman's 32nd)"],
	["3171010100450001", "NIK: day 00"],
	["3171010013450001", "NIK: month 13"],
	["3171012902011234", "NIK: 29 February 2001"],
	["3201010101010000", "NIK: serial 0000"],
	["320101010101001", "NIK: 15 digits"],
	["32010101010100012", "NIK: 17 digits"],
	["01.312.166.1-091.000", "NPWP: wrong check digit"],
	["00.000.000.0-091.000", "NPWP: serial 000000"],
	["013121661091000", "NPWP: wrong check digit, plain"],
	["a@b", "EMAIL: no top-level domain"],
	["a..b@c.com", "EMAIL: two dots"],
	["a@b.c", "EMAIL: one-letter top-level domain"],
	["a@-b.com", "EMAIL: label starts with a dash"],
	[`${"x".repeat(65)}@b.com`, "EMAIL: local part over 64"],
	["12345678", "PHONE: no 0, 62 or +"],
	["2024-01-15", "PHONE: a date"],
	["0112345678", "PHONE: 01 prefix"],
	["+0 123 4567", "PHONE: country code 0"],
	["081 234", "PHONE: too short"],
	["08123456789012", "PHONE: 14 digits"],
	["+123456789012345678", "PHONE: over 15 digits"],
	["08.00-12.00", "PHONE: a time range"],
	["6212345678", "PHONE: 62 without + must be a mobile"],
	["4111 1111 1111 1112", "CARD: Luhn"],
	["1234 5678 9012 3456", "CARD: Luhn"],
	["0000 0000 0000 0000", "CARD: passes Luhn, no network"],
	["9999 9999 9999 9995", "CARD: passes Luhn, no network"],
	["000-12-3456", "SSN: area 000"],
	["666-12-3456", "SSN: area 666"],
	["900-12-3456", "SSN: area 9xx"],
	["123-00-4567", "SSN: group 00"],
	["123-45-0000", "SSN: serial 0000"],
	["123-45 6789", "SSN: mixed separators"],
	["123456789", "SSN: no separators"],
	["GB82 WEST 1234 5698 7654 33", "IBAN: mod 97"],
	["DE89370400440532013001", "IBAN: mod 97"],
	["XX82WEST12345698765432", "IBAN: unknown country"],
	["NL91ABNA041716430", "IBAN: too short"],
	["GB82WEST12345698765432X", "IBAN: runs on into a word"],
];

describe("detectPii", () => {
	for (const type of PII_TYPES) {
		it.each(VALID[type])(`finds ${type} %s, with its position`, (value) => {
			const text = `Data: ${value}.`;
			expect(detectPii(text)).toEqual([
				{ type, start: 6, end: 6 + value.length },
			]);
		});
	}

	it.each(INVALID)("finds nothing in %s (%s)", (value) => {
		expect(detectPii(`Data: ${value}.`)).toEqual([]);
	});

	it("finds several in order, and only the kinds asked for", () => {
		const text = `NIK ${VALID.NIK[0]}, mail ${VALID.EMAIL[1]}, hp ${VALID.PHONE[0]}`;
		expect(detectPii(text).map((f) => f.type)).toEqual([
			"NIK",
			"EMAIL",
			"PHONE",
		]);
		expect(detectPii(text, { types: ["EMAIL"] })).toEqual([
			{ type: "EMAIL", start: 27, end: 27 + (VALID.EMAIL[1] as string).length },
		]);
	});

	it("starts where it is told, and finds an IBAN right after an invalid candidate", () => {
		const text = `${VALID.NIK[0]} ${VALID.NIK[1]}`;
		expect(detectPii(text, { from: 1 })).toEqual([
			{ type: "NIK", start: 17, end: 33 },
		]);
		expect(
			detectPii("GB82 WEST 1234 5698 7654 32 and DE89370400440532013000").map(
				(f) => f.type,
			),
		).toEqual(["IBAN", "IBAN"]);
	});
});

describe("the checksums", () => {
	it.each([
		["79927398713", true],
		["79927398710", false],
		["0", true],
		["", false],
	])("luhn(%s) is %s", (digits, valid) => {
		expect(luhn(digits)).toBe(valid);
	});

	it.each([
		["GB82WEST12345698765432", true],
		["GB82WEST12345698765433", false],
		["GB28WEST12345698765432", false],
		["NL91ABNA0417164300", true],
	])("the mod 97 check of %s passes: %s", (iban, valid) => {
		expect(ibanRemainder(iban) === 1).toBe(valid);
	});
});
