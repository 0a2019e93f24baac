import { checkBody } from "./_bytes.ts";
import { findCredentials, parseMac, signerFor } from "./_hmac.ts";
import { bodyMd5Hex } from "./_md5.ts";
import { canonicalQuery } from "./_params.ts";
import { PusherError } from "./errors.ts";

/** An app key and its secret. Several of them allow key rotation. */
export interface Credentials {
  /** The app key (public). */
  key: string;
  /** The app secret. */
  secret: string;
}

/** What {@linkcode verifyRequest} needs: the request as the server received it. */
export interface VerifyRequestOptions {
  /** One key/secret pair, or several during a key rotation. */
  credentials: Credentials | readonly Credentials[];
  /** The HTTP method. */
  method: string;
  /** The path as received (no query), including `/apps/{id}`. */
  path: string;
  /** The raw query string as received, still percent-encoded (a leading `?` is ignored), or parsed params. */
  query: string | URLSearchParams;
  /** The exact body bytes, or the body as text (anything else is a `TypeError`: read a stream or Blob first). */
  body?: string | Uint8Array | null;
  /** The server's clock, in Unix seconds; defaults to now. */
  now?: number;
  /**
   * How far `auth_timestamp` may be from `now`; `|now - ts| >= toleranceSeconds` fails. Defaults to 600; must be a
   * finite number of seconds from 1 to 3600 (the window is never off).
   */
  toleranceSeconds?: number;
}

/** A request that passed verification. */
export interface VerifiedRequest {
  /** The `auth_key` that signed it. */
  key: string;
  /** The `auth_timestamp`, in Unix seconds. */
  timestamp: number;
  /** The non-auth query params, decoded, keys lower-cased. */
  params: Record<string, string>;
}

/**
 * Thrown by {@linkcode verifyRequest} when a request is rejected. On `ERR_SIGNATURE_MISMATCH` it carries the string
 * the caller should have signed (never the expected signature), so a server can answer like Pusher does.
 *
 * @example Answer a bad signature like Pusher's API
 * ```ts
 * import { RequestVerificationError, verifyRequest } from "@pusher-edge/pusher-edge";
 * try {
 *   await verifyRequest({
 *     credentials: { key: "k", secret: "s" },
 *     method: "GET",
 *     path: "/apps/1/channels",
 *     query: `auth_key=k&auth_timestamp=${Math.floor(Date.now() / 1000)}&auth_version=1.0&auth_signature=${"0".repeat(64)}`,
 *   });
 * } catch (err) {
 *   if (!(err instanceof RequestVerificationError) || err.stringToSign === undefined) throw err;
 * }
 * ```
 */
export class RequestVerificationError extends PusherError {
  /** What the caller should have signed (set on `ERR_SIGNATURE_MISMATCH`). */
  declare readonly stringToSign?: string;
  /** The `auth_signature` the caller sent (set on `ERR_SIGNATURE_MISMATCH`). */
  declare readonly sentSignature?: string;

  /**
   * Creates the error; `details` are only set for `ERR_SIGNATURE_MISMATCH`.
   *
   * @param code the error code
   * @param message the Pusher-style message
   * @param details the string to sign and the sent signature, for signature mismatches
   */
  constructor(
    code: ConstructorParameters<typeof PusherError>[0],
    message: string,
    details: { stringToSign?: string; sentSignature?: string } = {},
  ) {
    super(code, message);
    this.name = "RequestVerificationError";
    Object.assign(this, details);
  }
}

function formDecode(s: string): string {
  // Most query parts (auth_key, timestamps, hex signatures) have nothing to decode; decodeURIComponent is the costliest
  // step of verification, so skip it for them.
  if (s.indexOf("%") < 0 && s.indexOf("+") < 0) return s;
  try {
    return decodeURIComponent(s.replaceAll("+", " "));
  } catch {
    throw new RequestVerificationError("ERR_INVALID_PARAM", "Query string is not valid percent-encoding");
  }
}

function parseQuery(query: string | URLSearchParams): Map<string, string> {
  const params = new Map<string, string>();
  const add = (value: string, rawKey: string) => {
    // Keys are matched case-insensitively, but only in ASCII: Unicode lower-casing folds the Kelvin sign (U+212A) to
    // "k", which would let `auth_\u212Aey` stand in for auth_key. A decoded `&` (0x26) or `=` (0x3d) would make the
    // signed string ambiguous (`a%3Db=c` and `a=b=c` sign the same text).
    if (!/^[\x21-\x25\x27-\x3c\x3e-\x7e]*$/.test(rawKey)) {
      throw new RequestVerificationError("ERR_INVALID_PARAM", `Invalid parameter name: ${JSON.stringify(rawKey)}`);
    }
    const key = rawKey.toLowerCase();
    if (params.has(key)) throw new RequestVerificationError("ERR_DUPLICATE_PARAM", `Duplicate parameter: ${rawKey}`);
    params.set(key, value);
  };
  if (typeof query === "string") {
    for (const part of (query.startsWith("?") ? query.slice(1) : query).split("&")) {
      if (part === "") continue;
      const eq = part.indexOf("=");
      if (eq < 0) add("", formDecode(part));
      else add(formDecode(part.slice(eq + 1)), formDecode(part.slice(0, eq)));
    }
  } else if (query instanceof URLSearchParams) {
    query.forEach(add);
  } else {
    throw new TypeError("query must be a string or URLSearchParams");
  }
  return params;
}

