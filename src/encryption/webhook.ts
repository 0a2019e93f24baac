/**
 * Decrypting `client_event` data of verified webhooks on `private-encrypted-*` channels.
 *
 * @module
 */

import { isEncryptedChannel } from "../validate.ts";
import type { WebhookEvent } from "../webhook_events.ts";
import { decryptPayload } from "./payload.ts";

/**
 * Returns the events with each encrypted `client_event`'s `data` replaced by its plaintext; other events are
 * returned as they are. The input array and its events are not modified. Call it only on verified events.
 *
 * @param events the events of a webhook that passed `verifyWebhook`
 * @param masterKey the 32-byte master key, as base64 or bytes
 * @returns new events with decrypted data
 * @throws {PusherError} `ERR_NONCE_INVALID` or `ERR_DECRYPTION_FAILED` when an encrypted event does not decrypt
 *
 * @example
 * ```ts
 * import { decryptWebhookEvents, encryptPayload } from "@pusher-edge/pusher-edge/encryption";
 * import type { WebhookEvent } from "@pusher-edge/pusher-edge";
 * const masterKey = "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=";
 * const channel = "private-encrypted-room";
 * const events: WebhookEvent[] = [{
 *   name: "client_event", channel, event: "client-typing", socket_id: "1.1",
 *   data: await encryptPayload(channel, { typing: true }, masterKey),
 * }];
 * const [event] = await decryptWebhookEvents(events, masterKey);
 * if (event.name !== "client_event" || event.data !== '{"typing":true}') throw new Error("not decrypted");
 * ```
 */
export async function decryptWebhookEvents(
  events: readonly WebhookEvent[],
  masterKey: string | Uint8Array,
): Promise<WebhookEvent[]> {
  const out: WebhookEvent[] = [];
  for (const event of events) {
    if (event.name === "client_event" && isEncryptedChannel(event.channel)) {
      out.push({ ...event, data: await decryptPayload(event.channel, event.data, masterKey) });
    } else {
      out.push(event);
    }
  }
  return out;
}
