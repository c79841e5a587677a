/**
 * Request metadata: string fields for the gateway's audit record, merged from
 * the client's and the call's, checked against the gateway's limits before
 * anything is sent, and carried in headers (never in the body, which the
 * gateway keeps to OpenAI's fields).
 */
import { InvalidInputError } from "../errors/tree.js";
import type { RequestHeaderParams } from "../types.js";

/** Request metadata as sent: string fields for the gateway's audit record. */
export type Metadata = Readonly<Record<string, string>>;

/** Metadata of one call, merged over the client's key by key: `null` removes the client's key for this call. */
export type MetadataUpdate = Readonly<
	Record<string, string | null | undefined>
>;

/** The gateway's metadata limits; every one is checked before anything is sent. */
export const METADATA_LIMITS = {
	/** Custom keys (all but `user_id` and `session_id`) per call. */
	keys: 16,
	/** Characters of a key, from `A-Z a-z 0-9 _ . -`. */
	keyLength: 64,
	/** Characters of a custom value. */
	valueLength: 512,
	/** Printable ASCII characters of `user_id` and `session_id`. */
	idLength: 256,
	/** Bytes of the encoded `X-Monago-Metadata` header. */
	encodedBytes: 4096,
} as const;

/** The headers metadata becomes, typed by the spec's header parameters. */
export type MetadataHeaders = Pick<
	RequestHeaderParams,
	"X-Monago-User-Id" | "X-Monago-Session-Id" | "X-Monago-Metadata"
>;

const KEY = /^[A-Za-z0-9_.-]{1,64}$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]{1,256}$/;
// DEL and everything above ASCII, escaped so the header stays ASCII.
const NON_ASCII = /[\u007f-\uffff]/g;

function refuse(message: string): never {
	throw new InvalidInputError(`metadata: ${message}`);
}

function record(source: string, value: unknown): Record<string, unknown> {
	if (typeof value !== "object" || value === null || Array.isArray(value)) {
		throw new InvalidInputError(`${source} must be an object of strings`);
	}
	return value as Record<string, unknown>;
}

/**
 * Merges a call's metadata over the client's: its keys override the
 * client's one by one, a `null` value removes a key. Returns a new object.
 */
export function mergeMetadata(
	base: Metadata,
	update: unknown,
	source = "metadata",
): Record<string, string> {
	const merged: Record<string, string> = { ...base };
	for (const [key, value] of Object.entries(record(source, update))) {
		if (key === "__proto__") refuse('the key "__proto__" is not allowed');
		if (value === null) delete merged[key];
		else if (value !== undefined) merged[key] = value as string;
	}
	return merged;
}

function escapeChar(char: string): string {
	return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/**
 * Checks metadata against the limits and encodes it as headers: `user_id`
 * to `X-Monago-User-Id`, `session_id` to `X-Monago-Session-Id`, every other
 * key into the JSON object of `X-Monago-Metadata` (non-ASCII escaped as
 * `\uXXXX`). Messages name the key, never its value.
 *
 * @throws {@link InvalidInputError} when a key, a value or the whole breaks a limit.
 */
export function metadataHeaders(metadata: Metadata): MetadataHeaders {
	const headers: MetadataHeaders = {};
	const custom: Record<string, string> = {};
	let count = 0;
	for (const [key, value] of Object.entries(metadata)) {
		if (!KEY.test(key)) {
			refuse(
				`a key is not 1 to 64 characters of letters, digits, "_", "." or "-"`,
			);
		}
		if (typeof value !== "string") {
			refuse(`"${key}" must be a string, got ${typeof value}`);
		}
		if (key === "user_id" || key === "session_id") {
			if (!PRINTABLE_ASCII.test(value)) {
				refuse(
					`"${key}" must be 1 to 256 printable ASCII characters (hash or encode other ids)`,
				);
			}
			headers[key === "user_id" ? "X-Monago-User-Id" : "X-Monago-Session-Id"] =
				value;
			continue;
		}
		if (value.length > METADATA_LIMITS.valueLength) {
			refuse(
				`"${key}" is longer than ${METADATA_LIMITS.valueLength} characters`,
			);
		}
		if (++count > METADATA_LIMITS.keys) {
			refuse(
				`more than ${METADATA_LIMITS.keys} keys besides user_id and session_id`,
			);
		}
		custom[key] = value;
	}
	if (count) {
		const encoded = JSON.stringify(custom).replace(NON_ASCII, escapeChar);
		if (encoded.length > METADATA_LIMITS.encodedBytes) {
			refuse(
				`X-Monago-Metadata would be ${encoded.length} bytes; the limit is ${METADATA_LIMITS.encodedBytes}`,
			);
		}
		headers["X-Monago-Metadata"] = encoded;
	}
	return headers;
}