function iso(seconds: number): string {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? String(seconds) : d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * Verifies a signed Pusher REST request on the server side: decodes the query, requires `auth_version=1.0`, finds the
 * secret for `auth_key`, enforces the timestamp window, checks `body_md5` against the body, and compares the
 * signature in constant time with `crypto.subtle.verify`.
 *
 * @param options the request as received
 * @returns the key that signed it, its timestamp and the other params
 * @throws {RequestVerificationError} with a {@linkcode PusherErrorCode} for every way a request can be wrong
 * @throws {TypeError} for a body that is not a string or `Uint8Array`, or a `toleranceSeconds` outside 1..3600
 *
 * @example Verify a request signed by {@linkcode signRequest}
 * ```ts
 * import { signRequest, verifyRequest } from "@pusher-edge/pusher-edge";
 *
 * const credentials = { key: "278d425bdf160c739803", secret: "7ad3773142a6692b25b8" };
 * const body = '{"name":"foo","data":"{}","channels":["a"]}';
 * const signed = await signRequest({ ...credentials, method: "POST", path: "/apps/3/events", body });
 * const verified = await verifyRequest({ credentials, method: "POST", path: "/apps/3/events", query: signed.query, body });
 * if (verified.key !== credentials.key) throw new Error("unexpected result");
 * ```
 */
export async function verifyRequest(options: VerifyRequestOptions): Promise<VerifiedRequest> {
  const { method, path, body } = options;
  if (typeof method !== "string" || typeof path !== "string") throw new TypeError("method and path must be strings");
  const tolerance = options.toleranceSeconds ?? 600;
  if (typeof tolerance !== "number" || !(tolerance >= 1 && tolerance <= 3600)) {
    throw new TypeError("toleranceSeconds must be 1..3600");
  }
  checkBody(body);
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const params = parseQuery(options.query);

  const missing = (name: string) => {
    throw new RequestVerificationError("ERR_MISSING_AUTH_PARAM", `Missing parameter: ${name}`);
  };
  const [key, tsText, version, sent] = ["auth_key", "auth_timestamp", "auth_version", "auth_signature"].map((name) =>
    params.get(name) || missing(name)
  );
  if (version !== "1.0") {
    throw new RequestVerificationError(
      "ERR_UNSUPPORTED_AUTH_VERSION",
      `Unsupported auth_version: ${JSON.stringify(version)}`,
    );
  }
  const creds = findCredentials(options.credentials, key);
  if (!creds) throw new RequestVerificationError("ERR_UNKNOWN_KEY", `Unknown auth_key: ${JSON.stringify(key)}`);

  const timestamp = /^[0-9]{1,15}$/.test(tsText) ? Number(tsText) : NaN;
  if (!(Math.abs(now - timestamp) < tolerance)) {
    throw new RequestVerificationError(
      "ERR_TIMESTAMP_OUT_OF_WINDOW",
      `Timestamp expired: Given timestamp (${Number.isNaN(timestamp) ? JSON.stringify(tsText) : iso(timestamp)}) ` +
        `not within ${tolerance}s of server time (${iso(now)})`,
    );
  }

  const sentMd5 = params.get("body_md5");
  const hasBody = body !== undefined && body !== null && body.length > 0;
  if (hasBody && sentMd5 === undefined) missing("body_md5");
  if (sentMd5 !== undefined && sentMd5 !== await bodyMd5Hex(body ?? "")) {
    throw new RequestVerificationError("ERR_BODY_MD5_MISMATCH", "body_md5 does not match the MD5 of the request body");
  }

  const canonical = canonicalQuery([...params].filter(([k]) => k !== "auth_signature"));
  const stringToSign = `${method.toUpperCase()}\n${path}\n${canonical}`;
  // Production (pusher-signature) answers a malformed and a wrong signature with the same text.
  const invalid = (code: "ERR_SIGNATURE_MALFORMED" | "ERR_SIGNATURE_MISMATCH") =>
    new RequestVerificationError(
      code,
      `Invalid signature: you should have sent HmacSHA256Hex(${JSON.stringify(stringToSign)}, your_secret_key), ` +
        `but you sent ${JSON.stringify(sent)}`,
      { stringToSign, sentSignature: sent },
    );
  const mac = parseMac(sent);
  if (!mac) throw invalid("ERR_SIGNATURE_MALFORMED");
  if (!(await signerFor(creds.secret).verify(mac, stringToSign))) throw invalid("ERR_SIGNATURE_MISMATCH");

  const rest: Record<string, string> = {};
  for (const [k, v] of params) if (!k.startsWith("auth_") && k !== "body_md5") rest[k] = v;
  return { key, timestamp, params: rest };
}
