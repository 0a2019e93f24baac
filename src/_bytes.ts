// Private byte helpers: UTF-8, hex and base64 without @std/encoding (JSR is unreachable from our build machines).

export const encoder: TextEncoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function utf8Encode(s: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(s);
}

/** Decodes UTF-8 strictly: invalid bytes throw a TypeError instead of turning into U+FFFD. */
export function utf8Decode(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

export function hexEncode(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]];
  return out;
}

function nibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Decodes hex of either case; throws a TypeError on an odd length or a non-hex character. */
export function hexDecode(s: string): Uint8Array<ArrayBuffer> {
  if (s.length % 2 !== 0) throw new TypeError("hex string has an odd length");
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(s.charCodeAt(2 * i));
    const lo = nibble(s.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) throw new TypeError("hex string has a non-hex character");
    out[i] = (hi << 4) | lo;
  }
  return out;
}

export function base64Encode(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin);
}

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes standard, padded base64 only; anything else throws a TypeError. */
export function base64Decode(s: string): Uint8Array<ArrayBuffer> {
  if (!BASE64_RE.test(s)) throw new TypeError("not standard padded base64");
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * Throws unless `body` is absent, a string or a `Uint8Array`: an ArrayBuffer, Blob or stream has no usable `.length`,
 * and treating it as absent would skip the `body_md5` check.
 */
export function checkBody(body: unknown): asserts body is string | Uint8Array | null | undefined {
  if (body != null && typeof body !== "string" && !(body instanceof Uint8Array)) {
    throw new TypeError("body must be a string, a Uint8Array or null");
  }
}
