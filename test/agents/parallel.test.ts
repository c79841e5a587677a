/**
 * Parallel branches on the wire (a node:http stub on 127.0.0.1): both
 * branches' requests reach the gateway before either is answered; a block
 * in one branch aborts the other's request in flight; the caller's abort
 * aborts both. Every request carries the run's id and its agent.
 */
import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { agentRunOf, parallel, run } from "../../src/agents.js";
import { AbortError, Atrium, PIIBlockedError } from "../../src/index.js";
import {
	completionBody,
	GOVERNANCE_HEADERS,
	sendJSON,
	useStubs,
} from "../helpers/stub-server.js";
import { agent, deferred, metadataOf, rejection } from "./helpers.js";

const serve = useStubs();

/** A stub that holds every request until `expected` arrived, then lets `answer` decide for each. */
async function holdingStub(
	expected: number,
	answer: (agent: string, res: ServerResponse) => void,
) {
	const held: { agent: string; res: ServerResponse }[] = [];
	// Per agent: settles when its connection closes, true when it was never answered.
	const unanswered = new Map<string, Promise<boolean>>();
	const stub = await serve((_req, res, seen) => {
		const agentName = metadataOf(seen.headers).agent ?? "";
		const closed = deferred<boolean>();
		unanswered.set(agentName, closed.promise);
		res.on("close", () => closed.resolve(!res.writableEnded));
		held.push({ agent: agentName, res });
		if (held.length === expected) for (const h of held) answer(h.agent, h.res);
	});
	const client = new Atrium({
		apiKey: "sk-mng-parallel",
		baseURL: stub.url,
		maxRetries: 0,
	});
	return { stub, client, unanswered };
}

function headers(auditId: string): Record<string, string> {
	return { ...GOVERNANCE_HEADERS, "X-Monago-Audit-Id": auditId };
}

describe("parallel on the wire", () => {
	it("sends both branches' requests before either is answered, and merges the outputs in the branches' order", async () => {
		const { stub, client } = await holdingStub(2, (name, res) =>
			sendJSON(
				res,
				200,
				completionBody(`dari ${name}`),
				headers(`audit-${name}`),
			),
		);
		const result = await run(
			client,
			parallel([agent("cardiology"), agent("pharmacy")], {
				merge: (outputs) => outputs.join(" | "),
			}),
			"Nyeri dada, minum warfarin",
		);
		expect(result.finalOutput).toBe("dari cardiology | dari pharmacy");
		expect(result.lastAgent.name).toBe("pharmacy");
		expect(
			stub.requests
				.map((r) => metadataOf(r.headers))
				.sort((a, b) => (a.agent ?? "").localeCompare(b.agent ?? "")),
		).toEqual([
			{ run_id: result.run_id, agent: "cardiology", step: "1" },
			{ run_id: result.run_id, agent: "pharmacy", step: "1" },
		]);
		expect([...result.audit_ids].sort()).toEqual([
			"audit-cardiology",
			"audit-pharmacy",
		]);
		expect(result.costByAgent).toEqual({ cardiology: 3.5, pharmacy: 3.5 });
		expect(result.trail.map((r) => r.kind)).toEqual(["model", "model", "end"]);
	});

	it("aborts the other branch's request in flight when one is blocked, and throws the block", async () => {
		const { client, unanswered } = await holdingStub(2, (name, res) => {
			if (name !== "cardiology") return; // pharmacy's request is never answered
			sendJSON(
				res,
				451,
				JSON.stringify({
					error: { message: "PII detected", code: "pii_blocked" },
				}),
				{
					...headers("audit-blk-cardio"),
					"X-Monago-Policy-Decision": "blocked",
					"X-Monago-Block-Reason": "PII detected: NIK",
				},
			);
		});
		const error = await rejection(
			run(
				client,
				parallel([agent("cardiology"), agent("pharmacy")]),
				"NIK 3201...",
			),
		);
		expect(error).toBeInstanceOf(PIIBlockedError);
		expect(await unanswered.get("pharmacy")).toBe(true);
		expect(await unanswered.get("cardiology")).toBe(false);
		const ended = agentRunOf(error);
		expect(ended?.agent).toBe("cardiology");
		expect(
			ended?.trail.map((r) => [
				r.kind,
				r.agent,
				r.error?.split(":")[0] ?? null,
			]),
		).toEqual([
			["model", "cardiology", "PIIBlockedError"],
			["model", "pharmacy", "AbortError"],
			["error", "cardiology", "PIIBlockedError"],
			["end", "cardiology", "PIIBlockedError"],
		]);
	});

	it("aborts every request in flight when the caller aborts", async () => {
		const controller = new AbortController();
		const { client, unanswered } = await holdingStub(2, () =>
			controller.abort(),
		);
		const error = await rejection(
			run(client, parallel([agent("cardiology"), agent("pharmacy")]), "x", {
				signal: controller.signal,
			}),
		);
		expect(error).toBeInstanceOf(AbortError);
		expect(await unanswered.get("cardiology")).toBe(true);
		expect(await unanswered.get("pharmacy")).toBe(true);
		expect(agentRunOf(error)?.trail.map((r) => r.kind)).toEqual([
			"model",
			"model",
			"error",
			"end",
		]);
	});
});
