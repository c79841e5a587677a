/**
 * Smoke tests of the built package (dist/), loaded by its name through
 * `import` and `require` in separate Node processes, as a user would.
 */
import { execFile } from "node:child_process";
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	completionBody,
	GOVERNANCE_HEADERS,
	type Stub,
	sendJSON,
	startStub,
} from "../helpers/stub-server.js";

const run = promisify(execFile);
const root = new URL("../..", import.meta.url).pathname;
let dir = "";
let stub: Stub;

beforeAll(async () => {
	if (
		![
			"index.js",
			"index.cjs",
			"testing.js",
			"testing.cjs",
			"evals.js",
			"evals.cjs",
			"otel.js",
			"otel.cjs",
			"skills.js",
			"skills.cjs",
			"skills-node.js",
			"skills-node.cjs",
			"agents.js",
			"agents.cjs",
		].every((file) => existsSync(join(root, "dist", file)))
	) {
		throw new Error(
			"dist/ is missing: run `npm run build` first (npm test does)",
		);
	}
	// A consumer project whose node_modules holds the package under its name.
	dir = mkdtempSync(join(tmpdir(), "atrium-smoke-"));
	mkdirSync(join(dir, "node_modules/@monagoio"), { recursive: true });
	symlinkSync(root, join(dir, "node_modules/@monagoio/atrium-sdk"), "dir");
	// The OpenTelemetry packages a user of ./otel installs beside it: one copy of the API.
	symlinkSync(
		join(root, "node_modules/@opentelemetry"),
		join(dir, "node_modules/@opentelemetry"),
		"dir",
	);
	stub = await startStub((req, res) =>
		req.url === "/blocked/chat/completions"
			? sendJSON(
					res,
					451,
					JSON.stringify({ error: { message: "PII", code: "pii_blocked" } }),
					{ "X-Monago-Audit-Id": "audit-smoke-blk" },
				)
			: sendJSON(res, 200, completionBody("smoke ok"), {
					...GOVERNANCE_HEADERS,
					"X-Monago-Traceparent-Seen": String(req.headers.traceparent),
				}),
	);
});

