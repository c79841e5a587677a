/**
 * The hold-back, pure: it releases text only past the window and the holds,
 * splits a chunk at the limit keeping its other fields (role on the first
 * piece, finish reason, logprobs and usage on the rest), keeps non-text
 * chunks in order, holds tool-call chunks to the end, and refuses hostile
 * indexes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BadIndex, HoldBack } from "../../src/evals/holdback.js";
import type { ChatCompletionChunk } from "../../src/index.js";
import { chunk } from "../helpers/sse.js";

const text = (content: string, index = 0) =>
	({
		...chunk({}),
		choices: [{ index, delta: { content }, finish_reason: null }],
	}) as ChatCompletionChunk;

const contents = (chunks: readonly ChatCompletionChunk[], index = 0) =>
	chunks
		.flatMap((c) => c.choices.filter((x) => x.index === index))
		.map((x) => x.delta.content ?? "")
		.join("");

describe("HoldBack", () => {
	it("releases a choice's text up to its length minus the window, then the rest at the end", () => {
		fc.assert(
			fc.property(
				fc.array(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 30 }),
				fc.integer({ min: 0, max: 40 }),
				(pieces, window) => {
					const hold = new HoldBack(window);
					const out: ChatCompletionChunk[] = [];
					for (const piece of pieces) {
						hold.add(text(piece));
						out.push(...hold.release(false));
					}
					const all = pieces.join("");
					expect(contents(out)).toBe(
						all.slice(0, Math.max(0, all.length - window)),
					);
					out.push(...hold.release(true));
					expect(contents(out)).toBe(all);
				},
			),
		);
	});

	it("splits a chunk at the limit: role first, finish reason, logprobs and usage on the rest", () => {
		const hold = new HoldBack(4);
		hold.add({
			...chunk({}),
			choices: [
				{
					index: 0,
					delta: { role: "assistant", content: "abcdefgh" },
					finish_reason: "stop",
					logprobs: { content: [], refusal: null },
				},
			],
			usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
		} as ChatCompletionChunk);
		const [first] = hold.release(false);
		expect(first?.id).toBe("chatcmpl-s");
		expect(first?.usage).toBeUndefined();
		expect(first?.choices).toEqual([
			{
				index: 0,
				delta: { role: "assistant", content: "abcd" },
				finish_reason: null,
			},
		]);
		const [rest] = hold.release(true);
		expect(rest?.usage?.total_tokens).toBe(3);
		expect(rest?.choices).toEqual([
			{
				index: 0,
				delta: { content: "efgh" },
				finish_reason: "stop",
				logprobs: { content: [], refusal: null },
			},
		]);
	});

	it("keeps each choice's window apart, and a chunk without text in its place", () => {
		const hold = new HoldBack(2);
		hold.add(text("0123", 0));
		hold.add({
			...chunk({}),
			choices: [
				{ index: 1, delta: { role: "assistant" }, finish_reason: null },
			],
		} as ChatCompletionChunk);
		hold.add(text("abcdef", 1));
		const out = hold.release(false);
		expect(out.map((c) => [c.choices[0]?.index, c.choices[0]?.delta])).toEqual([
			[0, { content: "01" }],
		]);
		expect(hold.release(true).map((c) => c.choices[0]?.delta?.content)).toEqual(
			["23", undefined, "abcdef"],
		);
	});

	it("keeps text back from a hold, past the window", () => {
		const hold = new HoldBack(0);
		hold.add(text("abc 1234"));
		hold.setHolds(new Map([[0, 4]]));
		expect(contents(hold.release(false))).toBe("abc ");
		hold.setHolds(new Map());
		expect(contents(hold.release(false))).toBe("1234");
	});

	it("holds tool-call chunks, and all after them, to the end; joins their arguments", () => {
		const hold = new HoldBack(0);
		const call = (fn: Record<string, string>, id?: string) =>
			({
				...chunk({}),
				choices: [
					{
						index: 0,
						delta: { tool_calls: [{ index: 0, id, function: fn }] },
						finish_reason: null,
					},
				],
			}) as ChatCompletionChunk;
		hold.add(text("a"));
		hold.add(call({ name: "lookup", arguments: '{"x":' }, "c1"));
		hold.add(call({ arguments: "1}" }));
		hold.add(text("b"));
		expect(hold.release(false)).toHaveLength(1);
		expect(hold.toolCalls(0)).toEqual([
			{ id: "c1", name: "lookup", arguments: '{"x":1}' },
		]);
		expect(hold.release(true)).toHaveLength(3);
	});

	it.each([["__proto__"], [4294967294], [-1], [1.5], [undefined]])(
		"refuses a choice index of %j",
		(index) => {
			const hold = new HoldBack(0);
			expect(() =>
				hold.add({
					...chunk({}),
					choices: [{ index, delta: { content: "x" } }],
				} as never),
			).toThrow(BadIndex);
		},
	);
});
