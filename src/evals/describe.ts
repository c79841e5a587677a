/** Names where a finding is, for a verdict's reason: never the text found. */
import type { TextSegment } from "./types.js";

/** A finding in a segment: its label and span. */
export interface Located {
	readonly segment: number;
	readonly label: string;
	readonly start: number;
	readonly end: number;
}

/** Where a segment is: `message 0`, `message 1 part 2`, `choice 0 tool call 1`. */
export function place(segment: TextSegment | undefined): string {
	if (!segment) return "?";
	const parts: string[] = [];
	if (segment.message !== null) parts.push(`message ${segment.message}`);
	if (segment.choice !== null) parts.push(`choice ${segment.choice}`);
	if (segment.part !== null) parts.push(`part ${segment.part}`);
	if (segment.tool_call !== null) parts.push(`tool call ${segment.tool_call}`);
	return parts.join(" ");
}

const SHOWN = 5;

/** `NIK in message 0 at 8-24; EMAIL in message 1 at 0-17 (and 3 more)`. */
export function describeFindings(
	found: readonly Located[],
	segments: readonly TextSegment[],
): string {
	const shown = found
		.slice(0, SHOWN)
		.map(
			(f) =>
				`${f.label} in ${place(segments[f.segment])} at ${f.start}-${f.end}`,
		)
		.join("; ");
	return found.length > SHOWN
		? `${shown} (and ${found.length - SHOWN} more)`
		: shown;
}
