/**
 * Contract: the metadata and plugin-added headers the SDK sends pass Prism's
 * validation of the spec's request header parameters, and a header that
 * breaks the spec's rules is reported by Prism (so the check can fail).
 */
import { describe, expect, it } from "vitest";
import { Atrium, type AtriumPlugin, type Fetch } from "../../src/index.js";
import { usePrism } from "../helpers/prism.js";

const prism = usePrism();
const KEY = "sk-mng-contract-metadata";
const BODY = {
	model: "gpt-5.4-mini",
	messages: [{ role: "user" as const, content: "Batuk dua minggu" }],
};

describe("metadata headers against the spec", () => {
	it("pass Prism's request validation, Unicode values and plugin-added trace context included", async () => {
		const violations: (string | null)[] = [];
		const fetch: Fetch = async (url, init) => {
			const response = await globalThis.fetch(url, init);
			violations.push(response.headers.get("sl-violations"));
			return response;
		};
		const trace: AtriumPlugin = {
			name: "trace",
			onRequest(ctx) {
				ctx.headers.traceparent =
					"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
			},
		};
		const client = new Atrium({
			apiKey: KEY,
			baseURL: prism.url,
			maxRetries: 0,
			fetch,
			metadata: { user_id: "dr-123", department: "cardiology" },
			plugins: [trace],
		});
		const res = await client.chat.completions.create(BODY, {
			metadata: {
				session_id: "visit-10",
				ward: "Poli Jantung — 心臓",
				run_id: "r-1",
			},
		});
		expect(violations).toEqual([null]);
		expect(res.metadata).toEqual({
			user_id: "dr-123",
			department: "cardiology",
			session_id: "visit-10",
			ward: "Poli Jantung — 心臓",
			run_id: "r-1",
		});
	});

	it("are reported by Prism when a raw request breaks the spec's header rules", async () => {
		const response = await globalThis.fetch(`${prism.url}/chat/completions`, {
			method: "POST",
			headers: {
				Authorization: `Bearer ${KEY}`,
				"Content-Type": "application/json",
				"X-Monago-User-Id": "u".repeat(300),
				"X-Monago-Metadata": "not json",
			},
			body: JSON.stringify(BODY),
		});
		await response.body?.cancel();
		const violations = response.headers.get("sl-violations") ?? "";
		expect(violations).toContain("x-monago-user-id");
		expect(violations).toContain("x-monago-metadata");
	});
});
