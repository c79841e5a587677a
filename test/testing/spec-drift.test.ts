/**
 * The test kit against openapi/atrium.yaml, read here at test time: every
 * named response example has a kit builder that reproduces it, and every
 * response the kit sends has a status, content type, headers and body (each
 * SSE event too) that the spec declares and its schemas accept. Adding an
 * example to the spec without a builder, or changing the wire form on either
 * side alone, fails here.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import {
	deref,
	loadSpec,
	type Node,
	responseExamples,
	responses,
} from "../../scripts/spec-examples.js";
import { SPEC_EXAMPLES } from "../../src/testing/spec-examples.js";
import {
	governanceHeaders,
	mockGateway,
	type Reply,
	reply,
} from "../../src/testing.js";

const spec = loadSpec();
const RESPONSES = responses(spec);
const EXAMPLES = responseExamples(spec);
const ajv = new Ajv2020({
	strict: false,
	allErrors: true,
	validateSchema: false,
});
ajv.addSchema(spec, "atrium.yaml");

const post = ((spec.paths as Node)["/chat/completions"] as Node).post as Node;
const content = (deref(spec, post.requestBody).content as Node)[
	"application/json"
] as Node;
/** The spec's own request example: what the kit answers in these tests. */
const REQUEST = ((content.examples as Node).quickstart as Node).value as Node;

function validate(schema: unknown, value: unknown, what: string): void {
	const ref = (schema as Node).$ref;
	const check =
		typeof ref === "string"
			? ajv.getSchema(`atrium.yaml${ref}`)
			: ajv.compile(schema as Node);
	if (!check) throw new Error(`no schema at ${String(ref)}`);
	if (!check(value)) {
		throw new Error(
			`${what} does not match the spec: ${ajv.errorsText(check.errors)}\n${JSON.stringify(value)}`,
		);
	}
}

interface SseEvent {
	readonly event: string;
	readonly data: string;
}

function parseSse(text: string): SseEvent[] {
	return text
		.split(/\n\n/)
		.filter((block) => block.trim())
		.map((block) => {
			const lines = block.split("\n");
			const event =
				lines.find((line) => line.startsWith("event: "))?.slice(7) ?? "message";
			const data = lines
				.filter((line) => line.startsWith("data: "))
				.map((line) => line.slice(6));
			return { event, data: data.join("\n") };
		});
}

/** Checks a kit response against the spec's response for its status; gives back its body (JSON, or SSE events). */
async function conforms(response: Response): Promise<unknown> {
	const declared = RESPONSES.get(response.status);
	if (!declared)
		throw new Error(`the spec declares no ${response.status} response`);
	const headers = Object.entries((declared.headers ?? {}) as Node);
	for (const [name, header] of headers) {
		const value = response.headers.get(name);
		// Governance headers come on every response; the others (Retry-After, ...) when they apply.
		if (/^x-monago-/i.test(name))
			expect(value, `${response.status} ${name}`).not.toBeNull();
		if (value !== null)
			validate(
				deref(spec, header).schema,
				value,
				`${response.status} header ${name}`,
			);
	}
	const known = headers.map(([name]) => name.toLowerCase());
	for (const [name] of response.headers) {
		if (name.startsWith("x-monago-"))
			expect(
				known,
				`${response.status} sends ${name}, which the spec does not list`,
			).toContain(name);
	}
	const type = (response.headers.get("content-type") ?? "").split(";")[0] ?? "";
	const media = (declared.content as Node | undefined)?.[type] as
		| Node
		| undefined;
	if (!media)
		throw new Error(
			`the spec's ${response.status} response has no ${type} content`,
		);
	const text = await response.text();
	if (type === "application/json") {
		const body = JSON.parse(text);
		validate(media.schema, body, `${response.status} body`);
		return body;
	}
	const kinds = (deref(spec, media.schema)["x-atrium-events"] ?? {}) as Node;
	const events = parseSse(text);
	for (const { event, data } of events) {
		if (data === "[DONE]") continue;
		expect(Object.keys(kinds), `the spec knows no event ${event}`).toContain(
			event,
		);
		validate(kinds[event], JSON.parse(data), `event ${event}`);
	}
	return events;
}

async function send(answer: Reply, stream = false): Promise<Response> {
	const gateway = mockGateway(answer);
	const body = stream
		? { ...REQUEST, stream: true, stream_options: { include_usage: true } }
		: REQUEST;
	return gateway.fetch("https://api.monago.io/v1/chat/completions", {
		method: "POST",
		body: JSON.stringify(body),
	});
}

/** The fields one call makes its own: its ids, time and model. */
function normalize(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(normalize);
	if (typeof value !== "object" || value === null) return value;
	const out: Record<string, unknown> = {};
	for (const [key, field] of Object.entries(value)) {
		out[key] =
			["id", "created", "model", "system_fingerprint"].includes(key) &&
			typeof field !== "object"
				? `<${key}>`
				: normalize(field);
	}
	return out;
}

/** Events with their data normalized; `usage: null` on a chunk reads as no usage (OpenAI sends it on every chunk once usage is asked for), and `obfuscation` is left out. */
const normalizeSse = (events: readonly SseEvent[]) =>
	events.map(({ event, data }) => {
		if (data === "[DONE]") return { event, data };
		// Obfuscation is padding that differs per chunk and per call.
		const { usage, obfuscation: _padding, ...chunk } = JSON.parse(data);
		return {
			event,
			data: normalize(usage === null ? chunk : { ...chunk, usage }),
		};
	});

/** Each spec example's kit builder, per status; a status the builder cannot send throws. */
const BUILDERS: Record<
	string,
	(status: number, value: unknown) => { reply: Reply; stream?: boolean }
