/**
 * A strict parser for the front matter of a `SKILL.md`: the YAML subset the
 * Agent Skills format uses (`key: value` lines; plain, quoted and block
 * scalars; one level of indented mapping or list; flow lists of scalars).
 * Anything else (anchors, tags, nested blocks, flow mappings, a plain value
 * that YAML would read as a mapping) is refused with the line it is on, so
 * what it accepts, a YAML parser reads the same way. Every value is text.
 */

import {
	blockScalar,
	FrontMatterError,
	fail,
	flowList,
	plain,
	scalar,
} from "./scalars.js";

export { FrontMatterError } from "./scalars.js";

/** A front matter value: text, a list of texts, or texts by key. */
export type FrontMatterValue =
	| string
	| readonly string[]
	| Readonly<Record<string, string>>;

/** A `SKILL.md` split: its front matter fields (in order) and its Markdown body. */
export interface SkillMarkdown {
	readonly fields: ReadonlyMap<string, FrontMatterValue>;
	readonly body: string;
}

const KEY = /^([A-Za-z0-9_-]+):(?:[ \t]+(.*))?$/;

function indentedBlock(
	lines: string[],
	first: number,
	field: string,
): FrontMatterValue {
	const items = lines
		.map((text, i) => ({ text, line: first + i }))
		.filter(
			(entry) => entry.text.trim() !== "" && !entry.text.trim().startsWith("#"),
		);
	const indent = (text: string) => text.length - text.trimStart().length;
	const base = indent(items[0]?.text ?? "");
	for (const item of items) {
		if (indent(item.text) !== base)
			fail(
				item.line,
				field,
				"nested values are not supported (one level of indentation only)",
			);
	}
	if (items[0]?.text.trimStart().startsWith("-")) {
		return items.map((item) => {
			const match = /^\s*-(?:[ \t]+(.*))?$/.exec(item.text);
			if (!match)
				fail(item.line, field, 'every item of a list starts with "- "');
			return scalar(match?.[1] ?? "", item.line, field);
		});
	}
	const map: Record<string, string> = {};
	for (const item of items) {
		const match = /^\s*("[^"]*"|'[^']*'|[^\s"':#][^:]*?):(?:[ \t]+(.*))?$/.exec(
			item.text,
		);
		if (!match) fail(item.line, field, "expected `key: value` in this mapping");
		const key = scalar(match?.[1] ?? "", item.line, field);
		if (Object.hasOwn(map, key))
			fail(item.line, field, `the key "${key}" is given twice`);
		Object.defineProperty(map, key, {
			value: scalar(match?.[2] ?? "", item.line, field),
			enumerable: true,
		});
	}
	return map;
}

/**
 * Splits a `SKILL.md` into its front matter and body, and parses the front
 * matter.
 *
 * @throws {FrontMatterError} naming the line, and the field when known.
 */
export function parseSkillMarkdown(source: string): SkillMarkdown {
	const lines = source.replace(/^\uFEFF/, "").split(/\r?\n/);
	if (lines[0]?.trimEnd() !== "---")
		throw new FrontMatterError(
			"SKILL.md must start with a front matter block: a line ---",
			null,
		);
	const end = lines.findIndex(
		(line, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(line),
	);
	if (end < 0)
		throw new FrontMatterError(
			"the front matter has no closing --- line",
			null,
		);
	const fields = new Map<string, FrontMatterValue>();
	let i = 1;
	while (i < end) {
		const text = lines[i] as string;
		const line = i + 1;
		i++;
		if (text.trim() === "" || text.trimStart().startsWith("#")) continue;
		if (/^\s/.test(text)) fail(line, null, "unexpected indentation");
		const match = KEY.exec(text.trimEnd());
		if (!match) fail(line, null, "expected `key: value`");
		const field = match?.[1] as string;
		if (fields.has(field)) fail(line, field, "is given twice");
		const rest = (match?.[2] ?? "").trim();
		const block: string[] = [];
		while (
			i < end &&
			(/^\s/.test(lines[i] as string) || (lines[i] as string).trim() === "")
		) {
			block.push(lines[i] as string);
			i++;
		}
		if (block.some((l) => /^ *\t/.test(l)))
			fail(line + 1, field, "indent with spaces, not tabs");
		const continued = block.some((l) => l.trim() !== "");
		let value: FrontMatterValue;
		if (rest === "" || rest.startsWith("#"))
			value = continued ? indentedBlock(block, line + 1, field) : "";
		else if (/^[|>]/.test(rest)) value = blockScalar(rest, block, line, field);
		else if (rest.startsWith("[")) value = flowList(rest, line, field);
		else if (rest.startsWith("{"))
			fail(
				line,
				field,
				"{...} mappings are not supported; write the mapping as an indented block",
			);
		else if (!continued) value = scalar(rest, line, field);
		else if (/^["']/.test(rest))
			fail(
				line,
				field,
				"a quoted value must end on its line; use | or > for long text",
			);
		else {
			// A plain value that goes on over indented lines: YAML folds them with spaces.
			const folded = [rest, ...block.map((l) => l.trim())]
				.map((part) => (part === "" ? "\n" : part))
				.join(" ")
				.replace(/ ?\n ?/g, "\n");
			value = plain(folded, line, field);
		}
		fields.set(field, value as FrontMatterValue);
	}
	return { fields, body: lines.slice(end + 1).join("\n") };
}
