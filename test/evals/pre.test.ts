/**
 * Pre evaluators against a node:http stub on 127.0.0.1: a block sends
 * nothing, a redaction sends the redacted text (and never changes the
 * caller's messages), a flag is recorded and the call goes on.
 */
import { describe, expect, it } from "vitest";
import {
	EvaluationBlockedError,
	evaluate,
	evaluator,
	isEvaluationBlockedError,
	pii,
} from "../../src/evals.js";
import {
	type ChatCompletionMessageParam,
	isPolicyBlockedError,
	PolicyBlockedError,
} from "../../src/index.js";
import {
	CHAT,
	completionBody,
	sendJSON,
	useStubs,
} from "../helpers/stub-server.js";
import { client, NIK } from "./helpers.js";

const serve = useStubs();
const answering = () =>
	serve((_req, res) => sendJSON(res, 200, completionBody("ok")));
const asking = (content: string) => ({
	...CHAT,
	messages: [{ role: "user" as const, content }],
});

describe("a pre evaluator that blocks", () => {
	it("sends nothing, and throws an EvaluationBlockedError that is a PolicyBlockedError", async () => {
		const stub = await answering();
		const error = await client(stub.url, {
			plugins: [evaluate([pii({ phase: "pre", action: "block" })])],
		})
			.chat.completions.create(asking(`Pasien NIK ${NIK} batuk`))
			.catch((e: unknown) => e);
		expect(stub.requests).toHaveLength(0);
		expect(error).toBeInstanceOf(EvaluationBlockedError);
		expect(error).toBeInstanceOf(PolicyBlockedError);
		expect(isPolicyBlockedError(error)).toBe(true);
		expect(isEvaluationBlockedError(error)).toBe(true);
		const blocked = error as EvaluationBlockedError;
		expect(blocked.name).toBe("EvaluationBlockedError");
		expect(blocked.message).toMatch(/nothing was sent \(no audit record\)/);
		expect(blocked.message).toMatch(/"pii".*NIK in message 0 at 11-27/);
		expect(blocked.message).not.toContain(NIK);
		expect(blocked.audit_id).toBeNull();
		expect(blocked.attempts).toEqual([]);
		expect(blocked.code).toBe("evaluation_blocked");
		expect(blocked.evaluation).toMatchObject({
			name: "pii",
			phase: "pre",
			pass: false,
			label: "NIK",
			action: "block",
			audit_id: null,
		});
		expect(blocked.evaluations).toEqual([blocked.evaluation]);
		expect(Object.isFrozen(blocked.evaluations)).toBe(true);
	});

	it("lets a clean request through, its verdict on the result", async () => {
		const stub = await answering();
		const res = await client(stub.url, {
			plugins: [evaluate([pii({ phase: "pre" })])],
		}).chat.completions.create(asking("Batuk dua minggu"));
		expect(stub.requests).toHaveLength(1);
		expect(res.evaluations).toHaveLength(1);
		expect(res.evaluations[0]).toMatchObject({
			name: "pii",
			pass: true,
			phase: "pre",
		});
		expect(res.evaluations[0]?.duration_ms).toBeGreaterThanOrEqual(0);
	});
});

describe("a pre evaluator that redacts", () => {
	it("sends the redacted text, and leaves the caller's messages as they were", async () => {
		const stub = await answering();
		const messages: ChatCompletionMessageParam[] = [
			{ role: "system", content: "Jawab singkat." },
			{
				role: "user",
				content: [
					{ type: "text", text: `NIK ${NIK}, mail budi@rs.co.id` },
					{ type: "image_url", image_url: { url: "https://x.test/a.png" } },
					{ type: "text", text: "hp 0812 3456 7890" },
				],
			},
			{
				role: "assistant",
				content: null,
				tool_calls: [
					{
						id: "call_1",
						type: "function",
						function: { name: "lookup", arguments: `{"nik":"${NIK}"}` },
					},
				],
			},
			{ role: "tool", tool_call_id: "call_1", content: `found ${NIK}` },
		];
		const before = structuredClone(messages);
		const res = await client(stub.url, {
			plugins: [evaluate([pii({ phase: "pre", action: "redact" })])],
		}).chat.completions.create({ ...CHAT, messages });
		const sent = JSON.parse(stub.requests[0]?.body ?? "{}");
		expect(sent.messages).toEqual([
			{ role: "system", content: "Jawab singkat." },
			{
				role: "user",
				content: [
					{ type: "text", text: "NIK [NIK], mail [EMAIL]" },
					{ type: "image_url", image_url: { url: "https://x.test/a.png" } },
					{ type: "text", text: "hp [PHONE]" },
				],
			},
			{
				role: "assistant",
				content: null,
				tool_calls: [
					{
						id: "call_1",
						type: "function",
						function: { name: "lookup", arguments: '{"nik":"[NIK]"}' },
					},
				],
			},
			{ role: "tool", tool_call_id: "call_1", content: "found [NIK]" },
		]);
		expect(messages).toEqual(before);
		expect(res.evaluations[0]).toMatchObject({
			name: "pii",
			pass: false,
			action: "redact",
			label: "NIK,EMAIL,PHONE",
		});
	});

	it("merges overlapping redactions from two evaluators into one", async () => {
		const stub = await answering();
		const span = (label: string, start: number, end: number) =>
			evaluator({
				name: label,
				phase: "pre",
				action: "redact",
				evaluate: () => ({
					pass: false,
					redactions: [{ segment: 0, start, end, label }],
				}),
			});
		await client(stub.url, {
			plugins: [evaluate([span("A", 0, 6), span("B", 4, 10)])],
		}).chat.completions.create(asking("0123456789tail"));
		expect(JSON.parse(stub.requests[0]?.body ?? "{}").messages[0].content).toBe(
			"[A]tail",
		);
	});
});

describe("a pre evaluator that flags", () => {
	it("records the finding and sends the request unchanged", async () => {
		const stub = await answering();
		const res = await client(stub.url, {
			plugins: [
				evaluate([pii({ phase: "pre", action: "flag", detect: ["NIK"] })]),
			],
		}).chat.completions.create(asking(`NIK ${NIK}`));
		expect(JSON.parse(stub.requests[0]?.body ?? "{}").messages[0].content).toBe(
			`NIK ${NIK}`,
		);
		expect(res.evaluations).toEqual([
			expect.objectContaining({ pass: false, action: "flag", label: "NIK" }),
		]);
	});
});
