/**
 * Standard Schema v1 (standard-schema/standard-schema), read through its
 * `~standard` property so that any validator works (zod 4, valibot, arktype,
 * ...) without the SDK depending on one. Also Standard JSON Schema, the
 * companion interface through which a validator gives its JSON Schema.
 */

/** The interface a Standard Schema v1 validator implements (zod 3.24+, zod 4, valibot, arktype, ...). */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
	/** The standard's properties. */
	readonly "~standard": StandardSchemaV1.Props<Input, Output>;
}

/** The types of {@link StandardSchemaV1}, as the standard defines them. */
export declare namespace StandardSchemaV1 {
	/** The `~standard` property: version, vendor, `validate`, and optionally `jsonSchema`. */
	export interface Props<Input = unknown, Output = Input> {
		/** Always 1. */
		readonly version: 1;
		/** The validator's name, e.g. `zod`. */
		readonly vendor: string;
		/** Validates a value: its (possibly transformed) output, or the issues. */
		readonly validate: (
			value: unknown,
		) => Result<Output> | Promise<Result<Output>>;
		/** The input and output types, for inference only. */
		readonly types?: Types<Input, Output> | undefined;
		/** Standard JSON Schema: the schema as JSON Schema, when the validator can give it. */
		readonly jsonSchema?: JsonSchemaConverter | undefined;
	}
	/** What `validate` gives. */
	export type Result<Output> = SuccessResult<Output> | FailureResult;
	/** A value that passed. */
	export interface SuccessResult<Output> {
		/** The validated (possibly transformed) value. */
		readonly value: Output;
		/** Absent on success. */
		readonly issues?: undefined;
	}
	/** A value that failed. */
	export interface FailureResult {
		/** What is wrong. */
		readonly issues: readonly Issue[];
	}
	/** One problem with a value. */
	export interface Issue {
		/** What is wrong, in the validator's words. */
		readonly message: string;
		/** Where in the value. */
		readonly path?: readonly (PropertyKey | PathSegment)[] | undefined;
	}
	/** A path segment given as an object. */
	export interface PathSegment {
		/** The key. */
		readonly key: PropertyKey;
	}
	/** The inferred types. */
	export interface Types<Input = unknown, Output = Input> {
		/** The input type. */
		readonly input: Input;
		/** The output type. */
		readonly output: Output;
	}
	/** Standard JSON Schema's converter. */
	export interface JsonSchemaConverter {
		/** The JSON Schema of the accepted input. */
		readonly input: (options: {
			readonly target: string;
		}) => Record<string, unknown>;
	}
	/** The output type of a schema. */
	export type InferOutput<Schema extends StandardSchemaV1> = NonNullable<
		Schema["~standard"]["types"]
	>["output"];
}

/** True when `value` has a Standard Schema v1 `~standard` property. */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
	if (
		(typeof value !== "object" && typeof value !== "function") ||
		value === null
	) {
		return false;
	}
	const props = (value as Partial<StandardSchemaV1>)["~standard"];
	return (
		typeof props === "object" &&
		props !== null &&
		props.version === 1 &&
		typeof props.validate === "function"
	);
}

/** A path as `arguments.items[0].name`. */
export function formatPath(
	path: readonly (PropertyKey | StandardSchemaV1.PathSegment)[] | undefined,
): string {
	let out = "arguments";
	for (const segment of path ?? []) {
		const key =
			typeof segment === "object" && segment !== null ? segment.key : segment;
		if (typeof key === "number") out += `[${key}]`;
		else if (typeof key === "string" && /^[A-Za-z_$][\w$]*$/.test(key))
			out += `.${key}`;
		else out += `[${JSON.stringify(String(key)).slice(0, 66)}]`;
	}
	return out;
}

/** Validates with a Standard Schema: the output value, or the issues as one readable message. */
export async function validateStandard(
	schema: StandardSchemaV1,
	value: unknown,
): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
	const result = await schema["~standard"].validate(value);
	if (!result.issues) return { ok: true, value: result.value };
	const messages = result.issues
		.slice(0, 10)
		.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
	if (result.issues.length > 10)
		messages.push(`and ${result.issues.length - 10} more`);
	return { ok: false, message: messages.join("; ") };
}
