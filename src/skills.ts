/**
 * `@monagoio/atrium-sdk/skills`: tools with validated arguments, skills
 * disclosed progressively (the Agent Skills model), and a governed tool-run
 * loop whose every model call is a normal governed call of your client,
 * joined by `run_id` and `step` metadata. Runs in Node, browsers and edge
 * runtimes (`loadSkill`, which reads a skill folder, is in
 * `@monagoio/atrium-sdk/skills/node`).
 *
 * @example
 * import { Atrium } from "@monagoio/atrium-sdk";
 * import { defineTool, runTools } from "@monagoio/atrium-sdk/skills";
 *
 * const lookupPatient = defineTool({
 *   name: "lookup_patient",
 *   description: "Find a patient's record by medical record number",
 *   parameters: { type: "object", properties: { mrn: { type: "string" } }, required: ["mrn"] },
 *   run: async ({ mrn }) => ehr.find(String(mrn)),
 * });
 * const result = await runTools(client, { model: "gpt-5.4-mini", messages }, { tools: [lookupPatient] });
 * result.content; result.steps; result.audit_ids; result.cost_idr;
 *
 * @packageDocumentation
 */

export {
	isMaxStepsExceededError,
	MaxStepsExceededError,
	runOf,
	type WithRun,
} from "./skills/errors.js";
export type { JsonSchema } from "./skills/json-schema-check.js";
export { MAX_CALLS_PER_STEP, runToolLoop } from "./skills/loop.js";
export { DEFAULT_MAX_STEPS } from "./skills/plan.js";
export { runTools, ToolRun } from "./skills/run.js";
export type {
	ApprovalRequest,
	ModelStep,
	RunMessages,
	RunStep,
	RunToolsOptions,
	RunUsage,
	ToolCalls,
	ToolOutcome,
	ToolRunBody,
	ToolRunResult,
	ToolRunSnapshot,
	ToolStep,
} from "./skills/run-types.js";
export { defineSkill, SKILL_NAME } from "./skills/skill.js";
export type { StandardSchemaV1 } from "./skills/standard-schema.js";
export { defineTool } from "./skills/tool.js";
export { READ_RESOURCE, USE_SKILL } from "./skills/toolbox.js";
export type {
	ResourceSource,
	Skill,
	SkillInit,
	Tool,
	ToolAudit,
	ToolContext,
	ToolInit,
} from "./skills/types.js";
export { operationPlugins, wrapOperation } from "./skills/wrap.js";
