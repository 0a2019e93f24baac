/**
 * Sends one signed request with `fetch`: a per-attempt timeout, the caller's `AbortSignal`, opt-in retries,
 * the hooks, and typed errors. The secret goes into `signRequest` and nowhere else.
 *
 * @module
 */

import { type Params, signRequest } from "../sign_request.ts";
import type { ResolvedConfig } from "./_config.ts";
import { parseRetryAfter, retryDelay } from "./_retry.ts";
import { LIBRARY_HEADER } from "./_version.ts";
import { networkCauseCode } from "./_network_cause.ts";
import { PusherRequestError } from "./errors.ts";
import type { CallOptions } from "./options.ts";

/** A 2xx answer, body already read. */
export interface ApiResponse {
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
}

/**
 * Sends `method path` (the full path, any prefix included) with the exact `body` bytes, retrying as the policy
 * allows; resolves on 2xx, otherwise throws {@linkcode PusherRequestError}.
 */
export async function send(
  cfg: ResolvedConfig,
  method: "GET" | "POST",
  path: string,
  params: Params | undefined,
  body: string | undefined,
  call: CallOptions | undefined,
): Promise<ApiResponse> {
  const signal = call?.signal;
  const policy = cfg.retry;
  const maxRetries = policy && (method === "GET" || policy.posts) ? policy.retries : 0;
  for (let attempt = 1;; attempt++) {
    if (signal?.aborted) throw new PusherRequestError("ERR_ABORTED", { method, path }, { cause: signal.reason });
    const { query, stringToSign } = await signRequest({
      key: cfg.key,
      secret: cfg.secret,
      method,
      path,
      params,
      body: body ?? null,
    });
    const url = `${cfg.baseURL}${path}?${query}`;
    cfg.onRequest?.({ method, path, url, body, attempt });

    const controller = new AbortController();
    const timer = cfg.timeout &&
      setTimeout(() => controller.abort(new DOMException("The request timed out", "TimeoutError")), cfg.timeout);
    const onAbort = () => controller.abort(signal!.reason);
    signal?.addEventListener("abort", onAbort);
    const started = Date.now();
    let res: Response | undefined, text = "", cause: unknown, failed = true;
    try {
      res = await cfg.fetch(url, {
        method,
        headers: body ? { "X-Pusher-Library": LIBRARY_HEADER, "Content-Type": "application/json" } : {
          "X-Pusher-Library": LIBRARY_HEADER,
        },
        body,
        signal: controller.signal,
      });
      text = await res.text();
      failed = false;
    } catch (err) {
      cause = err;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
    const status = res?.status;
    const ok = status! >= 200 && status! < 300;
    // The controller aborts on the caller's signal or on the timeout, and on nothing else.
    const code = !failed
      ? "ERR_REQUEST_FAILED"
      : signal?.aborted
      ? "ERR_ABORTED"
      : controller.signal.aborted
      ? "ERR_TIMEOUT"
      : "ERR_NETWORK";
    const errorStatus = failed ? status : ok ? errorInBody(text) : status;
    const error = failed || errorStatus !== undefined
      ? new PusherRequestError(code, {
        method,
        path,
        status: errorStatus,
        body: text,
        stringToSign,
        attempts: attempt,
        target: cfg.target,
        reason: code === "ERR_TIMEOUT" ? `after ${cfg.timeout} ms (the timeout option)` : networkCauseCode(cause),
      }, { cause: code === "ERR_NETWORK" ? withoutQuery(cause) : cause })
      : undefined;
    cfg.onResponse?.({ method, path, status, durationMs: Date.now() - started, attempt, error });
    if (!error) return { status: status!, statusText: res!.statusText, headers: res!.headers, text };
    // Retried: a network failure, a 429 and every 5xx.
    const retryable = code === "ERR_NETWORK" || errorStatus === 429 || (errorStatus! >= 500 && errorStatus! <= 599);
    const wait = retryable && attempt <= maxRetries
      ? retryDelay(policy!, attempt, parseRetryAfter(res?.headers.get("retry-after") ?? null))
      : undefined;
    if (wait === undefined) throw error;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(pause);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const pause = setTimeout(done, wait);
      signal?.addEventListener("abort", done);
    });
  }
}

// soketi answers some errors with 200 and `{"error": "...", "code": 401}` in the body; taking that for success would
// make a wrong secret look like a delivered trigger. The status the error carries is the body's code.
function errorInBody(text: string): number | undefined {
  try {
    const { error, code } = text.includes('"error"') && JSON.parse(text);
    if (error != null && Number.isInteger(code) && code >= 400 && code <= 599) return code;
  } catch {
    // not JSON: the caller decides
  }
}

// Runtimes quote the whole URL in fetch errors; its query holds a signature that stays valid for up to 600 s, so the
// cause kept on our error loses the query but keeps the rest of the runtime's explanation.
function withoutQuery(cause: unknown): unknown {
  if (!(cause instanceof Error) || !cause.message.includes("?")) return cause;
  const clean = new Error(cause.message.replace(/\?[^\s"'()]*/g, "?…"));
  clean.name = cause.name;
  return clean;
}
