/**
 * The scalars of the front matter subset: double-quoted (JSON-like escapes),
 * single-quoted, plain (refused where YAML would read something else), flow
 * lists of scalars, and literal or folded block scalars.
 */

/** A problem in the front matter, with the field it concerns when known. */
export class FrontMatterError extends Error {
	constructor(
		message: string,
		readonly field: string | null,
	) {
		super(message);
	}
}

const INDICATORS = /^[&*!%@`?|>]|^- |^-$/;

export function fail(
	line: number,
	field: string | null,
	message: string,
): never {
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

export function plain(text: string, line: number, field: string): string {
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
export function scalar(text: string, line: number, field: string): string {
	const trimmed = text.trim();
	if (trimmed.startsWith('"')) return doubleQuoted(trimmed, line, field);
	if (trimmed.startsWith("'")) return singleQuoted(trimmed, line, field);
	return plain(trimmed, line, field);
}

export function flowList(text: string, line: number, field: string): string[] {
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

export function blockScalar(
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
