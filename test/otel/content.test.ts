/**
 * Content capture: off by default; when opted in (option or env), the
 * request's messages and the gateway's answer on the span in the shape of
 * the GenAI conventions' message JSON schemas, bounded in length.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import {
	Atrium,
	type ChatCompletionMessageParam,
	type ChatCompletionTool,
} from "../../src/index.js";
import { type OtelOptions, otel } from "../../src/otel.js";
import { useTelemetry } from "../helpers/otel.js";
import { CHAT, sendJSON, useStubs } from "../helpers/stub-server.js";

const telemetry = useTelemetry();
const serve = useStubs();

afterEach(() => {
	vi.unstubAllEnvs();
});

/** What the gateway returns: the PII already redacted, and a tool call. */
const ANSWER = {
	id: "chatcmpl-c",
	object: "chat.completion",
	created: 1763971200,
	model: "gpt-5.4-mini",
	choices: [
		{
			index: 0,
			message: {
				role: "assistant",
				content: "Pasien [NIK] perlu rontgen.",
				tool_calls: [
					{
						id: "call_1",
						type: "function",
						function: { name: "book_xray", arguments: '{"urgent":true}' },
					},
				],
			},
			finish_reason: "tool_calls",
		},
	],
	usage: { prompt_tokens: 9, completion_tokens: 5, total_tokens: 14 },
};

async function traced(
	options: OtelOptions | undefined,
	messages: ChatCompletionMessageParam[] = CHAT.messages,
	tools?: ChatCompletionTool[],
) {
	const stub = await serve((_req, res) =>
		sendJSON(res, 200, JSON.stringify(ANSWER)),
	);
	const client = new Atrium({
		apiKey: "sk-mng-otel-content",
		baseURL: stub.url,
		logLevel: "off",
		plugins: [otel({ tracerProvider: telemetry.tracerProvider, ...options })],
	});
	await client.chat.completions.create({
		model: CHAT.model,
		messages,
		...(tools ? { tools } : {}),
	});
	const [span] = telemetry.finished();
	return span?.attributes ?? {};
}

const json = (value: unknown) => JSON.parse(String(value));

