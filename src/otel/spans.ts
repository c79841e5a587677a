/**
 * One call's span and measurements, from `onRequest` to its one
 * `onResponse` or `onError` (a stream's end). Kept in the plugin's per-call
 * `ctx.state`; the span is never made active, only its context is sent.
 */
import {
	type Attributes,
	context,
	type Span,
	SpanKind,
	SpanStatusCode,
	type Tracer,
	trace,
} from "@opentelemetry/api";
import type {
	AtriumError,
	AttemptRecord,
	CallContext,
	ChatCompletion,
	ChatCompletionChunk,
	EvaluationResult,
} from "../index.js";
import {
	baseAttributes,
	governanceAttributes,
	requestAttributes,
	responseAttributes,
	type Server,
} from "./attributes.js";
import { count, LONG, number, record, text } from "./bound.js";
import { captureInput, captureOutput, captureTools } from "./content.js";
import {
	ATRIUM_ATTRIBUTES as A,
	EVENTS,
	GEN_AI,
	GENERAL,
} from "./conventions.js";
import { attemptAttributes, evaluationAttributes } from "./events.js";
import type { Instruments } from "./metrics.js";
import type { Resolved } from "./options.js";
import { inject } from "./propagation.js";

// Evaluation events on one span, at most.
const MAX_EVALUATIONS = 64;

/** Seconds since `start` (milliseconds from `performance.now()`). */
const since = (start: number, now = performance.now()) => (now - start) / 1000;

/** What one call's tracing keeps between its hooks. */
export class CallTrace {
	readonly span: Span;
	readonly recording: boolean;
	/** The attributes metrics share: operation, provider, request model, server. */
	readonly base: Attributes;
	readonly instruments: Instruments | undefined;
	/** When the span started (`performance.now()`): time to first chunk and duration count from here. */
	readonly started: number;
	#firstChunk: number | undefined;
	#lastChunk = 0;
	#responseModel: string | undefined;
	#chunkAttributes: Attributes | undefined;
	#ended = false;

	/** Starts the call's CLIENT span under the active context and sends its context in the call's headers. */
	constructor(
		ctx: CallContext,
		tracer: Tracer,
		options: Resolved,
		server: Server | undefined,
		instruments: Instruments | undefined,
	) {
		this.base = baseAttributes(options.provider, ctx.body.model, server);
		this.instruments = instruments;
		const model = this.base[GEN_AI.requestModel];
		const parent = context.active();
		this.span = tracer.startSpan(
			model ? `chat ${model}` : "chat",
			{ kind: SpanKind.CLIENT, attributes: this.base },
			parent,
		);
		this.started = performance.now();
		this.recording = this.span.isRecording();
		if (this.recording) this.span.setAttributes(requestAttributes(ctx));
		inject(trace.setSpan(parent, this.span), ctx.headers);
	}

	/** An attempt, as a span event with its status, audit id and error class. */
	attempt(record: AttemptRecord): void {
		if (this.recording)
			this.span.addEvent(EVENTS.attempt, attemptAttributes(record));
	}

