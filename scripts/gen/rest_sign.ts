/**
 * rest-sign: the client side of REST request signing (pusher-spec.md §1, §9 #1-#14, Appendix A).
 *
 * Reference: node:crypto plus the rules below. Cross-check: the official package's
 * `createSignedQueryString` with `Date.now` stubbed to the test's timestamp.
 *
 * @module
 */
import { OfficialPusher as Pusher } from "./_common.ts";
import {
  attempt,
  type Credentials,
  crossCheck,
  DOCS_TS,
  err,
  type ErrorCode,
  expectKnown,
  type GroupSpec,
  hmacHex,
  makeFile,
  md5Hex,
  type Source,
  type TestSpec,
  type VectorFile,
} from "./_common.ts";
import { type Case, CASES } from "./_rest_sign_cases.ts";

const RESERVED = new Set(["auth_key", "auth_timestamp", "auth_version", "auth_signature", "body_md5"]);

type Outcome = { ok: true; expected: Record<string, unknown> } | { ok: false; code: ErrorCode };

function reference(cred: Credentials, c: Case): Outcome {
  const pairs: [string, unknown][] = c.raw ?? c.params ?? [];
  const seen = new Set<string>();
  for (const [k, v] of pairs) {
    // Order of checks is part of the contract: reserved (case-insensitive, because the server lower-cases keys,
    // so AUTH_KEY would override auth_key there), then key syntax, then value type, then duplicate.
    if (RESERVED.has(k.toLowerCase())) return { ok: false, code: "ERR_RESERVED_PARAM" };
    if (!/^[a-z0-9_]+$/.test(k)) return { ok: false, code: "ERR_INVALID_PARAM" };
    if (!(typeof v === "string" || (typeof v === "number" && Number.isFinite(v)))) {
      return { ok: false, code: "ERR_INVALID_PARAM" };
    }
    if (seen.has(k)) return { ok: false, code: "ERR_DUPLICATE_PARAM" };
    seen.add(k);
  }
  const all: [string, string][] = [
    ["auth_key", cred.key],
    ["auth_timestamp", String(c.ts ?? DOCS_TS)],
    ["auth_version", "1.0"],
  ];
  const body_md5 = c.body ? md5Hex(c.body) : null;
  if (body_md5) all.push(["body_md5", body_md5]);
  for (const [k, v] of pairs) all.push([k, String(v)]);
  all.sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
  const canonical_query = all.map(([k, v]) => `${k}=${v}`).join("&");
  const string_to_sign = `${c.method.toUpperCase()}\n${c.path}\n${canonical_query}`;
  const auth_signature = hmacHex(cred.secret, string_to_sign);
  return {
    ok: true,
    expected: {
      body_md5,
      canonical_query,
      string_to_sign,
      auth_signature,
      signed_query: `${canonical_query}&auth_signature=${auth_signature}`,
    },
  };
}

/** The official package, or undefined when its input model cannot express the case (duplicate keys). */
function official(cred: Credentials, c: Case): unknown {
  const pairs: [string, unknown][] = c.raw ?? c.params ?? [];
  if (new Set(pairs.map(([k]) => k)).size !== pairs.length) return undefined;
  const pusher = new Pusher({ appId: cred.app_id, key: cred.key, secret: cred.secret });
  const realNow = Date.now;
  Date.now = () => (c.ts ?? DOCS_TS) * 1000;
  try {
    return attempt(() =>
      pusher.createSignedQueryString({
        method: c.method,
        path: c.path,
        params: Object.fromEntries(pairs),
        body: c.body ?? undefined,
      } as never)
    );
  } finally {
    Date.now = realNow;
  }
}

function build(source: Source, cred: Credentials, c: Case): TestSpec {
  const ref = reference(cred, c);
  const what = `rest-sign "${c.comment}"`;
  const node = official(cred, c);
  if (node !== undefined) crossCheck(what, c.flags, ref.ok ? ref.expected.signed_query : { threw: true }, node);
  if (c.known) {
    // Values from the docs or pusher-spec.md are checked too; only SDK sources count as SDK known answers.
    const check = (published: string, computed: unknown) => {
      if (source.repository) expectKnown(source, what, published, computed);
      else if (published !== computed) throw new Error(`${what}: ${published} not reproduced`);
    };
    if (c.known.auth_signature) check(c.known.auth_signature, ref.ok ? ref.expected.auth_signature : undefined);
    if (c.known.body_md5) check(c.known.body_md5, ref.ok ? ref.expected.body_md5 : undefined);
  }
  const input = {
    method: c.method,
    path: c.path,
    ...(c.raw ? { params_raw: c.raw } : { params: c.params ?? [] }),
    body: c.body ?? null,
    timestamp: c.ts ?? DOCS_TS,
  };
  if (c.error) {
    if (ref.ok || ref.code !== c.error) throw new Error(`${what}: reference gives ${JSON.stringify(ref)}`);
    return { comment: c.comment, flags: c.flags, result: "invalid", input, error: err(c.error) };
  }
  if (!ref.ok) throw new Error(`${what}: reference rejects with ${ref.code}`);
  return { comment: c.comment, flags: c.flags, result: "valid", input, expected: ref.expected };
}

const group = (source: Source, cred: Credentials, cases: Case[], comment?: string): GroupSpec => ({
  ...(comment ? { comment } : {}),
  source,
  credentials: cred,
  tests: cases.map((c) => build(source, cred, c)),
});

export default function (): Promise<VectorFile> {
  return Promise.resolve(makeFile("rest-sign", [
    "REST request signing: string_to_sign = METHOD '\\n' path '\\n' canonical_query;",
    "auth_signature = hex(HMAC-SHA256(secret, string_to_sign)); canonical_query = auth_key, auth_timestamp,",
    "auth_version=1.0, body_md5 (only for a non-empty body) and the params, sorted by key, k=v joined by '&',",
    "not URL-escaped. Param keys must match ^[a-z0-9_]+$ and values be strings or finite numbers.",
  ], CASES.map(([source, cred, cases, comment]) => group(source, cred, cases, comment))));
}
