/**
 * Post evaluators on whole calls against a node:http stub: a block refuses
 * the answer with the gateway's audit id, a flag is recorded, the other
 * plugins get onError, and per-call evaluators run after the client's.
 */
import { describe, expect, it } from "vitest";
import {
	EvaluationBlockedError,
	evaluate,
	evaluator,
	keywords,
	pii,
} from "../../src/evals.js";
import {
	type AtriumPlugin,
	type ChatCompletion,
	PolicyBlockedError,
} from "../../src/index.js";
import {
	CHAT,
	completionBody,
	GOVERNANCE_HEADERS,
	sendJSON,
	useStubs,
} from "../helpers/stub-server.js";
import { client, NIK } from "./helpers.js";

const serve = useStubs();
const answering = (content: string) =>
	serve((_req, res) => sendJSON(res, 200, completionBody(content)));

describe("a post evaluator on a whole call", () => {
	it("refuses a blocked answer with the gateway's audit id, and other plugins get onError", async () => {
		const stub = await answering("Diagnosis: bronkitis akut.");
		const log: string[] = [];
		const watcher: AtriumPlugin = {
			name: "watcher",
			onResponse: () => void log.push("onResponse"),
			onError: (_ctx, e) => void log.push(`onError:${e.name}`),
		};
		const error = await client(stub.url, {
			plugins: [
				watcher,
				evaluate([keywords({ deny: [/\bdiagnos(is|a)\b/i] })]),
			],
		})
			.chat.completions.create(CHAT)
			.catch((e: unknown) => e);
		expect(stub.requests).toHaveLength(1);
		expect(error).toBeInstanceOf(EvaluationBlockedError);
		expect(error).toBeInstanceOf(PolicyBlockedError);
		const blocked = error as EvaluationBlockedError;
		expect(blocked.audit_id).toBe("audit-stub-1");
		expect(blocked.governance.policy_decision).toBe("allowed");
		expect(blocked.attempts.map((a) => a.audit_id)).toEqual(["audit-stub-1"]);
		expect(blocked.message).toBe(
			'POST /chat/completions: the answer (audit id audit-stub-1) was refused: blocked by evaluator "keywords" (post): deny[0] in choice 0 at 0-9',
		);
		expect(blocked.evaluation).toMatchObject({
			name: "keywords",
			phase: "post",
			pass: false,
			label: "deny",
			audit_id: "audit-stub-1",
		});
		expect(log).toEqual(["onError:EvaluationBlockedError"]);
	});

	it("records a flag on the result and returns the answer", async () => {
		const stub = await answering(`NIK pasien ${NIK}`);
		const res = await client(stub.url, {
			plugins: [evaluate([pii({ phase: "post", action: "flag" })])],
		}).chat.completions.create(CHAT);
		expect(res.content).toBe(`NIK pasien ${NIK}`);
		expect(res.evaluations).toEqual([
			expect.objectContaining({
				name: "pii",
				phase: "post",
				pass: false,
				action: "flag",
				label: "NIK",
				reason: "NIK in choice 0 at 11-27",
				audit_id: "audit-stub-1",
			}),
		]);
		expect(Object.isFrozen(res.evaluations)).toBe(true);
	});

	it("gives the evaluator the output, the tool calls and the completion", async () => {
		const stub = await serve((_req, res) =>
			sendJSON(
				res,
				200,
				JSON.stringify({
					...JSON.parse(completionBody(null)),
					choices: [
						{
							index: 0,
							finish_reason: "tool_calls",
							message: {
								role: "assistant",
								content: null,
								tool_calls: [
									{
										id: "call_9",
										type: "function",
										function: { name: "lookup", arguments: `{"nik":"${NIK}"}` },
									},
								],
							},
						},
					],
				}),
			),
		);
		let seen: unknown;
		const error = await client(stub.url, {
			plugins: [
				evaluate([
					evaluator({
						name: "spy",
						phase: "post",
						evaluate: (input) => {
							seen = input;
							return { pass: true };
						},
					}),
					pii({ phase: "post" }),
				]),
			],
		})
			.chat.completions.create(CHAT)
			.catch((e: unknown) => e);
		expect(seen).toMatchObject({
			phase: "post",
			output: "",
			partial: false,
			toolCalls: [
				{ id: "call_9", name: "lookup", arguments: `{"nik":"${NIK}"}` },
			],
			segments: [{ choice: 0, tool_call: 0, text: `{"nik":"${NIK}"}` }],
		});
		expect((seen as { completion: ChatCompletion }).completion.id).toBe(
			"chatcmpl-stub",
		);
		expect((error as EvaluationBlockedError).evaluation.reason).toBe(
			"NIK in choice 0 tool call 0 at 8-24",
		);
	});
});

describe("per-call evaluators", () => {
	it("run after the client's before sending, and before the client's on the answer", async () => {
		const stub = await answering("fine");
		const order: string[] = [];
		const named = (name: string, phase: "pre" | "post") =>
			evaluator({
				name,
				phase,
				evaluate: () => {
					order.push(name);
					return { pass: true };
				},
			});
		const atrium = client(stub.url, {
			plugins: [
				evaluate([named("client-pre", "pre"), named("client-post", "post")]),
			],
		});
		const res = await atrium.chat.completions.create(CHAT, {
			plugins: [
				evaluate([named("call-pre", "pre"), named("call-post", "post")]),
			],
		});
		expect(order).toEqual([
			"client-pre",
			"call-pre",
			"call-post",
			"client-post",
		]);
		expect(res.evaluations.map((e) => e.name)).toEqual(order);
		// The client's plugins are unchanged for the next call.
		order.length = 0;
		await atrium.chat.completions.create(CHAT);
		expect(order).toEqual(["client-pre", "client-post"]);
	});

	it("see the request as the client's evaluators redacted it", async () => {
		const stub = await answering("fine");
		let seen = "";
		await client(stub.url, {
			plugins: [evaluate([pii({ phase: "pre", action: "redact" })])],
		}).chat.completions.create(
			{ ...CHAT, messages: [{ role: "user", content: `NIK ${NIK}` }] },
			{
				plugins: [
					evaluate([
						evaluator({
							name: "after",
							phase: "pre",
							evaluate: ({ text }) => {
								seen = text;
								return { pass: true };
							},
						}),
					]),
				],
			},
		);
		expect(seen).toBe("NIK [NIK]");
	});
});

describe("the gateway's own governance", () => {
	it("stays on the result beside the evaluations", async () => {
		const stub = await answering("ok");
		const res = await client(stub.url, {
			plugins: [evaluate([pii({ phase: "post" })])],
		}).chat.completions.create(CHAT);
		expect(res.governance.audit_id).toBe(
			GOVERNANCE_HEADERS["X-Monago-Audit-Id"],
		);
		expect(res.evaluations[0]?.audit_id).toBe("audit-stub-1");
	});
});
