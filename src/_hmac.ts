// One HMAC-SHA256 signer per secret: the CryptoKey is imported once and reused.
import { hexEncode, utf8Encode } from "./_bytes.ts";

export interface Signer {
  signHex(data: string | Uint8Array): Promise<string>;
  /** Constant-time check of a 32-byte MAC through crypto.subtle.verify. */
  verify(mac: Uint8Array<ArrayBuffer>, data: string | Uint8Array): Promise<boolean>;
}

function toBytes(data: string | Uint8Array): Uint8Array<ArrayBuffer> {
  return typeof data === "string" ? utf8Encode(data) : data as Uint8Array<ArrayBuffer>;
}

export function createSigner(secret: string): Signer {
  if (typeof secret !== "string" || secret.length === 0) throw new TypeError("secret must be a non-empty string");
  const key = crypto.subtle.importKey("raw", utf8Encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
  return {
    async signHex(data) {
      return hexEncode(new Uint8Array(await crypto.subtle.sign("HMAC", await key, toBytes(data))));
    },
    async verify(mac, data) {
      return await crypto.subtle.verify("HMAC", await key, mac, toBytes(data));
    },
  };
}

// Callers of the functional API pass the secret on every call; re-importing the key each time costs more than the
// HMAC itself. A small bounded cache keeps the common case (one or two secrets per process) fast without growing.
const MAX_CACHED = 16;
const cache = new Map<string, Signer>();

export function signerFor(secret: string): Signer {
  let signer = cache.get(secret);
  if (signer) {
    // Refresh recency so the oldest entry is the one evicted.
    cache.delete(secret);
  } else {
    signer = createSigner(secret);
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  }
  cache.set(secret, signer);
  return signer;
}
