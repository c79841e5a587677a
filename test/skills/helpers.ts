/** Shared pieces of the skills tests: a client over the test kit, a body, tools. */
import { Atrium, type AtriumOptions } from "../../src/index.js";
import { defineTool, type ToolContext } from "../../src/skills.js";
import { mockGateway, type ReplyScript } from "../../src/testing.js";

/** A client whose gateway is the test kit's mock, and the mock. */
export function kitClient(script: ReplyScript, options: AtriumOptions = {}) {
	const gateway = mockGateway(script);
	const client = new Atrium({
		apiKey: "sk-mng-unit",
		fetch: gateway.fetch,
		maxRetries: 0,
		...options,
	});
	return { gateway, client };
}

/** A minimal run body. */
export const BODY = {
	model: "gpt-5.4-mini",
	messages: [{ role: "user" as const, content: "Cari pasien MRN-1" }],
};

/** A promise and its resolver. */
export function deferred<T = void>() {
	let resolve!: (value: T) => void;
	const promise = new Promise<T>((done) => {
		resolve = done;
	});
	return { promise, resolve };
}

/** A tool that looks a patient up by MRN, recording every call it gets; `run` replaces its own. */
export function lookupTool(
	seen: string[] = [],
	run?: (args: { mrn: string }, ctx: ToolContext) => unknown,
) {
	return defineTool<{ mrn: string }>({
		name: "lookup_patient",
		description: "Find a patient's record by medical record number",
		parameters: {
			type: "object",
			properties: { mrn: { type: "string", pattern: "^MRN-" } },
			required: ["mrn"],
			additionalProperties: false,
		},
		run: (args, ctx) => {
			if (run) return run(args, ctx);
			const { mrn } = args;
			seen.push(mrn);
			return { mrn, name: "Pasien A", ward: "Paru" };
		},
	});
}
