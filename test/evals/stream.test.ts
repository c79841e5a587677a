/**
 * Post evaluators on streams, against a node:http SSE stub: with the
 * blocked pattern split at every offset of the chunks, nothing of it is
 * delivered; what passes arrives whole and in order; tool calls wait for
 * the end; an evaluator of the whole answer decides before [DONE].
 */
import { describe, expect, it } from "vitest";
import {
	EvaluationBlockedError,
	EvaluatorError,
	evaluate,
	evaluator,
	keywords,
	pii,
} from "../../src/evals.js";
import { type AtriumPlugin, PolicyBlockedError } from "../../src/index.js";
import { chunk, data } from "../helpers/sse.js";
import { CHAT, GOVERNANCE_HEADERS, useStubs } from "../helpers/stub-server.js";
import { client, drain, NIK, USAGE, writeSSE } from "./helpers.js";

const serve = useStubs();
const BODY = { ...CHAT, stream: true as const };
const filler = (n: number) =>
	"Pasien batuk dua minggu, kontrol ulang. ".repeat(n);

/** A stub that streams whatever pieces the test set last. */
async function streamingStub() {
	const state = { pieces: [] as string[] };
	const stub = await serve((_req, res) => writeSSE(res, state.pieces));
	return { stub, state };
}

/** Every way to cut a text in two, and in runs of `size` characters at every phase. */
function chunkings(text: string): string[][] {
	const out: string[][] = [];
	for (let at = 1; at < text.length; at++)
		out.push([text.slice(0, at), text.slice(at)]);
	for (const size of [1, 3, 7]) {
		for (let phase = 0; phase < size; phase++) {
			const pieces = [text.slice(0, phase)];
			for (let i = phase; i < text.length; i += size)
				pieces.push(text.slice(i, i + size));
			out.push(pieces.filter((p) => p !== ""));
		}
	}
	return out;
}

describe("a stream with a blocked pattern", () => {
	const cases = [
		{
			name: "a NIK",
			pattern: NIK,
			plugin: () => evaluate([pii({ phase: "post" })]),
		},
		{
			name: "a deny pattern",
			pattern: "Diagnosa",
			plugin: () => evaluate([keywords({ deny: [/\bdiagnos(is|a)\b/i] })]),
		},
	];
	for (const { name, pattern, plugin } of cases) {
		it(`delivers nothing of ${name} split at every offset, and stops with EvaluationBlockedError`, async () => {
			const { stub, state } = await streamingStub();
			const text = `${filler(4)}${pattern} tercatat. ${filler(2)}`;
			const start = text.indexOf(pattern);
			const atrium = client(stub.url, { plugins: [plugin()] });
			let runs = 0;
			for (const pieces of chunkings(text)) {
				state.pieces = pieces;
				const stream = await atrium.chat.completions.create(BODY);
				const { text: got, error } = await drain(stream);
				expect(error).toBeInstanceOf(EvaluationBlockedError);
				expect(error).toBeInstanceOf(PolicyBlockedError);
				expect(text.startsWith(got)).toBe(true);
				expect(got.length).toBeLessThanOrEqual(start);
				// The text before the pattern flowed: the stream was not held whole.
				if (pieces.length > 3)
					expect(got.length).toBeGreaterThan(start - 64 - 8);
				expect((error as EvaluationBlockedError).audit_id).toBe("audit-stub-1");
				expect(stream.evaluations).toHaveLength(1);
				runs++;
			}
			expect(runs).toBe(text.length - 1 + 1 + 3 + 7);
		}, 60_000);
	}

	it("with holdBack 0, shows the beginning of a pattern split across chunks (the documented trade-off)", async () => {
		const { stub, state } = await streamingStub();
		state.pieces = [`NIK ${NIK.slice(0, 8)}`, `${NIK.slice(8)} ok`];
		const stream = await client(stub.url, {
			plugins: [evaluate([pii({ phase: "post" })], { holdBack: 0 })],
		}).chat.completions.create(BODY);
		const { text, error } = await drain(stream);
		expect(error).toBeInstanceOf(EvaluationBlockedError);
		expect(text).toBe(`NIK ${NIK.slice(0, 8)}`);
	});
});

describe("a stream that passes", () => {
	it("arrives whole and in order: role first, text, finish, usage, ids and model kept", async () => {
		const { stub, state } = await streamingStub();
		const text = filler(5);
		state.pieces = text.match(/.{1,13}/gs) ?? [];
		const stream = await client(stub.url, {
			plugins: [
				evaluate([pii({ phase: "post" }), keywords({ deny: ["resep"] })]),
			],
		}).chat.completions.create(BODY);
		const { chunks, text: got, error } = await drain(stream);
		expect(error).toBeUndefined();
		expect(got).toBe(text);
		expect(chunks[0]?.choices[0]?.delta).toEqual({
			role: "assistant",
			content: "",
		});
		expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe("stop");
		expect(chunks.at(-1)?.usage?.total_tokens).toBe(5);
		expect(chunks.filter((c) => c.usage)).toHaveLength(1);
		expect(chunks.filter((c) => c.choices[0]?.finish_reason)).toHaveLength(1);
		for (const c of chunks) {
			expect(c.id).toBe("chatcmpl-s");
			expect(c.model).toBe("gpt-5.4-mini");
		}
		const done = await stream.finalCompletion();
		expect(done.content).toBe(text);
		expect(done.evaluations.map((e) => [e.name, e.pass])).toEqual([
			["pii", true],
			["keywords", true],
		]);
		expect(stream.evaluations).toBe(done.evaluations);
	});

	it("records a flag once, when it is found, and delivers everything", async () => {
		const { stub, state } = await streamingStub();
		state.pieces = [filler(1), `NIK ${NIK}`, filler(3)];
		const stream = await client(stub.url, {
			plugins: [evaluate([pii({ phase: "post", action: "flag" })])],
		}).chat.completions.create(BODY);
		const { text } = await drain(stream);
		expect(text).toBe(state.pieces.join(""));
		expect(stream.evaluations).toEqual([
			expect.objectContaining({
				name: "pii",
				pass: false,
				action: "flag",
				label: "NIK",
			}),
		]);
	});
});

