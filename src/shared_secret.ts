import { base64Decode } from "./_bytes.ts";
import { PusherError } from "./errors.ts";
import { isEncryptedChannel, validateChannelName } from "./validate.ts";

/**
 * Parses an encryption master key: standard padded base64 of exactly 32 bytes, or the 32 bytes themselves.
 * The key is never echoed in an error.
 *
 * @param masterKey base64 text or raw bytes
 * @returns a copy of the 32 key bytes
 * @throws {PusherError} `ERR_ENCRYPTION_KEY_MISSING` or `ERR_ENCRYPTION_KEY_INVALID`
 *
 * @example
 * ```ts
 * import { parseMasterKey } from "@pusher-edge/pusher-edge";
 * const key = parseMasterKey("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
 * if (key.length !== 32) throw new Error();
 * ```
 */
export function parseMasterKey(masterKey: string | Uint8Array | undefined | null): Uint8Array<ArrayBuffer> {
  if (masterKey === undefined || masterKey === null || masterKey === "") {
    throw new PusherError("ERR_ENCRYPTION_KEY_MISSING", "An encryption master key is required for encrypted channels");
  }
  let bytes: Uint8Array<ArrayBuffer>;
  if (typeof masterKey === "string") {
    try {
      bytes = base64Decode(masterKey);
    } catch {
      throw new PusherError("ERR_ENCRYPTION_KEY_INVALID", "The encryption master key must be standard padded base64");
    }
  } else if (masterKey instanceof Uint8Array) {
    bytes = new Uint8Array(masterKey);
  } else {
    throw new TypeError("encryption master key must be a base64 string or a Uint8Array");
  }
  if (bytes.length !== 32) {
    throw new PusherError(
      "ERR_ENCRYPTION_KEY_INVALID",
      `The encryption master key must be 32 bytes, got ${bytes.length}`,
    );
  }
  return bytes;
}

/**
 * Derives the per-channel key of an end-to-end encrypted channel: `SHA-256(utf8(channel) ‖ masterKey)`.
 *
 * @param channel a `private-encrypted-*` channel name
 * @param masterKey the 32-byte master key, as base64 or bytes
 * @returns the 32-byte shared secret (base64 it for pusher-js)
 * @throws {PusherError} `ERR_NOT_ENCRYPTED_CHANNEL`, `ERR_INVALID_CHANNEL_NAME`, `ERR_ENCRYPTION_KEY_*`
 *
 * @example
 * ```ts
 * import { channelSharedSecret } from "@pusher-edge/pusher-edge";
 * const secret = await channelSharedSecret("private-encrypted-bla", "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=");
 * if (secret.length !== 32) throw new Error();
 * ```
 */
export async function channelSharedSecret(
  channel: string,
  masterKey: string | Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  validateChannelName(channel);
  if (!isEncryptedChannel(channel)) {
    throw new PusherError("ERR_NOT_ENCRYPTED_CHANNEL", `Not an encrypted channel: ${JSON.stringify(channel)}`);
  }
  return await deriveSharedSecret(channel, parseMasterKey(masterKey));
}

/** `SHA-256(utf8(channel) ‖ key)` for an already validated channel and parsed key (Blob encodes the name as UTF-8). */
export async function deriveSharedSecret(
  channel: string,
  key: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", await new Blob([channel, key]).arrayBuffer()));
}
