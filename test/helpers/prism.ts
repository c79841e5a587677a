/** A Prism mock of openapi/atrium.yaml for one test file: started before its tests, stopped after. */
import { afterAll, beforeAll } from "vitest";
import {
	type MockGateway,
	startMockGateway,
} from "../../scripts/mock-gateway.js";

export function usePrism(): { readonly url: string } {
	let gateway: MockGateway | undefined;
	beforeAll(async () => {
		gateway = await startMockGateway();
	}, 60_000);
	afterAll(async () => {
		await gateway?.stop();
	});
	return {
		get url() {
			if (!gateway) throw new Error("Prism is not running");
			return gateway.url;
		},
	};
}

/** The governance of the spec's 200 example, as Prism sends its headers. */
export const SUCCESS_GOVERNANCE = {
	audit_id: "audit-7f3c2a91",
	pii_detected: true,
	pii_redacted: ["NIK"],
	policy_decision: "redacted",
	provider: "openai",
	latency_ms: 412.5,
	cost_idr: 87.25,
	security_incidents: [],
	block_reason: null,
	blocked: false,
};
