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
				},
			],
			usage,
		});
	});

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
