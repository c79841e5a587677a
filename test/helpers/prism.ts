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
