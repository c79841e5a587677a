import { describe, expect, it } from "vitest";
import { createScrubber, scrubValue } from "../../src/errors/scrub.js";

const KEY = "sk-mng-AbC123.xyz";
const scrub = createScrubber(KEY);

describe("createScrubber", () => {
	it.each([
		[`key ${KEY} echoed`, "key [redacted] echoed"],
		[`Authorization: Bearer ${KEY}`, "Authorization: Bearer [redacted]"],
		[`url ${encodeURIComponent("sk-mng-a/b+c")}`, "url [redacted]"],
		["another key sk-mng-someone-else", "another key [redacted]"],
		["Bearer abcdefgh12345678", "Bearer [redacted]"],
		["nothing secret here", "nothing secret here"],
		["short Bearer abc", "short Bearer abc"],
	])("turns %j into %j", (input, expected) => {
		expect(createScrubber("sk-mng-a/b+c")(scrub(input))).toBe(expected);
	});

	it("removes a key that is not shaped like an Atrium key too", () => {
		expect(
			createScrubber("custom-proxy-token-42")("echo custom-proxy-token-42!"),
		).toBe("echo [redacted]!");
	});

	it("scrubs a key that starts right after a backslash, whatever that backslash means", () => {
		expect(createScrubber("token-abc")("C:\\token-abc")).toBe("C:\\[redacted]");
	});

	it("scrubs a key whose letters a JSON text spells as \\u escapes, keeping the JSON", () => {
		const text = `{"said":"echo \\u0073k-mng-AbC123\\u002exyz","x":"\\u00e9"}`;
		expect(JSON.parse(scrub(text))).toEqual({
			said: "echo [redacted]",
			x: "é",
		});
	});

	it("scrubs an Atrium key spelled partly with \\u escapes in JSON cut short (no JSON to parse)", () => {
		const key = "sk-mng-SuperSecretKey0123456789";
		const cut = `{"message":"invalid key sk-mng-SuperSecret\\u004bey0123456789","pad":"xxxx`;
		const out = createScrubber(key)(cut);
		expect(out).toBe(`{"message":"invalid key [redacted]","pad":"xxxx`);
		expect(out).not.toMatch(/ey0123456789/);
	});

	it("keeps JSON JSON when a key starting with / is echoed as \\/", () => {
		const text = `{"m":"\\/2Mlt-key"}`;
		expect(JSON.parse(createScrubber("/2Mlt-key")(text))).toEqual({
			m: "[redacted]",
		});
	});

	it("treats regex characters in the key literally", () => {
		expect(createScrubber("a.b*c")("a.b*c axbbc")).toBe("[redacted] axbbc");
	});
});

describe("scrubValue", () => {
	it("replaces the values of secret keys, whatever they hold", () => {
		expect(
			scrubValue(
				{ Authorization: "Basic abc", cookie: ["a"], accept: "json" },
				scrub,
			),
		).toEqual({
			Authorization: "[redacted]",
			cookie: "[redacted]",
			accept: "json",
		});
	});

	it("scrubs strings and keys at any depth and keeps frozen objects frozen", () => {
		const body = Object.freeze({
			list: [KEY, 1, null],
			nested: { [KEY]: `x ${KEY}` },
		});
		const clean = scrubValue(body, scrub);
		expect(clean).toEqual({
			list: ["[redacted]", 1, null],
			nested: { "[redacted]": "x [redacted]" },
		});
		expect(Object.isFrozen(clean)).toBe(true);
	});

	it("stops at a cycle instead of looping", () => {
		const cyclic: Record<string, unknown> = { note: KEY };
		cyclic.self = cyclic;
		expect(JSON.stringify(scrubValue(cyclic, scrub))).not.toContain(KEY);
		expect(scrubValue(42, scrub)).toBe(42);
	});
});
