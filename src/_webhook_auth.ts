// Private: the checks every webhook receiver runs, in the order that keeps an unauthenticated sender cheap to refuse:
// headers first (content type, key, signature format), then a capped body read, then the HMAC.
import { utf8Encode } from "./_bytes.ts";
import { findCredentials, parseMac, signerFor } from "./_hmac.ts";
import { PusherError } from "./errors.ts";
import type { Credentials } from "./verify_request.ts";

/** Header values as frameworks hand them over: a Fetch `Headers`, or a plain record (any name case). */
export type HeadersLike = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** The default cap on a webhook body: Pusher batches events of at most 10 KB each, far below this. */
export const DEFAULT_WEBHOOK_MAX_BYTES = 1024 * 1024;

export function header(headers: HeadersLike, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  if (typeof headers !== "object" || headers === null) throw new TypeError("headers must be Headers or a record");
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== name) continue;
    if (typeof v === "string") return v;
    if (Array.isArray(v) && v.length === 1 && typeof v[0] === "string") return v[0];
    return undefined;
  }
  return undefined;
}

export interface HeaderCheck {
  creds: Credentials;
  mac: Uint8Array<ArrayBuffer>;
}

/** Checks what can be checked without the body; `contentType: false` skips the media type (as `isValid()` does). */
export function checkWebhookHeaders(
  headers: HeadersLike,
  credentials: Credentials | readonly Credentials[],
  contentType = true,
): HeaderCheck {
  if (contentType) {
    const media = header(headers, "content-type")?.split(";")[0].trim().toLowerCase();
    if (media !== "application/json") {
      throw new PusherError("ERR_WEBHOOK_CONTENT_TYPE", "Webhook Content-Type must be application/json");
    }
  }
  const key = header(headers, "x-pusher-key");
  const creds = key === undefined ? undefined : findCredentials(credentials, key);
  if (!creds) throw new PusherError("ERR_UNKNOWN_KEY", "X-Pusher-Key is missing or unknown");
  const mac = parseMac(header(headers, "x-pusher-signature") ?? "");
  if (!mac) throw new PusherError("ERR_SIGNATURE_MALFORMED", "X-Pusher-Signature must be 64 hex digits");
  return { creds, mac };
}

function tooLarge(maxBytes: number): PusherError {
  return new PusherError("ERR_PAYLOAD_TOO_LARGE", `Webhook body is larger than ${maxBytes} bytes`);
}

/** Checks the `maxBodyBytes` option. */
export function checkMaxBodyBytes(value: unknown): number {
  if (value === undefined) return DEFAULT_WEBHOOK_MAX_BYTES;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new TypeError("maxBodyBytes must be a positive integer");
  }
  return value;
}

/** Reads a request body, refusing a declared or actual length over `maxBytes` without buffering past it. */
export async function readCapped(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^[0-9]+$/.test(declared) && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return new Uint8Array(await new Blob(chunks).arrayBuffer());
    if ((total += value.length) > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
}

/** A raw body given by the caller, as bytes, within the cap. */
export function bodyBytes(body: unknown, maxBytes: number): Uint8Array {
  let bytes: Uint8Array;
  if (typeof body === "string") bytes = utf8Encode(body);
  else if (body instanceof Uint8Array) bytes = body;
  else if (body instanceof ArrayBuffer) bytes = new Uint8Array(body);
  else throw new TypeError("body must be a string, a Uint8Array or an ArrayBuffer");
  if (bytes.length > maxBytes) throw tooLarge(maxBytes);
  return bytes;
}

/** The HMAC check, in constant time. */
export async function checkWebhookMac({ creds, mac }: HeaderCheck, bytes: Uint8Array): Promise<void> {
  if (!(await signerFor(creds.secret).verify(mac, bytes))) {
    throw new PusherError("ERR_SIGNATURE_MISMATCH", "X-Pusher-Signature does not match the body");
  }
}
