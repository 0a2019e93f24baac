/**
 * Sends one signed request with `fetch`: a per-attempt timeout, the caller's `AbortSignal`, opt-in retries,
 * the hooks, and typed errors. The secret goes into `signRequest` and nowhere else.
 *
 * @module
 */

import { type Params, signRequest } from "../sign_request.ts";
import type { ResolvedConfig } from "./_config.ts";
import { isRetryableStatus, parseRetryAfter, retryDelay, sleep } from "./_retry.ts";
import { LIBRARY_HEADER } from "./_version.ts";
import { hostPort, networkCauseCode } from "./_network_cause.ts";
import { PusherRequestError, type PusherRequestErrorCode } from "./errors.ts";

/** One call to the API. */
export interface ApiRequest {
  method: "GET" | "POST";
  /** The full path to sign and send, e.g. `/apps/1/events` (any prefix included). */
  path: string;
  params?: Params;
  /** The exact body bytes to send (a JSON text), or `undefined` for none. */
  body?: string;
  signal?: AbortSignal;
}

/** A 2xx answer, body already read. */
export interface ApiResponse {
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
}

type Attempt =
  | { ok: true; response: ApiResponse }
  | { ok: false; error: PusherRequestError; retryAfter: string | null; retryable: boolean };

async function attempt(cfg: ResolvedConfig, req: ApiRequest, n: number): Promise<Attempt> {
  const signed = await signRequest({
    key: cfg.key,
    secret: cfg.secret,
    method: req.method,
    path: req.path,
    params: req.params,
    body: req.body ?? null,
  });
  const url = `${cfg.baseURL}${req.path}?${signed.query}`;
  const headers: Record<string, string> = { "X-Pusher-Library": LIBRARY_HEADER };
  if (req.body) headers["Content-Type"] = "application/json";
  cfg.onRequest?.({ method: req.method, path: req.path, url, body: req.body, attempt: n });

  const controller = new AbortController();
  let timedOut = false;
  const timer = cfg.timeout > 0
    ? setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException("The request timed out", "TimeoutError"));
    }, cfg.timeout)
    : undefined;
  const onAbort = () => controller.abort(req.signal!.reason);
  req.signal?.addEventListener("abort", onAbort, { once: true });
  const started = Date.now();
  const fail = (code: PusherRequestErrorCode, cause: unknown, status?: number, body?: string): Attempt => {
    const error = new PusherRequestError(code, {
      method: req.method,
      path: req.path,
      status,
      body,
      stringToSign: signed.stringToSign,
      attempts: n,
      target: hostPort(cfg.baseURL),
      reason: code === "ERR_TIMEOUT" ? `after ${cfg.timeout} ms (the timeout option)` : networkCauseCode(cause),
    }, { cause });
    const retryable = code === "ERR_NETWORK" || (status !== undefined && isRetryableStatus(status));
    return { ok: false, error, retryAfter: null, retryable };
  };
  let result: Attempt;
  let status: number | undefined;
  try {
    const res = await cfg.fetch(url, {
      method: req.method,
      headers,
      body: req.body,
      signal: controller.signal,
    });
    status = res.status;
    const text = await res.text();
    const inBody = res.status >= 200 && res.status < 300 ? errorInBody(text) : undefined;
    if (inBody !== undefined) {
      result = fail("ERR_REQUEST_FAILED", undefined, inBody, text);
    } else if (res.status >= 200 && res.status < 300) {
      result = { ok: true, response: { status: res.status, statusText: res.statusText, headers: res.headers, text } };
    } else {
      result = fail("ERR_REQUEST_FAILED", undefined, res.status, text);
      if (!result.ok) result.retryAfter = res.headers.get("retry-after");
    }
  } catch (cause) {
    const code = req.signal?.aborted ? "ERR_ABORTED" : timedOut ? "ERR_TIMEOUT" : "ERR_NETWORK";
    result = fail(code, code === "ERR_NETWORK" ? withoutQuery(cause) : cause, status);
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener("abort", onAbort);
  }
  cfg.onResponse?.({
    method: req.method,
    path: req.path,
    status,
    durationMs: Date.now() - started,
    attempt: n,
    error: result.ok ? undefined : result.error,
  });
  return result;
}

/** Sends `req`, retrying as the policy allows; resolves on 2xx, otherwise throws {@linkcode PusherRequestError}. */
export async function send(cfg: ResolvedConfig, req: ApiRequest): Promise<ApiResponse> {
  const aborted = () =>
    new PusherRequestError("ERR_ABORTED", { method: req.method, path: req.path }, { cause: req.signal?.reason });
  if (req.signal?.aborted) throw aborted();
  const policy = cfg.retry;
  const maxRetries = policy && (req.method === "GET" || policy.posts) ? policy.retries : 0;
  for (let n = 1;; n++) {
    const result = await attempt(cfg, req, n);
    if (result.ok) return result.response;
    if (!result.retryable || n > maxRetries || !policy) throw result.error;
    const wait = retryDelay(policy, n, parseRetryAfter(result.retryAfter));
    if (wait === undefined) throw result.error;
    try {
      await sleep(wait, req.signal);
    } catch {
      throw aborted();
    }
  }
}

// soketi answers some errors with 200 and `{"error": "...", "code": 401}` in the body; taking that for success would
// make a wrong secret look like a delivered trigger. The status the error carries is the body's code.
function errorInBody(text: string): number | undefined {
  if (!text.includes('"error"')) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const { error, code } = body as { error?: unknown; code?: unknown };
  if (error === undefined || error === null || typeof code !== "number") return undefined;
  return Number.isInteger(code) && code >= 400 && code <= 599 ? code : undefined;
}

// Runtimes quote the whole URL in fetch errors; its query holds a signature that stays valid for up to 600 s, so the
// cause kept on our error loses the query but keeps the rest of the runtime's explanation.
function withoutQuery(cause: unknown): unknown {
  if (!(cause instanceof Error) || !cause.message.includes("?")) return cause;
  const clean = new Error(cause.message.replace(/\?[^\s"'()]*/g, "?…"));
  clean.name = cause.name;
  return clean;
}
