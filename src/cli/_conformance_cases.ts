/**
 * The checks `vectors run --against` sends to a Pusher-compatible server. Accepted requests are the REST requests
 * of the rest-sign vectors (by tcId), re-signed for the target's app, key, secret and clock; rejected ones are those
 * requests mutated as the rest-verify flags describe, plus the server-side limits of pusher-spec.md §9.
 *
 * @module
 */
import { md5Hex } from "../_md5.ts";
import { signerFor } from "../_hmac.ts";
import { signRequest } from "../sign_request.ts";
import restSign from "../../vectors/v1/rest_sign.json" with { type: "json" };

/** A request as it goes on the wire. */
export interface Wire {
  method: "GET" | "POST";
  path: string;
  /** The raw query string, without `?`. */
  query: string;
  body?: string;
}

/** What a check needs to build its request. */
export interface Env {
  /** `[prefix]/apps/{appId}` */
  appPath: string;
  key: string;
  secret: string;
  /** Unix seconds. */
  now: number;
}

/** One conformance check. */
export interface Check {
  id: string;
  kind: "accept" | "reject";
  title: string;
  /** Where it comes from: a vector (`rest-sign#2`), a rest-verify flag, or pusher-spec.md. */
  source: string;
  /** Statuses that pass; for `accept` any 2xx passes. */
  expect: readonly number[];
  /**
   * Set on checks of Pusher's own service limits and info rules (payload size, batch size, channel count, event
   * name length, presence-only info): a compatible self-hosted server may configure these differently, so only a
   * production-grade server is expected to pass them. Authentication checks never carry it.
   */
  production?: true;
  build(env: Env): Promise<Wire>;
}

interface VectorInput {
  method: string;
  path: string;
  params: [string, string][];
  body: string | null;
}

type Test = { tcId: number; input: VectorInput };
const TESTS = new Map<number, Test>(
  (restSign as { testGroups: { tests: Test[] }[] }).testGroups.flatMap((g) => g.tests).map((t) => [t.tcId, t]),
);

/** The rest-sign vector `tcId`, moved to the target's app path. */
function vector(
  tcId: number,
): { method: "GET" | "POST"; sub: string; params: [string, string][]; body: string | null } {
  const t = TESTS.get(tcId);
  if (!t || !/^\/apps\/3(\/|$)/.test(t.input.path)) throw new Error(`rest-sign #${tcId} is not a /apps/3 request`);
  return {
    method: t.input.method.toUpperCase() as "GET" | "POST",
    sub: t.input.path.slice("/apps/3".length),
    params: t.input.params,
    body: t.input.body,
  };
}

type Req = { method: "GET" | "POST"; sub: string; params?: [string, string][]; body?: string | null };

/** Signs `req` with the library (what a conforming client sends). */
async function signed(env: Env, req: Req, timestamp = env.now, key = env.key): Promise<Wire> {
  const path = env.appPath + req.sub;
  const body = req.body ?? null;
  const s = await signRequest({
    key,
    secret: env.secret,
    method: req.method,
    path,
    params: req.params,
    body,
    timestamp,
  });
  return { method: req.method, path, query: s.query, ...(body ? { body } : {}) };
}

