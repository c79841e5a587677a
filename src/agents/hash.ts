/**
 * SHA-256 through WebCrypto (`crypto.subtle`), which Node 20, browsers and
 * edge runtimes have: the trail needs no Node-only module.
 */
import { UsageError } from "../index.js";

/** Whether this runtime has WebCrypto's digest (browsers only in secure contexts). */
export function hasDigest(): boolean {
	return typeof globalThis.crypto?.subtle?.digest === "function";
}

/**
 * The SHA-256 of a text's UTF-8 bytes, as 64 lower-case hex digits.
 *
 * @throws {UsageError} when the runtime has no `crypto.subtle`.
 */
export async function sha256Hex(text: string): Promise<string> {
	if (!hasDigest())
		throw new UsageError(
			"agents: the audit trail needs WebCrypto (crypto.subtle): Node 20 or later, a browser page served over https or localhost, or an edge runtime",
		);
	const digest = await globalThis.crypto.subtle.digest(
		"SHA-256",
		new TextEncoder().encode(text),
	);
	let hex = "";
	for (const byte of new Uint8Array(digest))
		hex += byte.toString(16).padStart(2, "0");
	return hex;
}
