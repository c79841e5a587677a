/**
 * A node:http server on 127.0.0.1 for integration tests: each test scripts
 * what the "gateway" does, and reads back what the SDK sent.
 */

import { once } from "node:events";
import {
	createServer,
	type IncomingMessage,
	type ServerResponse,
} from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach } from "vitest";

/** A request as the stub saw it. */
export interface SeenRequest {
	readonly method: string;
	readonly url: string;
	readonly headers: IncomingMessage["headers"];
	readonly body: string;
}

export type StubHandler = (
	req: IncomingMessage,
	res: ServerResponse,
	seen: SeenRequest,
	index: number,
) => void | Promise<void>;

export interface Stub {
	readonly url: string;
	readonly requests: SeenRequest[];
	close(): Promise<void>;
}

/** Starts a stub; every request's body is read before the handler runs. */
export async function startStub(handler: StubHandler): Promise<Stub> {
	const requests: SeenRequest[] = [];
	const sockets = new Set<Socket>();
	const server = createServer(async (req, res) => {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const seen = {
			method: req.method ?? "",
			url: req.url ?? "",
			headers: req.headers,
			body: Buffer.concat(chunks).toString("utf8"),
		};
		requests.push(seen);
		try {
			await handler(req, res, seen, requests.length - 1);
		} catch {
			res.destroy();
		}
	});
	server.on("connection", (socket) => {
		sockets.add(socket);
		socket.once("close", () => sockets.delete(socket));
	});
	server.listen(0, "127.0.0.1");
	await once(server, "listening");
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		async close() {
			for (const socket of sockets) socket.destroy();
			server.close();
			await once(server, "close");
		},
	};
}

/** The governance headers of a typical allowed call. */
export const GOVERNANCE_HEADERS: Record<string, string> = {
	"X-Monago-Audit-Id": "audit-stub-1",
	"X-Monago-Pii-Detected": "false",
	"X-Monago-Policy-Decision": "allowed",
	"X-Monago-Provider": "openai",
	"X-Monago-Latency-Ms": "12",
	"X-Monago-Cost-Idr": "3.5",
};

/** A minimal `chat.completion` body with the given text. */
export function completionBody(content: string | null = "hello"): string {
	return JSON.stringify({
		id: "chatcmpl-stub",
		object: "chat.completion",
		created: 1763971200,
		model: "gpt-5.4-mini",
		choices: [
			{
				index: 0,
				message: { role: "assistant", content },
				finish_reason: "stop",
			},
		],
		usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
	});
}

/** Answers with JSON, the given status and governance headers. */
export function sendJSON(
	res: ServerResponse,
	status: number,
	body: string,
	headers: Record<string, string> = GOVERNANCE_HEADERS,
): void {
	res.writeHead(status, { "Content-Type": "application/json", ...headers });
	res.end(body);
}

/**
 * For a test file: a function that starts a stub, every stub it started
 * closed after each test.
 */
export function useStubs(): (handler: StubHandler) => Promise<Stub> {
	const open: Stub[] = [];
	afterEach(async () => {
		await Promise.all(open.splice(0).map((stub) => stub.close()));
	});
	return async (handler) => {
		const stub = await startStub(handler);
		open.push(stub);
		return stub;
	};
}

/** A minimal chat body. */
export const CHAT = {
	model: "gpt-5.4-mini",
	messages: [{ role: "user" as const, content: "hello" }],
};
