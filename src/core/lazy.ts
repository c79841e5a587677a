/**
 * Code loaded on first use and kept, per client: a load that fails (a
 * browser that could not fetch the chunk) is forgotten, so the next call
 * tries again instead of failing for good.
 */

/** Where a client keeps the code it loaded. */
export type Loaded = Record<string, Promise<unknown> | undefined>;

/** The module `importer` gives, loaded once into `holder[key]`. */
export function load<T>(
	holder: Loaded,
	key: string,
	importer: () => Promise<T>,
): Promise<T> {
	holder[key] ??= importer().catch((error: unknown) => {
		holder[key] = undefined;
		throw error;
	});
	return holder[key] as Promise<T>;
}