describe("evaluators of the whole answer on a stream", () => {
	it("decide before [DONE]; the caller has seen all but the last holdBack characters", async () => {
		const { stub, state } = await streamingStub();
		const text = filler(4);
		state.pieces = text.match(/.{1,10}/gs) ?? [];
		const seenAtEnd: number[] = [];
		const stream = await client(stub.url, {
			plugins: [
				evaluate([
					evaluator({
						name: "whole",
						phase: "post",
						evaluate: ({ output, partial }) => {
							seenAtEnd.push(partial ? -1 : output.length);
							return { pass: false, reason: "no" };
						},
					}),
				]),
			],
		}).chat.completions.create(BODY);
		const { text: got, error } = await drain(stream);
		expect(seenAtEnd).toEqual([text.length]);
		expect(error).toBeInstanceOf(EvaluationBlockedError);
		expect(got).toBe(text.slice(0, text.length - 64));
		expect((error as Error).message).toMatch(
			/the text held back was not delivered/,
		);
	});

	it("with holdBack Infinity, deliver nothing before they pass", async () => {
		const { stub, state } = await streamingStub();
		state.pieces = [filler(2), filler(2)];
		const stream = await client(stub.url, {
			plugins: [
				evaluate(
					[
						evaluator({
							name: "no",
							phase: "post",
							evaluate: () => ({ pass: false }),
						}),
					],
					{ holdBack: Number.POSITIVE_INFINITY },
				),
			],
		}).chat.completions.create(BODY);
		const { chunks, error } = await drain(stream);
		expect(error).toBeInstanceOf(EvaluationBlockedError);
		// Only the role chunk, which has no text.
		expect(chunks.map((c) => c.choices[0]?.delta?.content)).toEqual([""]);
	});
});

describe("tool calls on a stream", () => {
	it("wait for the end; a NIK in the arguments blocks before any tool-call chunk is delivered", async () => {
		const stub = await serve((_req, res) => {
			res.writeHead(200, {
				"Content-Type": "text/event-stream",
				...GOVERNANCE_HEADERS,
			});
			res.write(data(chunk({ role: "assistant", content: "Saya cek. " })));
			const call = (args: string, first: boolean) =>
				chunk({
					tool_calls: [
						{
							index: 0,
							...(first ? { id: "call_1", type: "function" } : {}),
							function: {
								...(first ? { name: "lookup" } : {}),
								arguments: args,
							},
						},
					],
				});
			res.write(data(call(`{"nik":"${NIK.slice(0, 5)}`, true)));
			res.write(data(call(`${NIK.slice(5)}"}`, false)));
			res.write(data(USAGE));
			res.end("data: [DONE]\n\n");
		});
		const log: string[] = [];
		const watcher: AtriumPlugin = {
			name: "watcher",
			onChunk: (_ctx, c) =>
				void log.push(c.choices[0]?.delta?.tool_calls ? "tool" : "text"),
		};
		const stream = await client(stub.url, {
			plugins: [watcher, evaluate([pii({ phase: "post" })], { holdBack: 0 })],
		}).chat.completions.create(BODY);
		const { chunks, error } = await drain(stream);
		expect(error).toBeInstanceOf(EvaluationBlockedError);
		expect((error as EvaluationBlockedError).evaluation.reason).toBe(
			"NIK in choice 0 tool call 0 at 8-24",
		);
		expect(chunks.some((c) => c.choices[0]?.delta?.tool_calls)).toBe(false);
		expect(log).toEqual(["text"]);
	});
});

describe("an incremental evaluator that throws while a stream flows", () => {
	const flaky = (failOpen: boolean) =>
		evaluator({
			name: "flaky",
			phase: "post",
			incremental: true,
			failOpen,
			evaluate: ({ output }) => {
				if (output.length > 100) throw new Error("index offline");
				return { pass: true };
			},
		});

	it("ends the stream with EvaluatorError, the held text undelivered (fail closed)", async () => {
		const { stub, state } = await streamingStub();
		state.pieces = [filler(2), filler(2), filler(2)];
		const stream = await client(stub.url, {
			plugins: [evaluate([flaky(false)])],
		}).chat.completions.create(BODY);
		const { text, error } = await drain(stream);
		expect(error).toBeInstanceOf(EvaluatorError);
		// What the first chunk cleared, and nothing after it.
		const first = state.pieces[0] as string;
		expect(text).toBe(first.slice(0, first.length - 64));
		expect(stream.evaluations).toEqual([
			expect.objectContaining({
				name: "flaky",
				label: "error",
				action: "block",
			}),
		]);
	});

	it("is recorded once and the stream goes on (fail open)", async () => {
		const { stub, state } = await streamingStub();
		state.pieces = [filler(2), filler(2), filler(2)];
		const stream = await client(stub.url, {
			plugins: [evaluate([flaky(true)])],
		}).chat.completions.create(BODY);
		const { text, error } = await drain(stream);
		expect(error).toBeUndefined();
		expect(text).toBe(state.pieces.join(""));
		expect(stream.evaluations).toEqual([
			expect.objectContaining({
				name: "flaky",
				label: "error",
				action: "flag",
			}),
		]);
	});
});
