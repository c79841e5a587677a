/**
 * Handoffs: `handoff(agent, options)` offers an agent with a description
 * and an `inputFilter`; `handoffsOf(agent)` reads an agent's handoffs (a
 * function given is called) as checked `Handoff`s, one per target name.
 */
import { InvalidInputError } from "../index.js";
import {
	type Agent,
	type Handoff,
	type HandoffInputFilter,
	isAgent,
} from "./agent.js";
import { isRecord, list, optionalText } from "./checks.js";

/**
 * Offers `agent` as a handoff with options: a description for the model,
 * and an `inputFilter` that trims the conversation it gets.
 *
 * @example
 * const triage = new Agent({
 *   name: "triage", model,
 *   handoffs: [handoff(billing, { inputFilter: ({ messages }) => messages.filter((m) => m.role === "user") })],
 * });
 */
export function handoff(
	agent: Agent,
	options: {
		readonly description?: string | undefined;
		readonly inputFilter?: HandoffInputFilter | undefined;
	} = {},
): Handoff {
	if (!isAgent(agent))
		throw new InvalidInputError("handoff(agent) needs an Agent");
	if (!isRecord(options))
		throw new InvalidInputError("handoff options must be an object");
	const { inputFilter } = options;
	if (inputFilter !== undefined && typeof inputFilter !== "function")
		throw new InvalidInputError("handoff: inputFilter must be a function");
	const description =
		optionalText(options.description, "handoff: description", 1024) ??
		`Hand the conversation over to the agent "${agent.name}"${agent.description ? `: ${agent.description}` : "."}`;
	return Object.freeze({ kind: "handoff", agent, description, inputFilter });
}

/**
 * An agent's handoffs, each as a {@link Handoff} (a function given is
 * called now).
 *
 * @throws {InvalidInputError} when an entry is not an agent or a handoff, or two go to agents of one name.
 */
export function handoffsOf(agent: Agent): readonly Handoff[] {
	const given =
		typeof agent.handoffs === "function"
			? agent.handoffs()
			: (agent.handoffs ?? []);
	const entries = list(given, `Agent "${agent.name}": handoffs`);
	const seen = new Set<string>();
	return Object.freeze(
		entries.map((entry, i) => {
			const made = isAgent(entry)
				? handoff(entry)
				: isRecord(entry) && entry.kind === "handoff" && isAgent(entry.agent)
					? (entry as unknown as Handoff)
					: undefined;
			if (!made)
				throw new InvalidInputError(
					`Agent "${agent.name}": handoffs[${i}] must be an Agent or a handoff(agent, options)`,
				);
			if (seen.has(made.agent.name))
				throw new InvalidInputError(
					`Agent "${agent.name}": two handoffs go to agents named "${made.agent.name}"`,
				);
			seen.add(made.agent.name);
			return made;
		}),
	);
}
