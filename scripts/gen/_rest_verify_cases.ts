/**
 * rest-verify cases. Queries are built by signing with node:crypto and then mutating the wire form.
 * Append only: tcIds follow file order.
 *
 * @module
 */
import {
  type Credentials,
  DOCS,
  DOCS_SOURCE,
  DOCS_TS,
  type ErrorCode,
  expectKnown,
  flipHexBit,
  GEN_SOURCE,
  hmacHex,
  md5Hex,
  type Source,
} from "./_common.ts";
import { SRC } from "./_sources.ts";

/** One rest-verify case: the received request and the declared outcome. */
export interface VCase {
  comment: string;
  flags: string[];
  method: string;
  path: string;
  query: string;
  body?: string | null;
  bodyHex?: string;
  expect: "valid" | "acceptable" | ErrorCode;
  /** The production server's error text, published by pusher-signature; the reference must produce the same. */
  message?: string;
}
interface Req {
  method?: string;
  path?: string;
  params?: [string, string][];
  body?: string;
  bodyHex?: string;
  ts?: number;
  cred?: Credentials;
  version?: string;
  md5?: string;
}
type Pairs = [string, string][];

const T = DOCS_TS;
const K2: Credentials = { app_id: "3", key: "k2", secret: "s2" };
const BODY = '{"name":"foo","channels":["project-3"],"data":"{\\"some\\":\\"data\\"}"}';

