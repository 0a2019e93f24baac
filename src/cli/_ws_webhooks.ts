/**
 * The webhook receiver of the WebSocket conformance runner: a Fetch handler (served by whoever runs the runner) that
 * records every webhook the server under test sends, verifies it with the core's `verifyWebhook`, and can answer 500
 * to chosen deliveries so retries can be observed.
 *
 * @module
 */
import type { Credentials } from "../verify_request.ts";
import { PusherError } from "../errors.ts";
import { verifyWebhook } from "../webhook.ts";

/** One event of a received webhook, as sent (fields not typed: the scenarios check them). */
export type HookEvent = { name?: unknown; channel?: unknown; [field: string]: unknown };

/** One received webhook request. */
export interface Hook {
  body: string;
  headers: Headers;
  /** Unix ms when it arrived. */
  at: number;
  /** The status the receiver answered. */
  answered: number;
  /** `time_ms` from the body, when present. */
  timeMs?: unknown;
  /** Why the key, signature or content type did not verify (undefined when they did). */
  error?: string;
  /** Signed correctly, but `verifyWebhook` refused the body's shape: why. */
  shape?: string;
  events: HookEvent[];
}

/** A received event and the request it came in. */
export interface Received {
  hook: Hook;
  event: HookEvent;
}

/** Records webhooks; see {@linkcode WebhookSink.handle}. */
export class WebhookSink {
  /** Where the server under test must send its webhooks. */
  readonly url: string;
  readonly hooks: Hook[] = [];
  readonly #credentials: Credentials;
  #failing: { match: (e: HookEvent) => boolean; left: number }[] = [];
  #waiters = new Set<() => void>();

  constructor(url: string, credentials: Credentials) {
    this.url = url;
    this.#credentials = credentials;
  }

  /** Answers 500 to the next `times` deliveries that carry an event matching `match`. */
  failNext(match: (e: HookEvent) => boolean, times: number): void {
    this.#failing.push({ match, left: times });
  }

  /** The Fetch handler: records the request and answers 200 (or 500, see {@linkcode WebhookSink.failNext}). */
  handle = async (req: Request): Promise<Response> => {
    const bytes = new Uint8Array(await req.arrayBuffer());
    const body = new TextDecoder().decode(bytes);
    const hook: Hook = { body, headers: req.headers, at: Date.now(), answered: 200, events: [] };
    try {
      const parsed = JSON.parse(body);
      hook.timeMs = parsed?.time_ms;
      if (Array.isArray(parsed?.events)) hook.events = parsed.events;
    } catch {
      hook.error = "the body is not JSON";
    }
    try {
      await verifyWebhook({ credentials: this.#credentials, headers: req.headers, body: bytes });
    } catch (err) {
      // The body is parsed only once the signature holds: a shape the core does not expect is the scenario's to judge.
      if (err instanceof PusherError && err.code === "ERR_WEBHOOK_BODY_INVALID") hook.shape = err.message;
      else hook.error ??= err instanceof Error ? err.message : String(err);
    }
    const rule = this.#failing.find((f) => f.left > 0 && hook.events.some(f.match));
    if (rule) {
      rule.left--;
      hook.answered = 500;
    }
    this.hooks.push(hook);
    for (const w of [...this.#waiters]) w();
    return new Response(hook.answered === 200 ? "{}" : "failing on purpose", { status: hook.answered });
  };

  /** Every received event at request index ≥ `from` that matches. */
  events(match: (e: HookEvent) => boolean, from = 0): Received[] {
    return this.hooks.slice(from).flatMap((hook) => hook.events.filter(match).map((event) => ({ hook, event })));
  }

  /** The first matching event at request index ≥ `from`, waiting up to `ms`. */
  wait(match: (e: HookEvent) => boolean, ms: number, from = 0): Promise<Received | undefined> {
    const now = this.events(match, from)[0];
    if (now) return Promise.resolve(now);
    return new Promise((resolve) => {
      const check = () => {
        const got = this.events(match, from)[0];
        if (got) done(got);
      };
      const done = (v: Received | undefined) => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(v);
      };
      const timer = setTimeout(() => done(undefined), ms);
      this.#waiters.add(check);
    });
  }
}

/** Matches an event by `name` and `channel`. */
export function hookEv(name: string, channel: string): (e: HookEvent) => boolean {
  return (e) => e.name === name && e.channel === channel;
}
