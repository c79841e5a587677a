/**
 * Plugins and per-call state across an agent run, against a node:http stub:
 * exactly one of onResponse and onError per call, across handoffs and
 * parallel branches, a branch's call in flight aborted included; an agent's
 * plugins see its own calls only; a run's metadata and plugins never reach
 * another run or the client.
 */
import { describe, expect, it } from "vitest";
import { parallel, run } from "../../src/agents.js";
import {
	Atrium,
	type AtriumPlugin,
	type CallContext,
	PIIBlockedError,
} from "../../src/index.js";
import {
	completionBody,
	GOVERNANCE_HEADERS,
	sendJSON,
	useStubs,
} from "../helpers/stub-server.js";
import { agent, deferred, metadataOf, rejection } from "./helpers.js";

const stub = useStubs();

/** A plugin that counts each hook by the agent whose call it is. */
function counter(name = "counter") {
	const seen: string[] = [];
	const who = (ctx: CallContext) => ctx.metadata.agent ?? "-";
	const plugin: AtriumPlugin = {
		name,
		onRequest: (ctx) => {
			seen.push(`request ${who(ctx)}`);
		},
		onResponse: (ctx) => {
			seen.push(`response ${who(ctx)}`);
		},
		onError: (ctx) => {
			seen.push(`error ${who(ctx)}`);
		},
	};
	return { plugin, seen };
}

const client = (url: string) =>
	new Atrium({ apiKey: "sk-mng-state", baseURL: url, maxRetries: 0 });

const PII_BLOCK = {
	...GOVERNANCE_HEADERS,
	"X-Monago-Policy-Decision": "blocked",
	"X-Monago-Block-Reason": "PII detected: NIK",
};

describe("plugin hooks in an agent run", () => {
	it("end each call once: a branch blocked, the other's call in flight aborted", async () => {
		const slowArrived = deferred();
		const server = await stub(async (_req, res, seen) => {
			const { agent: name } = metadataOf(seen.headers);
			if (name === "slow") {
				slowArrived.resolve();
				return; // never answers: the run's abort ends it
			}
			await slowArrived.promise;
			sendJSON(
				res,
				400,
				JSON.stringify({ error: { message: "PII", code: "pii_blocked" } }),
				PII_BLOCK,
			);
		});
		const { plugin, seen } = counter();
		const error = await rejection(
			run(client(server.url), parallel([agent("slow"), agent("fast")]), "x", {
				plugins: [plugin],
			}),
		);
		expect(error).toBeInstanceOf(PIIBlockedError);
		expect([...seen].sort()).toEqual([
			"error fast",
			"error slow",
			"request fast",
			"request slow",
		]);
	});

	it("end each call once across a handoff, an agent's own plugins seeing its calls only", async () => {
		const server = await stub((_req, res, seen) => {
			const { agent: name } = metadataOf(seen.headers);
			const body =
				name === "a"
					? JSON.stringify({
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
												id: "call-1",
												type: "function",
												function: { name: "transfer_to_b", arguments: "{}" },
											},
										],
									},
								},
							],
						})
					: completionBody("done");
			sendJSON(res, 200, body);
		});
		const run_ = counter("run");
		const own = counter("b-only");
		const b = agent("b", { plugins: [own.plugin] });
		const result = await run(
			client(server.url),
			agent("a", { handoffs: [b] }),
			"x",
			{
				plugins: [run_.plugin],
			},
		);
		expect(result.finalOutput).toBe("done");
		expect(run_.seen).toEqual([
			"request a",
			"response a",
			"request b",
			"response b",
		]);
		expect(own.seen).toEqual(["request b", "response b"]);
	});
});

describe("per-call state", () => {
	it("a run's metadata and plugins reach neither the client's later calls nor a concurrent run", async () => {
		const server = await stub((_req, res) =>
			sendJSON(res, 200, completionBody("ok")),
		);
		const shared = client(server.url);
		const one = counter("one");
		const two = counter("two");
		await Promise.all([
			run(shared, agent("a"), "x", {
				metadata: { ward: "w-1" },
				plugins: [one.plugin],
			}),
			run(shared, agent("b"), "x", {
				metadata: { ward: "w-2" },
				plugins: [two.plugin],
			}),
		]);
		await shared.chat.completions.create({
			model: "gpt-5.4-mini",
			messages: [{ role: "user", content: "plain" }],
		});
		const sent = server.requests.map((r) => metadataOf(r.headers));
		const byAgent = Object.fromEntries(
			sent.slice(0, 2).map((m) => [m.agent, m.ward]),
		);
		expect(byAgent).toEqual({ a: "w-1", b: "w-2" });
		expect(sent[2]).toEqual({});
		expect(one.seen).toEqual(["request a", "response a"]);
		expect(two.seen).toEqual(["request b", "response b"]);
		expect(shared.plugins).toEqual([]);
	});
});
