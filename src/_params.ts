// Private: turning caller params into validated [key, value] pairs, and the canonical query.
import { PusherError } from "./errors.ts";

/** A query parameter value: a string, or a finite number (sent in its decimal form). */
export type ParamValue = string | number;
/** Query parameters: a record, or ordered `[key, value]` pairs. */
export type Params = Readonly<Record<string, ParamValue>> | ReadonlyArray<readonly [string, ParamValue]>;

export const RESERVED_PARAMS: ReadonlySet<string> = new Set([
  "auth_key",
  "auth_timestamp",
  "auth_version",
  "auth_signature",
  "body_md5",
]);

// Every real Pusher param key is lower-case; outside this set the docs, the Ruby gem (which lower-cases) and
// pusher-http-node (which does not) sign different strings, so such keys are refused rather than guessed at.
const KEY_RE = /^[a-z0-9_]+$/;

export function normalizeParams(params: Params | undefined): [string, string][] {
  if (params === undefined || params === null) return [];
  const shape = "params must be an object or [key, value] pairs with string keys";
  if (typeof params !== "object") throw new TypeError(shape);
  const pairs: ReadonlyArray<readonly [string, unknown]> = Array.isArray(params)
    ? params
    : Object.entries(params as Record<string, unknown>);
  const seen = new Set<string>();
  const out: [string, string][] = [];
  for (const pair of pairs) {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "string") throw new TypeError(shape);
    const [key, value] = pair;
    if (RESERVED_PARAMS.has(key.toLowerCase())) {
      throw new PusherError("ERR_RESERVED_PARAM", `Param ${key} is reserved for the signer`);
    }
    if (!KEY_RE.test(key)) {
      throw new PusherError(
        "ERR_INVALID_PARAM",
        `Invalid parameter name: ${JSON.stringify(key)} (must match ^[a-z0-9_]+$)`,
      );
    }
    if (seen.has(key)) throw new PusherError("ERR_DUPLICATE_PARAM", `Duplicate parameter: ${key}`);
    seen.add(key);
    if (typeof value === "number" ? !Number.isFinite(value) : typeof value !== "string") {
      throw new PusherError("ERR_INVALID_PARAM", `Param ${key} must be a string or a finite number`);
    }
    out.push([key, String(value)]);
  }
  return out;
}

export function canonicalQuery(pairs: ReadonlyArray<readonly [string, string]>): string {
  // Index access, not destructuring: this runs on every signed and verified request.
  const sorted = pairs.slice().sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  let out = "";
  for (let i = 0; i < sorted.length; i++) out += (i ? "&" : "") + sorted[i][0] + "=" + sorted[i][1];
  return out;
}

// The signed string keeps values raw (as every SDK does). On the wire only the characters that would break the
// query apart are escaped, so for ordinary values (channel prefixes, info lists with commas) the wire query is
// byte-identical to pusher-http-node's, and a decoding server recovers exactly what was signed.
const UNSAFE = /[%&#+?\s]|[^\x20-\x7e]/gu;

/**
 * The query to send for already-validated pairs whose canonical form is `canonical`: the same string unless a value
 * has a character to escape, which spares the common case a second sort and join.
 */
export function wireQuery(pairs: ReadonlyArray<readonly [string, string]>, canonical: string): string {
  for (let i = 0; i < pairs.length; i++) {
    // search(), unlike test(), ignores and keeps the global regex's lastIndex.
    if (pairs[i][1].search(UNSAFE) >= 0) return canonicalQuery(pairs.map(([k, v]) => [k, wireValue(v)]));
  }
  return canonical;
}

export function wireValue(value: string): string {
  try {
    return value.replace(UNSAFE, encodeURIComponent);
  } catch {
    throw new PusherError("ERR_INVALID_PARAM", "Param value is not well-formed Unicode");
  }
}
