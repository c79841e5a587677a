/**
 * Runs a piece of work above single calls (a tool, an agent, a workflow)
 * inside every plugin's `wrap`, so that tracing spans and the gateway calls
 * made inside nest. The tool-run loop uses it for `execute_tool`; agents and
 * your own workflows use it for `invoke_agent` and `invoke_workflow`.
 */
import type { Atrium, AtriumPlugin, Operation } from "../index.js";

/**
 * Runs `run` inside the `wrap` of every plugin that has one, the first
 * plugin outermost (so with `[tracing, other]`, tracing's scope holds
 * other's). Gives (or throws) what `run` does, through the wrappers.
 *
 * @example
 * await wrapOperation(
 *   operationPlugins(client),
 *   { kind: "invoke_workflow", name: "discharge-summary", attributes: {} },
 *   () => summarise(visit),
 * );
 */
export function wrapOperation<T>(
	plugins: readonly AtriumPlugin[],
	operation: Operation,
	run: () => Promise<T>,
): Promise<T> {
	let inner = run;
	for (let i = plugins.length - 1; i >= 0; i--) {
		const plugin = plugins[i];
		if (typeof plugin?.wrap !== "function") continue;
		const next = inner;
		// A wrapper that calls `run` twice still runs the work once.
		let started: Promise<T> | undefined;
		const once = () => {
			started ??= next();
			return started;
		};
		const wrap = plugin.wrap;
		inner = () => wrap.call(plugin, operation, once) as Promise<T>;
	}
	return inner();
}

/** The plugins whose `wrap` a piece of work runs in: the client's, then the given ones (a run's own `plugins`). */
export function operationPlugins(
	client: Pick<Atrium, "plugins">,
	plugins: readonly AtriumPlugin[] = [],
): readonly AtriumPlugin[] {
	return [...(client.plugins ?? []), ...plugins].filter(
		(plugin) => typeof plugin?.wrap === "function",
	);
}
