// Private: the standalone app's in-memory webhook replay guard.
import { jsonError } from "./_http.ts";
import type { WebhookMiddlewareOptions } from "./webhook.ts";

// Pusher retries a webhook until it gets a 2xx, so a repeat inside the window is answered as a duplicate rather than
// processed twice. A delivery is forgotten only once its time_ms has left the window (after which maxAgeMs refuses it
// anyway); when the bounded memory is full of live deliveries, new ones get a 503 and Pusher retries them later. The
// memory is per process: a shared store (KV, Redis) belongs in the user's own app.
export function replayGuard(
  maxAgeMs: number | undefined,
  capacity = 50_000,
): Pick<WebhookMiddlewareOptions, "maxAgeMs" | "isDuplicate"> {
  if (maxAgeMs === undefined) return {};
  if (!Number.isSafeInteger(maxAgeMs) || maxAgeMs <= 0) {
    throw new TypeError("webhookMaxAgeMs must be a positive integer");
  }
  const seen = new Map<string, number>(); // signature -> time_ms
  return {
    maxAgeMs,
    isDuplicate(_c, { id, timeMs }) {
      if (seen.has(id)) return true;
      if (seen.size >= capacity) {
        const now = Date.now();
        for (const [k, t] of seen) if (now - t > maxAgeMs) seen.delete(k);
        if (seen.size >= capacity) {
          throw jsonError(503, "Too many webhook deliveries inside the replay window: retry later", {
            code: "ERR_REPLAY_MEMORY_FULL",
          }, { "retry-after": "60" });
        }
      }
      seen.set(id, timeMs);
      return false;
    },
  };
}