afterAll(async () => {
	await stub?.close();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

async function node(
	file: string,
	source: string,
	env: Record<string, string> = {},
): Promise<string> {
	writeFileSync(join(dir, file), source);
	const { stdout } = await run(process.execPath, [join(dir, file)], {
		cwd: dir,
		env: { ...process.env, STUB_URL: stub.url, ...env },
	});
	return stdout.trim();
}

const CALL = `
  const client = new Atrium({ apiKey: "sk-mng-smoke", baseURL: process.env.STUB_URL, maxRetries: 0 });
  const res = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] });
  const blocked = new Atrium({ apiKey: "sk-mng-smoke", baseURL: process.env.STUB_URL + "/blocked", maxRetries: 0 });
  const error = await blocked.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] }).catch((e) => e);
  console.log(JSON.stringify([res.content, res.governance.audit_id, error.name, error instanceof PIIBlockedError, error.audit_id]));
`;
const EXPECTED = [
	"smoke ok",
	"audit-stub-1",
	"PIIBlockedError",
	true,
	"audit-smoke-blk",
];

const KIT = `
  const gateway = mockGateway([reply.completion("kit ok"), reply.block("pii", { audit_id: "audit-kit-blk" })]);
  const client = new Atrium({ apiKey: "sk-mng-smoke", fetch: gateway.fetch, maxRetries: 0 });
  const res = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] });
  const error = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] }).catch((e) => e);
  console.log(JSON.stringify([res.content, res.governance.audit_id, error instanceof PIIBlockedError, error.audit_id, gateway.calls.length]));
`;
const KIT_EXPECTED = ["kit ok", "audit-mock-1", true, "audit-kit-blk", 2];

// A real SDK, the plugin from ./otel, one call: the span, its audit id, and the traceparent the gateway saw.
const OTEL_CALL = `
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const client = new Atrium({ apiKey: "sk-mng-smoke", baseURL: process.env.STUB_URL, maxRetries: 0, plugins: [otel({ tracerProvider })] });
  const { response } = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] }).withResponse();
  const [span] = spans.getFinishedSpans();
  const { traceId, spanId } = span.spanContext();
  console.log(JSON.stringify([span.name, span.attributes["monago.atrium.audit_id"], response.headers.get("x-monago-traceparent-seen") === \`00-\${traceId}-\${spanId}-01\`, GEN_AI_CONVENTIONS_VERSION]));
`;
const OTEL_EXPECTED = ["chat m", "audit-stub-1", true, "1.41.0"];

// A skill folder whose tools.mjs imports defineTool by the package's name, as
// a published skill does; a two-step run through the kit; a block's error.run.
const SKILLS = `
  const dir = process.env.SKILL_DIR;
  const skill = await loadSkill(dir);
  const gateway = mockGateway([
    reply.toolCalls([{ name: "use_skill", arguments: { name: "ward-check" } }]),
    reply.toolCalls([{ name: "ward_of", arguments: { mrn: "MRN-1" } }]),
    reply.completion("Paru"),
    reply.toolCalls([{ name: "ward_of", arguments: { mrn: "MRN-1" } }]),
    reply.block("pii", { audit_id: "audit-skills-blk" }),
  ]);
  const client = new Atrium({ apiKey: "sk-mng-smoke", fetch: gateway.fetch, maxRetries: 0 });
  const body = { model: "m", messages: [{ role: "user", content: "hi" }] };
  const result = await runTools(client, body, { skills: [skill] });
  const error = await runTools(client, body, { tools: skill.tools }).catch((e) => e);
  const max = new MaxStepsExceededError("x", result);
  console.log(JSON.stringify([
    result.content, result.steps.map((s) => s.kind + ":" + (s.name ?? s.audit_id)), gateway.calls[1].metadata.step,
    error instanceof PIIBlockedError, error.run.audit_ids, max instanceof AtriumError, isMaxStepsExceededError(max),
  ]));
`;
const SKILLS_EXPECTED = [
	"Paru",
	[
		"model:audit-mock-1",
		"tool:use_skill",
		"model:audit-mock-2",
		"tool:ward_of",
		"model:audit-mock-3",
	],
	"2",
	true,
	["audit-mock-4", "audit-skills-blk"],
	true,
	true,
];

// A handoff run through the kit, its trail verified, a block in the second
// agent with the trail on error.run; the errors' classes across the copies.
const AGENTS = `
  const gateway = mockGateway([
    reply.toolCalls([{ name: "transfer_to_cardiology", arguments: {} }]),
    reply.completion("EKG"),
    reply.toolCalls([{ name: "transfer_to_cardiology", arguments: {} }]),
    reply.block("pii", { audit_id: "audit-agents-blk" }),
  ]);
  const client = new Atrium({ apiKey: "sk-mng-smoke", fetch: gateway.fetch, maxRetries: 0 });
  const triage = new Agent({ name: "triage", model: "m", handoffs: [new Agent({ name: "cardiology", model: "m" })] });
  const result = await run(client, triage, "hi");
  const check = await verifyTrail(result.trail.toJSONL(), { head: result.trail.head });
  const error = await run(client, triage, "hi").catch((e) => e);
  const max = new MaxTurnsExceededError("x", 1);
  console.log(JSON.stringify([
    result.finalOutput, result.lastAgent.name, gateway.calls[1].metadata.agent, check.ok,
    error instanceof PIIBlockedError, error.run.trail.map((r) => r.kind), error.run.trail.head === error.run.trail.at(-1).hash,
    max instanceof AtriumError, isMaxTurnsExceededError(max),
  ]));
`;
const AGENTS_EXPECTED = [
	"EKG",
	"cardiology",
	"cardiology",
	true,
	true,
	["model", "handoff", "model", "error", "end"],
	true,
	true,
	true,
];

function skillFolder(): string {
	const skill = join(dir, "skills", "ward-check");
	mkdirSync(skill, { recursive: true });
	writeFileSync(
		join(skill, "SKILL.md"),
		"---\nname: ward-check\ndescription: Find a patient's ward\n---\nAsk for the MRN first.\n",
	);
	writeFileSync(
		join(skill, "tools.mjs"),
		`import { defineTool } from "@monagoio/atrium-sdk/skills";
export default [defineTool({ name: "ward_of", parameters: { type: "object", properties: { mrn: { type: "string" } } }, run: () => "Paru" })];\n`,
	);
	return skill;
}

describe("the built package", () => {
	it("works through import by name (ESM)", async () => {
		const out = await node(
			"esm.mjs",
			`import { Atrium, PIIBlockedError } from "@monagoio/atrium-sdk";\n${CALL}`,
		);
		expect(JSON.parse(out)).toEqual(EXPECTED);
	});

	it("works through require by name (CJS)", async () => {
		const out = await node(
			"cjs.cjs",
			`const { Atrium, PIIBlockedError } = require("@monagoio/atrium-sdk");\n(async () => {${CALL}})();`,
		);
		expect(JSON.parse(out)).toEqual(EXPECTED);
	});

	it("serves the test kit through import by name (ESM)", async () => {
		const out = await node(
			"kit-esm.mjs",
			`import { Atrium, PIIBlockedError } from "@monagoio/atrium-sdk";\nimport { mockGateway, reply } from "@monagoio/atrium-sdk/testing";\n${KIT}`,
		);
		expect(JSON.parse(out)).toEqual(KIT_EXPECTED);
	});

	it("serves the test kit through require by name (CJS)", async () => {
		const out = await node(
			"kit-cjs.cjs",
			`const { Atrium, PIIBlockedError } = require("@monagoio/atrium-sdk");\nconst { mockGateway, reply } = require("@monagoio/atrium-sdk/testing");\n(async () => {${KIT}})();`,
		);
		expect(JSON.parse(out)).toEqual(KIT_EXPECTED);
	});

	it("serves skills and skills/node through import by name (ESM)", async () => {
		const out = await node(
			"skills-esm.mjs",
			`import { Atrium, AtriumError, PIIBlockedError } from "@monagoio/atrium-sdk";
import { runTools, MaxStepsExceededError, isMaxStepsExceededError } from "@monagoio/atrium-sdk/skills";
import { loadSkill } from "@monagoio/atrium-sdk/skills/node";
import { mockGateway, reply } from "@monagoio/atrium-sdk/testing";
${SKILLS}`,
			{ SKILL_DIR: skillFolder() },
		);
		expect(JSON.parse(out)).toEqual(SKILLS_EXPECTED);
	});

	it("serves skills and skills/node through require by name (CJS), with tools.mjs from the ESM copy", async () => {
		const out = await node(
			"skills-cjs.cjs",
			`const { Atrium, AtriumError, PIIBlockedError } = require("@monagoio/atrium-sdk");
const { runTools, MaxStepsExceededError, isMaxStepsExceededError } = require("@monagoio/atrium-sdk/skills");
const { loadSkill } = require("@monagoio/atrium-sdk/skills/node");
const { mockGateway, reply } = require("@monagoio/atrium-sdk/testing");
(async () => {${SKILLS}})();`,
			{ SKILL_DIR: skillFolder() },
		);
		expect(JSON.parse(out)).toEqual(SKILLS_EXPECTED);
	});

	it("serves agents through import by name (ESM)", async () => {
		const out = await node(
			"agents-esm.mjs",
			`import { Atrium, AtriumError, PIIBlockedError } from "@monagoio/atrium-sdk";
import { Agent, run, verifyTrail, MaxTurnsExceededError, isMaxTurnsExceededError } from "@monagoio/atrium-sdk/agents";
import { mockGateway, reply } from "@monagoio/atrium-sdk/testing";
${AGENTS}`,
		);
		expect(JSON.parse(out)).toEqual(AGENTS_EXPECTED);
	});

	it("serves agents through require by name (CJS)", async () => {
		const out = await node(
			"agents-cjs.cjs",
			`const { Atrium, AtriumError, PIIBlockedError } = require("@monagoio/atrium-sdk");
const { Agent, run, verifyTrail, MaxTurnsExceededError, isMaxTurnsExceededError } = require("@monagoio/atrium-sdk/agents");
const { mockGateway, reply } = require("@monagoio/atrium-sdk/testing");
(async () => {${AGENTS}})();`,
		);
		expect(JSON.parse(out)).toEqual(AGENTS_EXPECTED);
	});

	it("lets instanceof and the guards work across the ESM and CJS copies", async () => {
		const out = await node(
			"mixed.mjs",
			`import { createRequire } from "node:module";
       import * as esm from "@monagoio/atrium-sdk";
       const cjs = createRequire(import.meta.url)("@monagoio/atrium-sdk");
       const fromCjs = new cjs.PIIBlockedError("x");
       const fromEsm = new esm.SecurityBlockedError("y");
       console.log(JSON.stringify([
         esm.Atrium !== cjs.Atrium,
         fromCjs instanceof esm.PIIBlockedError, fromCjs instanceof esm.PolicyBlockedError, fromCjs instanceof esm.AtriumError,
         fromEsm instanceof cjs.SecurityBlockedError, fromEsm instanceof cjs.PIIBlockedError,
         esm.isPolicyBlockedError(fromCjs), cjs.isPIIBlockedError(fromEsm),
       ]));`,
		);
		expect(JSON.parse(out)).toEqual([
			true,
			true,
			true,
			true,
			true,
			false,
			true,
			false,
		]);
	});

	it("works through import and require of @monagoio/atrium-sdk/evals by name", async () => {
		const calls = `
      const plugins = [evaluate([pii({ phase: "pre", action: "block" }), pii({ phase: "post", action: "flag" })])];
      const client = new Atrium({ apiKey: "sk-mng-smoke", baseURL: process.env.STUB_URL, maxRetries: 0, plugins });
      const res = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] });
      const error = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "NIK 3201010101010001" }] }).catch((e) => e);
      console.log(JSON.stringify([res.evaluations.map((e) => [e.name, e.phase, e.pass]), error.name, error instanceof PolicyBlockedError, isEvaluationBlockedError(error), error.audit_id, typeof DEFAULT_HOLD_BACK]));
    `;
		const expected = [
			[
				["pii", "pre", true],
				["pii", "post", true],
			],
			"EvaluationBlockedError",
			true,
			true,
			null,
			"number",
		];
		const esm = await node(
			"evals.mjs",
			`import { Atrium, PolicyBlockedError } from "@monagoio/atrium-sdk";
       import { evaluate, pii, isEvaluationBlockedError, DEFAULT_HOLD_BACK } from "@monagoio/atrium-sdk/evals";\n${calls}`,
		);
		expect(JSON.parse(esm)).toEqual(expected);
		const cjs = await node(
			"evals.cjs",
			`const { Atrium, PolicyBlockedError } = require("@monagoio/atrium-sdk");
       const { evaluate, pii, isEvaluationBlockedError, DEFAULT_HOLD_BACK } = require("@monagoio/atrium-sdk/evals");
       (async () => {${calls}})();`,
		);
		expect(JSON.parse(cjs)).toEqual(expected);
	});

	it("lets evaluation blocks be PolicyBlockedErrors across the ESM and CJS copies", async () => {
		const out = await node(
			"evals-mixed.mjs",
			`import { createRequire } from "node:module";
       import * as esm from "@monagoio/atrium-sdk";
       import * as esmEvals from "@monagoio/atrium-sdk/evals";
       const require = createRequire(import.meta.url);
       const cjs = require("@monagoio/atrium-sdk");
       const cjsEvals = require("@monagoio/atrium-sdk/evals");
       const evaluation = { name: "x", phase: "pre", pass: false, score: null, label: null, reason: null, action: "block", duration_ms: 0, audit_id: null };
       const fromCjs = new cjsEvals.EvaluationBlockedError("blocked", evaluation);
       console.log(JSON.stringify([
         fromCjs instanceof esm.PolicyBlockedError, fromCjs instanceof esmEvals.EvaluationBlockedError,
         esm.isPolicyBlockedError(fromCjs), esmEvals.isEvaluationBlockedError(fromCjs),
         fromCjs instanceof cjs.PIIBlockedError, esmEvals.isEvaluatorError(fromCjs),
       ]));`,
		);
		expect(JSON.parse(out)).toEqual([true, true, true, true, false, false]);
	});

	it("loads ./otel through import by name (ESM), sharing the user's @opentelemetry/api", async () => {
		const out = await node(
			"otel.mjs",
			`import { Atrium } from "@monagoio/atrium-sdk";
       import { otel, GEN_AI_CONVENTIONS_VERSION } from "@monagoio/atrium-sdk/otel";
       import { propagation } from "@opentelemetry/api";
       import { W3CTraceContextPropagator } from "@opentelemetry/core";
       import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
       ${OTEL_CALL}`,
		);
		expect(JSON.parse(out)).toEqual(OTEL_EXPECTED);
	});

	it("loads ./otel through require by name (CJS); the main entry alone loads no OpenTelemetry code", async () => {
		const out = await node(
			"otel.cjs",
			`const { Atrium } = require("@monagoio/atrium-sdk");
       const loaded = Object.keys(require.cache).some((file) => file.includes("@opentelemetry"));
       const { otel, GEN_AI_CONVENTIONS_VERSION } = require("@monagoio/atrium-sdk/otel");
       const { propagation } = require("@opentelemetry/api");
       const { W3CTraceContextPropagator } = require("@opentelemetry/core");
       const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require("@opentelemetry/sdk-trace-base");
       if (loaded) throw new Error("the main entry loaded @opentelemetry");
       (async () => {${OTEL_CALL}})();`,
		);
		expect(JSON.parse(out)).toEqual(OTEL_EXPECTED);
	});
});