/** Signs like a conforming client; returns the wire pairs (canonical order, auth_signature last). */
function sign(r: Req): Pairs {
  const cred = r.cred ?? DOCS;
  const pairs: Pairs = [["auth_key", cred.key], ["auth_timestamp", String(r.ts ?? T)], [
    "auth_version",
    r.version ?? "1.0",
  ]];
  const bytes = r.bodyHex ? Uint8Array.from(r.bodyHex.match(/../g)!, (h) => parseInt(h, 16)) : r.body;
  const md5 = r.md5 ?? (bytes && bytes.length ? md5Hex(bytes) : undefined);
  if (md5) pairs.push(["body_md5", md5]);
  pairs.push(...(r.params ?? []));
  pairs.sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
  const toSign = `${r.method ?? "GET"}\n${r.path ?? "/apps/3/channels"}\n${pairs.map((p) => p.join("=")).join("&")}`;
  return [...pairs, ["auth_signature", hmacHex(cred.secret, toSign)]];
}
const enc = (pairs: Pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
const sigOf = (p: Pairs) => p.find(([k]) => k === "auth_signature")![1];
const withSig = (p: Pairs, s: string): Pairs => p.map(([k, v]) => [k, k === "auth_signature" ? s : v]);
const without = (p: Pairs, key: string): Pairs => p.filter(([k]) => k !== key);

function c(comment: string, flags: string[], expect: VCase["expect"], r: Req, query?: string | Pairs): VCase {
  const q = query ?? sign(r);
  return {
    comment,
    flags,
    method: r.method ?? "GET",
    path: r.path ?? "/apps/3/channels",
    query: typeof q === "string" ? q : enc(q),
    ...(r.bodyHex ? { bodyHex: r.bodyHex } : { body: r.body ?? null }),
    expect,
  };
}

const P: [string, string][] = [["filter_by_prefix", "presence-"], ["info", "user_count"]];
const base = sign({ params: P });
const post: Req = { method: "POST", path: "/apps/3/events", body: BODY };
const sig = sigOf(base);
const ts = (d: number, f: string[], e: VCase["expect"], comment: string) => c(comment, f, e, { params: P, ts: T + d });

const generated: VCase[] = [
  c("GET with filter_by_prefix and info", [], "valid", { params: P }),
  c("params in scrambled order, auth_signature first", ["ParamOrder"], "valid", { params: P }, [...base].reverse()),
  c("comma sent as %2C (PHP/Guzzle encoding)", ["PercentEncoded"], "valid", {
    path: "/apps/3/channels/presence-foobar",
  }, sign({ path: "/apps/3/channels/presence-foobar", params: [["info", "user_count,subscription_count"]] })),
  c("space sent as %20", ["PercentEncoded"], "valid", {}, sign({ params: [["name", "Something else"]] })),
  c(
    "space sent as '+'",
    ["PlusAsSpace"],
    "acceptable",
    {},
    enc(sign({ params: [["name", "Something else"]] })).replace("%20", "+"),
  ),
  c(
    "upper-case key on the wire, signed lower-case",
    ["KeyLowercasing"],
    "valid",
    {},
    enc(base).replace("info=", "Info="),
  ),
  ts(-599, ["TimestampBoundary"], "valid", "timestamp 599 s in the past"),
  ts(599, ["TimestampBoundary"], "valid", "timestamp 599 s in the future"),
  ts(-600, ["TimestampBoundary", "StaleTimestamp"], "ERR_TIMESTAMP_OUT_OF_WINDOW", "timestamp 600 s in the past"),
  ts(600, ["TimestampBoundary", "FutureTimestamp"], "ERR_TIMESTAMP_OUT_OF_WINDOW", "timestamp 600 s in the future"),
  ts(-601, ["TimestampBoundary", "StaleTimestamp"], "ERR_TIMESTAMP_OUT_OF_WINDOW", "timestamp 601 s in the past"),
  ts(601, ["TimestampBoundary", "FutureTimestamp"], "ERR_TIMESTAMP_OUT_OF_WINDOW", "timestamp 601 s in the future"),
  ts(-T, ["StaleTimestamp"], "ERR_TIMESTAMP_OUT_OF_WINDOW", "timestamp 0"),
  ...["auth_key", "auth_timestamp", "auth_version", "auth_signature"].map((k) =>
    // Signed without the param, so only the presence check can catch it.
    c(`${k} missing`, ["MissingAuthParam"], "ERR_MISSING_AUTH_PARAM", { params: P }, without(sign({ params: P }), k))
  ),
  c(
    "non-empty body without body_md5",
    ["MissingAuthParam"],
    "ERR_MISSING_AUTH_PARAM",
    post,
    (() => {
      const p = without(sign({ ...post, md5: "x" }), "body_md5");
      const toSign = `POST\n/apps/3/events\n${without(p, "auth_signature").map((x) => x.join("=")).join("&")}`;
      return withSig(p, hmacHex(DOCS.secret, toSign));
    })(),
  ),
  c("auth_version=2.0", ["UnsupportedAuthVersion"], "ERR_UNSUPPORTED_AUTH_VERSION", { params: P, version: "2.0" }),
  c("unknown auth_key", ["UnknownKey"], "ERR_UNKNOWN_KEY", {
    params: P,
    cred: { app_id: "3", key: "unknown", secret: DOCS.secret },
  }),
  c("signed with the rotation key k2", ["KeyRotation"], "valid", { params: P, cred: K2 }),
  c("POST with body and body_md5", [], "valid", post),
  c("body changed, body_md5 unchanged", ["BodyMd5Mismatch"], "ERR_BODY_MD5_MISMATCH", {
    ...post,
    body: BODY.replace("foo", "bar"),
  }, sign(post)),
  c(
    "body_md5 of another body, correctly signed",
    ["BodyMd5Mismatch"],
    "ERR_BODY_MD5_MISMATCH",
    post,
    sign({
      ...post,
      md5: md5Hex("{}"),
    }),
  ),
  c(
    "GET with an empty body but body_md5 of 'x'",
    ["BodyMd5Mismatch"],
    "ERR_BODY_MD5_MISMATCH",
    {},
    sign({
      md5: md5Hex("x"),
    }),
  ),
  c("body that is not UTF-8 (body_hex)", ["RawBody"], "valid", { ...post, body: undefined, bodyHex: "fffe007b80" }),
  c("signature of 63 hex digits", ["TruncatedSignature"], "ERR_SIGNATURE_MALFORMED", {}, withSig(base, sig.slice(1))),
  c("signature of 65 hex digits", ["TruncatedSignature"], "ERR_SIGNATURE_MALFORMED", {}, withSig(base, sig + "0")),
  c(
    "signature with a non-hex digit",
    ["MalformedSignature"],
    "ERR_SIGNATURE_MALFORMED",
    {},
    withSig(base, "z" + sig.slice(1)),
  ),
  c(
    "empty auth_signature value counts as missing",
    ["MissingAuthParam"],
    "ERR_MISSING_AUTH_PARAM",
    {},
    withSig(base, ""),
  ),
  c("signature in upper-case hex", ["UppercaseHex"], "acceptable", { params: P }, withSig(base, sig.toUpperCase())),
  c(
    "last bit of the signature flipped",
    ["ModifiedSignature"],
    "ERR_SIGNATURE_MISMATCH",
    {},
    withSig(base, flipHexBit(sig, 255)),
  ),
  c(
    "first bit of the signature flipped",
    ["ModifiedSignature"],
    "ERR_SIGNATURE_MISMATCH",
    {},
    withSig(base, flipHexBit(sig, 0)),
  ),
  c(
    "only the first 32 hex digits right",
    ["PrefixSignature"],
    "ERR_SIGNATURE_MISMATCH",
    {},
    withSig(
      base,
      sig.slice(0, 32) + [...sig.slice(32)].map((d) => (15 - parseInt(d, 16)).toString(16)).join(""),
    ),
  ),
  c("auth_signature present twice", ["DuplicateSignatureParam"], "ERR_DUPLICATE_PARAM", {}, [
    ...base,
    ["auth_signature", sig],
  ]),
  c("info and Info (duplicate after lower-casing)", ["DuplicateParam"], "ERR_DUPLICATE_PARAM", {}, [
    ...base,
    ["Info", "subscription_count"],
  ]),
  c(
    "signed for another path",
    ["ModifiedRequest"],
    "ERR_SIGNATURE_MISMATCH",
    {},
    sign({ params: P, path: "/apps/4/channels" }),
  ),
  c(
    "signed as POST, received as GET",
    ["ModifiedRequest"],
    "ERR_SIGNATURE_MISMATCH",
    {},
    sign({ params: P, method: "POST" }),
  ),
  c("param added after signing", ["ModifiedRequest"], "ERR_SIGNATURE_MISMATCH", {}, [...base, ["extra", "1"]]),
  c(
    "signed with another secret",
    ["ModifiedRequest"],
    "ERR_SIGNATURE_MISMATCH",
    {},
    sign({
      params: P,
      cred: { ...DOCS, secret: "not-the-secret" },
    }),
  ),
];

const KS: Credentials = { app_id: "1", key: "key", secret: "secret" };
const python: VCase[] = [
  c(
    "GET with body_md5 of the empty body (Python style)",
    ["EmptyBodyMd5", "SdkKnownAnswer"],
    "valid",
    {
      path: "/some/obscure/api",
    },
    (() => {
      const p = sign({ path: "/some/obscure/api", params: [["foo", "bar"]], ts: 1000, cred: KS, md5: md5Hex("") });
      expectKnown(
        SRC.pyRequest,
        "python GET signature",
        "5c49f04a95eedc9028b1e0e8de7c2c7ad63504a0e3b5c145d2accaef6c14dbac",
        sigOf(p),
      );
      return p;
    })(),
  ),
  c("POST with a body containing a space", ["SdkKnownAnswer"], "valid", {
    method: "POST",
    path: "/some/obscure/api",
    body: '{"foo": "bar"}',
  }, sign({ method: "POST", path: "/some/obscure/api", body: '{"foo": "bar"}', ts: 1000, cred: KS })),
];

const clock = { now: T, toleranceSeconds: 600 };
/** Groups in file order. */
export const GROUPS: {
  source: Source;
  credentials: Credentials;
  extraCredentials?: Credentials[];
  clock: { now: number; toleranceSeconds: number };
  cases: VCase[];
}[] = [
  {
    source: DOCS_SOURCE,
    credentials: DOCS,
    clock,
    cases: [c("documented trigger example", ["OfficialExample"], "valid", post)],
  },
  { source: GEN_SOURCE, credentials: DOCS, extraCredentials: [K2], clock, cases: generated },
  {
    source: SRC.pyRequest,
    credentials: KS,
    clock: { now: 1000, toleranceSeconds: 600 },
    cases: python,
  },
  // v1.1: appended groups.
  ...signatureGroups(),
];

/**
 * pusher-signature's verification spec: a POST signed at 1234 with go=here&query=params, checked at several server
 * times, and its error texts (the production server's 401 bodies).
 */
function signatureGroups() {
  const cred: Credentials = { app_id: "1", key: "key", secret: "secret" };
  const params: [string, string][] = [["go", "here"], ["query", "params"]];
  const req: Req = { method: "POST", path: "/some/path", params, ts: 1234, cred };
  const signed = sign(req);
  expectKnown(
    SRC.signature,
    "pusher-signature",
    "3b237953a5ba6619875cbb2a2d43e8da9ef5824e8a2c689f6284ac85bc1ea0db",
    sigOf(signed),
  );
  const at = (now: number, toleranceSeconds: number, test: string, cases: VCase[]) => ({
    source: SRC.signatureVerify(test),
    credentials: cred,
    clock: { now, toleranceSeconds },
    cases,
  });
  const expired = (grace: number, server: string, comment: string): VCase => ({
    ...c(
      comment,
      ["SdkKnownAnswer", "TimestampBoundary", "ProductionMessage"],
      "ERR_TIMESTAMP_OUT_OF_WINDOW",
      req,
      signed,
    ),
    message:
      `Timestamp expired: Given timestamp (1970-01-01T00:20:34Z) not within ${grace}s of server time (${server})`,
  });
  const ok = (comment: string) => c(comment, ["SdkKnownAnswer", "TimestampBoundary"], "valid", req, signed);
  const expiry = "should raise error if timestamp has expired (default of 600s)";
  const grace = "should be possible to customize the timeout grace period";
  return [
    at(1234, 600, "should verify requests", [c("signed request verifies", ["SdkKnownAnswer"], "valid", req, signed)]),
    at(1234 + 599, 600, expiry, [ok("599 s after the timestamp")]),
    at(1234 - 599, 600, expiry, [ok("599 s before the timestamp")]),
    at(1234 + 600, 600, expiry, [expired(600, "1970-01-01T00:30:34Z", "600 s after the timestamp")]),
    at(1234 - 600, 600, expiry, [expired(600, "1970-01-01T00:10:34Z", "600 s before the timestamp")]),
    at(1234 + 9, 10, grace, [ok("grace 10 s, 9 s after")]),
    at(1234 + 10, 10, grace, [expired(10, "1970-01-01T00:20:44Z", "grace 10 s, 10 s after")]),
    at(1234, 600, "should raise error if signature is not correct", [{
      ...c(
        "auth_signature=asdf",
        ["SdkKnownAnswer", "MalformedSignature", "ProductionMessage"],
        "ERR_SIGNATURE_MALFORMED",
        req,
        withSig(signed, "asdf"),
      ),
      message: 'Invalid signature: you should have sent HmacSHA256Hex("POST\\n/some/path\\n' +
        'auth_key=key&auth_timestamp=1234&auth_version=1.0&go=here&query=params", your_secret_key), but you sent "asdf"',
    }]),
    at(1234, 600, "should check that auth_version equals 1.0", [
      c(
        "auth_version 1.1",
        ["SdkKnownAnswer", "UnsupportedAuthVersion"],
        "ERR_UNSUPPORTED_AUTH_VERSION",
        req,
        sign({ ...req, version: "1.1" }),
      ),
    ]),
    at(1234, 600, "should raise error if timestamp not available", [
      c(
        "no auth_timestamp",
        ["SdkKnownAnswer", "MissingAuthParam"],
        "ERR_MISSING_AUTH_PARAM",
        req,
        without(signed, "auth_timestamp"),
      ),
    ]),
  ];
}
