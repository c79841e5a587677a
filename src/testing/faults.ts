/**
 * Replies where no answer comes: the connection fails, or the gateway never
 * answers (until the request is aborted).
 */
import type { Reply } from "./types.js";

/** Options of `reply.networkError`. */
export interface NetworkErrorOptions {
	/** The system error code of the cause, as undici sets it. Default `ECONNREFUSED`. */
	readonly code?: string | undefined;
}

/** `reply.networkError`: see {@link reply}. */
export function networkError(options: NetworkErrorOptions = {}): Reply {
	const code = options.code ?? "ECONNREFUSED";
	return {
		description: "reply.networkError()",
		respond({ call }) {
			// undici's shape: TypeError("fetch failed") whose cause is the system error.
			let host = "api.monago.io";
			try {
				host = new URL(call.url).host;
			} catch {
				// not a URL: keep the default host in the message
			}
			const cause = Object.assign(new Error(`connect ${code} ${host}`), {
				code,
				syscall: "connect",
			});
			return Promise.reject(new TypeError("fetch failed", { cause }));
		},
	};
}

/** `reply.timeout`: see {@link reply}. */
export function timeout(): Reply {
	return {
		description: "reply.timeout()",
		respond({ signal }) {
			return new Promise<Response>((_resolve, reject) => {
				if (!signal) return;
				if (signal.aborted) return reject(signal.reason);
				signal.addEventListener("abort", () => reject(signal.reason), {
					once: true,
				});
			});
		},
	};
}
