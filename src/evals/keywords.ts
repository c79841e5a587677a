/**
 * `keywords()`: deny-listed strings and patterns, with allow-listed phrases
 * that excuse a match inside them.
 */
import { InvalidInputError } from "../index.js";
import { describeFindings, type Located } from "./describe.js";
import { builtIn } from "./evaluator.js";
import type {
	Evaluator,
	EvaluatorOptions,
	Hold,
	Phase,
	Verdict,
} from "./types.js";

/** Options of {@link keywords}. */
export interface KeywordsOptions<P extends Phase = Phase>
	extends EvaluatorOptions<P> {
	/** What fails the evaluator: strings (see `caseSensitive`, `wholeWords`) and regular expressions (their own flags apply). */
	deny: readonly (string | RegExp)[];
	/** Phrases that excuse a deny match lying wholly inside one of them (deny `"diagnosis"`, allow `"no diagnosis"`). Default none. */
	allow?: readonly (string | RegExp)[] | undefined;
	/** Strings match with their exact case. Default false: case-insensitive, Unicode-aware (`"DIAGNOSIS"` matches `"diagnosis"`). */
	caseSensitive?: boolean | undefined;
	/** Strings match only as whole words (no letter, digit or `_` right before or after). Default false: anywhere, inside words too. */
	wholeWords?: boolean | undefined;
	/** On a stream, the longest match a regular expression may make and still be caught before any of it is shown. Default 256. */
	maxMatch?: number | undefined;
}

interface Pattern {
	/** A global copy, built once; every scan copies it again (a scan moves `lastIndex`). */
	readonly regex: RegExp;
	/** `deny[2]`, for the reason. */
	readonly label: string;
}

// The characters a Unicode-mode pattern needs escaped (\- would be an error there).
const escapePattern = (text: string) =>
	text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

function compile(
	source: string,
	list: readonly (string | RegExp)[],
	caseSensitive: boolean,
	wholeWords: boolean,
): Pattern[] {
	if (!Array.isArray(list)) {
		throw new InvalidInputError(
			`${source} must be a list of strings and regular expressions`,
		);
	}
	return list.map((item, index) => {
		const label = `${source}[${index}]`;
		if (item instanceof RegExp) {
			return {
				regex: new RegExp(item.source, `${item.flags.replace(/[gy]/g, "")}g`),
				label,
			};
		}
		if (typeof item !== "string" || item === "") {
			throw new InvalidInputError(
				`${label} must be a non-empty string or a regular expression`,
			);
		}
		const body = wholeWords
			? `(?<![\\p{L}\\p{N}_])${escapePattern(item)}(?![\\p{L}\\p{N}_])`
			: escapePattern(item);
		return { regex: new RegExp(body, caseSensitive ? "gu" : "giu"), label };
	});
}

/** Every match of the patterns in a text from `from` on: [start, end, label]. */
function scan(patterns: readonly Pattern[], text: string, from: number) {
	const found: [number, number, string][] = [];
	for (const { regex, label } of patterns) {
		const pattern = new RegExp(regex);
		pattern.lastIndex = from;
		for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
			// An empty match says nothing; step past it so the scan ends.
			if (m[0] === "") pattern.lastIndex = m.index + 1;
			else found.push([m.index, m.index + m[0].length, label]);
		}
	}
	return found.sort((a, b) => a[0] - b[0]);
}

/**
 * An evaluator that fails when a deny-listed string or pattern appears,
 * unless the match lies inside an allow-listed phrase. Strings match
 * case-insensitively anywhere unless `caseSensitive` or `wholeWords` say
 * otherwise; regular expressions keep their own flags. Its reason names the
 * deny entry and the position (`deny[0] in choice 0 at 10-19`), never the
 * text. Defaults: name `keywords`, phase `post`, action `block`.
 *
 * Deny patterns run on text the model wrote: keep your regular expressions
 * free of nested quantifiers, so hostile text cannot make them slow.
 *
 * @example
 * keywords({ deny: [/\bdiagnos(is|a)\b/i, "resep"], allow: ["bukan diagnosis"] })
 * @throws {InvalidInputError} when an option is malformed.
 */
export function keywords<P extends Phase = "post">(
	options: KeywordsOptions<P>,
): Evaluator<P> {
	const caseSensitive = options?.caseSensitive === true;
	const wholeWords = options?.wholeWords === true;
	const deny = compile("deny", options?.deny, caseSensitive, wholeWords);
	if (!deny.length)
		throw new InvalidInputError("keywords(): deny must not be empty");
	const allowList = options.allow ?? [];
	const allow = compile("allow", allowList, caseSensitive, wholeWords);
	const maxMatch = options.maxMatch ?? 256;
	if (!Number.isSafeInteger(maxMatch) || maxMatch < 1) {
		throw new InvalidInputError(
			"keywords(): maxMatch must be a whole number above 0",
		);
	}
	// How far an allow phrase may reach around a deny match.
	const reach = allowList.some((item) => item instanceof RegExp)
		? maxMatch
		: Math.max(0, ...allowList.map((item) => String(item).length));
	return builtIn<P>("keywords()", {
		name: options.name ?? "keywords",
		phase: options.phase ?? "post",
		action: options.action,
		incremental: true,
		timeout: options.timeout,
		failOpen: options.failOpen,
		evaluate(input): Verdict {
			const partial = input.phase === "post" && input.partial;
			const found: Located[] = [];
			const hold: Hold[] = [];
			input.segments.forEach(({ text, from }, segment) => {
				const start = partial ? Math.max(0, from - maxMatch) : 0;
				const excused = allow.length
					? scan(allow, text, Math.max(0, start - reach))
					: [];
				for (const [s, e, label] of scan(deny, text, start)) {
					if (excused.some(([as, ae]) => as <= s && e <= ae)) continue;
					// At the end of a stream's text so far, a match may still
					// grow, or become part of an allowed phrase: decide later.
					if (partial && e + reach >= text.length)
						hold.push({ segment, at: s });
					else found.push({ segment, label, start: s, end: e });
				}
			});
			return found.length
				? {
						pass: false,
						label: "deny",
						reason: describeFindings(found, input.segments),
						hold,
					}
				: { pass: true, hold };
		},
	});
}
