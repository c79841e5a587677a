import { describe, expect, it } from "vitest";
import { createAggregate } from "../../src/streaming/aggregate.js";
import type { ChatCompletionChunk } from "../../src/types.js";
import { chunk } from "../helpers/sse.js";

const add = (chunks: unknown[]) => {
	const aggregate = createAggregate();
	for (const part of chunks) aggregate.add(part as ChatCompletionChunk);
	return aggregate.build();
};

describe("createAggregate", () => {
	it("joins content and keeps the head, finish reason and usage", () => {
		const usage = { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 };
		const body = add([
			chunk(
				{ role: "assistant", content: "Hel" },
				{ system_fingerprint: "fp1" },
			),
			chunk({ content: "lo" }),
			{
				...chunk({}),
				choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
			},
			{ ...chunk({}), choices: [], usage },
		]);
		expect(body).toEqual({
			id: "chatcmpl-s",
			object: "chat.completion",
			created: 1763971200,
			model: "gpt-5.4-mini",
			system_fingerprint: "fp1",
			choices: [
				{
					index: 0,
					message: { role: "assistant", content: "Hello", refusal: null },
					finish_reason: "stop",
					logprobs: null,
				},
			],
			usage,
		});
	});

	it("keeps the first chunk's top-level fields it does not join (service_tier, newer ones), but not obfuscation", () => {
		const body = add([
			chunk(
				{ content: "a" },
				{ service_tier: "default", obfuscation: "x1", brand_new: { v: 1 } },
			),
			chunk({ content: "b" }, { obfuscation: "x2", service_tier: "flex" }),
		]) as unknown as Record<string, unknown>;
		expect(body.service_tier).toBe("default");
		expect(body.brand_new).toEqual({ v: 1 });
		expect(body).not.toHaveProperty("obfuscation");
		expect(
			Object.getPrototypeOf(
				add([chunk({}, JSON.parse('{"__proto__":{"x":1}}'))]),
			),
		).toBe(Object.prototype);
	});

	it("joins log probabilities per choice, and a deprecated function call", () => {
		const token = (t: string) => ({
			token: t,
			logprob: -0.1,
			bytes: null,
			top_logprobs: [],
		});
		const body = add([
			{
				...chunk({ content: "a" }),
				choices: [
					{
						index: 0,
						delta: { content: "a" },
						finish_reason: null,
						logprobs: { content: [token("a")], refusal: null },
					},
				],
			},
			{
				...chunk({}),
				choices: [
					{
						index: 0,
						delta: { function_call: { name: "look", arguments: '{"x"' } },
						finish_reason: null,
						logprobs: { content: [token("b")], refusal: null },
					},
				],
			},
			{
				...chunk({}),
				choices: [
					{
						index: 0,
						delta: { function_call: { name: "up", arguments: ":1}" } },
						finish_reason: "function_call",
					},
				],
			},
		]);
		const [choice] = body.choices;
		expect(choice?.logprobs?.content?.map((t) => t.token)).toEqual(["a", "b"]);
		expect(choice?.message.function_call).toEqual({
			name: "lookup",
			arguments: '{"x":1}',
		});
		expect(choice?.finish_reason).toBe("function_call");
	});

	it("names a finish reason when the stream named none: tool_calls with tool calls, else stop", () => {
		expect(add([chunk({ content: "a" })]).choices[0]?.finish_reason).toBe(
			"stop",
		);
		expect(
			add([
				chunk({
					tool_calls: [
						{ index: 0, id: "c", function: { name: "f", arguments: "{}" } },
					],
				}),
			]).choices[0]?.finish_reason,
		).toBe("tool_calls");
	});

	it.each([
		["__proto__", "choices[]"],
		[-1, "choices[]"],
		[1.5, "choices[]"],
		[128, "choices[]"],
		[4294967294, "choices[]"],
		["0", "choices[]"],
	])(
		"refuses a choice index of %j, touching no prototype and allocating nothing by it",
		(index, what) => {
			const aggregate = createAggregate();
			expect(() =>
				aggregate.add({
					...chunk({}),
					choices: [{ index, delta: { content: "x" }, finish_reason: null }],
				} as never),
			).toThrow(
				new RegExp(
					`${what.replace(/[[\]]/g, "\\$&")} index is not a whole number from 0 to 127`,
				),
			);
			expect(Object.keys(Array.prototype)).toEqual([]);
			expect(({} as Record<string, unknown>).content).toBeUndefined();
		},
	);

	it.each([["__proto__"], [-1], [0.5], [4294967294]])(
		"refuses a tool-call index of %j",
		(index) => {
			const aggregate = createAggregate();
			expect(() =>
				aggregate.add(
					chunk({
						tool_calls: [{ index, id: "c", function: { name: "f" } }],
					}) as never,
				),
			).toThrow(/tool_calls\[\] index is not a whole number/);
			expect(Object.keys(Array.prototype)).toEqual([]);
		},
	);

	it("assembles tool calls by index, joining their arguments across chunks", () => {
		const call = (index: number, fields: Record<string, unknown>) =>
			chunk({ tool_calls: [{ index, ...fields }] });
		const body = add([
			call(0, {
				id: "call_a",
				type: "function",
				function: { name: "lookup", arguments: "" },
			}),
			call(1, {
				id: "call_b",
				type: "function",
				function: { name: "fetch_record", arguments: '{"id"' },
			}),
			call(0, { function: { arguments: '{"code":' } }),
			call(0, { function: { arguments: '"A15"}' } }),
			call(1, { function: { arguments: ":7}" } }),
			{
				...chunk({}),
				choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }],
			},
		]);
		expect(body.choices[0]?.message).toEqual({
			role: "assistant",
			content: null,
			refusal: null,
			tool_calls: [
				{
					id: "call_a",
					type: "function",
					function: { name: "lookup", arguments: '{"code":"A15"}' },
				},
				{
					id: "call_b",
					type: "function",
					function: { name: "fetch_record", arguments: '{"id":7}' },
				},
			],
		});
		expect(body.choices[0]?.finish_reason).toBe("tool_calls");
	});

	it("keeps several choices apart and joins refusals", () => {
		const body = add([
			{
				...chunk({}),
				choices: [
					{ index: 1, delta: { content: "b" } },
					{ index: 0, delta: { refusal: "I can" } },
				],
			},
			{ ...chunk({}), choices: [{ index: 0, delta: { refusal: "not." } }] },
		]);
		expect(
			body.choices.map((c) => [c.index, c.message.content, c.message.refusal]),
		).toEqual([
			[0, null, "I cannot."],
			[1, "b", null],
		]);
	});

	it("gives zero usage and no choices for an empty stream", () => {
		expect(add([])).toMatchObject({ choices: [], usage: { total_tokens: 0 } });
	});
});
