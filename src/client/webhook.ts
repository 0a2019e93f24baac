/**
 * `pusher.webhook(request)`: the official package's WebHook object, with async methods, built on the core's
 * constant-time {@linkcode verifyWebhook}. Data is only ever returned after the signature has been checked.
 *
 * @module
 */

import { utf8Decode } from "../_bytes.ts";
import { PusherError } from "../errors.ts";
import { isEncryptedChannel } from "../validate.ts";
import type { Credentials } from "../verify_request.ts";
import type { VerifiedWebhook } from "../webhook.ts";
import {
  bodyBytes,
  checkWebhookHeaders,
  checkWebhookMac,
  DEFAULT_WEBHOOK_MAX_BYTES,
  header,
  type HeadersLike,
  readCapped,
} from "../_webhook_auth.ts";
import { parseWebhookBody, type UnknownWebhookEvent, type WebhookEvent } from "../webhook_events.ts";
import type { EncryptionProvider } from "./_encryption.ts";

/** A webhook as frameworks hand it over: a Fetch `Request`, or headers plus the raw body (`rawBody` as in `pusher`). */
export type WebhookRequest =
  | Request
  | { headers: HeadersLike; rawBody: string | Uint8Array }
  | { headers: HeadersLike; body: string | Uint8Array };

/** The verified body, in the wire's field names (as the official `getData()` returns it). */
export interface WebhookData {
  /** When Pusher created the webhook, in Unix milliseconds. */
  time_ms: number;
  /**
   * Every event as sent, in order, typed or not; encrypted `client_event` data is decrypted when the client has a master
   * key and `encryption` (an event that does not decrypt is kept as sent; `verify()` reports why).
   */
  events: Array<WebhookEvent | UnknownWebhookEvent>;
}

/** What the client passes to a webhook: its key and secret and, optionally, the means to decrypt. */
export interface WebhookContext extends Credentials {
  masterKey?: Uint8Array;
  encryption?: EncryptionProvider;
}

/**
 * A received webhook. `isValid()` answers whether it is authentic (JSON content type, a known `X-Pusher-Key` and a
 * matching `X-Pusher-Signature`), as in the official package; the getters also check that the body is a webhook
 * (JSON with an `events` array), and throw the {@linkcode PusherError} that explains a rejection. The headers are checked before the body is
 * read, and the body is read once, capped at 1 MiB.
 *
 * @example Verify a webhook in a Fetch handler
 * ```ts
 * import { Pusher } from "@pusher-edge/pusher-edge";
 * const pusher = new Pusher({ appId: "1", key: "key", secret: "secret" });
 * const request = new Request("http://localhost/webhook", {
 *   method: "POST",
 *   headers: { "Content-Type": "application/json", "X-Pusher-Key": "key", "X-Pusher-Signature": "00".repeat(32) },
 *   body: '{"time_ms":1,"events":[]}',
 * });
 * const webhook = pusher.webhook(request);
 * if (await webhook.isValid()) throw new Error("a forged webhook must be rejected");
 * ```
 */
export class PusherWebhook {
  #context: WebhookContext;
  #request: WebhookRequest;
  #bytes: Promise<Uint8Array> | undefined;

  /**
   * Use `pusher.webhook(request)` rather than this constructor.
   *
   * @param context the credentials and decryption settings
   * @param request the webhook as received
   */
  constructor(context: WebhookContext, request: WebhookRequest) {
    this.#context = context;
    this.#request = request;
  }

