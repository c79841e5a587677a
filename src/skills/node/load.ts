/**
 * `loadSkill`: reads an Agent Skills folder into a skill. `SKILL.md` gives
 * the name, description and other fields (front matter) and the
 * instructions (body); files under `references/` become resources the model
 * reads with `read_resource`; the folder's `tools.mjs` gives its tools.
 * Scripts (`scripts/`) and assets are never read or run.
 */
import { lstat, readdir, readFile, realpath, stat } from "node:fs/promises";
import { basename, join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { InvalidInputError } from "../../index.js";
import { defineSkill, SKILL_NAME, type Skill } from "../../skills.js";
import {
	FrontMatterError,
	type FrontMatterValue,
	parseSkillMarkdown,
} from "./front-matter.js";

/** Options of {@link loadSkill}. */
export interface LoadSkillOptions {
	/** `"on-demand"` (default): the model activates it with `use_skill`; `"always"`: active from the first step. */
	readonly activate?: "always" | "on-demand" | undefined;
}

/** The limits of a skill folder. */
export const SKILL_FOLDER_LIMITS = {
	/** Bytes of `SKILL.md`. */
	skillFile: 256 * 1024,
	/** Bytes of one resource. */
	resource: 1024 * 1024,
	/** Files under `references/`. */
	resources: 200,
	/** Folder depth under `references/`. */
	depth: 4,
} as const;

const FIELDS = [
	"name",
	"description",
	"license",
	"compatibility",
	"metadata",
	"allowed-tools",
];

async function exists(path: string): Promise<boolean> {
	return stat(path).then(
		() => true,
		() => false,
	);
}

function text(
	fields: ReadonlyMap<string, FrontMatterValue>,
	field: string,
	where: string,
): string | undefined {
	const value = fields.get(field);
	if (value === undefined) return undefined;
	if (typeof value !== "string")
		throw new InvalidInputError(
			`${where}: front matter field "${field}" must be text`,
		);
	return value;
}

/** Checks the front matter against the Agent Skills format. */
function checkFields(
	fields: ReadonlyMap<string, FrontMatterValue>,
	folder: string,
	where: string,
) {
	for (const field of fields.keys()) {
		if (!FIELDS.includes(field)) {
			throw new InvalidInputError(
				`${where}: front matter field "${field}" is not in the Agent Skills format (${FIELDS.join(", ")})`,
			);
		}
	}
	const name = text(fields, "name", where);
	if (name === undefined || name === "")
		throw new InvalidInputError(
			`${where}: front matter field "name" is required`,
		);
	if (!SKILL_NAME.test(name)) {
		throw new InvalidInputError(
			`${where}: front matter field "name" must be lower-case letters, digits and single hyphens, at most 64 characters`,
		);
	}
	if (name !== folder) {
		throw new InvalidInputError(
			`${where}: front matter field "name" ("${name}") must match the folder's name ("${folder}")`,
		);
	}
	const description = text(fields, "description", where);
	if (!description?.trim())
		throw new InvalidInputError(
			`${where}: front matter field "description" is required`,
		);
	if (description.length > 1024)
		throw new InvalidInputError(
			`${where}: front matter field "description" must be at most 1024 characters`,
		);
	const compatibility = text(fields, "compatibility", where);
	if (
		compatibility !== undefined &&
		(compatibility === "" || compatibility.length > 500)
	)
		throw new InvalidInputError(
			`${where}: front matter field "compatibility" must be 1 to 500 characters`,
		);
	const metadata = fields.get("metadata");
	if (
		metadata !== undefined &&
		(typeof metadata === "string" ? metadata !== "" : Array.isArray(metadata))
	)
		throw new InvalidInputError(
			`${where}: front matter field "metadata" must be a mapping of text by key`,
		);
	const tools = fields.get("allowed-tools");
	if (tools !== undefined && typeof tools !== "string" && !Array.isArray(tools))
		throw new InvalidInputError(
			`${where}: front matter field "allowed-tools" must be text or a list`,
		);
	return {
		name,
		description,
		license: text(fields, "license", where) || undefined,
		compatibility,
		metadata:
			typeof metadata === "object" && !Array.isArray(metadata)
				? (metadata as Record<string, string>)
				: {},
		allowedTools:
			typeof tools === "string"
				? tools.split(/\s+/).filter(Boolean)
				: ((tools as string[] | undefined) ?? []),
	};
}

/** The files under `references/`, by resource name (`references/...`), each read when the model asks. */
async function references(
	root: string,
	where: string,
): Promise<Map<string, () => Promise<string>>> {
	const found = new Map<string, () => Promise<string>>();
	const walk = async (dir: string, depth: number): Promise<void> => {
		for (const entry of await readdir(dir, { withFileTypes: true })) {
			const path = join(dir, entry.name);
			const name = relative(root, path).split(sep).join("/");
			const real = await realpath(path);
			if (real !== root && !real.startsWith(root + sep))
				throw new InvalidInputError(
					`${where}: ${name} points outside the skill folder`,
				);
			const info = await stat(real);
			if (info.isDirectory()) {
				if (depth >= SKILL_FOLDER_LIMITS.depth)
					throw new InvalidInputError(
						`${where}: references/ is deeper than ${SKILL_FOLDER_LIMITS.depth} folders`,
					);
				await walk(path, depth + 1);
			} else if (info.isFile()) {
				if (found.size >= SKILL_FOLDER_LIMITS.resources)
					throw new InvalidInputError(
						`${where}: references/ holds more than ${SKILL_FOLDER_LIMITS.resources} files`,
					);
				found.set(name, async () => {
					if ((await stat(real)).size > SKILL_FOLDER_LIMITS.resource)
						throw new Error(
							`${name} is larger than ${SKILL_FOLDER_LIMITS.resource} bytes`,
						);
					return readFile(real, "utf8");
				});
			}
		}
	};
	const dir = join(root, "references");
	if (await exists(dir)) await walk(dir, 1);
	return found;
}

async function tools(root: string, where: string): Promise<unknown[]> {
	const file = join(root, "tools.mjs");
	if (!(await exists(file))) return [];
	const module: unknown = await import(pathToFileURL(file).href);
	const value = (module as { default?: unknown }).default;
	if (!Array.isArray(value))
		throw new InvalidInputError(
			`${where}: tools.mjs must export an array of tools (defineTool) as its default export`,
		);
	return value;
}

/**
 * Reads an Agent Skills folder (a `SKILL.md` with `name` and `description`
 * front matter, optional `references/` and `tools.mjs`) into a skill for
 * `runTools`. The front matter's `name` must match the folder's name.
 * `tools.mjs` is imported (it is code you trust, like any module you
 * import); `scripts/` is never run.
 *
 * @throws {InvalidInputError} when the folder or `SKILL.md` is missing, or the
 *   front matter is malformed (the message names the field).
 * @example
 * import { loadSkill } from "@monagoio/atrium-sdk/skills/node";
 * const ehr = await loadSkill("./skills/ehr-lookup");
 * await runTools(client, body, { skills: [ehr] });
 */
export async function loadSkill(
	dir: string,
	options: LoadSkillOptions = {},
): Promise<Skill> {
	if (typeof dir !== "string" || dir === "")
		throw new InvalidInputError("loadSkill needs a folder path");
	const given = resolve(dir);
	const where = join(dir, "SKILL.md");
	let root: string;
	try {
		root = await realpath(given);
		if (!(await stat(root)).isDirectory()) throw new Error("not a folder");
	} catch {
		throw new InvalidInputError(`loadSkill: there is no folder at ${dir}`);
	}
	const file = join(root, "SKILL.md");
	const info = await lstat(file).catch(() => null);
	if (!info?.isFile())
		throw new InvalidInputError(`loadSkill: there is no SKILL.md in ${dir}`);
	if (info.size > SKILL_FOLDER_LIMITS.skillFile)
		throw new InvalidInputError(
			`${where} is larger than ${SKILL_FOLDER_LIMITS.skillFile} bytes`,
		);
	let parsed: ReturnType<typeof parseSkillMarkdown>;
	try {
		parsed = parseSkillMarkdown(await readFile(file, "utf8"));
	} catch (error) {
		if (error instanceof FrontMatterError)
			throw new InvalidInputError(`${where}: ${error.message}`);
		throw error;
	}
	const fields = checkFields(parsed.fields, basename(given), where);
	return defineSkill({
		...fields,
		version: fields.metadata.version,
		instructions: parsed.body.trim(),
		tools: (await tools(root, where)) as Skill["tools"],
		resources: Object.fromEntries(await references(root, where)),
		activate: options.activate,
	});
}
