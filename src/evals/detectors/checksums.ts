/** The check-digit algorithms the detectors validate with. Pure. */

/** True when a string of ASCII digits passes the Luhn (mod 10) check. */
export function luhn(digits: string): boolean {
	let sum = 0;
	let double = false;
	for (let i = digits.length - 1; i >= 0; i--) {
		let digit = digits.charCodeAt(i) - 48;
		if (double) {
			digit *= 2;
			if (digit > 9) digit -= 9;
		}
		sum += digit;
		double = !double;
	}
	return digits.length > 0 && sum % 10 === 0;
}

/**
 * The ISO 7064 mod 97-10 remainder of an IBAN (upper-case letters and
 * digits, country code first): 1 for a valid one. Folded piece by piece,
 * so no big integers.
 */
export function ibanRemainder(iban: string): number {
	const moved = iban.slice(4) + iban.slice(0, 4);
	let remainder = 0;
	for (let i = 0; i < moved.length; i++) {
		const code = moved.charCodeAt(i);
		// Digits count as themselves, letters as 10 (A) to 35 (Z).
		const value = code <= 57 ? code - 48 : code - 55;
		remainder = (remainder * (value > 9 ? 100 : 10) + value) % 97;
	}
	return remainder;
}
