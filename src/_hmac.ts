// One HMAC-SHA256 signer per secret: the CryptoKey is imported once and reused.
import { hexEncode, utf8Encode } from "./_bytes.ts";

export interface Signer {
  /** The raw MAC: Web Crypto's own promise once the key is imported (no async wrapper: signRequest awaits it directly). */
  sign(data: string | Uint8Array): Promise<ArrayBuffer>;
  signHex(data: string | Uint8Array): Promise<string>;
  /** Constant-time check of a 32-byte MAC through crypto.subtle.verify. */
  verify(mac: Uint8Array<ArrayBuffer>, data: string | Uint8Array): Promise<boolean>;
}

function toBytes(data: string | Uint8Array): Uint8Array<ArrayBuffer> {
  return typeof data === "string" ? utf8Encode(data) : data as Uint8Array<ArrayBuffer>;
}

export function createSigner(secret: string): Signer {
  if (typeof secret !== "string" || secret.length === 0) throw new TypeError("secret must be a non-empty string");
  // Once imported, the key is used directly: awaiting the settled import promise cost a microtask per signature.
  let ready: CryptoKey | undefined;
  const key = crypto.subtle.importKey("raw", utf8Encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]).then((k) => (ready = k));
  const sign = (data: string | Uint8Array) =>
    ready
      ? crypto.subtle.sign("HMAC", ready, toBytes(data))
      : key.then((k) => crypto.subtle.sign("HMAC", k, toBytes(data)));
  return {
    sign,
    async signHex(data) {
      return hexEncode(new Uint8Array(await sign(data)));
    },
    async verify(mac, data) {
      return await crypto.subtle.verify("HMAC", ready ?? await key, mac, toBytes(data));
    },
  };
}

/** The signer for an operation's `key` and `secret`: one check of both for every operation of the core. */
export function signerForKey(key: unknown, secret: string): Signer {
  if (typeof key !== "string" || key.length === 0) throw new TypeError("key must be a non-empty string");
  return signerFor(secret);
}

const MAC_RE = /^[0-9a-fA-F]{64}$/;

/** A sent hex HMAC-SHA256 as 32 bytes, or undefined unless it is exactly 64 hex digits (either case). */
export function parseMac(hex: string): Uint8Array<ArrayBuffer> | undefined {
  return MAC_RE.test(hex) ? Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16)) : undefined;
}

/** The credentials whose key is `key`, from one pair or a list (key rotation). */
export function findCredentials<C extends { key: string }>(credentials: C | readonly C[], key: string): C | undefined {
  return (Array.isArray(credentials) ? credentials : [credentials as C]).find((c) => c.key === key);
}

// Callers of the functional API pass the secret on every call; re-importing the key each time costs more than the
// HMAC itself. A small bounded cache keeps the common case (one or two secrets per process) fast without growing.
const MAX_CACHED = 16;
const cache = new Map<string, Signer>();

// The most recent secret, checked before the map: the common case (one secret) then skips the map's delete and set.
let lastSecret: string | undefined;
let lastSigner: Signer | undefined;

export function signerFor(secret: string): Signer {
  if (lastSigner && secret === lastSecret) return lastSigner;
  let signer = cache.get(secret);
  if (signer) {
    // Refresh recency so the oldest entry is the one evicted.
    cache.delete(secret);
  } else {
    signer = createSigner(secret);
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  }
  cache.set(secret, signer);
  lastSecret = secret;
  lastSigner = signer;
  return signer;
}
