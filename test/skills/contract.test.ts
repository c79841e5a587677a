/**
 * The loop's requests against the Prism mock of openapi/atrium.yaml: after a
 * step of tool calls (scripted by the test kit, as Prism cannot script one),
 * the next request (tools with their JSON Schemas, the assistant message
 * echoed back, tool messages, a system message) passes the spec's request
 * validation: no `sl-violations`.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Atrium, type Fetch } from "../../src/index.js";
import {
	defineSkill,
	defineTool,
	runTools,
	USE_SKILL,
} from "../../src/skills.js";
import { mockGateway, reply } from "../../src/testing.js";
import { usePrism } from "../helpers/prism.js";
import { BODY, lookupTool } from "./helpers.js";

const prism = usePrism();

describe("contract: the loop's requests against the Prism mock", () => {
	it("sends tools, echoed assistant messages and tool messages the spec accepts", async () => {
		const kit = mockGateway([
			reply.toolCalls([
				{ name: "lookup_patient", arguments: { mrn: "MRN-1" } },
				{ name: USE_SKILL, arguments: { name: "lab-results" } },
				{ name: "order_test", arguments: { code: "CBC" } },
			]),
		]);
		const violations: (string | null)[] = [];
		const sent: unknown[] = [];
		let calls = 0;
		const fetch: Fetch = async (url, init) => {
			if (calls++ === 0) return kit.fetch(url, init);
			sent.push(JSON.parse(String(init?.body)));
			const response = await globalThis.fetch(url, init);
			violations.push(response.headers.get("sl-violations"));
			return response;
		};
		const client = new Atrium({
			apiKey: "sk-mng-contract",
			baseURL: prism.url,
			maxRetries: 0,
			fetch,
		});
		const orderTest = defineTool({
			name: "order_test",
			description: "Order a laboratory test",
			parameters: z.object({
				code: z.enum(["CBC", "LFT"]),
				urgent: z.boolean().optional(),
			}),
			run: ({ code }) => `ordered ${code}`,
		});
		const lab = defineSkill({
			name: "lab-results",
			description: "Read laboratory results",
			instructions: "Report values with their units.",
			resources: { "references/units.md": "mmol/L" },
		});
		const result = await runTools(client, BODY, {
			tools: [lookupTool(), orderTest],
			skills: [lab],
			instructions: "You assist ward nurses.",
		});
		expect(violations).toEqual([null]);
		expect(sent).toHaveLength(1);
		const body = sent[0] as { messages: { role: string }[]; tools: unknown[] };
		expect(body.messages.map((m) => m.role)).toEqual([
			"system",
			"user",
			"assistant",
			"tool",
			"tool",
			"tool",
		]);
		expect(body.tools).toHaveLength(4);
		expect(result.steps.map((s) => s.kind)).toEqual([
			"model",
			"tool",
			"tool",
			"tool",
			"model",
		]);
		expect(result.content).not.toBe("");
	});
});
