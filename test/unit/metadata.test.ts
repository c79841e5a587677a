/**
 * Request metadata as pure functions: merging (null removes a key), every
 * limit refused with a message that names the key and never the value, and
 * an encoding that keeps the header ASCII.
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/errors/tree.js";
import {
	METADATA_LIMITS,
	mergeMetadata,
	metadataHeaders,
} from "../../src/metadata/metadata.js";

describe("mergeMetadata", () => {
	it("overrides the client's keys one by one and removes a key given null", () => {
		const client = {
			user_id: "dr-123",
			session_id: "visit-9",
			department: "cardiology",
		};
		expect(
			mergeMetadata(client, {
				session_id: "visit-10",
				ticket: "T-77",
				department: null,
			}),
		).toEqual({ user_id: "dr-123", session_id: "visit-10", ticket: "T-77" });
		expect(client.department).toBe("cardiology");
	});

	it("ignores undefined values and refuses a __proto__ key or a non-object", () => {
		expect(mergeMetadata({ a: "1" }, { a: undefined })).toEqual({ a: "1" });
		expect(() => mergeMetadata({}, JSON.parse('{"__proto__":"x"}'))).toThrow(
			/"__proto__" is not allowed/,
		);
		expect(() => mergeMetadata({}, "user=1")).toThrow(InvalidInputError);
		expect(() => mergeMetadata({}, ["a"])).toThrow(/must be an object/);
	});
});

describe("metadataHeaders", () => {
	it("sends user_id and session_id as their own headers and the rest as one JSON object", () => {
		expect(
			metadataHeaders({
				user_id: "dr-123",
				session_id: "visit-9",
				department: "cardiology",
				"ticket.no": "T-77",
			}),
		).toEqual({
			"X-Monago-User-Id": "dr-123",
			"X-Monago-Session-Id": "visit-9",
			"X-Monago-Metadata": '{"department":"cardiology","ticket.no":"T-77"}',
		});
		expect(metadataHeaders({})).toEqual({});
	});

	it("escapes every non-ASCII character (and DEL) as \\uXXXX, so the header stays ASCII and decodes back", () => {
		const value = "Poli Jantung — 心臓 👋🏽 café\u007f";
		const encoded = metadataHeaders({ note: value })["X-Monago-Metadata"] ?? "";
		expect(encoded).toMatch(/^[\x20-\x7e]+$/);
		expect(encoded).toContain("\\u2014");
		expect(JSON.parse(encoded)).toEqual({ note: value });
	});

	const SECRET = "Budi Santoso 3201010101010001";
	it.each([
		[
			"a key with a space",
			{ "bad key": "x" },
			/a key is not 1 to 64 characters/,
		],
		["an empty key", { "": "x" }, /a key is not 1 to 64 characters/],
		[
			"a 65-character key",
			{ ["k".repeat(65)]: "x" },
			/a key is not 1 to 64 characters/,
		],
		["a number value", { age: 42 }, /"age" must be a string, got number/],
		[
			"a 513-character value",
			{ note: "x".repeat(513) },
			/"note" is longer than 512 characters/,
		],
		[
			"17 custom keys",
			Object.fromEntries(
				Array.from({ length: 17 }, (_, i) => [`k${i}`, SECRET]),
			),
			/more than 16 keys/,
		],
		[
			"a user_id with non-ASCII",
			{ user_id: "dr-Müller" },
			/"user_id" must be 1 to 256 printable ASCII/,
		],
		[
			"a session_id with a newline",
			{ session_id: "a\nb" },
			/"session_id" must be 1 to 256 printable ASCII/,
		],
		[
			"an empty user_id",
			{ user_id: "" },
			/"user_id" must be 1 to 256 printable ASCII/,
		],
		[
			"a 257-character user_id",
			{ user_id: "u".repeat(257) },
			/"user_id" must be 1 to 256/,
		],
		[
			"an encoding over 4 KiB",
			Object.fromEntries(
				Array.from({ length: 16 }, (_, i) => [`k${i}`, "é".repeat(50)]),
			),
			/X-Monago-Metadata would be \d+ bytes; the limit is 4096/,
		],
	])(
		"refuses %s, naming the key but never the value",
		(_name, metadata, message) => {
			// Every case but the two counting ones carries personal data in a valid field too.
			const withSecret = (
				Object.keys(metadata).length >= 16
					? metadata
					: { patient: SECRET, ...metadata }
			) as Record<string, string>;
			let error: unknown;
			try {
				metadataHeaders(withSecret);
			} catch (e) {
				error = e;
			}
			expect(error).toBeInstanceOf(InvalidInputError);
			expect((error as Error).message).toMatch(message);
			expect((error as Error).message).not.toContain(SECRET);
			for (const value of Object.values(metadata)) {
				if (typeof value === "string" && value.length > 3)
					expect((error as Error).message).not.toContain(value);
			}
		},
	);

	it("accepts exactly the limits", () => {
		const sixteen = Object.fromEntries(
			Array.from({ length: METADATA_LIMITS.keys }, (_, i) => [
				`k${i}`,
				"x".repeat(200),
			]),
		);
		expect(() =>
			metadataHeaders({ ...sixteen, user_id: "u".repeat(256) }),
		).not.toThrow();
		expect(() =>
			metadataHeaders({ ["k".repeat(64)]: "x".repeat(512) }),
		).not.toThrow();
		expect(
			(metadataHeaders(sixteen)["X-Monago-Metadata"] ?? "").length,
		).toBeLessThanOrEqual(METADATA_LIMITS.encodedBytes);
	});
});