  /**
   * Verifies the webhook and returns the key that signed it, `timeMs` and the events (see {@linkcode VerifiedWebhook}).
   * An encrypted `client_event` that does not decrypt stays in `allEvents` as sent and is listed in `irregularEvents`
   * with the reason; the other events are unaffected.
   *
   * @param extraTokens more key/secret pairs to accept (key rotation), as in `pusher`
   * @returns the verified webhook
   * @throws {PusherError} why the webhook was rejected
   */
  async verify(extraTokens?: Credentials | readonly Credentials[]): Promise<VerifiedWebhook> {
    const { key, bytes } = await this.#authenticate(extraTokens);
    return { key, ...await this.#decrypt(parseWebhookBody(bytes)) };
  }

  /**
   * Whether the webhook is authentic: a JSON content type, a known `X-Pusher-Key` and an `X-Pusher-Signature` matching
   * the raw body, as in the official package. It does not judge the events: an authentic webhook with events of an
   * unexpected shape is valid, and `getEvents()` returns them.
   *
   * @param extraTokens more key/secret pairs to accept (key rotation)
   * @returns `true` when the signature is valid
   */
  async isValid(extraTokens?: Credentials | readonly Credentials[]): Promise<boolean> {
    try {
      await this.#authenticate(extraTokens);
      return true;
    } catch (err) {
      if (err instanceof PusherError) return false;
      throw err;
    }
  }

  /**
   * The verified body.
   *
   * @param extraTokens more key/secret pairs to accept
   * @returns `{ time_ms, events }`, every event as sent
   * @throws {PusherError} when the webhook does not verify
   */
  async getData(extraTokens?: Credentials | readonly Credentials[]): Promise<WebhookData> {
    const verified = await this.verify(extraTokens);
    return { time_ms: verified.timeMs, events: verified.allEvents as Array<WebhookEvent | UnknownWebhookEvent> };
  }

  /**
   * The verified events: every event as sent, in order (encrypted data decrypted where possible).
   *
   * @param extraTokens more key/secret pairs to accept
   * @returns the events
   * @throws {PusherError} when the webhook does not verify
   */
  async getEvents(
    extraTokens?: Credentials | readonly Credentials[],
  ): Promise<Array<WebhookEvent | UnknownWebhookEvent>> {
    return (await this.getData(extraTokens)).events;
  }

  /**
   * When Pusher created the webhook.
   *
   * @param extraTokens more key/secret pairs to accept
   * @returns `time_ms` as a `Date`
   * @throws {PusherError} when the webhook does not verify
   */
  async getTime(extraTokens?: Credentials | readonly Credentials[]): Promise<Date> {
    return new Date((await this.verify(extraTokens)).timeMs);
  }

  /**
   * Whether the content type is `application/json` (parameters such as `; charset=utf-8` allowed), as the official
   * `isContentTypeValid()`. Says nothing about authenticity: use `isValid()`.
   *
   * @returns whether the media type is JSON
   */
  // deno-lint-ignore require-await
  async isContentTypeValid(): Promise<boolean> {
    return header(this.#request.headers, "content-type")?.split(";")[0].trim().toLowerCase() === "application/json";
  }

  /**
   * Whether the body is JSON sent as JSON, as the official `isBodyValid()`. Says nothing about authenticity. The body
   * is read once (capped at 1 MiB) and reused by the other methods.
   *
   * @returns whether the content type is JSON and the body parses
   */
  async isBodyValid(): Promise<boolean> {
    if (!await this.isContentTypeValid()) return false;
    let bytes: Uint8Array;
    try {
      bytes = await this.#read();
    } catch (err) {
      if (err instanceof PusherError) return false; // over the cap
      throw err;
    }
    try {
      JSON.parse(utf8Decode(bytes));
      return true;
    } catch {
      return false;
    }
  }

  #read(): Promise<Uint8Array> {
    const request = this.#request;
    // Read once; the cap is checked before the body is buffered.
    return this.#bytes ??= request instanceof Request
      ? readCapped(request, DEFAULT_WEBHOOK_MAX_BYTES)
      : Promise.resolve().then(() =>
        bodyBytes("rawBody" in request ? request.rawBody : request.body, DEFAULT_WEBHOOK_MAX_BYTES)
      );
  }

  async #authenticate(
    extraTokens: Credentials | readonly Credentials[] = [],
  ): Promise<{ key: string; bytes: Uint8Array }> {
    const check = checkWebhookHeaders(this.#request.headers, [this.#context as Credentials].concat(extraTokens));
    // Read only after a request has shown a known key and a well-formed signature.
    const bytes = await this.#read();
    await checkWebhookMac(check, bytes);
    return { key: check.creds.key, bytes };
  }

  async #decrypt<T extends Omit<VerifiedWebhook, "key">>(parsed: T): Promise<T> {
    const { masterKey, encryption } = this.#context;
    if (!masterKey || !encryption) return parsed;
    const events = [];
    const irregularEvents = [...parsed.irregularEvents];
    const decrypted = new Map<unknown, unknown>();
    for (const event of parsed.events) {
      let kept = event;
      if (event.name === "client_event" && isEncryptedChannel(event.channel)) {
        try {
          decrypted.set(
            event,
            kept = { ...event, data: await encryption.decrypt(event.channel, event.data, masterKey) },
          );
        } catch (err) {
          if (!(err instanceof PusherError)) throw err;
          // Kept as sent in allEvents; listed with the reason.
          irregularEvents.push({ event, reason: `client_event on ${event.channel} did not decrypt: ${err.code}` });
          continue;
        }
      }
      events.push(kept);
    }
    return { ...parsed, events, irregularEvents, allEvents: parsed.allEvents.map((e) => decrypted.get(e) ?? e) };
  }

  /** Hides the credentials from `console.log` in Deno. */
  [Symbol.for("Deno.customInspect")](): string {
    return "PusherWebhook {}";
  }

  /** Hides the credentials from `console.log` in Node and Bun. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return "PusherWebhook {}";
  }
}
