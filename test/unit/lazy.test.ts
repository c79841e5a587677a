import { describe, expect, it } from "vitest";
import { type Loaded, load } from "../../src/core/lazy.js";

describe("load", () => {
	it("loads once and shares the load, but forgets one that failed so the next call tries again", async () => {
		const holder: Loaded = {};
		let tries = 0;
		const importer = async () => {
			tries++;
			if (tries === 1)
				throw new TypeError("Failed to fetch dynamically imported module");
			return { value: tries };
		};
		await expect(load(holder, "chunk", importer)).rejects.toThrow(
			"Failed to fetch",
		);
		const [a, b] = await Promise.all([
			load(holder, "chunk", importer),
			load(holder, "chunk", importer),
		]);
		expect(a).toEqual({ value: 2 });
		expect(b).toBe(a);
		expect(await load(holder, "chunk", importer)).toBe(a);
		expect(tries).toBe(2);
	});
});
