/**
 * The loop on the wire, against a node:http gateway stub on 127.0.0.1: the
 * assistant message echoed back exactly as it came, valid tool messages, the
 * run's metadata in headers, and a streamed run (tool-call deltas split over
 * chunks, then the answer) with every chunk given to onChunk as it arrives.
 */
import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { Atrium, type ChatCompletionChunk } from "../../src/index.js";
import { defineTool, runTools } from "../../src/skills.js";
import { chunk, data } from "../helpers/sse.js";
import {
	GOVERNANCE_HEADERS,
	sendJSON,
	useStubs,
} from "../helpers/stub-server.js";
import { BODY, lookupTool } from "./helpers.js";

const serve = useStubs();

const client = (url: string) =>
	new Atrium({
		apiKey: "sk-mng-wire",
		baseURL: url,
		maxRetries: 0,
		logLevel: "off",
	});

/** The assistant message of the first answer, with fields a model sends beside the tool calls. */
const ASSISTANT = {
	role: "assistant",
	content: "Saya cek dulu.",
	refusal: null,
	annotations: [],
	tool_calls: [
		{
			id: "call_w1",
			type: "function",
			function: { name: "lookup_patient", arguments: '{"mrn": "MRN-1"}' },
		},
		{
			id: "call_w2",
			type: "function",
			function: { name: "lookup_patient", arguments: '{"mrn":"MRN-2"}' },
		},
	],
};

function completion(message: unknown, finish: string, audit: string) {
	return [
		JSON.stringify({
			id: `chatcmpl-${audit}`,
			object: "chat.completion",
			created: 1763971200,
			model: "gpt-5.4-mini",
			choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
			usage: { prompt_tokens: 20, completion_tokens: 7, total_tokens: 27 },
		}),
		{ ...GOVERNANCE_HEADERS, "X-Monago-Audit-Id": audit },
	] as const;
}

describe("runTools on the wire", () => {
	it("echoes the assistant message back byte for byte and answers each call with a valid tool message", async () => {
		const stub = await serve((_req, res, _seen, index) => {
			const [body, headers] =
				index === 0
					? completion(ASSISTANT, "tool_calls", "audit-w-1")
					: completion(
							{ role: "assistant", content: "Dua pasien ditemukan." },
							"stop",
							"audit-w-2",
						);
			sendJSON(res, 200, body, headers);
		});
		const result = await runTools(client(stub.url), BODY, {
			tools: [lookupTool()],
			metadata: { session_id: "visit-9" },
		});
		expect(stub.requests).toHaveLength(2);
		const first = JSON.parse(stub.requests[0]?.body ?? "{}");
		expect(Object.keys(first).sort()).toEqual(["messages", "model", "tools"]);
		const second = JSON.parse(stub.requests[1]?.body ?? "{}");
		expect(second.messages).toEqual([
			...BODY.messages,
			ASSISTANT,
			{
				role: "tool",
				tool_call_id: "call_w1",
				content: '{"mrn":"MRN-1","name":"Pasien A","ward":"Paru"}',
			},
			{
				role: "tool",
				tool_call_id: "call_w2",
				content: '{"mrn":"MRN-2","name":"Pasien A","ward":"Paru"}',
			},
		]);
		expect(second.tools).toEqual([
			{
				type: "function",
				function: {
					name: "lookup_patient",
					description: "Find a patient's record by medical record number",
					parameters: lookupTool().jsonSchema,
				},
			},
		]);
		for (const [index, request] of stub.requests.entries()) {
			expect(request.headers["x-monago-session-id"]).toBe("visit-9");
			expect(JSON.parse(String(request.headers["x-monago-metadata"]))).toEqual({
				run_id: result.run_id,
				step: String(index + 1),
			});
			expect(request.headers["idempotency-key"]).toBeTruthy();
		}
		expect(stub.requests[0]?.headers["idempotency-key"]).not.toBe(
			stub.requests[1]?.headers["idempotency-key"],
		);
		expect(result.audit_ids).toEqual(["audit-w-1", "audit-w-2"]);
		expect(result.cost_idr).toBe(7);
		expect(result.usage).toEqual({
			prompt_tokens: 40,
			completion_tokens: 14,
			total_tokens: 54,
		});
	});

	it("streams every model call when the body says stream: true, giving onChunk each chunk as it arrives", async () => {
		const write = (res: ServerResponse, events: unknown[]) => {
			res.writeHead(200, {
				"Content-Type": "text/event-stream",
				...GOVERNANCE_HEADERS,
			});
			for (const event of events) res.write(data(event));
			res.end("data: [DONE]\n\n");
		};
		const stub = await serve((_req, res, _seen, index) => {
			if (index === 0) {
				write(res, [
					chunk({
						role: "assistant",
						tool_calls: [
							{
								index: 0,
								id: "call_s1",
								type: "function",
								function: { name: "lookup_patient", arguments: '{"mr' },
							},
						],
					}),
					chunk({
						tool_calls: [{ index: 0, function: { arguments: 'n":"MRN-1"}' } }],
					}),
					{
						...chunk({}),
						choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }],
					},
				]);
			} else {
				write(res, [
					chunk({ role: "assistant", content: "Rujuk " }),
					chunk({ content: "ke poli paru." }),
					{
						...chunk({}),
						choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
					},
				]);
			}
		});
		const seen: string[] = [];
		const chunks: [number, ChatCompletionChunk][] = [];
		const tool = lookupTool(seen);
		const result = await runTools(
			client(stub.url),
			{ ...BODY, stream: true },
			{ tools: [tool], onChunk: (c, info) => void chunks.push([info.step, c]) },
		);
		expect(seen).toEqual(["MRN-1"]);
		expect(chunks.map(([step]) => step)).toEqual([1, 1, 1, 2, 2, 2]);
		const text = chunks
			.filter(([step]) => step === 2)
			.map(([, c]) => c.choices[0]?.delta?.content ?? "");
		expect(text.join("")).toBe("Rujuk ke poli paru.");
		expect(result.content).toBe("Rujuk ke poli paru.");
		const second = JSON.parse(stub.requests[1]?.body ?? "{}");
		expect(second.stream).toBe(true);
		expect(second.messages[1]).toMatchObject({
			role: "assistant",
			tool_calls: [
				{
					id: "call_s1",
					type: "function",
					function: { name: "lookup_patient", arguments: '{"mrn":"MRN-1"}' },
				},
			],
		});
		expect(second.messages[2]).toEqual({
			role: "tool",
			tool_call_id: "call_s1",
			content: '{"mrn":"MRN-1","name":"Pasien A","ward":"Paru"}',
		});
	});

	it("ends the run with what onChunk throws, closing the stream", async () => {
		const stub = await serve((_req, res) => {
			res.writeHead(200, {
				"Content-Type": "text/event-stream",
				...GOVERNANCE_HEADERS,
			});
			res.write(data(chunk({ role: "assistant", content: "a" })));
			res.write(data(chunk({ content: "b" })));
			res.end("data: [DONE]\n\n");
		});
		const stop = new Error("the user left");
		const never = defineTool({
			name: "never",
			parameters: { type: "object" },
			run: () => "",
		});
		await expect(
			runTools(
				client(stub.url),
				{ ...BODY, stream: true },
				{
					tools: [never],
					onChunk: () => {
						throw stop;
					},
				},
			),
		).rejects.toBe(stop);
	});
});
