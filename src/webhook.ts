import { utf8Decode, utf8Encode } from "./_bytes.ts";
import { findCredentials, parseMac, signerFor } from "./_hmac.ts";
import { PusherError } from "./errors.ts";
import type { Credentials } from "./verify_request.ts";
import { parseWebhookBody, type UnknownWebhookEvent, type WebhookEvent } from "./webhook_events.ts";

/** Header values as frameworks hand them over: a Fetch `Headers`, or a plain record (any name case). */
export type HeadersLike = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** The webhook to verify: a Fetch `Request`, or its headers and raw body. */
export type WebhookInput =
  | { request: Request }
  | { headers: HeadersLike; body: string | Uint8Array | ArrayBuffer };

/** What {@linkcode verifyWebhook} needs besides the webhook itself. */
export interface VerifyWebhookOptions {
  /** One key/secret pair, or several during a key rotation; matched by the `X-Pusher-Key` header. */
  credentials: Credentials | readonly Credentials[];
  /** Reject a webhook whose `time_ms` is further than this from `now` (replay protection). Off by default. */
  maxAgeMs?: number;
  /** The current time in milliseconds, for `maxAgeMs`; defaults to `Date.now()`. */
  now?: number;
}

/** A verified webhook. */
export interface VerifiedWebhook {
  /** The key that signed it. */
  key: string;
  /** When Pusher created it, in Unix milliseconds. */
  timeMs: number;
  /** The events, typed by `name`. */
  events: WebhookEvent[];
  /** Events of a type this version does not know, as sent. */
  unknownEvents: UnknownWebhookEvent[];
}

function header(headers: HeadersLike, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  if (typeof headers !== "object" || headers === null) throw new TypeError("headers must be Headers or a record");
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== name) continue;
    if (typeof v === "string") return v;
    if (Array.isArray(v) && v.length === 1 && typeof v[0] === "string") return v[0];
    return undefined;
  }
  return undefined;
}

async function readInput(input: WebhookInput): Promise<{ headers: HeadersLike; bytes: Uint8Array }> {
  if ("request" in input) {
    if (!(input.request instanceof Request)) throw new TypeError("request must be a Fetch Request");
    return { headers: input.request.headers, bytes: new Uint8Array(await input.request.arrayBuffer()) };
  }
  const { body } = input;
  if (typeof body === "string") return { headers: input.headers, bytes: utf8Encode(body) };
  if (body instanceof Uint8Array) return { headers: input.headers, bytes: body };
  if (body instanceof ArrayBuffer) return { headers: input.headers, bytes: new Uint8Array(body) };
  throw new TypeError("body must be the raw body: a string, Uint8Array or ArrayBuffer");
}

/**
 * Verifies a Pusher webhook: checks `X-Pusher-Key` against the credentials, `X-Pusher-Signature` (HMAC-SHA256 of the
 * raw body) in constant time, and only then parses the body into typed events.
 *
 * @param options the webhook (a `Request`, or headers and raw body) and the credentials
 * @returns the key that signed it, `time_ms` and the typed events
 * @throws {PusherError} `ERR_WEBHOOK_CONTENT_TYPE`, `ERR_UNKNOWN_KEY`, `ERR_SIGNATURE_MALFORMED`,
 * `ERR_SIGNATURE_MISMATCH`, `ERR_WEBHOOK_BODY_INVALID`, `ERR_WEBHOOK_STALE`
 *
 * @example Verify Pusher's documented webhook
 * ```ts
 * import { verifyWebhook } from "@pusher-edge/pusher-edge";
 *
 * const body = '{"time_ms":1327078148132,"events":[{"name":"member_added","channel":"presence-your_channel_name","user_id":"a_user_id"}]}';
 * const { events } = await verifyWebhook({
 *   credentials: { key: "278d425bdf160c739803", secret: "7ad3773142a6692b25b8" },
 *   headers: {
 *     "Content-Type": "application/json",
 *     "X-Pusher-Key": "278d425bdf160c739803",
 *     "X-Pusher-Signature": "eca9b3c96ae06efb1c2900f448c2996f546b37d92d8038b54831089072065d86",
 *   },
 *   body,
 * });
 * if (events[0].name !== "member_added" || events[0].user_id !== "a_user_id") throw new Error("unexpected result");
 * ```
 */
export async function verifyWebhook(options: WebhookInput & VerifyWebhookOptions): Promise<VerifiedWebhook> {
  const { headers, bytes } = await readInput(options);

  const mediaType = header(headers, "content-type")?.split(";")[0].trim().toLowerCase();
  if (mediaType !== "application/json") {
    throw new PusherError("ERR_WEBHOOK_CONTENT_TYPE", "Webhook Content-Type must be application/json");
  }
  const key = header(headers, "x-pusher-key");
  const creds = key === undefined ? undefined : findCredentials(options.credentials, key);
  if (!creds) throw new PusherError("ERR_UNKNOWN_KEY", "X-Pusher-Key is missing or not one of the configured keys");

  const mac = parseMac(header(headers, "x-pusher-signature") ?? "");
  if (!mac) throw new PusherError("ERR_SIGNATURE_MALFORMED", "X-Pusher-Signature must be 64 hex digits");
  if (!(await signerFor(creds.secret).verify(mac, bytes))) {
    throw new PusherError("ERR_SIGNATURE_MISMATCH", "X-Pusher-Signature does not match the body");
  }

  let text: string;
  try {
    text = utf8Decode(bytes);
  } catch {
    throw new PusherError("ERR_WEBHOOK_BODY_INVALID", "Webhook body is invalid: not UTF-8");
  }
  const parsed = parseWebhookBody(text);
  if (options.maxAgeMs !== undefined) {
    const now = options.now ?? Date.now();
    if (!(Math.abs(now - parsed.timeMs) <= options.maxAgeMs)) {
      throw new PusherError("ERR_WEBHOOK_STALE", `Webhook time_ms is more than ${options.maxAgeMs} ms from now`);
    }
  }
  return { key: creds.key, ...parsed };
}
