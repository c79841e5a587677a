/**
 * Post evaluators on a stream: incremental ones run on the text as it flows
 * and the hold-back releases only what they have cleared; at `[DONE]` every
 * evaluator still undecided runs on the whole answer before the caller is
 * told the stream ended.
 */
import {
	APIError,
	type CallContext,
	type ChatCompletionChunk,
} from "../index.js";
import { BadIndex, HoldBack, MAX_INDEX } from "./holdback.js";
import {
	type Outcome,
	runEvaluators,
	type Settings,
	toResult,
} from "./runner.js";
import { textSegment } from "./segments.js";
import { settle } from "./settle.js";
import type { Evaluator, PostInput, TextSegment } from "./types.js";

/** The stream settings of an `evaluate()` plugin. */
export interface StreamSettings extends Settings {
	/** Characters kept back; `Infinity` for all. */
	readonly holdBack: number;
}

interface StreamState {
	readonly hold: HoldBack;
	/** Evaluators that decided while the stream flowed (they flagged, or failed open). */
	readonly decided: Set<Evaluator>;
	/** Milliseconds each evaluator has taken so far. */
	readonly spent: Map<Evaluator, number>;
	/** By choice: where the text not yet seen by the incremental evaluators starts. */
	readonly from: Map<number, number>;
}

const KEY = "evals.stream";

function stateOf(ctx: CallContext, settings: StreamSettings): StreamState {
	let state = ctx.state[KEY] as StreamState | undefined;
	if (!state) {
		state = {
			hold: new HoldBack(settings.holdBack),
			decided: new Set(),
			spent: new Map(),
			from: new Map(),
		};
		ctx.state[KEY] = state;
	}
	return state;
}

function input(
	state: StreamState,
	segments: TextSegment[],
	partial: boolean,
): (signal: AbortSignal) => PostInput {
	return (signal) => ({
		phase: "post",
		output: state.hold.text(0),
		toolCalls: state.hold.toolCalls(0),
		segments,
		completion: null,
		partial,
		signal,
	});
}

const audit = (ctx: CallContext) => ctx.governance?.audit_id ?? null;

/** Runs the incremental evaluators on the text so far; records those that decide. */
async function partialRun(
	ctx: CallContext,
	state: StreamState,
	evaluators: readonly Evaluator[],
	settings: StreamSettings,
): Promise<void> {
	const segments = state.hold.choices().map((choice) =>
		textSegment(state.hold.text(choice), {
			choice,
			from: state.from.get(choice) ?? 0,
		}),
	);
	const outcomes = await runEvaluators(
		evaluators,
		input(state, segments, true),
		ctx,
		settings,
	);
	const holds = new Map<number, number>();
	const decided: Outcome[] = [];
	for (const outcome of outcomes) {
		const { evaluator, verdict } = outcome;
		state.spent.set(
			evaluator,
			(state.spent.get(evaluator) ?? 0) + outcome.duration,
		);
		if (!verdict?.pass) {
			decided.push(outcome);
			state.decided.add(evaluator);
			continue;
		}
		for (const { segment, at } of verdict.hold ?? []) {
			const choice = segments[segment]?.choice as number;
			holds.set(choice, Math.min(holds.get(choice) ?? at, at));
		}
	}
	for (const { choice, text } of segments) {
		const c = choice as number;
		// Held text is looked at again next time, from where it is held.
		state.from.set(c, Math.min(text.length, holds.get(c) ?? text.length));
	}
	state.hold.setHolds(holds);
	if (decided.length) {
		const results = decided.map((o) =>
			toResult(o, "post", settings, audit(ctx), state.spent.get(o.evaluator)),
		);
		settle(ctx, "stream", decided, results, settings);
	}
}

/** A chunk from the network: the chunks the caller may have now. */
export async function onStreamChunk(
	ctx: CallContext,
	chunk: ChatCompletionChunk,
	evaluators: readonly Evaluator[],
	settings: StreamSettings,
): Promise<ChatCompletionChunk[]> {
	const state = stateOf(ctx, settings);
	let grew: number[];
	try {
		grew = state.hold.add(chunk);
	} catch (error) {
		if (!(error instanceof BadIndex)) throw error;
		throw new APIError(
			`${ctx.method} ${ctx.path}: ${error.message} is not a whole number from 0 to ${MAX_INDEX - 1}`,
			{ governance: ctx.governance ?? undefined },
		);
	}
	const incremental = evaluators.filter(
		(e) => e.incremental && !state.decided.has(e),
	);
	if (grew.length && incremental.length)
		await partialRun(ctx, state, incremental, settings);
	return state.hold.release(false);
}

/** `[DONE]`: every undecided evaluator on the whole answer, then the rest of the stream. */
export async function onStreamDone(
	ctx: CallContext,
	evaluators: readonly Evaluator[],
	settings: StreamSettings,
): Promise<ChatCompletionChunk[]> {
	const state = stateOf(ctx, settings);
	const remaining = evaluators.filter((e) => !state.decided.has(e));
	if (remaining.length) {
		const segments: TextSegment[] = [];
		for (const choice of state.hold.choices()) {
			segments.push(textSegment(state.hold.text(choice), { choice }));
			state.hold.toolCalls(choice).forEach((call, tool_call) => {
				if (call.arguments)
					segments.push(textSegment(call.arguments, { choice, tool_call }));
			});
		}
		const outcomes = await runEvaluators(
			remaining,
			input(state, segments, false),
			ctx,
			settings,
		);
		const results = outcomes.map((o) =>
			toResult(
				o,
				"post",
				settings,
				audit(ctx),
				(state.spent.get(o.evaluator) ?? 0) + o.duration,
			),
		);
		settle(ctx, "stream", outcomes, results, settings);
	}
	return state.hold.release(true);
}