> = {
	pii_blocked: (status) => ({
		reply: reply.block("pii", { status: status as 400 }),
	}),
	security_block: (status) => ({
		reply: reply.block("security", { status: status as 400 }),
	}),
	model_not_allowed: (status) => ({
		reply: reply.block("model", { status: status as 400 }),
	}),
	policy_blocked: (status) => ({
		reply: reply.block("policy", { status: status as 400 }),
	}),
	invalid_request: (status) => ({
		reply: reply.invalidRequest(undefined, { status: status as 400 }),
	}),
	invalid_api_key: () => ({ reply: reply.authError() }),
	forbidden: () => ({ reply: reply.authError({ status: 403 }) }),
	rate_limited: () => ({ reply: reply.rateLimit() }),
	internal_error: (status) => ({ reply: reply.serverError(status) }),
	provider_unavailable: (status) => ({ reply: reply.serverError(status) }),
	redacted: (_status, value) => {
		const body = value as {
			choices: { message: { content: string } }[];
			usage: never;
		};
		return {
			reply: reply.redacted({
				content: body.choices[0]?.message.content,
				usage: body.usage,
			}),
		};
	},
	stream: (_status, value) => {
		const chunks = parseSse(String(value))
			.filter(({ data }) => data !== "[DONE]")
			.map(({ data }) => JSON.parse(data));
		const text = chunks.flatMap((chunk) =>
			chunk.choices.length ? [chunk.choices[0].delta.content ?? ""] : [],
		);
		const usage = chunks.find((chunk) => chunk.usage)?.usage ?? false;
		return { reply: reply.stream(text, { usage }), stream: true };
	},
};

describe("the kit against openapi/atrium.yaml", () => {
	it("has the spec's examples in its generated table (npm run generate after a spec change)", () => {
		expect(SPEC_EXAMPLES).toEqual(
			Object.fromEntries(
				EXAMPLES.map(({ name, statuses, mediaType, value }) => [
					name,
					{ statuses, mediaType, value },
				]),
			),
		);
	});

	it("has a builder for every named response example of the spec", () => {
		const missing = EXAMPLES.map(({ name }) => name).filter(
			(name) => !Object.hasOwn(BUILDERS, name),
		);
		expect(
			missing,
			"the spec has examples the kit has no builder for: add a reply.* builder and map it here",
		).toEqual([]);
	});

	for (const { name, statuses, mediaType, value } of EXAMPLES) {
		for (const status of statuses) {
			it(`reproduces the spec's example ${name} at ${status} (${mediaType})`, async () => {
				const build = BUILDERS[name];
				if (!build) throw new Error(`no builder for ${name}`);
				const { reply: answer, stream } = build(status, value);
				const response = await send(answer, stream);
				expect(response.status).toBe(status);
				expect(response.headers.get("content-type")).toContain(mediaType);
				const body = await conforms(response);
				if (mediaType === "text/event-stream") {
					expect(normalizeSse(body as SseEvent[])).toEqual(
						normalizeSse(parseSse(String(value))),
					);
				} else {
					expect(normalize(body)).toEqual(normalize(value));
				}
			});
		}
	}

	it("knows every governance field of the spec and the header that carries it", () => {
		const event = deref(spec, { $ref: "#/components/schemas/GovernanceEvent" });
		const fields = Object.keys(event.properties as Node);
		const sent = Object.keys(
			governanceHeaders(
				Object.fromEntries(fields.map((field) => [field, null])),
			),
		);
		const declared = Object.keys(
			(RESPONSES.get(200)?.headers ?? {}) as Node,
		).filter((name) => /^x-monago-/i.test(name));
		expect(sent.sort()).toEqual(declared.sort());
	});
});

describe("every response the kit sends conforms to the spec", () => {
	const CASES: ReadonlyArray<readonly [string, () => Reply, boolean]> = [
		[
			"completion",
			() =>
				reply.completion("ok", {
					governance: { pii_redacted: ["NIK", "EMAIL"] },
				}),
			false,
		],
		["completion, streamed", () => reply.completion("ok"), true],
		[
			"toolCalls",
			() => reply.toolCalls([{ name: "lookup", arguments: { id: 1 } }]),
			false,
		],
		[
			"toolCalls, streamed",
			() => reply.toolCalls([{ name: "lookup", arguments: { id: 1 } }]),
			true,
		],
		["redacted, streamed", () => reply.redacted("ok"), true],
		[
			"block with options",
			() =>
				reply.block("pii", {
					status: 451,
					block_reason: "PII detected: NIK",
					audit_id: "a-1",
				}),
			false,
		],
		["invalidRequest", () => reply.invalidRequest("bad"), false],
		["rateLimit with seconds", () => reply.rateLimit({ retryAfter: 3 }), false],
		[
			"serverError 503 with a wait",
			() => reply.serverError(503, { retryAfterMs: 0 }),
			false,
		],
		[
			"stream with governance events and usage",
			() =>
				reply.stream("a b c", {
					governanceEvents: [
						{
							after: 1,
							governance: { pii_detected: true, cost_idr: 1.5, audit_id: null },
						},
					],
				}),
			true,
		],
		[
			"stream blocked after a chunk",
			() =>
				reply.stream("a b c", {
					blockAfter: 1,
					block: { kind: "security", status: 451 },
				}),
			true,
		],
		[
			"stream with a provider error",
			() => reply.stream("a b c", { errorAfter: 2 }),
			true,
		],
	];
	for (const [what, build, stream] of CASES) {
		it(what, async () => {
			await conforms(await send(build(), stream));
		});
	}
});
