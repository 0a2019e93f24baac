// The emulator's live half: REST answers merge what tests seeded by hand with what the protocol engine knows from
// real WebSocket subscribers, and a byte-bounded ring of recent frames and webhook attempts feeds the debug page.
import type { Engine } from "../../server/engine.ts";
import type { FrameRecord } from "../../server/types.ts";
import type { WebhookAttempt } from "../../server/webhook_sender.ts";
import type { EmulatorState } from "./state.ts";

/**
 * Recent frames and webhook delivery attempts, bounded in bytes, for the debug page and `GET /emulator/live`.
 *
 * @example
 * ```ts
 * import { LiveLog } from "@pusher-edge/pusher-edge/hono";
 *
 * const log = new LiveLog(1024);
 * for (let i = 0; i < 100; i++) log.frame({ direction: "in", socketId: "1.1", text: "x".repeat(100), time: i });
 * if (log.frames.length > 10) throw new Error("not bounded");
 * ```
 */
export class LiveLog {
  /** The byte budget of the frame ring. */
  readonly maxBytes: number;
  #frames: FrameRecord[] = [];
  #bytes = 0;
  #lastRaw: string | undefined;
  /** The last 100 webhook delivery attempts. */
  readonly attempts: WebhookAttempt[] = [];
  /** Set by the emulator: records each webhook attempt in its request log. */
  onAttempt: ((attempt: WebhookAttempt) => void) | undefined;

  /**
   * Creates an empty log.
   *
   * @param maxBytes the frame ring's budget (text length plus a fixed overhead per frame); 256 KiB by default
   */
  constructor(maxBytes = 256 * 1024) {
    this.maxBytes = maxBytes;
  }

  /**
   * Keeps a frame (its text cut to 1 KiB), dropping the oldest beyond the byte budget. A fan-out (the same frame text
   * sent to one socket after another) is kept once, with `count` sockets, so logging does not slow broadcasts down.
   */
  frame(record: FrameRecord): void {
    const last = this.#frames[this.#frames.length - 1];
    if (record.text === this.#lastRaw && last?.direction === record.direction && record.direction === "out") {
      last.count = (last.count ?? 1) + 1;
      return;
    }
    this.#lastRaw = record.text;
    const text = record.text.length > 1024 ? record.text.slice(0, 1024) + "…" : record.text;
    this.#frames.push({ ...record, text });
    this.#bytes += text.length + 64;
    while (this.#bytes > this.maxBytes && this.#frames.length > 0) {
      this.#bytes -= this.#frames.shift()!.text.length + 64;
    }
  }

  /** Keeps a webhook attempt (the last 100) and forwards it to the request log. */
  attempt(attempt: WebhookAttempt): void {
    this.attempts.push(attempt);
    if (this.attempts.length > 100) this.attempts.shift();
    this.onAttempt?.(attempt);
  }

  /** The frames kept, oldest first. */
  get frames(): readonly FrameRecord[] {
    return this.#frames;
  }
}

/** A running engine and its log, for {@linkcode createEmulator}'s `live` option. */
export interface LiveHooks {
  /** The protocol engine serving `/app/{key}` WebSockets on the same port. */
  engine: Engine;
  /** Its frames and webhook attempts. */
  log: LiveLog;
}

/** Occupancy and counts of one channel: seeded plus live. */
export async function channelCounts(
  state: EmulatorState,
  channel: string,
): Promise<{ subscriptionCount: number; users: Map<string, unknown> }> {
  const seeded = state.channels.get(channel);
  const users = new Map<string, unknown>(seeded?.members ?? []);
  let subscriptionCount = seeded ? Math.max(seeded.subscriptionCount, seeded.members.size) : 0;
  const engine = state.live?.engine;
  if (engine) {
    const info = await engine.channelInfo(channel);
    subscriptionCount += info.subscription_count;
    if (channel.startsWith("presence-") && info.occupied) {
      for (const id of await engine.users(channel)) if (!users.has(id)) users.set(id, null);
    }
  }
  return { subscriptionCount, users };
}

/** Every channel name the emulator knows as occupied: seeded or live. */
export async function occupiedChannels(state: EmulatorState, prefix: string): Promise<string[]> {
  const names = new Set<string>();
  for (const [name] of state.channels) if (name.startsWith(prefix) && state.occupied(name)) names.add(name);
  for (const [name] of (await state.live?.engine.channels(prefix)) ?? []) names.add(name);
  return [...names].sort();
}
