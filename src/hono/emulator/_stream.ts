// Private: GET /emulator/stream, the debug page's live feed. Each subscriber's backlog is bounded in bytes: a client
// that stops reading is disconnected instead of pinning every entry the emulator records.
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import { jsonError } from "../_http.ts";
import type { EmulatorState, LogEntry } from "./state.ts";

/** How many streams may be open at once. */
export const MAX_STREAMS = 8;
/** The most a subscriber may fall behind, in bytes of entry JSON, before it is disconnected. */
export const MAX_STREAM_BACKLOG = 1024 * 1024;

export function streamRoute(state: EmulatorState, hello: () => unknown): (c: Context) => Response {
  let open = 0;
  return (c) => {
    if (open >= MAX_STREAMS) {
      throw jsonError(503, `At most ${MAX_STREAMS} emulator streams may be open at once`, {
        code: "ERR_TOO_MANY_STREAMS",
      });
    }
    open++;
    return streamSSE(c, async (stream) => {
      // Start with the newest entries that fit the backlog budget.
      const queue: LogEntry[] = [];
      let queued = 0;
      for (let i = state.entries.length - 1; i >= 0; i--) {
        const size = state.sizeOf(state.entries[i]);
        if (queued + size > MAX_STREAM_BACKLOG) break;
        queue.unshift(state.entries[i]);
        queued += size;
      }
      let wake: (() => void) | undefined;
      let closed = false;
      const unsubscribe = state.subscribe((entry) => {
        queue.push(entry);
        queued += state.sizeOf(entry);
        if (queued > MAX_STREAM_BACKLOG) {
          // A slow consumer: drop it (EventSource reconnects and starts again from the newest entries).
          closed = true;
          queue.length = 0;
          stream.abort();
        }
        wake?.();
      });
      stream.onAbort(() => {
        closed = true;
        unsubscribe();
        wake?.();
      });
      try {
        await stream.writeSSE({ event: "hello", data: JSON.stringify(hello()) });
        while (!closed) {
          while (queue.length > 0 && !closed) {
            const entry = queue.shift()!;
            queued -= state.sizeOf(entry);
            await stream.writeSSE({ event: "entry", id: String(entry.id), data: JSON.stringify(entry) });
          }
          if (closed) break;
          let timer: ReturnType<typeof setTimeout> | undefined;
          const pinged = await Promise.race([
            new Promise<boolean>((resolve) => wake = () => resolve(false)),
            new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(true), 15_000)),
          ]);
          clearTimeout(timer);
          wake = undefined;
          if (pinged && !closed) await stream.writeSSE({ event: "ping", data: "" });
        }
      } finally {
        unsubscribe();
        open--;
      }
    });
  };
}

/** The log (or its events) as one bounded answer: after `after` oldest first, else the newest that fit. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

export function logPage(
  state: EmulatorState,
  afterText: string | undefined,
  limitText: string | undefined,
): { entries: LogEntry[]; next?: number; truncated?: boolean } {
  const number = (t: string | undefined, name: string) => {
    if (t === undefined) return undefined;
    if (!/^[0-9]{1,15}$/.test(t)) throw jsonError(400, `${name} must be a non-negative integer`);
    return Number(t);
  };
  const after = number(afterText, "after");
  const limit = Math.min(number(limitText, "limit") ?? state.capacity, state.capacity);
  const all = state.entries;
  const out: LogEntry[] = [];
  let bytes = 0;
  if (after !== undefined) {
    for (const e of all) {
      if (e.id <= after) continue;
      const size = state.sizeOf(e);
      if (out.length >= limit || (out.length > 0 && bytes + size > MAX_ANSWER_BYTES)) {
        return { entries: out, next: out[out.length - 1].id };
      }
      out.push(e);
      bytes += size;
    }
    return { entries: out };
  }
  for (let i = all.length - 1; i >= 0; i--) {
    const size = state.sizeOf(all[i]);
    if (out.length >= limit || (out.length > 0 && bytes + size > MAX_ANSWER_BYTES)) {
      out.reverse();
      return { entries: out, truncated: true };
    }
    out.push(all[i]);
    bytes += size;
  }
  return { entries: out.reverse() };
}
