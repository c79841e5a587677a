/**
 * The LLM judge against a node:http stub that answers the judge's prompt:
 * its verdict and audit id recorded, the `evaluates` metadata sent, a
 * json_schema response format asked for, its own call not evaluated, an
 * unreadable answer an evaluator error.
 */
import { describe, expect, it } from "vitest";
import { readJudgement } from "../../src/evals/judge.js";
import {
	EvaluationBlockedError,
	EvaluatorError,
	evaluate,
	judge,
	pii,
} from "../../src/evals.js";
import { chunk, data } from "../helpers/sse.js";
import {
	CHAT,
	completionBody,
	GOVERNANCE_HEADERS,
	type SeenRequest,
	sendJSON,
	useStubs,
} from "../helpers/stub-server.js";
import { client, NIK } from "./helpers.js";

const serve = useStubs();

/** A gateway whose judge model answers `verdict`, and every other call `answer`. */
function gateway(
	verdict: string,
	answer = `Hasil untuk NIK ${NIK}: istirahat.`,
) {
	return serve((_req, res, seen) => {
		const body = JSON.parse(seen.body);
		if (body.model === "judge-model") {
			sendJSON(res, 200, completionBody(verdict), {
				...GOVERNANCE_HEADERS,
				"X-Monago-Audit-Id": "audit-judge-1",
			});
		} else if (body.stream) {
			res.writeHead(200, {
				"Content-Type": "text/event-stream",
				...GOVERNANCE_HEADERS,
			});
			res.write(data(chunk({ content: answer })));
			res.end("data: [DONE]\n\n");
		} else {
			sendJSON(res, 200, completionBody(answer));
		}
	});
}

const judged = (requests: SeenRequest[]) =>
	requests.filter((r) => JSON.parse(r.body).model === "judge-model");

const polite = (options: Partial<Parameters<typeof judge>[0]> = {}) =>
	judge({
		model: "judge-model",
		rubric: "Is the answer polite?",
		threshold: 0.7,
		...options,
	});

describe("judge()", () => {
	it("asks the gateway, passes at or above the threshold, and records the judge call's audit id", async () => {
		const stub = await gateway('{"score": 0.9, "reason": "polite and short"}');
		const res = await client(stub.url, {
			metadata: { user_id: "dr-1" },
			// Were the judge's call evaluated too, this would block it: its prompt holds a NIK.
			plugins: [evaluate([pii({ phase: "pre", action: "block" }), polite()])],
		}).chat.completions.create(CHAT, { metadata: { session_id: "visit-9" } });
		expect(res.evaluations.map((e) => e.name)).toEqual(["pii", "judge"]);
		expect(res.evaluations[1]).toMatchObject({
			phase: "post",
			pass: true,
			score: 0.9,
			reason: "polite and short",
			audit_id: "audit-judge-1",
		});
		const [request] = judged(stub.requests);
		expect(request?.headers["x-monago-metadata"]).toBe(
			'{"evaluates":"audit-stub-1"}',
		);
		expect(request?.headers["x-monago-user-id"]).toBe("dr-1");
		expect(request?.headers["x-monago-session-id"]).toBe("visit-9");
		const body = JSON.parse(request?.body ?? "{}");
		expect(body.response_format).toMatchObject({
			type: "json_schema",
			json_schema: { strict: true, schema: { required: ["score", "reason"] } },
		});
		expect(body.messages[0].content).toContain("Is the answer polite?");
		expect(body.messages[1].content).toContain(
			`<answer>\nHasil untuk NIK ${NIK}`,
		);
		expect(body.messages[1].content).toContain("<request>\nhello\n</request>");
		expect(stub.requests).toHaveLength(2);
	});

	it("blocks below the threshold, with the judged call's audit id on the error", async () => {
		const stub = await gateway('{"score": 0.2, "reason": "rude"}');
		const error = await client(stub.url, { plugins: [evaluate([polite()])] })
			.chat.completions.create(CHAT)
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(EvaluationBlockedError);
		const blocked = error as EvaluationBlockedError;
		expect(blocked.audit_id).toBe("audit-stub-1");
		expect(blocked.evaluation).toMatchObject({
			score: 0.2,
			reason: "rude",
			audit_id: "audit-judge-1",
		});
	});

	it("runs on a stream once it is whole, before [DONE] reaches the caller", async () => {
		const stub = await gateway(
			'{"score": 1, "reason": "fine"}',
			"Semoga lekas sembuh.",
		);
		const stream = await client(stub.url, {
			plugins: [evaluate([polite()])],
		}).chat.completions.create({ ...CHAT, stream: true });
		const done = await stream.finalCompletion();
		expect(done.content).toBe("Semoga lekas sembuh.");
		expect(stream.evaluations[0]).toMatchObject({
			pass: true,
			audit_id: "audit-judge-1",
		});
		expect(
			JSON.parse(judged(stub.requests)[0]?.body ?? "{}").messages[1].content,
		).toContain("Semoga lekas sembuh.");
	});

	it("treats an answer it cannot read as an evaluator error: closed by default, recorded when open", async () => {
		const stub = await gateway("I think it is polite.");
		const error = await client(stub.url, { plugins: [evaluate([polite()])] })
			.chat.completions.create(CHAT)
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(EvaluatorError);
		expect((error as EvaluatorError).evaluation).toMatchObject({
			pass: false,
			label: "error",
			action: "block",
		});
		const res = await client(stub.url, {
			plugins: [evaluate([polite({ failOpen: true })])],
		}).chat.completions.create(CHAT);
		expect(res.evaluations[0]).toMatchObject({
			pass: false,
			label: "error",
			action: "flag",
		});
	});

	it("reads only {score 0..1, reason}", () => {
		expect(readJudgement('```json\n{"score":0.5,"reason":"ok"}\n```')).toEqual({
			score: 0.5,
			reason: "ok",
		});
		for (const bad of [
			'{"score": 1.5, "reason": "x"}',
			'{"score": "0.5", "reason": "x"}',
			'{"score": 0.5}',
			"[0.5]",
			"null",
			`{"score": 0.5, "reason": "${"x".repeat(20_000)}"}`,
		]) {
			expect(() => readJudgement(bad), bad.slice(0, 40)).toThrow(
				/not \{"score"/,
			);
		}
	});
});
