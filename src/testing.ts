/**
 * `@monagoio/atrium-sdk/testing`: an offline test kit. A mock gateway whose
 * `fetch` answers with scripted replies in the gateway's exact wire form, so
 * that your tests run the SDK's real parsing, error mapping, retries and
 * streaming on blocks, redactions and faults, without a network. No test
 * runner is assumed (vitest, jest and `node:test` alike) and nothing from
 * Node is imported.
 *
 * @example
 * import { Atrium, PIIBlockedError } from "@monagoio/atrium-sdk";
 * import { mockGateway, reply } from "@monagoio/atrium-sdk/testing";
 *
 * const gateway = mockGateway([reply.block("pii")]);
 * const client = new Atrium({ apiKey: "test", fetch: gateway.fetch });
 * await expect(client.chat.completions.create(body)).rejects.toBeInstanceOf(PIIBlockedError);
 *
 * @packageDocumentation
 */

export type {
	BlockKind,
	BlockOptions,
	BlockStatus,
} from "./testing/blocks.js";
export type {
	ChoiceInit,
	CompletionInit,
	RedactedOptions,
	ToolCallInit,
} from "./testing/completion.js";
export type {
	InvalidRequestOptions,
	RetryAfterOptions,
} from "./testing/errors.js";
export type { NetworkErrorOptions } from "./testing/faults.js";
export {
	type MockFetch,
	type MockGateway,
	mockGateway,
	type ReplyScript,
} from "./testing/gateway.js";
export type { FetchInput } from "./testing/record.js";
export { reply } from "./testing/reply.js";
export type {
	FinishReason,
	GovernanceEventInit,
	StreamBlockOptions,
	StreamChunkInit,
	StreamOptions,
} from "./testing/stream.js";
export type {
	GovernanceField,
	GovernanceInput,
	RecordedBody,
	RecordedCall,
	Reply,
	ReplyExchange,
	ReplyOptions,
} from "./testing/types.js";
export { governanceHeaders } from "./testing/wire.js";
