/**
 * The parts of the call path that only some calls need: plugins and request
 * metadata. Loaded with a client's first call that uses either, so a call
 * without them never loads (or, in a browser, downloads) this code.
 */
import {
	type Metadata,
	type MetadataHeaders,
	type MetadataUpdate,
	mergeMetadata,
	metadataHeaders,
} from "../metadata/metadata.js";
import { checkHeaders } from "./checks.js";
import type { Endpoint } from "./endpoint.js";
import type { Log } from "./logger.js";
import type { AtriumPlugin, RequestOptions } from "./options.js";
import { type CallState, checkPlugins, PluginRunner } from "./plugins.js";

/** The client's side of the extras: what it was given, and what was made of it once. */
export interface ExtrasHost {
	readonly endpoint: Endpoint;
	readonly log: Log;
	/** The client's plugins as given. */
	readonly plugins: readonly AtriumPlugin[];
	/** The client's metadata as given. */
	readonly metadata: MetadataUpdate | undefined;
	/** The client's plugins and metadata, checked (and the metadata encoded) with its first call. */
	checked?: {
		readonly plugins: readonly AtriumPlugin[];
		readonly metadata: Metadata;
		readonly headers: MetadataHeaders;
	};
}

/**
 * Sets up a call's metadata (the client's merged with the call's) and its
 * plugins (the client's, then the call's, each checked); returns the call's
 * plugin runner, when it has plugins.
 *
 * @throws {@link InvalidInputError} when a plugin or the metadata is malformed.
 */
export function prepare(
	host: ExtrasHost,
	call: CallState,
	options: RequestOptions,
): PluginRunner | undefined {
	if (!host.checked) {
		const metadata = Object.freeze(mergeMetadata({}, host.metadata ?? {}));
		host.checked = {
			plugins: checkPlugins("plugins", host.plugins),
			metadata,
			headers: metadataHeaders(metadata),
		};
	}
	const { checked } = host;
	const plugins =
		options.plugins === undefined
			? checked.plugins
			: [...checked.plugins, ...checkPlugins("plugins", options.plugins)];
	// A mutable copy whenever plugins may change it.
	call.metadata =
		options.metadata !== undefined
			? mergeMetadata(checked.metadata, options.metadata)
			: plugins.length
				? { ...checked.metadata }
				: (checked.metadata as Record<string, string>);
	if (!plugins.length) return undefined;
	// Plugins change the call's own copy, never the caller's object.
	call.body = { ...call.body };
	call.evaluations = [];
	return new PluginRunner(plugins, call, host.endpoint, host.log);
}

/**
 * Once plugins are done with the call: checks the headers they may have set,
 * freezes the call's metadata and gives its headers (checked against the
 * limits).
 *
 * @throws {@link InvalidInputError} when a header or the metadata breaks a rule.
 */
export function encode(host: ExtrasHost, call: CallState): MetadataHeaders {
	checkHeaders("headers", call.headers);
	const sent = Object.freeze(call.metadata);
	return sent === host.checked?.metadata
		? host.checked.headers
		: metadataHeaders(sent);
}
