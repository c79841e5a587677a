/**
 * loadSkill: an Agent Skills folder (test/fixtures/skills/ehr-lookup) read
 * into a skill a run discloses progressively, and malformed folders refused
 * with an InvalidInputError that names the field.
 */
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
import { afterAll, describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/index.js";
import { parseSkillMarkdown } from "../../src/skills/node/front-matter.js";
import { READ_RESOURCE, runTools, USE_SKILL } from "../../src/skills.js";
import { loadSkill } from "../../src/skills-node.js";
import { reply } from "../../src/testing.js";
import { BODY, kitClient } from "./helpers.js";

const FIXTURE = new URL("../fixtures/skills/ehr-lookup", import.meta.url)
	.pathname;
const scratch = mkdtempSync(join(tmpdir(), "atrium-skills-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A skill folder in a temp dir: SKILL.md and any other files. */
function folder(
	name: string,
	skill: string,
	files: Record<string, string> = {},
): string {
	const dir = join(mkdtempSync(join(scratch, "case-")), name);
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, "SKILL.md"), skill);
	for (const [path, text] of Object.entries(files)) {
		mkdirSync(join(dir, path, ".."), { recursive: true });
		writeFileSync(join(dir, path), text);
	}
	return dir;
}

describe("loadSkill on an Agent Skills folder", () => {
	it("reads the front matter, the body as instructions, references/ as resources and tools.mjs as tools", async () => {
		const skill = await loadSkill(FIXTURE);
		expect(skill).toMatchObject({
			name: "ehr-lookup",
			description:
				"Look up patient records in the hospital EHR. Use when a nurse asks about a patient by medical record number (MRN).",
			version: "1.2.0",
			license: "Proprietary. LICENSE.txt has complete terms",
			compatibility: "Needs the hospital EHR API: network access",
			metadata: { author: "monago", version: "1.2.0" },
			allowedTools: ["lookup_patient", "Read"],
			activate: "on-demand",
		});
		expect(skill.instructions).toMatch(
			/^# EHR lookup\n\nAlways confirm the MRN/,
		);
		expect([...skill.resources].sort()).toEqual([
			"references/forms/discharge.md",
			"references/wards.md",
		]);
		expect(skill.tools.map((tool) => tool.name)).toEqual(["lookup_patient"]);
		expect(await skill.readResource("references/wards.md")).toContain(
			"PARU: pulmonology",
		);
	});

	it("never runs scripts/, and a run discloses the loaded skill step by step", async () => {
		const marker = join(scratch, "script-ran");
		process.env.ATRIUM_SKILL_SCRIPT_MARKER = marker;
		try {
			const skill = await loadSkill(FIXTURE, { activate: "on-demand" });
			const { client, gateway } = kitClient([
				reply.toolCalls([
					{ name: USE_SKILL, arguments: { name: "ehr-lookup" } },
				]),
				reply.toolCalls([
					{ name: "lookup_patient", arguments: { mrn: "MRN-1" } },
					{
						name: READ_RESOURCE,
						arguments: {
							skill: "ehr-lookup",
							name: "references/forms/discharge.md",
						},
					},
					{
						name: READ_RESOURCE,
						arguments: { skill: "ehr-lookup", name: "scripts/export.mjs" },
					},
				]),
				reply.completion("ok"),
			]);
			const result = await runTools(client, BODY, { skills: [skill] });
			expect(gateway.calls[0]?.text).not.toContain("Always confirm");
			expect(gateway.calls[1]?.body?.messages.at(-1)?.content).toContain(
				"Always confirm the MRN",
			);
			const answers = gateway.calls[2]?.body?.messages
				.slice(-3)
				.map((m) => m.content);
			expect(answers?.[0]).toBe(
				'{"mrn":"MRN-1","name":"Pasien A","ward":"PARU"}',
			);
			expect(answers?.[1]).toContain("# Discharge form");
			expect(answers?.[2]).toMatch(/has no resource "scripts\/export\.mjs"/);
			expect(
				result.steps.filter((s) => s.kind === "tool").map((s) => s.outcome),
			).toEqual(["ok", "ok", "ok", "error"]);
			expect(existsSync(marker)).toBe(false);
		} finally {
			delete process.env.ATRIUM_SKILL_SCRIPT_MARKER;
		}
	});
});

const OK = "name: demo\ndescription: A demo skill\n";

describe("loadSkill on malformed folders", () => {
	it.each([
		[
			"no front matter",
			"demo",
			"# Demo\n",
			/SKILL\.md must start with a front matter block/,
		],
		["no closing line", "demo", `---\n${OK}# Demo\n`, /no closing --- line/],
		[
			"a name that does not match the folder",
			"other-folder",
			`---\n${OK}---\n`,
			/field "name" \("demo"\) must match the folder's name \("other-folder"\)/,
		],
		[
			"an upper-case name",
			"Demo",
			"---\nname: Demo\ndescription: d\n---\n",
			/field "name" must be lower-case letters/,
		],
		[
			"no name",
			"demo",
			"---\ndescription: d\n---\n",
			/field "name" is required/,
		],
		[
			"no description",
			"demo",
			"---\nname: demo\n---\n",
			/field "description" is required/,
		],
		[
			"a description too long",
			"demo",
			`---\nname: demo\ndescription: ${"d".repeat(1025)}\n---\n`,
			/field "description" must be at most 1024/,
		],
		[
			"a field outside the format",
			"demo",
			`---\n${OK}model: gpt-5\n---\n`,
			/field "model" is not in the Agent Skills format/,
		],
		[
			"a field given twice",
			"demo",
			`---\n${OK}name: demo\n---\n`,
			/field "name" \(line 4\): is given twice/,
		],
		[
			"an anchor",
			"demo",
			"---\nname: &n demo\ndescription: d\n---\n",
			/field "name" \(line 2\): anchors, aliases, tags/,
		],
		[
			"a tag",
			"demo",
			"---\nname: demo\ndescription: !!str d\n---\n",
			/field "description" \(line 3\): anchors, aliases, tags/,
		],
		[
			"a plain value YAML reads as a mapping",
			"demo",
			"---\nname: demo\ndescription: Use when: always\n---\n",
			/field "description" \(line 3\): a plain value may not hold ": "/,
		],
		[
			"a nested mapping",
			"demo",
			`---\n${OK}metadata:\n  a:\n    b: c\n---\n`,
			/field "metadata" \(line \d\): nested values are not supported/,
		],
		[
			"a flow mapping",
			"demo",
			`---\n${OK}metadata: { a: b }\n---\n`,
			/field "metadata" \(line 4\): \{\.\.\.\} mappings are not supported/,
		],
		[
			"metadata as a list",
			"demo",
			`---\n${OK}metadata:\n  - a\n---\n`,
			/field "metadata" must be a mapping/,
		],
		[
			"an unclosed quote",
			"demo",
			'---\nname: demo\ndescription: "d\n---\n',
			/field "description" \(line 3\): a quoted value must end on its line/,
		],
		[
			"a bad escape",
			"demo",
			'---\nname: demo\ndescription: "\\q"\n---\n',
			/unsupported escape "\\q"/,
		],
		[
			"tabs",
			"demo",
			`---\n${OK}metadata:\n\ta: b\n---\n`,
			/indent with spaces, not tabs/,
		],
		[
			"a key line without a colon",
			"demo",
			`---\n${OK}oops\n---\n`,
			/line 4: expected `key: value`/,
		],
	])("refuses %s, naming the field", async (_case, name, text, message) => {
		const error = await loadSkill(folder(name, text)).then(
			() => null,
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(InvalidInputError);
		expect((error as Error).message).toMatch(message);
		expect((error as Error).message).toContain("SKILL.md");
	});

	it("refuses a missing folder or SKILL.md, tools.mjs without an array, and references/ that point outside", async () => {
		await expect(loadSkill(join(scratch, "nowhere"))).rejects.toThrow(
			/there is no folder at/,
		);
		const empty = join(mkdtempSync(join(scratch, "case-")), "demo");
		mkdirSync(empty);
		await expect(loadSkill(empty)).rejects.toThrow(/there is no SKILL\.md in/);
		const badTools = folder("demo", `---\n${OK}---\n`, {
			"tools.mjs": "export default { run() {} };\n",
		});
		await expect(loadSkill(badTools)).rejects.toThrow(
			/tools\.mjs must export an array of tools/,
		);
		const outside = folder("demo", `---\n${OK}---\n`);
		mkdirSync(join(outside, "references"));
		symlinkSync("/etc", join(outside, "references", "etc"));
		await expect(loadSkill(outside)).rejects.toThrow(
			/references\/etc points outside the skill folder/,
		);
	});
});

describe("the front matter subset", () => {
	it.each([
		['name: "a \\"b\\" \\u00e9"', 'a "b" é'],
		["name: 'it''s'", "it's"],
		["name: plain  # a comment", "plain"],
		["name: |\n  line one\n  line two\n", "line one\nline two\n"],
		["name: >-\n  folded\n  text\n\n  para\n", "folded text\npara"],
		["name: goes on\n  over lines", "goes on over lines"],
		["name: [a, 'b c', \"d\"]", ["a", "b c", "d"]],
		["name:\n  - a\n  - 'b'", ["a", "b"]],
		["name:\n  a: '1.0'\n  b: two", { a: "1.0", b: "two" }],
		["name: 1.0", "1.0"],
	])("reads %j", (line, value) => {
		const { fields, body } = parseSkillMarkdown(
			`\uFEFF---\r\n${line.replace(/\n/g, "\r\n")}\r\n---\r\nbody`,
		);
		expect(fields.get("name")).toEqual(value);
		expect(body).toBe("body");
	});
});
