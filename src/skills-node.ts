/**
 * `@monagoio/atrium-sdk/skills/node`: `loadSkill`, which reads an Agent
 * Skills folder (`SKILL.md`, `references/`, `tools.mjs`) from disk. Node
 * only; everything else of skills is in `@monagoio/atrium-sdk/skills`.
 *
 * @example
 * import { runTools } from "@monagoio/atrium-sdk/skills";
 * import { loadSkill } from "@monagoio/atrium-sdk/skills/node";
 *
 * const ehr = await loadSkill("./skills/ehr-lookup");
 * const result = await runTools(client, { model, messages }, { skills: [ehr] });
 *
 * @packageDocumentation
 */
export {
	type LoadSkillOptions,
	loadSkill,
	SKILL_FOLDER_LIMITS,
} from "./skills/node/load.js";
