import { checkBody, hexEncode } from "./_bytes.ts";
import { bodyMd5Hex } from "./_md5.ts";
import { signerForKey } from "./_hmac.ts";
import { canonicalQuery, normalizeParams, type Params, wireQuery } from "./_params.ts";

export type { Params, ParamValue } from "./_params.ts";

/** What {@linkcode signRequest} needs. */
export interface SignRequestOptions {
  /** The app key, sent as `auth_key`. */
  key: string;
  /** The app secret; used as the HMAC key and never sent. */
  secret: string;
  /** HTTP method; upper-cased before signing. */
  method: string;
  /** The full path the server sees, including `/apps/{id}` and any proxy prefix. */
  path: string;
  /** Extra query params: lower-case keys, string or finite-number values. */
  params?: Params;
  /** The exact request body; `body_md5` is added when it is non-empty. */
  body?: string | Uint8Array | null;
  /** Unix time in seconds; defaults to now. */
  timestamp?: number;
}

/** Every intermediate of a signed request, so a mismatch can be traced to its step. */
export interface SignedRequest {
  /** Lower-case hex MD5 of the body, or null when there is no body. */
  bodyMd5: string | null;
  /** Sorted `k=v` pairs joined with `&`, unescaped: what is signed. */
  canonicalQuery: string;
  /** `METHOD\npath\ncanonicalQuery`. */
  stringToSign: string;
  /** Lower-case hex HMAC-SHA256 of `stringToSign`. */
  signature: string;
  /** The query string to send (no leading `?`), ending with `auth_signature`. */
  query: string;
}

/**
 * Signs a Pusher REST API request: adds `auth_key`, `auth_timestamp`, `auth_version=1.0` and, for a non-empty body,
 * `body_md5`, sorts the params, and signs `METHOD\npath\nquery` with HMAC-SHA256.
 *
 * @param options the request to sign
 * @returns the signature and every intermediate
 * @throws {PusherError} `ERR_RESERVED_PARAM`, `ERR_INVALID_PARAM` or `ERR_DUPLICATE_PARAM` for bad params
 * @throws {TypeError} for a missing key, secret, method or path, or a bad timestamp
 *
 * @example Sign the request that lists a presence channel's users
 * ```ts
 * import { signRequest } from "@pusher-edge/pusher-edge";
 *
 * const signed = await signRequest({
 *   key: "278d425bdf160c739803",
 *   secret: "7ad3773142a6692b25b8",
 *   method: "GET",
 *   path: "/apps/3/channels/presence-foobar/users",
 *   timestamp: 1353088179,
 * });
 * if (signed.signature !== "5567dd30e7f8575e66be615d2aac3f608a0c311c31ddab8513a278b022e9597e") throw new Error("unexpected result");
 * // fetch(`https://api-mt1.pusher.com/apps/3/channels/presence-foobar/users?${signed.query}`)
 * ```
 */
export async function signRequest(options: SignRequestOptions): Promise<SignedRequest> {
  const { key, secret, path, body } = options;
  const signer = signerForKey(key, secret);
  if (typeof options.method !== "string" || !/^[A-Za-z]+$/.test(options.method)) {
    throw new TypeError("method must be an HTTP method name");
  }
  if (typeof path !== "string" || !path.startsWith("/") || /[?#\s]/.test(path)) {
    throw new TypeError("path must start with '/' and contain no query, fragment or whitespace");
  }
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new TypeError("timestamp must be a non-negative integer (seconds)");
  }
  checkBody(body);
  const pairs = normalizeParams(options.params);
  let bodyMd5 = body && body.length > 0 ? bodyMd5Hex(body) : null;
  if (bodyMd5 instanceof Promise) bodyMd5 = await bodyMd5;
  pairs.push(["auth_key", key], ["auth_timestamp", String(timestamp)], ["auth_version", "1.0"]);
  if (bodyMd5) pairs.push(["body_md5", bodyMd5]);
  const canonical = canonicalQuery(pairs);
  const stringToSign = `${options.method.toUpperCase()}\n${path}\n${canonical}`;
  const signature = hexEncode(new Uint8Array(await signer.sign(stringToSign)));
  const wire = wireQuery(pairs, canonical);
  return { bodyMd5, canonicalQuery: canonical, stringToSign, signature, query: `${wire}&auth_signature=${signature}` };
}
