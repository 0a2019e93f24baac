/**
 * End-to-end encryption for `private-encrypted-*` channels (XSalsa20-Poly1305 from `@noble/ciphers`), kept in
 * its own entry point so that importing `@pusher-edge/pusher-edge` never loads the cipher.
 *
 * Plug it into the client to trigger on encrypted channels and to decrypt their webhook events:
 *
 * @example
 * ```ts
 * import { Pusher } from "@pusher-edge/pusher-edge";
 * import { encryption } from "@pusher-edge/pusher-edge/encryption";
 *
 * const pusher = new Pusher({
 *   appId: "1",
 *   key: "key",
 *   secret: "secret",
 *   encryptionMasterKeyBase64: "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=",
 *   encryption,
 *   fetch: async () => Response.json({}), // stand-in, keeps the example offline
 * });
 * await pusher.trigger("private-encrypted-chat", "message", { text: "only subscribers can read this" });
 * ```
 *
 * @module
 */

import type { EncryptionProvider } from "../client/_encryption.ts";
import { decryptPayload, encryptPayload } from "./payload.ts";

export { channelSharedSecret } from "../shared_secret.ts";
export { decryptPayload, type EncryptOptions, encryptPayload, NONCE_BYTES, TAG_BYTES } from "./payload.ts";
export { decryptWebhookEvents } from "./webhook.ts";
export type { EncryptionProvider } from "../client/_encryption.ts";
// Re-exported so the types decryptWebhookEvents returns are documented here too (deno doc --lint).
export type {
  CacheMissEvent,
  ChannelOccupiedEvent,
  ChannelVacatedEvent,
  ClientEvent,
  MemberAddedEvent,
  MemberRemovedEvent,
  SubscriptionCountEvent,
  UnknownWebhookEvent,
  WebhookEvent,
} from "../webhook_events.ts";

/**
 * The plug-in for `new Pusher({ …, encryption })`: encrypts triggers and batch events on `private-encrypted-*`
 * channels with a random nonce, and decrypts encrypted `client_event` data in `pusher.webhook(…)`.
 *
 * @example
 * ```ts
 * import { encryption } from "@pusher-edge/pusher-edge/encryption";
 * const key = new Uint8Array(32);
 * const data = await encryption.encrypt("private-encrypted-a", "hi", key);
 * if (await encryption.decrypt("private-encrypted-a", data, key) !== '"hi"') throw new Error("round trip failed");
 * ```
 */
export const encryption: EncryptionProvider = Object.freeze({
  encrypt: (channel: string, data: unknown, masterKey: Uint8Array) => encryptPayload(channel, data, masterKey),
  decrypt: (channel: string, data: string, masterKey: Uint8Array) => decryptPayload(channel, data, masterKey),
});
