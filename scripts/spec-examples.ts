/**
 * Reads openapi/atrium.yaml for the test kit: the operation's responses with
 * their `$ref`s resolved, and every named response example with the statuses
 * that carry it. Used by scripts/generate-examples.ts and the spec-drift test.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export const root = new URL("..", import.meta.url).pathname;
export const specPath = join(root, "openapi/atrium.yaml");

/** A JSON-ish node of the spec. */
export type Node = Record<string, unknown>;

/** One named example: where it is sent and what it holds. */
export interface ResponseExample {
	readonly name: string;
	readonly statuses: number[];
	readonly mediaType: string;
	readonly value: unknown;
}

/** The parsed spec (YAML anchors and aliases resolved by the parser). */
export function loadSpec(): Node {
	return parse(readFileSync(specPath, "utf8"), { maxAliasCount: -1 }) as Node;
}

function isNode(value: unknown): value is Node {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Follows a local `$ref` ("#/components/...") until a node without one. */
export function deref(spec: Node, node: unknown): Node {
	let current = node;
	for (let hops = 0; isNode(current) && typeof current.$ref === "string"; ) {
		if (++hops > 32) throw new Error(`$ref loop at ${current.$ref}`);
		const path = current.$ref.replace(/^#\//, "").split("/");
		current = path.reduce<unknown>(
			(at, key) => (isNode(at) ? at[key] : undefined),
			spec,
		);
	}
	if (!isNode(current)) throw new Error("a $ref points at nothing");
	return current;
}

/** The responses of `POST /chat/completions`, by status, with their `$ref`s resolved. */
export function responses(spec: Node): Map<number, Node> {
	const paths = spec.paths as Node;
	const post = (paths["/chat/completions"] as Node).post as Node;
	const out = new Map<number, Node>();
	for (const [status, response] of Object.entries(post.responses as Node)) {
		out.set(Number(status), deref(spec, response));
	}
	return out;
}

/**
 * Every named response example of the operation. A name used by several
 * statuses (the block examples at 400, 422 and 451) is one example with all
 * its statuses; the same name with two different values is an error.
 */
export function responseExamples(spec: Node): ResponseExample[] {
	const byName = new Map<string, ResponseExample>();
	for (const [status, response] of responses(spec)) {
		const content = isNode(response.content) ? response.content : {};
		for (const [mediaType, media] of Object.entries(content)) {
			const examples =
				isNode(media) && isNode(media.examples) ? media.examples : {};
			for (const [name, example] of Object.entries(examples)) {
				const { value } = deref(spec, example);
				const seen = byName.get(name);
				if (!seen) {
					byName.set(name, { name, statuses: [status], mediaType, value });
				} else if (
					seen.mediaType === mediaType &&
					JSON.stringify(seen.value) === JSON.stringify(value)
				) {
					seen.statuses.push(status);
				} else {
					throw new Error(
						`example ${name} has two different values (${seen.statuses.join(", ")} and ${status}): give them different names`,
					);
				}
			}
		}
	}
	return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}
