import { PusherError } from "./errors.ts";
import type { Credentials } from "./verify_request.ts";
import {
  bodyBytes,
  checkMaxBodyBytes,
  checkWebhookHeaders,
  checkWebhookMac,
  type HeadersLike,
  readCapped,
} from "./_webhook_auth.ts";
import { type ParsedWebhookBody, parseWebhookBody } from "./webhook_events.ts";

export type { HeadersLike } from "./_webhook_auth.ts";

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
  /** Largest body read, in bytes (`ERR_PAYLOAD_TOO_LARGE` above, before the body is read); 1 MiB by default. */
  maxBodyBytes?: number;
}

/**
 * A verified webhook: `events` holds the events that fit their documented type, `unknownEvents` the types this version
 * does not know, `irregularEvents` known types with unexpected fields (with the reason), and `allEvents` every event
 * as sent, in order.
 */
export interface VerifiedWebhook extends ParsedWebhookBody {
  /** The key that signed it. */
  key: string;
}

/**
 * Verifies a Pusher webhook: checks `X-Pusher-Key` against the credentials, `X-Pusher-Signature` (HMAC-SHA256 of the
 * raw body) in constant time, and only then parses the body into typed events. The headers are checked and the body's
 * size capped before a byte of the body is read. Once the signature holds every event is kept: an event of a known type
 * with unexpected fields (soketi sends `client_event` data as an object) lands in `irregularEvents` with the reason,
 * and `allEvents` lists every event as sent.
 *
 * @param options the webhook (a `Request`, or headers and raw body) and the credentials
 * @returns the key that signed it, `time_ms` and the typed events
 * @throws {PusherError} `ERR_WEBHOOK_CONTENT_TYPE`, `ERR_UNKNOWN_KEY`, `ERR_SIGNATURE_MALFORMED`,
 * `ERR_SIGNATURE_MISMATCH`, `ERR_PAYLOAD_TOO_LARGE`, `ERR_WEBHOOK_STALE`, and `ERR_WEBHOOK_BODY_INVALID` (a
 * `WebhookBodyError` carrying the raw `body`) only when the body is not JSON or has no `events` array
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
  const maxBytes = checkMaxBodyBytes(options.maxBodyBytes);
  let headers: HeadersLike;
  if ("request" in options) {
    if (!(options.request instanceof Request)) throw new TypeError("request must be a Fetch Request");
    headers = options.request.headers;
  } else headers = options.headers;
  // Everything that needs no body is checked before a byte of it is read.
  const check = checkWebhookHeaders(headers, options.credentials);
  const bytes = "request" in options ? await readCapped(options.request, maxBytes) : bodyBytes(options.body, maxBytes);
  await checkWebhookMac(check, bytes);

  const parsed = parseWebhookBody(bytes);
  if (options.maxAgeMs !== undefined) {
    const now = options.now ?? Date.now();
    if (!(Math.abs(now - parsed.timeMs) <= options.maxAgeMs)) {
      throw new PusherError("ERR_WEBHOOK_STALE", `Webhook time_ms is more than ${options.maxAgeMs} ms from now`);
    }
  }
  return { key: check.creds.key, ...parsed };
}
