/**
 * rest-verify: the server side of REST signing (pusher-spec.md §1.5, §1.9, §9 #9, #13; the rest-verify
 * checklist of vectors-format.md).
 *
 * The official package has no verifier, so the reference is the small verifier below (node:crypto), whose
 * final comparison is cross-checked with the official `Token.verify`. Every declared outcome must equal the
 * reference's.
 *
 * @module
 */
import { OfficialPusher as Pusher } from "./_common.ts";
import {
  type Credentials,
  crossCheck,
  type ErrorCode,
  expectKnown,
  hmacHex,
  makeFile,
  md5Hex,
  type Source,
  type TestSpec,
  type VectorFile,
} from "./_common.ts";
import { GROUPS, type VCase } from "./_rest_verify_cases.ts";

export interface Clock {
  now: number;
  toleranceSeconds: number;
}
type Outcome = { ok: true; params: Record<string, string> } | { ok: false; code: ErrorCode; message?: string };

// Form decoding: '+' is a space (the project's PlusAsSpace policy), then percent-decoding.
const formDecode = (s: string) => decodeURIComponent(s.replaceAll("+", " "));
const AUTH = ["auth_key", "auth_timestamp", "auth_version", "auth_signature"];

function reference(creds: Credentials[], clock: Clock, c: VCase, flags: string[]): Outcome {
  const fail = (code: ErrorCode, message?: string): Outcome => ({ ok: false, code, ...(message ? { message } : {}) });
  const iso = (t: number) => new Date(t * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const map = new Map<string, string>();
  for (const part of c.query.split("&")) {
    if (part === "") continue;
    const i = part.indexOf("=");
    const k = formDecode(i < 0 ? part : part.slice(0, i)).toLowerCase();
    if (map.has(k)) return fail("ERR_DUPLICATE_PARAM");
    map.set(k, i < 0 ? "" : formDecode(part.slice(i + 1)));
  }
  // An empty value counts as missing.
  for (const k of AUTH) if (!map.get(k)) return fail("ERR_MISSING_AUTH_PARAM");
  if (map.get("auth_version") !== "1.0") return fail("ERR_UNSUPPORTED_AUTH_VERSION");
  const cred = creds.find((x) => x.key === map.get("auth_key"));
  if (!cred) return fail("ERR_UNKNOWN_KEY");
  const ts = Number(map.get("auth_timestamp"));
  if (!Number.isSafeInteger(ts) || Math.abs(clock.now - ts) >= clock.toleranceSeconds) {
    return fail(
      "ERR_TIMESTAMP_OUT_OF_WINDOW",
      `Timestamp expired: Given timestamp (${iso(ts)}) not within ${clock.toleranceSeconds}s of server time (${
        iso(clock.now)
      })`,
    );
  }
  const body = c.bodyHex ? Uint8Array.from(c.bodyHex.match(/../g)!, (h) => parseInt(h, 16)) : c.body ?? "";
  if (body.length > 0 && !map.has("body_md5")) return fail("ERR_MISSING_AUTH_PARAM");
  if (map.has("body_md5") && map.get("body_md5") !== md5Hex(body)) return fail("ERR_BODY_MD5_MISMATCH");
  const sig = map.get("auth_signature")!;
  const canonical = [...map].filter(([k]) => k !== "auth_signature")
    .sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
    .map(([k, v]) => `${k}=${v}`).join("&");
  const toSign = `${c.method.toUpperCase()}\n${c.path}\n${canonical}`;
  // The production server's text (pusher-signature) for both a malformed and a wrong signature.
  const invalid =
    `Invalid signature: you should have sent HmacSHA256Hex(${JSON.stringify(toSign)}, your_secret_key), ` +
    `but you sent ${JSON.stringify(sig)}`;
  if (!/^[0-9a-fA-F]{64}$/.test(sig)) return fail("ERR_SIGNATURE_MALFORMED", invalid);
  const ours = hmacHex(cred.secret, toSign) === sig.toLowerCase();
  crossCheck(
    `rest-verify "${c.comment}" signature`,
    flags,
    ours,
    new Pusher.Token(cred.key, cred.secret).verify(toSign, sig),
  );
  if (!ours) return fail("ERR_SIGNATURE_MISMATCH", invalid);
  const params: Record<string, string> = {};
  for (const [k, v] of map) if (!AUTH.includes(k) && k !== "body_md5") params[k] = v;
  return { ok: true, params };
}

function build(source: Source, creds: Credentials[], clock: Clock, c: VCase): TestSpec {
  const ref = reference(creds, clock, c, c.flags);
  const what = `rest-verify "${c.comment}"`;
  const input = {
    method: c.method,
    path: c.path,
    query: c.query,
    body: c.bodyHex ? null : c.body ?? null,
    ...(c.bodyHex ? { body_hex: c.bodyHex } : {}),
  };
  const base = { comment: c.comment, flags: c.flags, input };
  if (c.expect === "valid" || c.expect === "acceptable") {
    if (!ref.ok) throw new Error(`${what}: reference rejects with ${ref.code}`);
    return { ...base, result: c.expect, expected: { params: ref.params } };
  }
  if (ref.ok || ref.code !== c.expect) throw new Error(`${what}: reference gives ${JSON.stringify(ref)}`);
  if (c.message !== undefined) expectKnown(source, `${what} message`, c.message, ref.message);
  return {
    ...base,
    result: "invalid",
    error: {
      code: c.expect,
      stage: c.expect === "ERR_DUPLICATE_PARAM" ? "input" : "auth",
      ...(c.message === undefined ? {} : { message: c.message }),
    },
  };
}

export default function (): Promise<VectorFile> {
  return Promise.resolve(makeFile(
    "rest-verify",
    [
      "REST request verification (server side). Decode the query as a form (+ is a space), lower-case keys,",
      "reject duplicates, require auth_key/auth_timestamp/auth_version=1.0/auth_signature, find the key among",
      "credentials and extraCredentials, reject |clock.now - auth_timestamp| >= clock.toleranceSeconds, require",
      "body_md5 for a non-empty body and check any body_md5 against MD5(body), then compare the signature over",
      "METHOD\\npath\\nsorted k=v of every param but auth_signature, in constant time.",
      "valid: expected.params are the non-auth params (body_md5 excluded), decoded, keys lower-cased.",
    ],
    GROUPS.map(({ cases, ...g }) => ({
      ...g,
      tests: cases.map((c) => build(g.source, [g.credentials, ...(g.extraCredentials ?? [])], g.clock, c)),
    })),
  ));
}