describe("content capture", () => {
	it("is off by default: no message, no tool definition on the span", async () => {
		const attributes = await traced(undefined);
		for (const name of [
			"gen_ai.input.messages",
			"gen_ai.output.messages",
			"gen_ai.tool.definitions",
		]) {
			expect(attributes[name]).toBeUndefined();
		}
		expect(JSON.stringify(attributes)).not.toContain("hello");
		expect(JSON.stringify(attributes)).not.toContain("rontgen");
	});

	it("stays off when the env variable is anything but true", async () => {
		vi.stubEnv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "1");
		expect((await traced(undefined))["gen_ai.input.messages"]).toBeUndefined();
	});

	it("records input and output in the conventions' JSON shape when opted in", async () => {
		const attributes = await traced(
			{ captureContent: true },
			[
				{ role: "system", content: "Jawab singkat." },
				{
					role: "user",
					content: [
						{ type: "text", text: "NIK 3201010101010001, rontgen?" },
						{
							type: "image_url",
							image_url: { url: "data:image/png;base64,iVBORw0KGgo=" },
						},
						{
							type: "image_url",
							image_url: { url: "https://example.test/x.png" },
						},
					],
				},
				{
					role: "assistant",
					content: null,
					tool_calls: [
						{
							id: "call_0",
							type: "function",
							function: { name: "lookup", arguments: '{"id":7}' },
						},
					],
				},
				{ role: "tool", tool_call_id: "call_0", content: "found" },
			],
			[
				{
					type: "function",
					function: {
						name: "book_xray",
						description: "Books an X-ray",
						parameters: { type: "object" },
					},
				},
			],
		);
		expect(json(attributes["gen_ai.input.messages"])).toEqual([
			{ role: "system", parts: [{ type: "text", content: "Jawab singkat." }] },
			{
				role: "user",
				parts: [
					{ type: "text", content: "NIK 3201010101010001, rontgen?" },
					{
						type: "blob",
						modality: "image",
						mime_type: "image/png",
						content: "iVBORw0KGgo=",
					},
					{ type: "uri", modality: "image", uri: "https://example.test/x.png" },
				],
			},
			{
				role: "assistant",
				parts: [
					{
						type: "tool_call",
						id: "call_0",
						name: "lookup",
						arguments: { id: 7 },
					},
				],
			},
			{
				role: "tool",
				parts: [
					{ type: "tool_call_response", id: "call_0", response: "found" },
				],
			},
		]);
		// The output is what the gateway returned: redacted, never the input.
		expect(json(attributes["gen_ai.output.messages"])).toEqual([
			{
				role: "assistant",
				parts: [
					{ type: "text", content: "Pasien [NIK] perlu rontgen." },
					{
						type: "tool_call",
						id: "call_1",
						name: "book_xray",
						arguments: { urgent: true },
					},
				],
				finish_reason: "tool_call",
			},
		]);
		expect(json(attributes["gen_ai.tool.definitions"])).toEqual([
			{ type: "function", name: "book_xray" },
		]);
		expect(attributes["gen_ai.response.finish_reasons"]).toEqual([
			"tool_calls",
		]);
		expect(attributes["monago.atrium.content_truncated"]).toBeUndefined();
	});

	it("is turned on by OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true", async () => {
		vi.stubEnv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true");
		const attributes = await traced(undefined);
		expect(json(attributes["gen_ai.input.messages"])).toEqual([
			{ role: "user", parts: [{ type: "text", content: "hello" }] },
		]);
		expect(attributes["gen_ai.output.messages"]).toBeTypeOf("string");
	});

	it("records only the output when asked, so the request's personal data stays out", async () => {
		vi.stubEnv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true");
		const attributes = await traced({ captureContent: { output: true } }, [
			{ role: "user", content: "NIK 3201010101010001" },
		]);
		expect(attributes["gen_ai.input.messages"]).toBeUndefined();
		expect(JSON.stringify(attributes)).not.toContain("3201010101010001");
		expect(json(attributes["gen_ai.output.messages"])[0].parts[0].content).toBe(
			"Pasien [NIK] perlu rontgen.",
		);
	});

	it("keeps the newest messages within maxContentLength, cutting the one that does not fit, as valid JSON", async () => {
		const messages: ChatCompletionMessageParam[] = [
			{ role: "user", content: `oldest ${"a".repeat(3000)}` },
			{ role: "assistant", content: `middle ${"b".repeat(3000)}` },
			{ role: "user", content: `newest ${"c".repeat(100)}` },
		];
		const attributes = await traced(
			{ captureContent: true, maxContentLength: 1000 },
			messages,
		);
		const input = String(attributes["gen_ai.input.messages"]);
		expect(input.length).toBeLessThanOrEqual(1000);
		const parsed = json(input);
		expect(parsed.map((m: { role: string }) => m.role)).toEqual([
			"assistant",
			"user",
		]);
		expect(parsed[1].parts[0].content).toBe(`newest ${"c".repeat(100)}`);
		expect(parsed[0].parts[0].content).toMatch(/^middle b+…$/);
		expect(attributes["monago.atrium.content_truncated"]).toBe(true);
	});

	it("bounds an answer of any size, escapes and all", async () => {
		const stub = await serve((_req, res) =>
			sendJSON(
				res,
				200,
				JSON.stringify({
					...ANSWER,
					choices: Array.from({ length: 50 }, (_, index) => ({
						index,
						message: {
							role: "assistant",
							content: `"\u0000\\`.repeat(20_000),
							tool_calls: [
								{
									id: "c",
									type: "function",
									function: { name: "f", arguments: "{".repeat(100_000) },
								},
							],
						},
						finish_reason: "stop",
					})),
				}),
			),
		);
		const client = new Atrium({
			apiKey: "sk-mng-otel-content",
			baseURL: stub.url,
			logLevel: "off",
			plugins: [
				otel({
					tracerProvider: telemetry.tracerProvider,
					captureContent: true,
					maxContentLength: 2048,
				}),
			],
		});
		await client.chat.completions.create(CHAT);
		const attributes = telemetry.finished()[0]?.attributes ?? {};
		const output = String(attributes["gen_ai.output.messages"]);
		expect(output.length).toBeLessThanOrEqual(2048);
		const parsed = json(output);
		expect(parsed.length).toBeGreaterThanOrEqual(1);
		expect(parsed[0].finish_reason).toBe("stop");
		expect(attributes["monago.atrium.content_truncated"]).toBe(true);
	});

	it("refuses malformed options, naming the option", () => {
		expect(() => otel({ maxContentLength: 10 })).toThrow(/maxContentLength/);
		expect(() => otel({ captureContent: "yes" as never })).toThrow(
			/captureContent/,
		);
		expect(() => otel({ tracerProvider: {} as never })).toThrow(
			/tracerProvider/,
		);
		expect(() => otel({ providerName: "" })).toThrow(/providerName/);
	});
});
