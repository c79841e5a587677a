/**
 * A strict parser for the front matter of a `SKILL.md`: the YAML subset the
 * Agent Skills format uses (`key: value` lines; plain, quoted and block
 * scalars; one level of indented mapping or list; flow lists of scalars).
 * Anything else (anchors, tags, nested blocks, flow mappings, a plain value
 * that YAML would read as a mapping) is refused with the line it is on, so
 * what it accepts, a YAML parser reads the same way. Every value is text.
 */

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

/** A problem in the front matter, with the field it concerns when known. */
export class FrontMatterError extends Error {
	constructor(
		message: string,
		readonly field: string | null,
	) {
		super(message);
	}
}

const KEY = /^([A-Za-z0-9_-]+):(?:[ \t]+(.*))?$/;
const INDICATORS = /^[&*!%@`?|>]|^- |^-$/;

function fail(line: number, field: string | null, message: string): never {
	const where = field ? `field "${field}" (line ${line})` : `line ${line}`;
	throw new FrontMatterError(`front matter ${where}: ${message}`, field);
}

function doubleQuoted(text: string, line: number, field: string): string {
	let out = "";
	for (let i = 1; i < text.length; i++) {
		const char = text[i] as string;
		if (char === '"') {
			if (!/^\s*(#.*)?$/.test(text.slice(i + 1)))
				fail(line, field, "text after the closing quote");
			return out;
		}
		if (char !== "\\") {
			out += char;
			continue;
		}
		const next = text[++i];
		const simple: Record<string, string> = {
			n: "\n",
			t: "\t",
			r: "\r",
			"0": "\0",
			'"': '"',
			"\\": "\\",
			"/": "/",
			" ": " ",
		};
		if (next !== undefined && Object.hasOwn(simple, next)) out += simple[next];
		else if (
			next === "u" &&
			/^[0-9A-Fa-f]{4}$/.test(text.slice(i + 1, i + 5))
		) {
			out += String.fromCharCode(Number.parseInt(text.slice(i + 1, i + 5), 16));
			i += 4;
		} else fail(line, field, `unsupported escape "\\${next ?? ""}"`);
	}
	return fail(line, field, "a quoted value must end on its line");
}

function singleQuoted(text: string, line: number, field: string): string {
	let out = "";
	for (let i = 1; i < text.length; i++) {
		const char = text[i] as string;
		if (char !== "'") out += char;
		else if (text[i + 1] === "'") {
			out += "'";
			i++;
		} else {
			if (!/^\s*(#.*)?$/.test(text.slice(i + 1)))
				fail(line, field, "text after the closing quote");
			return out;
		}
	}
	return fail(line, field, "a quoted value must end on its line");
}

function plain(text: string, line: number, field: string): string {
	const value = text.replace(/(^|\s)#.*$/, "").trim();
	if (INDICATORS.test(value))
		fail(
			line,
			field,
			"anchors, aliases, tags and complex keys are not supported; quote the value",
		);
	if (/: |:$/.test(value))
		fail(
			line,
			field,
			'a plain value may not hold ": " (YAML would read a mapping); quote it',
		);
	if (/^[[{]/.test(value))
		fail(line, field, "quote a value that starts with [ or {");
	return value;
}

/** One scalar: quoted or plain. */
function scalar(text: string, line: number, field: string): string {
	const trimmed = text.trim();
	if (trimmed.startsWith('"')) return doubleQuoted(trimmed, line, field);
	if (trimmed.startsWith("'")) return singleQuoted(trimmed, line, field);
	return plain(trimmed, line, field);
}

function flowList(text: string, line: number, field: string): string[] {
	const inner = text.trim();
	if (!inner.endsWith("]")) fail(line, field, "a [list] must end on its line");
	const items: string[] = [];
	let current = "";
	let quote: string | null = null;
	for (const char of inner.slice(1, -1)) {
		if (quote) {
			current += char;
			if (char === quote) quote = null;
		} else if (char === '"' || char === "'") {
			quote = char;
			current += char;
		} else if (char === ",") {
			items.push(current);
			current = "";
		} else if (char === "[" || char === "{") {
			fail(line, field, "nested lists and mappings are not supported");
		} else current += char;
	}
	if (current.trim() !== "" || items.length) items.push(current);
	return items.map((item) => scalar(item, line, field));
}

function blockScalar(
	header: string,
	lines: string[],
	line: number,
	field: string,
): string {
	const match = /^([|>])([+-]?)\s*(#.*)?$/.exec(header);
	if (!match)
		fail(
			line,
			field,
			"a block value starts with |, |-, |+, > , >- or >+ alone",
		);
	const indent = Math.min(
		...lines
			.filter((l) => l.trim())
			.map((l) => l.length - l.trimStart().length),
	);
	const content = lines.map((l) => l.slice(indent).replace(/\s+$/, ""));
	let text: string;
	if (match?.[1] === "|") text = content.join("\n");
	else {
		text = "";
		content.forEach((part, i) => {
			if (part === "") text += "\n";
			else text += (i > 0 && content[i - 1] !== "" ? " " : "") + part;
		});
	}
	text = text.replace(/\n+$/, "");
	const chomp = match?.[2];
	let trailing = 0;
	while (lines[lines.length - 1 - trailing]?.trim() === "") trailing++;
	if (chomp === "+") return `${text}\n${"\n".repeat(trailing)}`;
	return chomp === "-" || text === "" ? text : `${text}\n`;
}

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
