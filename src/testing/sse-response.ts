/**
 * A `text/event-stream` response whose body hands out one event per read,
 * as a network would, and fails the way undici's does: with the abort
 * signal's reason when the request is aborted, with `TypeError: terminated`
 * when the connection drops.
 */
import type {
	ChatCompletionBody,
	ChatCompletionChunk,
	CompletionUsage,
} from "../index.js";
import { DONE, dataEvent, frame, type SseEvent } from "./wire.js";

/** One step of a scripted stream: an event, or the connection dropping. */
export type StreamStep = SseEvent | "disconnect";

/** The fields every chunk of a completion repeats. */
export type ChunkHead = Pick<
	ChatCompletionChunk,
	"id" | "object" | "created" | "model" | "service_tier" | "system_fingerprint"
>;

/** The response of a stream of `steps`, with the given headers. */
export function sseResponse(
	steps: readonly StreamStep[],
	headers: Readonly<Record<string, string>>,
	signal: AbortSignal | undefined,
): Response {
	const encoder = new TextEncoder();
	let next = 0;
	let stop = () => {};
	const body = new ReadableStream<Uint8Array>({
		start(controller) {
			if (!signal) return;
			const onAbort = () => controller.error(signal.reason);
			if (signal.aborted) return onAbort();
			signal.addEventListener("abort", onAbort, { once: true });
			stop = () => signal.removeEventListener("abort", onAbort);
		},
		pull(controller) {
			const step = steps[next++];
			if (step === undefined) {
				stop();
				controller.close();
			} else if (step === "disconnect") {
				stop();
				controller.error(new TypeError("terminated"));
			} else {
				controller.enqueue(encoder.encode(frame(step)));
			}
		},
		cancel() {
			stop();
		},
	});
	return new Response(body, {
		status: 200,
		headers: {
			"Content-Type": "text/event-stream; charset=utf-8",
			"Cache-Control": "no-cache",
			...headers,
		},
	});
}

/** The last chunk of a stream that asked for usage: no choices, only the counts. */
export const usageChunk = (
	head: ChunkHead,
	usage: CompletionUsage,
): ChatCompletionChunk => ({ ...head, choices: [], usage });

/**
 * A whole completion as the events of a stream: one chunk per choice with
 * all of its content and tool calls, the usage chunk when asked for, and
 * `[DONE]`. How the gateway answers a streaming request whose reply was
 * scripted as a completion.
 */
export function completionEvents(
	body: ChatCompletionBody,
	usage: CompletionUsage | null,
): SseEvent[] {
	const head: ChunkHead = {
		id: body.id,
		object: "chat.completion.chunk",
		created: body.created,
		model: body.model,
		service_tier: body.service_tier,
		system_fingerprint: body.system_fingerprint,
	};
	const events = body.choices.map(({ index, message, finish_reason }) =>
		dataEvent({
			...head,
			choices: [
				{
					index,
					delta: {
						role: "assistant",
						content: message.content,
						...(message.refusal ? { refusal: message.refusal } : {}),
						...(message.tool_calls
							? {
									// A chunk's delta carries function calls only.
									tool_calls: message.tool_calls.flatMap((call, position) =>
										call.type === "function"
											? [{ index: position, ...call }]
											: [],
									),
								}
							: {}),
					},
					finish_reason,
				},
			],
		} satisfies ChatCompletionChunk),
	);
	if (usage) events.push(dataEvent(usageChunk(head, usage)));
	events.push(DONE);
	return events;
}