/** Signs an arbitrary list of pairs (for requests the library refuses to build). */
async function rawSigned(env: Env, method: string, path: string, pairs: [string, string][]): Promise<string> {
  const sorted = [...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const sig = await signerFor(env.secret).signHex(`${method}\n${path}\n${sorted.map((p) => p.join("=")).join("&")}`);
  return [...sorted, ["auth_signature", sig]].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
}

const fromVector = (tcId: number) => (env: Env) => signed(env, vector(tcId));
const S = JSON.stringify;
const trigger = (o: Record<string, unknown>): Req => ({ method: "POST", sub: "/events", body: S(o) });
const channels = (n: number) => Array.from({ length: n }, (_, i) => `conformance-${i}`);
const batchOf = (n: number) =>
  S({ batch: Array.from({ length: n }, (_, i) => ({ channel: `conformance-${i}`, name: "conformance", data: "x" })) });
const AUTH = [401, 403];
const INVALID = [400, 422];

const accept = (id: string, title: string, source: string, build: Check["build"]): Check => ({
  id,
  kind: "accept",
  title,
  source,
  expect: [200],
  build,
});
const reject = (id: string, title: string, source: string, expect: number[], build: Check["build"]): Check => ({
  id,
  kind: "reject",
  title,
  source,
  expect,
  build,
});

/** Every check, in the order they run. */
const CHECK_LIST: Check[] = [
  accept("trigger-docs", "trigger, documented example", "rest-sign#1", fromVector(1)),
  accept("trigger-node", "trigger as pusher-http-node serialises it", "rest-sign#2", fromVector(2)),
  accept("trigger-non-ascii", "trigger with a non-ASCII body and socket_id", "rest-sign#3", fromVector(3)),
  accept("trigger-info", "trigger to two channels with info", "rest-sign#4", fromVector(4)),
  accept("trigger-utf8", "trigger with 2-, 3- and 4-byte UTF-8 data", "rest-sign#26", fromVector(26)),
  accept("batch", "batch of two events", "rest-sign#5", fromVector(5)),
  accept("send-to-user", "send to user (#server-to-user-user-1)", "rest-sign#7", fromVector(7)),
  accept("terminate", "terminate user connections", "rest-sign#6", fromVector(6)),
  accept("channels", "channels, no params", "spec §2.3", (env) => signed(env, { method: "GET", sub: "/channels" })),
  accept(
    "channels-presence",
    "channels with filter_by_prefix=presence- and info=user_count",
    "rest-sign#15",
    fromVector(15),
  ),
  accept("channel-info", "channel with info=user_count,subscription_count", "rest-sign#16", fromVector(16)),
  accept("users", "users of a presence channel", "rest-sign#17", fromVector(17)),
  accept(
    "percent-encoded",
    "info comma sent as %2C (decoded before verifying)",
    "rest-verify PercentEncoded",
    async (env) => {
      const w = await signed(env, vector(16));
      return { ...w, query: w.query.replace("user_count,subscription_count", "user_count%2Csubscription_count") };
    },
  ),
  accept("param-order", "auth_signature first, params in scrambled order", "rest-verify ParamOrder", async (env) => {
    const w = await signed(env, vector(15));
    return { ...w, query: w.query.split("&").reverse().join("&") };
  }),
  accept(
    "data-10240",
    "data of 10,240 bytes",
    "spec §9",
    (env) => signed(env, trigger({ name: "conformance", data: "x".repeat(10240), channels: ["conformance"] })),
  ),
  accept(
    "event-name-200",
    "event name of 200 characters",
    "spec §3",
    (env) => signed(env, trigger({ name: "e".repeat(200), data: "x", channels: ["conformance"] })),
  ),
  accept(
    "channels-100",
    "trigger to 100 channels",
    "spec §2.1",
    (env) => signed(env, trigger({ name: "conformance", data: "x", channels: channels(100) })),
  ),
  accept(
    "batch-10",
    "batch of 10 events",
    "spec §2.2",
    (env) => signed(env, { method: "POST", sub: "/batch_events", body: batchOf(10) }),
  ),

  reject("bad-signature", "signature with its last bit flipped", "rest-verify ModifiedSignature", AUTH, async (env) => {
    const w = await signed(env, vector(2));
    const last = w.query.slice(-1);
    return { ...w, query: w.query.slice(0, -1) + (parseInt(last, 16) ^ 1).toString(16) };
  }),
  reject(
    "expired-timestamp",
    "timestamp 600 s in the past",
    "rest-verify StaleTimestamp",
    AUTH,
    (env) => signed(env, vector(2), env.now - 600),
  ),
  reject(
    "future-timestamp",
    "timestamp 600 s in the future",
    "rest-verify FutureTimestamp",
    AUTH,
    (env) => signed(env, vector(2), env.now + 600),
  ),
  reject(
    "wrong-body-md5",
    "body_md5 of another body, correctly signed",
    "rest-verify BodyMd5Mismatch",
    AUTH,
    async (env) => {
      const { sub, body } = vector(2);
      const path = env.appPath + sub;
      const pairs: [string, string][] = [
        ["auth_key", env.key],
        ["auth_timestamp", String(env.now)],
        ["auth_version", "1.0"],
        ["body_md5", md5Hex(body + " ")],
      ];
      return { method: "POST", path, query: await rawSigned(env, "POST", path, pairs), body: body! };
    },
  ),
  reject(
    "unknown-key",
    "auth_key the server does not know",
    "rest-verify UnknownKey",
    AUTH,
    (env) => signed(env, vector(2), env.now, `${env.key}-unknown`),
  ),
  reject("missing-signature", "no auth_signature", "rest-verify MissingAuthParam", AUTH, async (env) => {
    const w = await signed(env, vector(2));
    return { ...w, query: w.query.replace(/&auth_signature=[0-9a-f]+$/, "") };
  }),
  reject(
    "auth-version-2",
    "auth_version=2.0, correctly signed",
    "rest-verify UnsupportedAuthVersion",
    AUTH,
    async (env) => {
      const path = `${env.appPath}/channels`;
      const pairs: [string, string][] = [["auth_key", env.key], ["auth_timestamp", String(env.now)], [
        "auth_version",
        "2.0",
      ]];
      return { method: "GET", path, query: await rawSigned(env, "GET", path, pairs) };
    },
  ),
  reject(
    "duplicate-param",
    "the signed info param sent twice",
    "rest-verify DuplicateParam",
    [400, 401, 422],
    async (env) => {
      const w = await signed(env, vector(16));
      return { ...w, query: `${w.query}&info=user_count,subscription_count` };
    },
  ),
  reject(
    "channels-101",
    "trigger to 101 channels",
    "spec §9",
    INVALID,
    (env) => signed(env, trigger({ name: "conformance", data: "x", channels: channels(101) })),
  ),
  reject(
    "batch-11",
    "batch of 11 events",
    "spec §9",
    INVALID,
    (env) => signed(env, { method: "POST", sub: "/batch_events", body: batchOf(11) }),
  ),
  reject(
    "data-10241",
    "data of 10,241 bytes",
    "spec §9",
    [413],
    (env) => signed(env, trigger({ name: "conformance", data: "x".repeat(10241), channels: ["conformance"] })),
  ),
  reject(
    "event-name-201",
    "event name of 201 characters",
    "spec §9",
    INVALID,
    (env) => signed(env, trigger({ name: "e".repeat(201), data: "x", channels: ["conformance"] })),
  ),
  reject(
    "channels-user-count",
    "channels with info=user_count but no presence- prefix",
    "spec §9",
    INVALID,
    (env) => signed(env, { method: "GET", sub: "/channels", params: [["info", "user_count"]] }),
  ),
  reject(
    "users-non-presence",
    "users of a non-presence channel",
    "spec §9",
    INVALID,
    (env) => signed(env, { method: "GET", sub: "/channels/project-3/users" }),
  ),
];

// Pusher's service limits and info rules: soketi and other compatible servers configure these their own way.
const PRODUCTION_GRADE = new Set([
  "channels-101",
  "batch-11",
  "data-10241",
  "event-name-201",
  "channels-user-count",
  "users-non-presence",
]);

/** Every check, in the order they run; see {@linkcode Check.production}. */
export const CHECKS: readonly Check[] = CHECK_LIST.map((c) =>
  PRODUCTION_GRADE.has(c.id) ? { ...c, production: true } : c
);
