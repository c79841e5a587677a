/** Header merging by name, whatever its case, as HTTP reads header names. */

/**
 * Sets `source`'s headers on `target`, by name whatever its case: a name
 * already there in another case is replaced, never sent twice.
 */
export function setHeaders(
	target: Record<string, string>,
	source: Readonly<Record<string, string>>,
): Record<string, string> {
	for (const name of Object.keys(source)) {
		const lower = name.toLowerCase();
		for (const key of Object.keys(target))
			if (key !== name && key.toLowerCase() === lower) delete target[key];
		target[name] = source[name] as string;
	}
	return target;
}
