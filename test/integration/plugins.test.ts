/**
 * Plugins on whole calls, against a node:http stub on 127.0.0.1: hook order,
 * exactly one of onResponse/onError per plugin per call, refusing a call,
 * changing the request, plugin errors, private state and nested calls.
 */
import { describe, expect, it } from "vitest";
import {
	AbortError,
	Atrium,
	type AtriumOptions,
	type AtriumPlugin,
	type CallContext,
	InvalidInputError,
	isPluginError,
	PIIBlockedError,
	PolicyBlockedError,
} from "../../src/index.js";
import {
	CHAT,
	completionBody,
	sendJSON,
	useStubs,
} from "../helpers/stub-server.js";

const serve = useStubs();

const client = (url: string, options: AtriumOptions = {}) =>
	new Atrium({
		apiKey: "sk-mng-plugins",
		baseURL: url,
		logLevel: "off",
		maxRetries: 0,
		...options,
	});

/** A plugin that writes every hook it sees to a shared log, as `name:hook`. */
function recorder(name: string, log: string[]): AtriumPlugin {
	return {
		name,
		onRequest: () => void log.push(`${name}:onRequest`),
		onAttempt: (_ctx, a) => void log.push(`${name}:onAttempt:${a.status_code}`),
		onResponse: () => void log.push(`${name}:onResponse`),
		onError: (_ctx, e) => void log.push(`${name}:onError:${e.name}`),
	};
}

const BLOCK_HEADERS = {
	"X-Monago-Audit-Id": "audit-blk",
	"X-Monago-Policy-Decision": "blocked",
	"X-Monago-Block-Reason": "PII detected: NIK",
};