	/** A streamed chunk: time to the first one, time between the others. */
	chunk(chunk: ChatCompletionChunk): void {
		// Nothing to record into: not even a clock read.
		if (!this.recording && !this.instruments) return;
		const now = performance.now();
		if (this.#firstChunk === undefined) {
			this.#firstChunk = now;
			this.#responseModel = text(chunk.model);
			if (this.recording) {
				const id = text(chunk.id);
				if (id) this.span.setAttribute(GEN_AI.responseId, id);
				if (this.#responseModel)
					this.span.setAttribute(GEN_AI.responseModel, this.#responseModel);
			}
		} else if (this.instruments) {
			this.#chunkAttributes ??= this.#metricAttributes(undefined);
			this.instruments.timePerChunk.record(
				since(this.#lastChunk, now),
				this.#chunkAttributes,
			);
		}
		this.#lastChunk = now;
	}

	/** The call's end: success with its completion, or failure with its error. Ends the span once. */
	finish(
		ctx: CallContext,
		options: Resolved,
		completion: ChatCompletion | undefined,
		error: AtriumError | undefined,
	): void {
		if (this.#ended) return;
		this.#ended = true;
		const duration = since(this.started);
		if (completion) this.#responseModel = text(completion.model);
		const errorType = error ? (text(error.name) ?? "_OTHER") : undefined;
		const governance =
			completion?.governance ?? error?.governance ?? ctx.governance;
		if (this.recording) {
			const span = this.span;
			span.setAttributes(governanceAttributes(governance));
			span.setAttribute(
				A.attempts,
				(completion?.attempts ?? error?.attempts ?? ctx.attempts).length,
			);
			if (completion) span.setAttributes(responseAttributes(completion));
			if (this.#firstChunk !== undefined)
				span.setAttribute(
					GEN_AI.timeToFirstChunk,
					since(this.started, this.#firstChunk),
				);
			if (error && errorType) {
				span.setAttribute(GENERAL.errorType, errorType);
				const status = count(error.status_code);
				if (status !== undefined) span.setAttribute(GENERAL.httpStatus, status);
				span.setStatus({
					code: SpanStatusCode.ERROR,
					message: text(error.message, LONG) ?? errorType,
				});
			}
			this.#content(ctx, options, completion);
			this.#evaluations(
				completion?.evaluations ?? error?.evaluations ?? ctx.evaluations,
				text(completion?.id),
			);
		}
		this.span.end();
		this.#measure(ctx, duration, completion, errorType, governance?.cost_idr);
	}

	#content(
		ctx: CallContext,
		options: Resolved,
		completion: ChatCompletion | undefined,
	): void {
		let truncated = false;
		if (options.input) {
			const input = captureInput(ctx.body.messages, options.limit);
			this.span.setAttribute(GEN_AI.inputMessages, input.json);
			truncated = input.truncated;
			const tools = captureTools(ctx.body.tools);
			if (tools) this.span.setAttribute(GEN_AI.toolDefinitions, tools);
		}
		if (options.output && completion) {
			const output = captureOutput(completion.choices, options.limit);
			this.span.setAttribute(GEN_AI.outputMessages, output.json);
			truncated ||= output.truncated;
		}
		if (truncated) this.span.setAttribute(A.contentTruncated, true);
	}

	/** Each evaluation as a `gen_ai.evaluation.result` event on this span. */
	#evaluations(
		evaluations: readonly EvaluationResult[],
		responseId: string | undefined,
	): void {
		for (const evaluation of evaluations.slice(0, MAX_EVALUATIONS)) {
			const attributes = evaluationAttributes(evaluation, responseId);
			if (attributes) this.span.addEvent(EVENTS.evaluation, attributes);
		}
	}

	#metricAttributes(errorType: string | undefined): Attributes {
		if (!this.#responseModel && !errorType) return this.base;
		const attributes: Attributes = { ...this.base };
		if (this.#responseModel)
			attributes[GEN_AI.responseModel] = this.#responseModel;
		if (errorType) attributes[GENERAL.errorType] = errorType;
		return attributes;
	}

	#measure(
		ctx: CallContext,
		duration: number,
		completion: ChatCompletion | undefined,
		errorType: string | undefined,
		cost: number | null | undefined,
	): void {
		const instruments = this.instruments;
		if (!instruments) return;
		const attributes = this.#metricAttributes(errorType);
		instruments.duration.record(duration, attributes);
		if (ctx.stream && this.#firstChunk !== undefined)
			instruments.timeToFirstChunk.record(
				since(this.started, this.#firstChunk),
				this.#metricAttributes(undefined),
			);
		const usage = record(completion?.usage);
		const tokens = this.#metricAttributes(undefined);
		const input = count(usage?.prompt_tokens);
		if (input !== undefined)
			instruments.tokens.record(input, {
				...tokens,
				[GEN_AI.tokenType]: "input",
			});
		const output = count(usage?.completion_tokens);
		if (output !== undefined)
			instruments.tokens.record(output, {
				...tokens,
				[GEN_AI.tokenType]: "output",
			});
		const idr = number(cost);
		if (idr !== undefined && idr >= 0) instruments.cost.record(idr, attributes);
	}
}
