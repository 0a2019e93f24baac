import type { HonoContext as Context, HonoMiddleware as MiddlewareHandler } from "./types.ts";
import type { Credentials } from "../verify_request.ts";
import { checkWebhookHeaders, checkWebhookMac } from "../_webhook_auth.ts";
import { type ParsedWebhookBody, parseWebhookBody } from "../webhook_events.ts";
import { PusherError } from "../errors.ts";
import { bodyReader, checkMaxBytes, jsonError, jsonResponse } from "./_http.ts";

/**
 * A webhook that passed verification, as the middleware stores it under `c.get("pusherWebhook")`: `events` holds the
 * events that fit their documented type, `unknownEvents` unknown types, `irregularEvents` known types with unexpected
 * fields (soketi's object `client_event` data, say) with the reason, and `allEvents` every event as sent.
 */
export interface ReceivedWebhook extends ParsedWebhookBody {
  /** The `X-Pusher-Key` that signed it (tells which secret matched during a key rotation). */
  key: string;
  /** The `X-Pusher-Signature` (lower-case hex); a stable id for de-duplicating retried deliveries. */
  id: string;
  /** The raw body exactly as received. */
  body: Uint8Array;
}

/**
 * The context variables the webhook middleware sets. Handlers placed after the middleware in the same route see
 * `c.get("pusherWebhook")` typed automatically; elsewhere use `new Hono<{ Variables: PusherWebhookVariables }>()`, or
 * add `declare module "hono" { interface ContextVariableMap extends PusherWebhookVariables {} }` to your own code
 * (JSR does not let a library augment another module's types).
 */
export type PusherWebhookVariables = {
  /** The verified webhook. */
  pusherWebhook: ReceivedWebhook;
};

/** Options of {@linkcode pusherWebhook}. */
export interface WebhookMiddlewareOptions {
  /** One key/secret pair, or several during a key rotation. */
  credentials: Credentials | readonly Credentials[];
  /** Reject webhooks whose `time_ms` is further than this from now (401). Off by default; Python's SDK uses 300 000. */
  maxAgeMs?: number;
  /**
   * Called after verification; return `true` when this delivery (see {@linkcode ReceivedWebhook.id}) was already
   * handled. The middleware then answers 200 `{ "ok": true, "duplicate": true }` without calling the next handler, so
   * Pusher stops retrying.
   */
  isDuplicate?: (c: Context, webhook: ReceivedWebhook) => boolean | Promise<boolean>;
  /** Largest body accepted, in bytes (413 above); 256 KiB by default. */
  maxBodyBytes?: number;
}

const STATUS_BY_CODE: Partial<Record<string, 400 | 401 | 415>> = {
  ERR_WEBHOOK_BODY_INVALID: 400,
  ERR_WEBHOOK_CONTENT_TYPE: 415,
};

/**
 * Creates a Hono middleware that verifies a Pusher webhook on its raw body (`X-Pusher-Key`,
 * `X-Pusher-Signature`, constant-time, key rotation) and exposes the typed events as `c.get("pusherWebhook")`.
 *
 * Answers: 401 JSON for a missing or wrong signature, an unknown key or a stale `time_ms`; 400 JSON for a malformed
 * body; 415 for a content type other than `application/json`; 413 for a body over `maxBodyBytes`.
 *
 * @param options the credentials, and optionally `maxAgeMs`, `isDuplicate` and `maxBodyBytes`
 * @returns a named Hono middleware, `pusherWebhook`
 * @throws {TypeError} when the options are incomplete
 *
 * @example Receive channel_occupied events
 * ```ts
 * import { Hono } from "hono";
 * import { pusherWebhook } from "@pusher-edge/pusher-edge/hono";
 *
 * const credentials = { key: "278d425bdf160c739803", secret: "7ad3773142a6692b25b8" };
 * const app = new Hono();
 * app.post("/pusher/webhook", pusherWebhook({ credentials }), (c) => {
 *   const { events } = c.get("pusherWebhook");
 *   return c.json({ received: events.map((e) => e.name) });
 * });
 *
 * const body = JSON.stringify({ time_ms: Date.now(), events: [{ name: "channel_occupied", channel: "a" }] });
 * const key = await crypto.subtle.importKey(
 *   "raw", new TextEncoder().encode(credentials.secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"],
 * );
 * const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body)));
 * const signature = Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
 * const res = await app.request("/pusher/webhook", {
 *   method: "POST",
 *   headers: { "content-type": "application/json", "x-pusher-key": credentials.key, "x-pusher-signature": signature },
 *   body,
 * });
 * const { received } = await res.json();
 * if (received[0] !== "channel_occupied") throw new Error("webhook not received");
 * ```
 */
export function pusherWebhook(
  options: WebhookMiddlewareOptions,
): MiddlewareHandler<{ Variables: PusherWebhookVariables }> {
  if (typeof options !== "object" || options === null) throw new TypeError("pusherWebhook: options are required");
  const list = Array.isArray(options.credentials) ? options.credentials : [options.credentials];
  if (list.length === 0) throw new TypeError("pusherWebhook: credentials must not be empty");
  for (const c of list) {
    if (typeof c?.key !== "string" || c.key === "" || typeof c.secret !== "string" || c.secret === "") {
      throw new TypeError("pusherWebhook: each credential needs a non-empty key and secret");
    }
  }
  const { maxAgeMs, isDuplicate } = options;
  if (maxAgeMs !== undefined && !(typeof maxAgeMs === "number" && maxAgeMs > 0 && Number.isFinite(maxAgeMs))) {
    throw new TypeError("pusherWebhook: maxAgeMs must be a positive number");
  }
  if (isDuplicate !== undefined && typeof isDuplicate !== "function") {
    throw new TypeError("pusherWebhook: isDuplicate must be a function");
  }
  const credentials = list.map(({ key, secret }) => ({ key, secret }));
  const read = bodyReader(checkMaxBytes(options.maxBodyBytes, 256 * 1024));

  return async function pusherWebhook(c, next) {
    let webhook: ReceivedWebhook;
    try {
      // The headers are checked before the body is read: a sender without a known key and a well-formed signature
      // costs no body read at all.
      const check = checkWebhookHeaders(c.req.raw.headers, credentials);
      const body = await read(c);
      await checkWebhookMac(check, body);
      const parsed = parseWebhookBody(body);
      if (maxAgeMs !== undefined && !(Math.abs(Date.now() - parsed.timeMs) <= maxAgeMs)) {
        throw new PusherError("ERR_WEBHOOK_STALE", `Webhook time_ms is more than ${maxAgeMs} ms from now`);
      }
      const id = (c.req.header("x-pusher-signature") ?? "").toLowerCase();
      webhook = { key: check.creds.key, ...parsed, id, body };
    } catch (err) {
      if (err instanceof PusherError) {
        throw jsonError(STATUS_BY_CODE[err.code] ?? 401, err.message, { code: err.code });
      }
      throw err;
    }
    if (isDuplicate && await isDuplicate(c, webhook)) return jsonResponse(200, { ok: true, duplicate: true });
    c.set("pusherWebhook", webhook);
    await next();
  };
}
