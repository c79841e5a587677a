/**
 * The ESM bundle in real headless Chromium (Debian's package, driven by
 * playwright-core) against the Prism mock. The page is served from one
 * loopback origin and the gateway from another, through a CORS proxy that
 * exposes exactly the headers the spec lists (x-atrium-cors-expose-headers),
 * or none: the control shows the browser really hides them, so the first run
 * proves the SDK reads governance through that list.
 */

import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { basename, join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { bundle, requireDist, root } from "../helpers/bundle.js";
import { SUCCESS_GOVERNANCE, usePrism } from "../helpers/prism.js";

const CHROMIUM = "/usr/bin/chromium";
const spec = parse(readFileSync(join(root, "openapi/atrium.yaml"), "utf8")) as {
	info: {
		"x-atrium-cors-expose-headers": string[];
		"x-atrium-cors-allow-headers": string[];
	};
};
const EXPOSE = spec.info["x-atrium-cors-expose-headers"];
// Prefer selects a Prism example; only this test's proxy allows it.
const ALLOW = [...spec.info["x-atrium-cors-allow-headers"], "Prefer"];

const PAGE_SCRIPT = `
import { Atrium, isChatCompletionStream } from "@monagoio/atrium-sdk";
window.runAtrium = async (baseURL) => {
	const client = new Atrium({ apiKey: "sk-mng-browser-test", baseURL, dangerouslyAllowBrowser: true, maxRetries: 0 });
	const body = { model: "gpt-5.4-mini", messages: [{ role: "user", content: "Pasien batuk 2 minggu" }] };
	const res = await client.chat.completions.create(body);
	const stream = await client.chat.completions.create({ ...body, stream: true });
	const done = await stream.finalCompletion();
	const error = await client.chat.completions.create(body, { headers: { Prefer: "code=451, example=pii_blocked" } }).catch((e) => e);
	return {
		content: res.content,
		governance: res.governance,
		streamed: isChatCompletionStream(stream) && done.content,
		streamAudit: stream.governance.audit_id,
		blocked: { name: error.name, audit_id: error.audit_id, policy_decision: error.policy_decision, block_reason: error.block_reason },
	};
};
document.title = "ready";
`;

const prism = usePrism();
const servers: Server[] = [];
let browser: Browser | undefined;
let pageURL = "";
let gatewayURL = "";

async function listen(server: Server): Promise<string> {
	servers.push(server);
	server.listen(0, "127.0.0.1");
	await once(server, "listening");
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
	requireDist();
	if (!existsSync(CHROMIUM)) {
		throw new Error(
			`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); npm test does this when it can`,
		);
	}
	const files = await bundle(PAGE_SCRIPT, {
		format: "esm",
		minify: true,
		splitting: true,
	});
	const assets = new Map(
		files.map((file) => [`/${basename(file.path)}`, file.text]),
	);
	pageURL = await listen(
		createServer((req, res) => {
			const script = assets.get(req.url ?? "");
			if (script) {
				res.writeHead(200, { "Content-Type": "text/javascript" }).end(script);
			} else {
				res
					.writeHead(200, { "Content-Type": "text/html" })
					.end(
						'<!doctype html><script type="module" src="/stdin.js"></script>',
					);
			}
		}),
	);
	gatewayURL = await listen(
		createServer(async (req, res) => {
			const cors = { "Access-Control-Allow-Origin": pageURL, Vary: "Origin" };
			if (req.method === "OPTIONS") {
				res
					.writeHead(204, {
						...cors,
						"Access-Control-Allow-Methods": "POST",
						"Access-Control-Allow-Headers": ALLOW.join(", "),
					})
					.end();
				return;
			}
			const exposed = req.url?.startsWith("/exposed/");
			const chunks: Buffer[] = [];
			for await (const chunk of req) chunks.push(chunk as Buffer);
			const headers = Object.fromEntries(
				Object.entries(req.headers).filter(
					([name]) =>
						![
							"host",
							"origin",
							"referer",
							"connection",
							"content-length",
						].includes(name),
				),
			) as Record<string, string>;
			const upstream = await fetch(
				`${prism.url}${req.url?.replace(/^\/(exposed|hidden)/, "")}`,
				{
					method: req.method ?? "POST",
					headers,
					body: Buffer.concat(chunks),
				},
			);
			const out: Record<string, string> = { ...cors };
			for (const [name, value] of upstream.headers) {
				if (
					!/^(access-control-|content-length|content-encoding|transfer-encoding|connection|keep-alive)/i.test(
						name,
					)
				)
					out[name] = value;
			}
			if (exposed) out["Access-Control-Expose-Headers"] = EXPOSE.join(", ");
			res
				.writeHead(upstream.status, out)
				.end(Buffer.from(await upstream.arrayBuffer()));
		}),
	);
	browser = await chromium.launch({
		executablePath: CHROMIUM,
		args: [
			"--no-sandbox",
			"--disable-gpu",
			"--disable-quic",
			"--no-first-run",
			"--disable-background-networking",
			"--disable-component-update",
			"--disable-sync",
		],
	});
}, 60_000);

afterAll(async () => {
	await browser?.close();
	for (const server of servers) {
		server.closeAllConnections();
		server.close();
	}
});

async function runInPage(path: string) {
	if (!browser) throw new Error("no browser");
	const page = await browser.newPage();
	try {
		await page.goto(pageURL);
		await page.waitForFunction(() => document.title === "ready");
		return await page.evaluate(
			(url) =>
				(
					window as unknown as { runAtrium: (u: string) => Promise<unknown> }
				).runAtrium(url),
			`${gatewayURL}${path}`,
		);
	} finally {
		await page.close();
	}
}

describe("in headless Chromium", () => {
	it("reads every governance field through the spec's Access-Control-Expose-Headers, for a call, a stream and a block", async () => {
		const result = await runInPage("/exposed");
		expect(result).toEqual({
			content:
				"Batuk lebih dari dua minggu perlu pemeriksaan dahak untuk tuberkulosis.",
			governance: SUCCESS_GOVERNANCE,
			streamed: "Batuk dua minggu.",
			streamAudit: "audit-7f3c2a91",
			blocked: {
				name: "PIIBlockedError",
				audit_id: "audit-blk-91d04e",
				policy_decision: "blocked",
				block_reason: "Request blocked by gateway policy",
			},
		});
	});

	it("sees no governance when the gateway exposes no headers (the control)", async () => {
		const result = (await runInPage("/hidden")) as {
			content: string;
			governance: Record<string, unknown>;
			blocked: { name: string };
		};
		expect(result.content).toMatch(/tuberkulosis/);
		expect(result.governance).toMatchObject({
			audit_id: null,
			pii_detected: false,
			pii_redacted: [],
			provider: null,
			latency_ms: null,
		});
		// Without the block reason and decision, the code in the body still maps the block.
		expect(result.blocked.name).toBe("PIIBlockedError");
	});
});
