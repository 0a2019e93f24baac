/**
 * End-to-end encrypted event data: XSalsa20-Poly1305 (NaCl secretbox) under the channel's shared secret, written
 * as `{"nonce":"<base64>","ciphertext":"<base64>"}` exactly as the official `pusher` package writes it.
 *
 * @module
 */

import { poly1305 } from "@noble/ciphers/_poly1305.js";
import { xsalsa20 } from "@noble/ciphers/salsa.js";
import { equalBytes } from "@noble/ciphers/utils.js";
import { base64Decode, base64Encode, utf8Decode, utf8Encode } from "../_bytes.ts";
import { PusherError } from "../errors.ts";
import { stringifyData } from "../_json.ts";
import { channelSharedSecret } from "../shared_secret.ts";

/** The secretbox nonce length, in bytes. */
export const NONCE_BYTES = 24;
/** The Poly1305 tag length, in bytes (the ciphertext starts with it). */
export const TAG_BYTES = 16;

/** Options for {@linkcode encryptPayload}. */
export interface EncryptOptions {
  /** A fixed 24-byte nonce, for test vectors only. Default: 24 fresh random bytes. Never reuse a nonce. */
  nonce?: Uint8Array;
}

/**
 * Encrypts event data for a `private-encrypted-*` channel. The plaintext is always `JSON.stringify(data)`, even
 * for a string (as the official Node package does), so pusher-js hands subscribers the same value.
 *
 * @param channel the `private-encrypted-*` channel
 * @param data the event data
 * @param masterKey the 32-byte master key, as base64 or bytes
 * @param options a fixed nonce (tests only)
 * @returns the event `data` string: `{"nonce":"…","ciphertext":"…"}`
 * @throws {PusherError} `ERR_NOT_ENCRYPTED_CHANNEL`, `ERR_ENCRYPTION_KEY_*`, `ERR_NONCE_INVALID`, `ERR_INVALID_PARAM`
 *
 * @example Round trip
 * ```ts
 * import { decryptPayload, encryptPayload } from "@pusher-edge/pusher-edge/encryption";
 * const masterKey = "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=";
 * const data = await encryptPayload("private-encrypted-chat", { msg: "hi" }, masterKey);
 * const plaintext = await decryptPayload("private-encrypted-chat", data, masterKey);
 * if (plaintext !== '{"msg":"hi"}') throw new Error("round trip failed");
 * ```
 */
export async function encryptPayload(
  channel: string,
  data: unknown,
  masterKey: string | Uint8Array,
  options?: EncryptOptions,
): Promise<string> {
  const key = await sharedKey(channel, masterKey);
  const json = stringifyData(data);
  const nonce = options?.nonce === undefined ? crypto.getRandomValues(new Uint8Array(NONCE_BYTES)) : options.nonce;
  if (!(nonce instanceof Uint8Array) || nonce.length !== NONCE_BYTES) {
    throw new PusherError("ERR_NONCE_INVALID", `the nonce must be ${NONCE_BYTES} bytes`);
  }
  const ciphertext = xsalsa20poly1305(key, nonce, utf8Encode(json), false)!;
  return JSON.stringify({ nonce: base64Encode(nonce), ciphertext: base64Encode(ciphertext) });
}

/**
 * Decrypts the `data` of an event on a `private-encrypted-*` channel (from a webhook, or one you encrypted).
 *
 * @param channel the channel the event was sent on (its shared secret is the key)
 * @param data the event `data` string `{"nonce","ciphertext"}`
 * @param masterKey the 32-byte master key, as base64 or bytes
 * @returns the plaintext (a JSON text when the sender was the official Node package or this library)
 * @throws {PusherError} `ERR_NONCE_INVALID` for a malformed wrapper or nonce, `ERR_DECRYPTION_FAILED` when the
 * ciphertext does not authenticate (tampered, or the wrong channel or key)
 *
 * @example A tampered payload is rejected
 * ```ts
 * import { decryptPayload, encryptPayload } from "@pusher-edge/pusher-edge/encryption";
 * const masterKey = "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=";
 * const data = await encryptPayload("private-encrypted-a", "x", masterKey);
 * await decryptPayload("private-encrypted-b", data, masterKey).then(
 *   () => { throw new Error("the wrong channel must not decrypt"); },
 *   (err) => { if (err.code !== "ERR_DECRYPTION_FAILED") throw err; },
 * );
 * ```
 */
