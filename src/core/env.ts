/** Environment access that is safe where there is no `process` (browsers, edge runtimes). */

/** The value of an environment variable; undefined when unset, empty, or there is no environment. */
export function readEnv(name: string): string | undefined {
	const env = (
		globalThis as { process?: { env?: Record<string, string | undefined> } }
	).process?.env;
	const value = env?.[name]?.trim();
	return value ? value : undefined;
}

/** Whether this looks like a web page (a window with a document), where a key would be public. */
export function isBrowser(): boolean {
	const scope = globalThis as { window?: unknown; document?: unknown };
	return (
		typeof scope.window !== "undefined" && typeof scope.document !== "undefined"
	);
}
