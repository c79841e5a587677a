/**
 * SSE framing as the stream reads it: events split at any byte (inside a
 * multi-byte character too), every line ending, comments, multi-line data,
 * named events, a last event without its blank line, and [DONE].
 */
import { describe, expect, it } from "vitest";
import { APIError } from "../../src/errors/tree.js";
import {
	bytes,
	chunk,
	data,
	splitAt,
	streamOf,
	textOf,
} from "../helpers/sse.js";

const encoder = new TextEncoder();
const TEXT = ["Halo ", "dunia — ", "你好", " 👋🏽", " é"];
const REAL =
	TEXT.map((content) => data(chunk({ content }))).join("") +
	": keep-alive\n\n" +
	"data: [DONE]\n\n";
const REAL_BYTES = encoder.encode(REAL);

describe("SSE framing", () => {
	it("reads a whole stream delivered in one piece", async () => {
		expect(await textOf(streamOf(bytes([REAL_BYTES])))).toBe(TEXT.join(""));
	});

	it("reads the stream split into two at every byte offset, inside multi-byte characters too", async () => {
		for (let offset = 1; offset < REAL_BYTES.length; offset++) {
			const text = await textOf(streamOf(bytes(splitAt(REAL_BYTES, [offset]))));
			if (text !== TEXT.join(""))
				throw new Error(`split at byte ${offset} gave ${JSON.stringify(text)}`);
		}
	});

	it("reads the stream delivered one byte at a time", async () => {
		const pieces = Array.from({ length: REAL_BYTES.length }, (_, i) =>
			REAL_BYTES.subarray(i, i + 1),
		);
		expect(await textOf(streamOf(bytes(pieces)))).toBe(TEXT.join(""));
	});

	it.each([
		["LF", "\n"],
		["CRLF", "\r\n"],
		["CR", "\r"],
	])("reads %s line endings, split at every offset", async (_name, eol) => {
		const all = encoder.encode(
			`${data(chunk({ content: "a" }), eol)}${data(chunk({ content: "b" }), eol)}data: [DONE]${eol}${eol}`,
		);
		for (let offset = 1; offset < all.length; offset++) {
			expect(await textOf(streamOf(bytes(splitAt(all, [offset]))))).toBe("ab");
		}
	});

	it("ignores comments and keep-alives anywhere", async () => {
		const body = `: hello\n\n${data(chunk({ content: "x" }))}:keep-alive\n\n: another\n${data(chunk({ content: "y" }))}data: [DONE]\n\n`;
		expect(await textOf(streamOf(bytes([encoder.encode(body)])))).toBe("xy");
	});

	it("joins multi-line data with newlines before parsing", async () => {
		const json = JSON.stringify(chunk({ content: "multi" }), null, 2).split(
			"\n",
		);
		const body = `${json.map((line) => `data: ${line}`).join("\n")}\n\ndata: [DONE]\n\n`;
		expect(await textOf(streamOf(bytes([encoder.encode(body)])))).toBe("multi");
	});

	it.each([
		["a trailing LF", "data: [DONE]\n"],
		["no line end at all", "data: [DONE]"],
		["a trailing CR", "data: [DONE]\r"],
	])(
		"accepts a last event with %s instead of a blank line",
		async (_name, ending) => {
			const body = `${data(chunk({ content: "end" }))}${ending}`;
			expect(await textOf(streamOf(bytes([encoder.encode(body)])))).toBe("end");
		},
	);

	it("stops at [DONE] and ignores anything after it", async () => {
		const body = `${data(chunk({ content: "a" }))}data: [DONE]\n\n${data(chunk({ content: "b" }))}`;
		expect(await textOf(streamOf(bytes([encoder.encode(body)])))).toBe("a");
	});

	it("ignores named events it does not know, and events with ids", async () => {
		const body = `event: ping\ndata: {}\n\nid: 7\n${data(chunk({ content: "ok" }))}event: message\n${data(chunk({ content: "!" }))}data: [DONE]\n\n`;
		expect(await textOf(streamOf(bytes([encoder.encode(body)])))).toBe("ok!");
	});

	it("fails with APIError when the stream ends without [DONE]", async () => {
		const stream = streamOf(
			bytes([encoder.encode(data(chunk({ content: "cut" })))]),
		);
		await expect(textOf(stream)).rejects.toThrow(/ended without \[DONE\]/);
	});

	it("fails with APIError, keeping the text, when an event is not JSON", async () => {
		const stream = streamOf(bytes([encoder.encode("data: {not json\n\n")]));
		const error = await textOf(stream).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(APIError);
		expect(error).toMatchObject({ response_body: "{not json" });
	});
});