describe("plugin hooks on a whole call", () => {
	it("run onRequest in order (client's first), the rest in reverse, onResponse once each", async () => {
		const stub = await serve((_req, res) =>
			sendJSON(res, 200, completionBody("hi")),
		);
		const log: string[] = [];
		const atrium = client(stub.url, {
			plugins: [recorder("a", log), recorder("b", log)],
		});
		const res = await atrium.chat.completions.create(CHAT, {
			plugins: [recorder("c", log)],
		});
		expect(res.content).toBe("hi");
		expect(log).toEqual([
			"a:onRequest",
			"b:onRequest",
			"c:onRequest",
			"c:onAttempt:200",
			"b:onAttempt:200",
			"a:onAttempt:200",
			"c:onResponse",
			"b:onResponse",
			"a:onResponse",
		]);
	});

	it("give every plugin onError once on a block, after every attempt, never onResponse", async () => {
		const stub = await serve((_req, res) =>
			sendJSON(
				res,
				400,
				'{"error":{"message":"PII","code":"pii_blocked"}}',
				BLOCK_HEADERS,
			),
		);
		const log: string[] = [];
		const call = client(stub.url, {
			plugins: [recorder("a", log), recorder("b", log)],
		}).chat.completions.create(CHAT);
		await expect(call).rejects.toBeInstanceOf(PIIBlockedError);
		expect(log).toEqual([
			"a:onRequest",
			"b:onRequest",
			"b:onAttempt:400",
			"a:onAttempt:400",
			"b:onError:PIIBlockedError",
			"a:onError:PIIBlockedError",
		]);
	});

	it("show every attempt of a retried call to onAttempt, with the context's attempts so far", async () => {
		const stub = await serve((_req, res, _seen, index) =>
			index < 2
				? sendJSON(res, 503, '{"error":{"message":"busy"}}', {
						"retry-after-ms": "1",
						"X-Monago-Audit-Id": `audit-${index}`,
					})
				: sendJSON(res, 200, completionBody()),
		);
		const seen: Array<[number | null, number]> = [];
		const plugin: AtriumPlugin = {
			name: "attempts",
			onAttempt: (ctx, attempt) =>
				void seen.push([attempt.status_code, ctx.attempts.length]),
		};
		const res = await client(stub.url, {
			maxRetries: 2,
			plugins: [plugin],
		}).chat.completions.create(CHAT);
		expect(seen).toEqual([
			[503, 1],
			[503, 2],
			[200, 3],
		]);
		expect(res.attempts.map((a) => a.audit_id)).toEqual([
			"audit-0",
			"audit-1",
			"audit-stub-1",
		]);
	});

	it("let onRequest refuse a call: nothing is sent, and every plugin gets onError", async () => {
		const stub = await serve((_req, res) =>
			sendJSON(res, 200, completionBody()),
		);
		const log: string[] = [];
		const guard: AtriumPlugin = {
			name: "guard",
			onRequest() {
				throw new PolicyBlockedError("refused locally");
			},
		};
		const call = client(stub.url, {
			plugins: [recorder("outer", log), guard, recorder("inner", log)],
		}).chat.completions.create(CHAT);
		await expect(call).rejects.toThrow("refused locally");
		await expect(call).rejects.toBeInstanceOf(PolicyBlockedError);
		expect(stub.requests).toHaveLength(0);
		expect(log).toEqual([
			"outer:onRequest",
			"inner:onError:PolicyBlockedError",
			"outer:onError:PolicyBlockedError",
		]);
	});

	it("turn a hook's plain throw into a PluginError that names the plugin and the hook, with the cause", async () => {
		const stub = await serve((_req, res) =>
			sendJSON(res, 200, completionBody()),
		);
		const cause = new RangeError("counter overflow");
		const broken: AtriumPlugin = {
			name: "counter",
			onResponse() {
				throw cause;
			},
		};
		const error = await client(stub.url, { plugins: [broken] })
			.chat.completions.create(CHAT)
			.catch((e: unknown) => e);
		expect(isPluginError(error)).toBe(true);
		expect((error as Error).message).toBe(
			'POST /chat/completions: plugin "counter" failed in onResponse: counter overflow',
		);
		expect((error as Error).cause).toBe(cause);
		expect((error as PolicyBlockedError).attempts).toHaveLength(1);
	});

	it("when onResponse fails the call, give onError only to the plugins it had not reached", async () => {
		const stub = await serve((_req, res) =>
			sendJSON(res, 200, completionBody()),
		);
		const log: string[] = [];
		const veto: AtriumPlugin = {
			name: "veto",
			onResponse() {
				log.push("veto:onResponse");
				throw new PolicyBlockedError("answer refused");
			},
			onError: () => void log.push("veto:onError"),
		};
		await expect(
			client(stub.url, {
				plugins: [recorder("outer", log), veto, recorder("inner", log)],
			}).chat.completions.create(CHAT),
		).rejects.toThrow("answer refused");
		expect(
			log.filter((l) => !l.includes("onRequest") && !l.includes("onAttempt")),
		).toEqual([
			"inner:onResponse",
			"veto:onResponse",
			"outer:onError:PolicyBlockedError",
		]);
	});

	it("log an onError that throws and still call the others", async () => {
		const stub = await serve((_req, res) => sendJSON(res, 500, "{}"));
		const log: string[] = [];
		const lines: string[] = [];
		const noisy: AtriumPlugin = {
			name: "noisy",
			onError() {
				throw new Error("sink down");
			},
		};
		const logger = {
			error: (m: string) => void lines.push(m),
			warn() {},
			info() {},
			debug() {},
		};
		await expect(
			client(stub.url, {
				plugins: [recorder("a", log), noisy],
				logLevel: "error",
				logger,
			}).chat.completions.create(CHAT),
		).rejects.toThrow(/500/);
		expect(log).toContain("a:onError:APIError");
		expect(lines.join("\n")).toContain(
			'plugin "noisy" failed in onError: sink down',
		);
	});

	it("refuse a malformed plugin before sending, naming it", async () => {
		const stub = await serve((_req, res) =>
			sendJSON(res, 200, completionBody()),
		);
		const atrium = client(stub.url);
		await expect(
			atrium.chat.completions.create(CHAT, {
				plugins: [{ name: "x", onRequest: "yes" } as never],
			}),
		).rejects.toThrow(/plugins\[0\] \("x"\): onRequest must be a function/);
		await expect(
			atrium.chat.completions.create(CHAT, { plugins: [{} as never] }),
		).rejects.toBeInstanceOf(InvalidInputError);
		expect(stub.requests).toHaveLength(0);
	});
});

