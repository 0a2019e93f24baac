import { signerFor } from "../_hmac.ts";
import type { OutgoingWebhookEvent } from "./types.ts";

/** One delivery attempt, for logs and the debug page. */
export interface WebhookAttempt {
  /** Where it was sent. */
  url: string;
  /** 1 for the first try. */
  attempt: number;
  /** The body's `time_ms` (the same on every retry of one body). */
  timeMs: number;
  /** Event names in the body. */
  events: string[];
  /** The HTTP status, when an answer came. */
  status?: number;
  /** Why it failed without an answer (timeout, network). */
  error?: string;
  /** 2xx. */
  ok: boolean;
  /** Whether another attempt is scheduled. */
  willRetry: boolean;
}

/** What {@linkcode createWebhookSender} takes. */
export interface WebhookSenderOptions {
  /** The app key, sent as `X-Pusher-Key`. */
  key: string;
  /** The app secret that signs each body (`X-Pusher-Signature`). */
  secret: string;
  /** Endpoints; every body goes to each. */
  urls: readonly string[];
  /** Put every event due in one tick into one body (Pusher's "batch webhooks" option); false sends one per body. */
  batch?: boolean;
  /** An answer must come within this many milliseconds; 4 000 by default. */
  timeoutMs?: number;
  /** Retries stop this long after the body was created; 300 000 (5 minutes) by default. */
  retryWindowMs?: number;
  /** At most this many attempts per body and URL; 10 by default. */
  maxAttempts?: number;
  /** Bodies waiting (first try or retry) beyond this are dropped, oldest first, and reported; 1 000 by default. */
  maxQueued?: number;
  /** Called after every attempt. Must not throw. */
  onAttempt?: (attempt: WebhookAttempt) => void;
  /** The fetch to use; `globalThis.fetch` by default. */
  fetch?: typeof fetch;
  /** The clock in milliseconds. */
  now?: () => number;
}

/** Sends signed webhook bodies with batching and bounded retries, driven by {@linkcode WebhookSender.tick}. */
export interface WebhookSender {
  /** Queues an event for the next tick. */
  enqueue(event: OutgoingWebhookEvent): void;
  /** Sends what is due at `now`: new events and retries whose backoff has passed. */
  tick(now?: number): void;
  /** Resolves when no request is in flight. */
  idle(): Promise<void>;
  /** Bodies waiting for a first try or a retry. */
  readonly queued: number;
}

interface Delivery {
  url: string;
  body: string;
  signature: string;
  timeMs: number;
  names: string[];
  attempt: number;
  due: number;
}

/**
 * Creates a webhook sender: bodies `{"time_ms":…,"events":[…]}` signed with HMAC-SHA256 of the raw body
 * (`X-Pusher-Key`, `X-Pusher-Signature`, `Content-Type: application/json`), retried with exponential backoff on a
 * non-2xx answer or a timeout, within a bounded window and number of attempts. It has no timers: the host calls
 * `tick()` (about once a second) or an alarm does.
 *
 * @param options endpoints, credentials and bounds
 * @returns the sender
 * @throws {TypeError} on a missing key, secret or URL list
 *
 * @example Capture a signed webhook with a stub fetch
 * ```ts
 * import { createWebhookSender } from "@pusher-edge/pusher-edge/server";
 *
 * const seen: Request[] = [];
 * const sender = createWebhookSender({
 *   key: "app-key", secret: "app-secret", urls: ["http://127.0.0.1:9/hook"],
 *   fetch: (input, init) => { seen.push(new Request(input, init)); return Promise.resolve(new Response("ok")); },
 * });
 * sender.enqueue({ name: "channel_occupied", channel: "news" });
 * sender.tick();
 * await sender.idle();
 * if (seen[0].headers.get("x-pusher-key") !== "app-key") throw new Error("not signed");
 * ```
 */
export function createWebhookSender(options: WebhookSenderOptions): WebhookSender {
  if (typeof options?.key !== "string" || options.key === "") throw new TypeError("key must be a non-empty string");
  if (!Array.isArray(options.urls)) throw new TypeError("urls must be an array of URLs");
  for (const u of options.urls) new URL(u);
  const signer = signerFor(options.secret);
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 4000;
  const windowMs = options.retryWindowMs ?? 300_000;
  const maxAttempts = options.maxAttempts ?? 10;
  const maxQueued = options.maxQueued ?? 1000;
  let events: OutgoingWebhookEvent[] = [];
  const waiting: Delivery[] = [];
  const inFlight = new Set<Promise<void>>();

  const report = (a: WebhookAttempt) => {
    try {
      options.onAttempt?.(a);
    } catch { /* observers must not break delivery */ }
  };

  async function attempt(d: Delivery): Promise<void> {
    d.attempt++;
    let status: number | undefined;
    let error: string | undefined;
    try {
      const res = await doFetch(d.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-pusher-key": options.key,
          "x-pusher-signature": d.signature,
        },
        body: d.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      await res.body?.cancel().catch(() => {});
    } catch (err) {
      error = err instanceof Error && err.name === "TimeoutError"
        ? `no answer within ${timeoutMs} ms`
        : "network error";
    }
    const ok = status !== undefined && status >= 200 && status < 300;
    const backoff = Math.min(60_000, 1000 * 2 ** (d.attempt - 1));
    const willRetry = !ok && d.attempt < maxAttempts && now() + backoff - d.timeMs <= windowMs;
    report({ url: d.url, attempt: d.attempt, timeMs: d.timeMs, events: d.names, status, error, ok, willRetry });
    if (willRetry) push({ ...d, due: now() + backoff });
  }

  function push(d: Delivery): void {
    waiting.push(d);
    while (waiting.length > maxQueued) {
      const dropped = waiting.shift()!;
      report({ ...dropped, events: dropped.names, error: "dropped: queue full", ok: false, willRetry: false });
    }
  }

  function start(d: Delivery): void {
    const p = attempt(d).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }

  async function build(batch: OutgoingWebhookEvent[], at: number): Promise<void> {
    const body = JSON.stringify({ time_ms: at, events: batch });
    const signature = await signer.signHex(body);
    for (const url of options.urls) {
      start({ url, body, signature, timeMs: at, names: batch.map((e) => e.name), attempt: 0, due: at });
    }
  }

  return {
    enqueue(event) {
      if (options.urls.length === 0) return;
      events.push(event);
      if (events.length > maxQueued) events.splice(0, events.length - maxQueued);
    },
    tick(at = now()) {
      if (events.length > 0) {
        const due = events;
        events = [];
        const batches = options.batch ? [due] : due.map((e) => [e]);
        for (const b of batches) {
          const p = build(b, at).finally(() => inFlight.delete(p));
          inFlight.add(p);
        }
      }
      for (let i = waiting.length - 1; i >= 0; i--) {
        if (waiting[i].due > at) continue;
        start(waiting.splice(i, 1)[0]);
      }
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    get queued() {
      return events.length + waiting.length;
    },
  };
}