export async function decryptPayload(channel: string, data: string, masterKey: string | Uint8Array): Promise<string> {
  const { nonce, ciphertext } = parseWrapper(data);
  const key = await sharedKey(channel, masterKey);
  const plaintext = xsalsa20poly1305(key, nonce, ciphertext, true);
  if (!plaintext) throw new PusherError("ERR_DECRYPTION_FAILED", `the payload does not decrypt with ${channel}'s key`);
  try {
    return utf8Decode(plaintext);
  } catch (cause) {
    throw new PusherError("ERR_DECRYPTION_FAILED", "the decrypted payload is not UTF-8", { cause });
  }
}

/**
 * NaCl `secretbox` (XSalsa20-Poly1305), composed from noble's two primitives as its own `xsalsa20poly1305` does,
 * without that wrapper's generic argument and output-buffer handling (about 450 B gzip; key and nonce lengths are
 * fixed here). Keystream bytes 0-31 are the one-time Poly1305 key, the message is XORed with the stream from byte 32,
 * and the box is tag ‖ ciphertext. Opening checks the tag (in constant time) over the ciphertext and returns
 * `undefined` when it does not match.
 */
function xsalsa20poly1305(
  key: Uint8Array,
  nonce: Uint8Array,
  input: Uint8Array,
  open: boolean,
): Uint8Array | undefined {
  const text = open ? input.subarray(TAG_BYTES) : input;
  const buf = new Uint8Array(32 + text.length);
  buf.set(text, 32);
  xsalsa20(key, nonce, buf, buf);
  const polyKey = buf.subarray(0, 32);
  const tag = poly1305(open ? text : buf.subarray(32), polyKey);
  polyKey.fill(0);
  if (!open) {
    buf.set(tag, TAG_BYTES);
    return buf.subarray(TAG_BYTES);
  }
  return equalBytes(tag, input.subarray(0, TAG_BYTES)) ? buf.subarray(32) : undefined;
}

// Deriving a channel key is a SHA-256 through Web Crypto: an async hop that costs more than sealing a small event.
// A hot channel pays it once. The cache is bounded like the HMAC signers' (src/_hmac.ts) and keyed by the key's
// value, not the array's identity, so a caller reusing and refilling one Uint8Array never gets a stale key.
const MAX_CACHED_KEYS = 64;
const derivedKeys = new Map<string, Uint8Array>();

async function sharedKey(channel: string, masterKey: string | Uint8Array): Promise<Uint8Array> {
  const keyId = typeof masterKey === "string"
    ? masterKey
    : masterKey instanceof Uint8Array
    ? base64Encode(masterKey)
    : undefined;
  if (keyId === undefined) return await channelSharedSecret(channel, masterKey);
  const id = `${channel}\n${keyId}`;
  const hit = derivedKeys.get(id);
  if (hit) return hit;
  const key = await channelSharedSecret(channel, masterKey);
  if (derivedKeys.size >= MAX_CACHED_KEYS) derivedKeys.delete(derivedKeys.keys().next().value!);
  derivedKeys.set(id, key);
  return key;
}

function parseWrapper(data: string): { nonce: Uint8Array; ciphertext: Uint8Array } {
  let parsed: unknown;
  try {
    parsed = typeof data === "string" ? JSON.parse(data) : undefined;
  } catch {
    // reported below
  }
  const { nonce, ciphertext } = (parsed ?? {}) as { nonce?: unknown; ciphertext?: unknown };
  if (typeof nonce !== "string" || typeof ciphertext !== "string") {
    throw new PusherError("ERR_NONCE_INVALID", 'encrypted data must be {"nonce":"…","ciphertext":"…"}');
  }
  let nonceBytes: Uint8Array, ciphertextBytes: Uint8Array;
  try {
    nonceBytes = base64Decode(nonce);
  } catch {
    throw new PusherError("ERR_NONCE_INVALID", "the nonce is not standard base64");
  }
  if (nonceBytes.length !== NONCE_BYTES) {
    throw new PusherError("ERR_NONCE_INVALID", `the nonce must be ${NONCE_BYTES} bytes, not ${nonceBytes.length}`);
  }
  try {
    ciphertextBytes = base64Decode(ciphertext);
  } catch {
    throw new PusherError("ERR_DECRYPTION_FAILED", "the ciphertext is not standard base64");
  }
  if (ciphertextBytes.length < TAG_BYTES) {
    throw new PusherError("ERR_DECRYPTION_FAILED", `the ciphertext is shorter than the ${TAG_BYTES}-byte tag`);
  }
  return { nonce: nonceBytes, ciphertext: ciphertextBytes };
}