describe("what plugins may change", () => {
	it("let onRequest change the body's fields, the headers and the metadata, without touching the caller's objects", async () => {
		const stub = await serve((_req, res) =>
			sendJSON(res, 200, completionBody()),
		);
		const rewrite: AtriumPlugin = {
			name: "rewrite",
			onRequest(ctx) {
				ctx.body.messages = [{ role: "user", content: "[redacted by plugin]" }];
				ctx.headers["X-Trace"] = "t-1";
				ctx.metadata.department = "cardiology";
			},
		};
		const body = { ...CHAT };
		const res = await client(stub.url, {
			plugins: [rewrite],
		}).chat.completions.create(body);
		const sent = stub.requests[0];
		expect(JSON.parse(sent?.body ?? "{}").messages).toEqual([
			{ role: "user", content: "[redacted by plugin]" },
		]);
		expect(sent?.headers["x-trace"]).toBe("t-1");
		expect(sent?.headers["x-monago-metadata"]).toBe(
			'{"department":"cardiology"}',
		);
		expect(body.messages).toBe(CHAT.messages);
		expect(res.metadata).toEqual({ department: "cardiology" });
		expect(Object.isFrozen(res.metadata)).toBe(true);
	});

	it("refuse a header a plugin set with CR or LF before anything is sent", async () => {
		const stub = await serve((_req, res) =>
			sendJSON(res, 200, completionBody()),
		);
		const smuggler: AtriumPlugin = {
			name: "smuggler",
			onRequest(ctx) {
				ctx.headers.traceparent = "00-abc\r\nX-Evil: 1";
			},
		};
		await expect(
			client(stub.url, { plugins: [smuggler] }).chat.completions.create(CHAT),
		).rejects.toThrow(/headers\["traceparent"\] has a control character/);
		expect(stub.requests).toHaveLength(0);
	});

	it("give each plugin its own state for each call, and a fresh context per call", async () => {
		const stub = await serve((_req, res) =>
			sendJSON(res, 200, completionBody()),
		);
		const contexts: CallContext[] = [];
		const states: Array<Record<string, unknown>> = [];
		const a: AtriumPlugin = {
			name: "a",
			onRequest(ctx) {
				ctx.state.mine = "a";
				contexts.push(ctx);
			},
			onResponse: (ctx) => void states.push({ ...ctx.state }),
		};
		const b: AtriumPlugin = {
			name: "b",
			onRequest(ctx) {
				expect(ctx.state.mine).toBeUndefined();
				ctx.state.mine = "b";
			},
			onResponse: (ctx) => void states.push({ ...ctx.state }),
		};
		const atrium = client(stub.url, { plugins: [a, b] });
		await atrium.chat.completions.create(CHAT);
		await atrium.chat.completions.create(CHAT);
		expect(states).toEqual([
			{ mine: "b" },
			{ mine: "a" },
			{ mine: "b" },
			{ mine: "a" },
		]);
		expect(contexts[0]).not.toBe(contexts[1]);
		expect(contexts[0]?.attempts).toHaveLength(1);
		expect(contexts[0]?.governance?.audit_id).toBe("audit-stub-1");
	});

	it("let a plugin make another call through the same client with ctx.create", async () => {
		const stub = await serve((_req, res, seen) =>
			sendJSON(
				res,
				200,
				completionBody(
					JSON.parse(seen.body).model === "judge" ? "0.9" : "answer",
				),
			),
		);
		const scores: string[] = [];
		const judge: AtriumPlugin = {
			name: "judge",
			async onResponse(ctx, completion) {
				if (ctx.body.model === "judge") return;
				const verdict = await ctx.create(
					{
						model: "judge",
						messages: [{ role: "user", content: completion.content }],
					},
					{ metadata: { evaluates: completion.governance.audit_id ?? "" } },
				);
				scores.push(verdict.content);
			},
		};
		const res = await client(stub.url, {
			plugins: [judge],
		}).chat.completions.create(CHAT);
		expect(res.content).toBe("answer");
		expect(scores).toEqual(["0.9"]);
		expect(stub.requests[1]?.headers["x-monago-metadata"]).toBe(
			'{"evaluates":"audit-stub-1"}',
		);
	});

	it("carry the evaluations plugins add onto the result, frozen, and onto the error of a refused call", async () => {
		const stub = await serve((_req, res) =>
			sendJSON(res, 200, completionBody("fine")),
		);
		const verdict = (phase: "pre" | "post", pass: boolean) => ({
			name: `check-${phase}`,
			phase,
			pass,
			score: null,
			label: null,
			reason: pass ? null : "too long",
			action: "flag",
			duration_ms: 1,
			audit_id: null,
		});
		const evaluator: AtriumPlugin = {
			name: "evaluator",
			onRequest: (ctx) => void ctx.evaluations.push(verdict("pre", true)),
			onResponse: (ctx) => void ctx.evaluations.push(verdict("post", false)),
		};
		const atrium = client(stub.url, { plugins: [evaluator] });
		const res = await atrium.chat.completions.create(CHAT);
		expect(res.evaluations.map((e) => [e.name, e.pass])).toEqual([
			["check-pre", true],
			["check-post", false],
		]);
		expect(Object.isFrozen(res.evaluations)).toBe(true);

		const refusing: AtriumPlugin = {
			name: "refusing",
			onRequest(ctx) {
				ctx.evaluations.push(verdict("pre", false));
				throw new PolicyBlockedError("refused");
			},
		};
		const error = await atrium.chat.completions
			.create(CHAT, { plugins: [refusing] })
			.catch((e: PolicyBlockedError) => e);
		expect(error.evaluations.map((e) => e.name)).toEqual([
			"check-pre",
			"check-pre",
		]);
		expect(
			(await client(stub.url).chat.completions.create(CHAT)).evaluations,
		).toEqual([]);
	});

	it("see the caller's abort as an AbortError in onError", async () => {
		const stub = await serve(() => {
			/* never answers */
		});
		const log: string[] = [];
		const controller = new AbortController();
		const call = client(stub.url, {
			plugins: [recorder("a", log)],
		}).chat.completions.create(CHAT, { signal: controller.signal });
		setTimeout(() => controller.abort(), 20);
		await expect(call).rejects.toBeInstanceOf(AbortError);
		expect(log).toEqual([
			"a:onRequest",
			"a:onAttempt:null",
			"a:onError:AbortError",
		]);
	});
});
