// Private helpers shared by the Hono handlers: JSON errors, capped body reading and form/JSON parsing.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { bodyLimit } from "hono/body-limit";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The default cap on request bodies read by the handlers (auth and webhook bodies are small). */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** The `code` an error response gets when no more specific `PusherErrorCode` applies. */
const CODE_BY_STATUS: Partial<Record<number, string>> = {
  400: "ERR_BAD_REQUEST",
  401: "ERR_UNAUTHORIZED",
  403: "ERR_FORBIDDEN",
  404: "ERR_NOT_FOUND",
  413: "ERR_BODY_TOO_LARGE",
  415: "ERR_UNSUPPORTED_MEDIA_TYPE",
  500: "ERR_INTERNAL",
};

/** The stable error code for an HTTP status (`ERR_HTTP_<status>` for the rare ones). */
export function httpErrorCode(status: number): string {
  return CODE_BY_STATUS[status] ?? `ERR_HTTP_${status}`;
}

/** A JSON `Response` with `{ error, ...extra }`; an error (status >= 400) always carries a `code`. */
export function jsonResponse(status: number, body: Record<string, unknown>, headers?: HeadersInit): Response {
  const h = new Headers(headers);
  h.set("content-type", "application/json; charset=UTF-8");
  h.set("cache-control", "no-store");
  const out = status >= 400 && body.code === undefined ? { ...body, code: httpErrorCode(status) } : body;
  return new Response(JSON.stringify(out), { status, headers: h });
}

/** An `HTTPException` that carries a ready JSON response, as Hono's own middleware do. */
export function jsonError(
  status: ContentfulStatusCode,
  error: string,
  extra: Record<string, unknown> = {},
  headers?: HeadersInit,
): HTTPException {
  return new HTTPException(status, { message: error, res: jsonResponse(status, { error, status, ...extra }, headers) });
}

/** Checks a `maxBodyBytes` option eagerly. */
export function checkMaxBytes(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new TypeError("maxBodyBytes must be a positive integer");
  }
  return value;
}

/** Reads the body once, as bytes, refusing more than `maxBytes` with a 413 JSON error. */
export function bodyReader(maxBytes: number): (c: Context) => Promise<Uint8Array> {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw jsonError(413, `Request body too large: the limit is ${maxBytes} bytes`);
    },
  });
  const tooLarge = () => jsonError(413, `Request body too large: the limit is ${maxBytes} bytes`);
  return async (c) => {
    // With a declared length the runtime's HTTP layer already refuses a body longer than declared, so the length alone
    // decides, and the body is read on the runtime's fast path. bodyLimit touches `.body` first, which turns the read
    // into a stream read (about 10 µs per request on Deno); it stays for chunked bodies, whose size is unknown.
    const headers = c.req.raw.headers;
    const declared = headers.get("content-length");
    if (declared !== null && declared.length <= 15 && DIGITS.test(declared) && !headers.has("transfer-encoding")) {
      if (Number(declared) > maxBytes) throw tooLarge();
      let bytes: Uint8Array;
      try {
        // Straight from the Request unless a middleware already read it (Hono then has it cached).
        const raw = c.req.raw;
        bytes = new Uint8Array(await (raw.bodyUsed ? c.req.arrayBuffer() : raw.arrayBuffer()));
      } catch {
        throw jsonError(400, "Could not read the request body");
      }
      // In-process requests (app.request) are not held to their declared length: check what was read.
      if (bytes.length > maxBytes) throw tooLarge();
      return bytes;
    }
    let bytes: Uint8Array | undefined;
    await limit(c, async () => {
      try {
        bytes = new Uint8Array(await c.req.arrayBuffer());
      } catch (cause) {
        if (cause instanceof HTTPException) throw cause;
        throw jsonError(400, "Could not read the request body");
      }
    });
    return bytes ?? new Uint8Array(0);
  };
}

const DIGITS = /^[0-9]+$/;

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Decodes UTF-8 strictly; a 400 JSON error otherwise. */
export function decodeUtf8(bytes: Uint8Array): string {
  // Auth bodies from pusher-js are short and ASCII. For those, String.fromCharCode is exact and skips the decoder,
  // which is a native call on every runtime (about 1 µs per request on Deno).
  if (bytes.length <= 1024) {
    let ascii = true;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] > 127) {
        ascii = false;
        break;
      }
    }
    if (ascii) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw jsonError(400, "Request body is not valid UTF-8");
  }
}

const FORM = "application/x-www-form-urlencoded";

/** The media type of a `Content-Type` header, lower-cased, without parameters. */
export function mediaType(c: Context): string {
  const type = c.req.raw.headers.get("content-type");
  // What pusher-js sends, as is: skip the string work below.
  if (type === FORM) return FORM;
  return (type ?? "").split(";")[0].trim().toLowerCase();
}

/** Parses a request body that must be a JSON object; a 400 JSON error otherwise. */
export function parseJsonObject(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw jsonError(400, "Request body is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw jsonError(400, "Request body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

const SIMPLE_FORM = /^(?!\?)[^%+]*$/;

function addField(out: Record<string, string>, k: string, v: string): void {
  if (k in out) throw jsonError(400, `Field ${JSON.stringify(k)} is given more than once`);
  out[k] = v;
}

/**
 * Parses a form-urlencoded (what pusher-js sends) or JSON body into string fields. Repeated form fields, non-object
 * JSON and non-string JSON values are refused with 400; other content types with 415.
 */
export function parseFields(c: Context, bytes: Uint8Array): Record<string, string> {
  const type = mediaType(c);
  const text = decodeUtf8(bytes);
  const out: Record<string, string> = Object.create(null);
  if (type === FORM) {
    // Without '%', '+' or a leading '?', URLSearchParams would only split on '&' and the first '='; doing that here
    // saves its parser and iterator (a few µs per request on Deno). Anything else goes through URLSearchParams.
    if (SIMPLE_FORM.test(text)) {
      for (let start = 0; start < text.length;) {
        let end = text.indexOf("&", start);
        if (end < 0) end = text.length;
        if (end > start) {
          const part = text.slice(start, end);
          const eq = part.indexOf("=");
          if (eq < 0) addField(out, part, "");
          else addField(out, part.slice(0, eq), part.slice(eq + 1));
        }
        start = end + 1;
      }
    } else {
      new URLSearchParams(text).forEach((v, k) => addField(out, k, v));
    }
    return out;
  }
  if (type === "application/json") {
    for (const [k, v] of Object.entries(parseJsonObject(text))) {
      if (typeof v !== "string") throw jsonError(400, `Field ${JSON.stringify(k)} must be a string`);
      out[k] = v;
    }
    // JSON.parse keeps the last of repeated keys; refuse them as the form branch does. Every value is a string here,
    // so the string tokens alternate key, value, and the keys are the tokens followed by ':'.
    const keys = text.match(/"(?:[^"\\]|\\.)*"(?=\s*:)/g) ?? [];
    if (keys.length !== Object.keys(out).length) throw jsonError(400, "A field is given more than once");
    return out;
  }
  throw jsonError(
    415,
    `Unsupported Content-Type ${
      JSON.stringify(type)
    }: send application/x-www-form-urlencoded (as pusher-js does) or application/json`,
  );
}
