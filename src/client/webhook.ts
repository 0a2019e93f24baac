/**
 * `pusher.webhook(request)`: the official package's WebHook object, with async methods, built on the core's
 * constant-time {@linkcode verifyWebhook}. Data is only ever returned after the signature has been checked.
 *
 * @module
 */

import { PusherError } from "../errors.ts";
import { isEncryptedChannel } from "../validate.ts";
import type { Credentials } from "../verify_request.ts";
import { type HeadersLike, type VerifiedWebhook, verifyWebhook } from "../webhook.ts";
import type { WebhookEvent } from "../webhook_events.ts";
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
  /** The events; encrypted `client_event` data is decrypted when the client has a master key and `encryption`. */
  events: WebhookEvent[];
}

/** What the client passes to a webhook: its credentials and, optionally, the means to decrypt. */
export interface WebhookContext {
  credentials: Credentials;
  masterKey: Uint8Array | undefined;
  encryption: EncryptionProvider | undefined;
}

/**
 * A received webhook. Every method verifies first (content type, key, HMAC of the raw body); `isValid()` answers
 * with a boolean, the getters throw the {@linkcode PusherError} that explains the rejection.
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
  #input: Promise<{ headers: HeadersLike; body: Uint8Array | string }>;

  /**
   * Use `pusher.webhook(request)` rather than this constructor.
   *
   * @param context the credentials and decryption settings
   * @param request the webhook as received
   */
  constructor(context: WebhookContext, request: WebhookRequest) {
    this.#context = context;
    this.#input = readOnce(request);
    this.#input.catch(() => {}); // reported by the method that awaits it
  }

  /**
   * Verifies the webhook and returns the key that signed it, `timeMs` and the typed events.
   *
   * @param extraTokens more key/secret pairs to accept (key rotation), as in `pusher`
   * @returns the verified webhook
   * @throws {PusherError} why the webhook was rejected
   */
  async verify(extraTokens?: Credentials | readonly Credentials[]): Promise<VerifiedWebhook> {
    const { headers, body } = await this.#input;
    const extra = extraTokens === undefined ? [] : Array.isArray(extraTokens) ? extraTokens : [extraTokens];
    const verified = await verifyWebhook({ headers, body, credentials: [this.#context.credentials, ...extra] });
    return { ...verified, events: await this.#decrypt(verified.events) };
  }

  /**
   * Whether the webhook is genuine: JSON content type, a known key and a matching signature.
   *
   * @param extraTokens more key/secret pairs to accept (key rotation)
   * @returns `true` when it verifies, `false` when it is rejected
   */
  async isValid(extraTokens?: Credentials | readonly Credentials[]): Promise<boolean> {
    try {
      await this.verify(extraTokens);
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
   * @returns `{ time_ms, events }`
   * @throws {PusherError} when the webhook does not verify
   */
  async getData(extraTokens?: Credentials | readonly Credentials[]): Promise<WebhookData> {
    const verified = await this.verify(extraTokens);
    return { time_ms: verified.timeMs, events: verified.events };
  }

  /**
   * The verified events.
   *
   * @param extraTokens more key/secret pairs to accept
   * @returns the typed events
   * @throws {PusherError} when the webhook does not verify
   */
  async getEvents(extraTokens?: Credentials | readonly Credentials[]): Promise<WebhookEvent[]> {
    return (await this.verify(extraTokens)).events;
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
  async isContentTypeValid(): Promise<boolean> {
    return jsonMediaType((await this.#input).headers);
  }

  /**
   * Whether the body is JSON sent as JSON, as the official `isBodyValid()`. Says nothing about authenticity.
   *
   * @returns whether the content type is JSON and the body parses
   */
  async isBodyValid(): Promise<boolean> {
    const { headers, body } = await this.#input;
    if (!jsonMediaType(headers)) return false;
    try {
      JSON.parse(typeof body === "string" ? body : new TextDecoder("utf-8", { fatal: true }).decode(body));
      return true;
    } catch {
      return false;
    }
  }

  async #decrypt(events: WebhookEvent[]): Promise<WebhookEvent[]> {
    const { masterKey, encryption } = this.#context;
    if (masterKey === undefined || encryption === undefined) return events;
    const out: WebhookEvent[] = [];
    for (const event of events) {
      if (event.name === "client_event" && isEncryptedChannel(event.channel)) {
        out.push({ ...event, data: await encryption.decrypt(event.channel, event.data, masterKey) });
      } else {
        out.push(event);
      }
    }
    return out;
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

function jsonMediaType(headers: HeadersLike): boolean {
  const raw = headers instanceof Headers
    ? headers.get("content-type")
    : Object.entries(headers).find(([k]) => k.toLowerCase() === "content-type")?.[1];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === "string" && value.split(";")[0].trim().toLowerCase() === "application/json";
}

async function readOnce(request: WebhookRequest): Promise<{ headers: HeadersLike; body: Uint8Array | string }> {
  if (request instanceof Request) {
    return { headers: request.headers, body: new Uint8Array(await request.arrayBuffer()) };
  }
  if (request === null || typeof request !== "object") {
    throw new TypeError("webhook() takes a Request or { headers, rawBody }");
  }
  const body = "rawBody" in request ? request.rawBody : request.body;
  if (typeof body !== "string" && !(body instanceof Uint8Array)) {
    throw new TypeError("webhook() needs the raw body as a string or Uint8Array");
  }
  return { headers: request.headers, body };
}
