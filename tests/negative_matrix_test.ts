// Negative matrix (issue 7): malformed requests, generated from tables, against every endpoint of createApp() —
// auth, user-auth, webhook, every emulator REST route and every /emulator/... route. Each must get a 4xx (JSON
// {error, status, code}, or for the emulator's 401 the production text), never a 5xx, and the app must keep serving.
// All cases go through app.request(); a subset also goes over real HTTP on 127.0.0.1 (Deno.serve, port 0).
import assert from "node:assert/strict";
import { sign as signJwt } from "hono/jwt";
import { signRequest } from "../mod.ts";
import { createApp, DEMO_CREDENTIALS } from "../src/hono/mod.ts";

const JWT_SECRET = "negative-matrix-jwt-secret-0123456789";
const { appId: APP, key: KEY, secret: SECRET } = DEMO_CREDENTIALS;
const now = () => Math.floor(Date.now() / 1000);
const TOKEN = await signJwt({ sub: "42", exp: now() + 3600 }, JWT_SECRET, "HS256");
const EXPIRED_TOKEN = await signJwt({ sub: "42", exp: now() - 60 }, JWT_SECRET, "HS256");
const WRONG_KEY_TOKEN = await signJwt({ sub: "42", exp: now() + 3600 }, "some-other-jwt-secret-0123456789", "HS256");
const NO_SUB_TOKEN = await signJwt({ exp: now() + 3600 }, JWT_SECRET, "HS256");

const FORM = "application/x-www-form-urlencoded";
const JSONT = "application/json";
const enc = new TextEncoder();

type Body = string | Uint8Array | (() => ReadableStream<Uint8Array>);
interface Case {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Body;
  status: number;
  /** The emulator's 401s are plain text, like production; `text` is what the body must match. */
  text?: RegExp;
}

const cases: Case[] = [];
const add = (c: Case) => cases.push(c);

// ---------------------------------------------------------------------------------------------------------------
// 1. Wrong methods on every route (Hono answers 404 JSON for a method a route does not take).
const ROUTES: { path: string; methods: string[] }[] = [
  { path: "/pusher/auth", methods: ["POST"] },
  { path: "/pusher/user-auth", methods: ["POST"] },
  { path: "/pusher/webhook", methods: ["POST"] },
  { path: "/health", methods: ["GET"] },
  { path: `/apps/${APP}/events`, methods: ["POST"] },
  { path: `/apps/${APP}/batch_events`, methods: ["POST"] },
  { path: `/apps/${APP}/channels`, methods: ["GET"] },
  { path: `/apps/${APP}/channels/presence-demo`, methods: ["GET"] },
  { path: `/apps/${APP}/channels/presence-demo/users`, methods: ["GET"] },
  { path: `/apps/${APP}/users/u1/terminate_connections`, methods: ["POST"] },
  { path: "/emulator/info", methods: ["GET"] },
  { path: "/emulator/log", methods: ["GET"] },
  { path: "/emulator/events", methods: ["GET"] },
  { path: "/emulator/stream", methods: ["GET"] },
  { path: "/emulator/channels", methods: ["GET"] },
  { path: "/emulator/channels/demo/occupancy", methods: ["POST"] },
  { path: "/emulator/channels/presence-demo/members", methods: ["POST"] },
  { path: "/emulator/channels/presence-demo/members/1", methods: ["DELETE"] },
  { path: "/emulator/reset", methods: ["POST"] },
  { path: "/emulator/demo/trigger", methods: ["POST"] },
];
for (const { path, methods } of ROUTES) {
  for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]) {
    if (methods.includes(method)) continue;
    add({ name: `wrong method ${method} ${path}`, method, path, status: 404 });
  }
}
for (const path of ["/pusher", "/pusher/auth/x", "/apps", `/apps/${APP}`, `/apps/${APP}/nope`, "/emulator/nope"]) {
  add({ name: `unknown route ${path}`, method: "POST", path, status: 404 });
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Channel auth and user auth: bodies, content types, params, tokens.
const bearer = { authorization: `Bearer ${TOKEN}` };
const form = (fields: string) => ({ headers: { ...bearer, "content-type": FORM }, body: fields });
const json = (value: unknown) => ({ headers: { ...bearer, "content-type": JSONT }, body: JSON.stringify(value) });

const BAD_SOCKET_IDS = [
  "",
  "1",
  "1.",
  ".1",
  "1.1.1",
  "1.1:private-other",
  "1.1:",
  ":1.1",
  "1:1",
  "a.b",
  "-1.1",
  "1.1 ",
  " 1.1",
  "1.1\n",
  "1.1\r\nx-injected: 1",
  "1.1\u0000",
  "١.١",
  "１.１",
  "1.1\u202e",
  "1".repeat(30) + ".x",
];
const BAD_CHANNELS = [
  "",
  "private-a:b",
  "private-a:1.1",
  ":private-a",
  "private-ñ",
  "private-\u202eevil",
  "private-😀",
  "private-a b",
  "private-a\nb",
  "private-a\u0000",
  "private-a/b",
  "private-a#b",
  "#server-to-user-1",
  "private-" + "x".repeat(200),
  "public-channel", // only private-/presence- need auth
  "demo",
];

for (const id of BAD_SOCKET_IDS) {
  const fields = new URLSearchParams({ socket_id: id, channel_name: "private-a" }).toString();
  add({
    name: `auth bad socket_id ${JSON.stringify(id)} (form)`,
    method: "POST",
    path: "/pusher/auth",
    ...form(fields),
    status: 400,
  });
  add({
    name: `user-auth bad socket_id ${JSON.stringify(id)} (json)`,
    method: "POST",
    path: "/pusher/user-auth",
    ...json({ socket_id: id }),
    status: 400,
  });
}
for (const ch of BAD_CHANNELS) {
  const fields = new URLSearchParams({ socket_id: "1.1", channel_name: ch }).toString();
  add({
    name: `auth bad channel ${JSON.stringify(ch.slice(0, 30))} (form)`,
    method: "POST",
    path: "/pusher/auth",
    ...form(fields),
    status: 400,
  });
  add({
    name: `auth bad channel ${JSON.stringify(ch.slice(0, 30))} (json)`,
    method: "POST",
    path: "/pusher/auth",
    ...json({ socket_id: "1.1", channel_name: ch }),
    status: 400,
  });
}

const BODY_VARIANTS: { name: string; type?: string; body: Body; status: number; only?: "auth" | "user" }[] = [
  { name: "missing content type", body: "socket_id=1.1&channel_name=private-a", status: 415 },
  { name: "text/plain", type: "text/plain", body: "socket_id=1.1&channel_name=private-a", status: 415 },
  { name: "multipart", type: "multipart/form-data; boundary=x", body: "--x\r\n\r\n--x--", status: 415 },
  { name: "xml", type: "application/xml", body: "<a/>", status: 415 },
  { name: "json lookalike type", type: "application/jsonp", body: '{"socket_id":"1.1"}', status: 415 },
  { name: "empty type", type: "", body: '{"socket_id":"1.1"}', status: 415 },
  { name: "truncated json", type: JSONT, body: '{"socket_id":"1.1","channel_name":"priv', status: 400 },
  { name: "invalid json", type: JSONT, body: "{socket_id:1.1}", status: 400 },
  { name: "json array", type: JSONT, body: '["1.1","private-a"]', status: 400 },
  { name: "json null", type: JSONT, body: "null", status: 400 },
  { name: "json string", type: JSONT, body: '"socket_id=1.1"', status: 400 },
  { name: "json number field", type: JSONT, body: '{"socket_id":1.1,"channel_name":"private-a"}', status: 400 },
  { name: "json nested field", type: JSONT, body: '{"socket_id":{"a":1},"channel_name":"private-a"}', status: 400 },
  { name: "json array field", type: JSONT, body: '{"socket_id":["1.1"],"channel_name":"private-a"}', status: 400 },
  { name: "empty json body", type: JSONT, body: "", status: 400 },
  { name: "empty form body", type: FORM, body: "", status: 400 },
  { name: "form missing socket_id", type: FORM, body: "channel_name=private-a", status: 400 },
  { name: "form missing channel_name", type: FORM, body: "socket_id=1.1", status: 400, only: "auth" },
  { name: "json missing channel_name", type: JSONT, body: '{"socket_id":"1.1"}', status: 400, only: "auth" },
  {
    name: "form duplicate socket_id",
    type: FORM,
    body: "socket_id=1.1&socket_id=2.2&channel_name=private-a",
    status: 400,
  },
  {
    name: "form duplicate channel_name",
    type: FORM,
    body: "socket_id=1.1&channel_name=private-a&channel_name=private-b",
    status: 400,
  },
  {
    name: "json duplicate socket_id",
    type: JSONT,
    body: '{"socket_id":"1.1","channel_name":"private-a","socket_id":"2.2"}',
    status: 400,
  },
  {
    name: "json duplicate key through an escape",
    type: JSONT,
    body: '{"socket_id":"1.1","socket\\u005fid":"2.2","channel_name":"private-a"}',
    status: 400,
  },
  {
    name: "form bad percent escape",
    type: FORM,
    body: "socket_id=1.1&channel_name=private-%E0%A4%A",
    status: 400,
    only: "auth",
  },
  { name: "form encoded colon", type: FORM, body: "socket_id=1.1%3Aprivate-b&channel_name=private-a", status: 400 },
  { name: "form encoded NUL", type: FORM, body: "socket_id=1.1%00&channel_name=private-a", status: 400 },
  { name: "invalid utf-8 (form)", type: FORM, body: new Uint8Array([0x73, 0x3d, 0xff, 0xfe, 0x80]), status: 400 },
  {
    name: "invalid utf-8 (json)",
    type: JSONT,
    body: new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
    status: 400,
  },
  {
    name: "lone surrogate escape",
    type: JSONT,
    body: '{"socket_id":"1.1\\ud800","channel_name":"private-a"}',
    status: 400,
  },
  {
    name: "70 KB form body",
    type: FORM,
    body: "socket_id=1.1&channel_name=private-a&pad=" + "x".repeat(70_000),
    status: 413,
  },
  {
    name: "1 MB json body",
    type: JSONT,
    body: '{"socket_id":"1.1","pad":"' + "y".repeat(1_000_000) + '"}',
    status: 413,
  },
  { name: "16 MB streamed body", type: FORM, body: () => endless(16 * 1024 * 1024), status: 413 },
];
for (const v of BODY_VARIANTS) {
  for (const path of ["/pusher/auth", "/pusher/user-auth"]) {
    if ((v.only === "auth" && path !== "/pusher/auth") || (v.only === "user" && path !== "/pusher/user-auth")) continue;
    const headers: Record<string, string> = { ...bearer };
    if (v.type !== undefined) headers["content-type"] = v.type;
    add({ name: `${path} ${v.name}`, method: "POST", path, headers, body: v.body, status: v.status });
  }
}

const TOKEN_VARIANTS: { name: string; authorization?: string; status: number }[] = [
  { name: "no Authorization", status: 401 },
  { name: "expired JWT", authorization: `Bearer ${EXPIRED_TOKEN}`, status: 401 },
  { name: "JWT signed with the wrong key", authorization: `Bearer ${WRONG_KEY_TOKEN}`, status: 401 },
  { name: "JWT without sub", authorization: `Bearer ${NO_SUB_TOKEN}`, status: 401 },
  { name: "tampered JWT payload", authorization: `Bearer ${tamperJwt(TOKEN)}`, status: 401 },
  { name: "Basic auth", authorization: "Basic dXNlcjpwYXNz", status: 401 },
  { name: "Bearer with garbage", authorization: "Bearer not.a.jwt!", status: 401 },
  { name: "alg none JWT", authorization: `Bearer ${noneJwt()}`, status: 401 },
];
for (const t of TOKEN_VARIANTS) {
  for (
    const [path, body] of [["/pusher/auth", "socket_id=1.1&channel_name=private-a"], [
      "/pusher/user-auth",
      "socket_id=1.1",
    ]]
  ) {
    const headers: Record<string, string> = { "content-type": FORM };
    if (t.authorization) headers.authorization = t.authorization;
    add({ name: `${path} ${t.name}`, method: "POST", path, headers, body, status: t.status });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 3. Webhooks.
const WEBHOOK_BODY = JSON.stringify({ time_ms: Date.now(), events: [{ name: "channel_occupied", channel: "demo" }] });
async function hmacHex(secret: string, data: string | Uint8Array): Promise<string> {
  const k = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const mac = new Uint8Array(
    await crypto.subtle.sign("HMAC", k, typeof data === "string" ? enc.encode(data) : new Uint8Array(data)),
  );
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}
const GOOD_SIG = await hmacHex(SECRET, WEBHOOK_BODY);
const webhookVariants: { name: string; headers: Record<string, string>; body: Body; status: number }[] = [];
const wh = (name: string, headers: Record<string, string | undefined>, body: Body, status: number) => {
  const h: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) h[k] = v;
  webhookVariants.push({ name, headers: h, body, status });
};
const base = { "content-type": JSONT, "x-pusher-key": KEY, "x-pusher-signature": GOOD_SIG };
wh("no content type", { ...base, "content-type": undefined }, WEBHOOK_BODY, 415);
wh("text/plain", { ...base, "content-type": "text/plain" }, WEBHOOK_BODY, 415);
wh("form type", { ...base, "content-type": FORM }, WEBHOOK_BODY, 415);
wh("no key", { ...base, "x-pusher-key": undefined }, WEBHOOK_BODY, 401);
wh("wrong key", { ...base, "x-pusher-key": "other-key" }, WEBHOOK_BODY, 401);
wh("key with colon", { ...base, "x-pusher-key": `${KEY}:x` }, WEBHOOK_BODY, 401);
wh("duplicated key header", { ...base, "x-pusher-key": `${KEY}, ${KEY}` }, WEBHOOK_BODY, 401);
wh("no signature", { ...base, "x-pusher-signature": undefined }, WEBHOOK_BODY, 401);
wh("empty signature", { ...base, "x-pusher-signature": "" }, WEBHOOK_BODY, 401);
wh("truncated signature", { ...base, "x-pusher-signature": GOOD_SIG.slice(0, 63) }, WEBHOOK_BODY, 401);
wh("long signature", { ...base, "x-pusher-signature": GOOD_SIG + "0" }, WEBHOOK_BODY, 401);
wh("non-hex signature", { ...base, "x-pusher-signature": "z".repeat(64) }, WEBHOOK_BODY, 401);
wh("duplicated signature header", { ...base, "x-pusher-signature": `${GOOD_SIG}, ${GOOD_SIG}` }, WEBHOOK_BODY, 401);
wh("unicode signature", { ...base, "x-pusher-signature": "é".repeat(32) }, WEBHOOK_BODY, 401);
wh(
  "signature with the wrong secret",
  { ...base, "x-pusher-signature": await hmacHex("not-the-secret", WEBHOOK_BODY) },
  WEBHOOK_BODY,
  401,
);
for (const at of [0, 1, 17, WEBHOOK_BODY.length - 1]) {
  const bytes = enc.encode(WEBHOOK_BODY);
  bytes[at] ^= 0x01;
  wh(`body byte ${at} changed after signing`, base, bytes, 401);
}
wh("signature replayed onto another body", base, WEBHOOK_BODY.replace("demo", "demx"), 401);
wh(
  "one bit of the signature flipped",
  { ...base, "x-pusher-signature": GOOD_SIG.slice(0, 10) + (GOOD_SIG[10] === "0" ? "1" : "0") + GOOD_SIG.slice(11) },
  WEBHOOK_BODY,
  401,
);
for (
  const [name, body] of [
    ["signed truncated json", WEBHOOK_BODY.slice(0, 20)],
    ["signed invalid json", "{time_ms:1}"],
    ["signed json array", "[]"],
    ["signed json null", "null"],
    ["signed empty body", ""],
    ["signed missing time_ms", '{"events":[]}'],
    ["signed string time_ms", '{"time_ms":"1","events":[]}'],
    ["signed events not an array", '{"time_ms":1,"events":{}}'],
    ["signed event not an object", '{"time_ms":1,"events":[1]}'],
    ["signed event without name", '{"time_ms":1,"events":[{"channel":"a"}]}'],
    ["signed member_added without user_id", '{"time_ms":1,"events":[{"name":"member_added","channel":"presence-a"}]}'],
  ] as const
) {
  wh(name, { ...base, "x-pusher-signature": await hmacHex(SECRET, body) }, body, 400);
}
const badUtf8 = new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]);
wh("signed invalid utf-8", { ...base, "x-pusher-signature": await hmacHex(SECRET, badUtf8) }, badUtf8, 400);
const huge = '{"time_ms":1,"events":[],"pad":"' + "p".repeat(300 * 1024) + '"}';
wh("signed 300 KB body", { ...base, "x-pusher-signature": await hmacHex(SECRET, huge) }, huge, 413);
wh("16 MB streamed body", base, () => endless(16 * 1024 * 1024), 413);
for (const v of webhookVariants) add({ ...v, name: `webhook ${v.name}`, method: "POST", path: "/pusher/webhook" });

// ---------------------------------------------------------------------------------------------------------------
// 4. Emulator REST API: signed requests that are wrong in one way each.
interface SignOpts {
  key?: string;
  secret?: string;
  timestamp?: number;
  params?: Record<string, string>;
  /** Edits the final query (after signing). */
  query?: (q: string) => string;
  /** Sign this path, send to `path`. */
  signedPath?: string;
  signedMethod?: string;
  signedBody?: string;
}
async function signed(method: string, path: string, body: string | null, o: SignOpts = {}): Promise<string> {
  const s = await signRequest({
    key: o.key ?? KEY,
    secret: o.secret ?? SECRET,
    method: o.signedMethod ?? method,
    path: o.signedPath ?? path,
    params: o.params,
    body: o.signedBody ?? body,
    timestamp: o.timestamp ?? now(),
  });
  return `${path}?${o.query ? o.query(s.query) : s.query}`;
}
const INVALID_SIG =
  /^Invalid signature: you should have sent HmacSHA256Hex\(".*", your_secret_key\), but you sent ".*"$/s;
const ANY_TEXT = /\S/;
const EVENTS = `/apps/${APP}/events`;
const BATCH = `/apps/${APP}/batch_events`;
const trigger = (o: Record<string, unknown> = {}) =>
  JSON.stringify({ name: "ev", data: "{}", channels: ["demo"], ...o });

const emu: { name: string; method: string; path: string; body?: Body; type?: string; status: number; text?: RegExp }[] =
  [];
const E = async (
  name: string,
  method: string,
  path: string,
  body: string | null,
  status: number,
  o: SignOpts & { text?: RegExp; type?: string; send?: Body } = {},
) => {
  const url = await signed(method, path, body, o);
  const text = o.text ?? (status === 401 ? ANY_TEXT : undefined);
  emu.push({
    name,
    method,
    path: url,
    body: o.send ?? body ?? undefined,
    type: o.type ?? (body ? JSONT : undefined),
    status,
    text,
  });
};

// Authentication failures on every REST route (401, production text).
const REST: [string, string, string | null][] = [
  ["POST", EVENTS, trigger()],
  ["POST", BATCH, JSON.stringify({ batch: [{ channel: "demo", name: "ev", data: "x" }] })],
  ["GET", `/apps/${APP}/channels`, null],
  ["GET", `/apps/${APP}/channels/presence-demo`, null],
  ["GET", `/apps/${APP}/channels/presence-demo/users`, null],
  ["POST", `/apps/${APP}/users/u1/terminate_connections`, "{}"],
];
for (const [method, path, body] of REST) {
  const r = `${method} ${path}`;
  await E(`${r} unsigned`, method, path, body, 401, { query: () => "", text: /^Missing parameter: auth_key$/ });
  await E(`${r} wrong secret`, method, path, body, 401, { secret: "wrong-secret", text: INVALID_SIG });
  await E(`${r} wrong key`, method, path, body, 401, { key: "wrong-key" });
  await E(`${r} expired timestamp`, method, path, body, 401, { timestamp: now() - 601, text: /^Timestamp expired/ });
  // Well past the window: the cases are built before they run, and under load that can take seconds.
  await E(`${r} future timestamp`, method, path, body, 401, { timestamp: now() + 900, text: /^Timestamp expired/ });
  await E(`${r} year-2001 timestamp`, method, path, body, 401, { timestamp: 1_000_000_000 });
  await E(`${r} auth_version 2.0`, method, path, body, 401, {
    query: (q) => q.replace("auth_version=1.0", "auth_version=2.0"),
  });
  await E(`${r} short signature`, method, path, body, 401, { query: (q) => q.slice(0, -1) });
  await E(`${r} non-hex signature`, method, path, body, 401, {
    query: (q) => q.replace(/auth_signature=.*/, "auth_signature=" + "g".repeat(64)),
  });
  await E(`${r} signature signed for another path`, method, path, body, 401, {
    signedPath: `/apps/${APP}/other`,
    text: INVALID_SIG,
  });
  await E(`${r} signature signed for another method`, method, path, body, 401, {
    signedMethod: method === "GET" ? "POST" : "GET",
  });
  await E(`${r} duplicate auth_key`, method, path, body, 400, { query: (q) => `${q}&auth_key=${KEY}` });
  await E(`${r} bad percent escape`, method, path, body, 400, { query: (q) => `${q}&x=%E0%A4%A` });
  await E(`${r} unknown app`, method, path.replace(`/apps/${APP}/`, "/apps/999/"), body, 404);
  if (body) {
    await E(`${r} body changed after signing (replay)`, method, path, body, 401, { send: body + " " });
    await E(`${r} wrong content type`, method, path, body, 415, { type: "text/plain" });
    await E(`${r} no content type`, method, path, body, 415, { type: "" });
    await E(`${r} invalid utf-8`, method, path, body, 400, { send: new Uint8Array([0x7b, 0xff, 0x7d]) });
    await E(`${r} 300 KB body`, method, path, body, 413, { send: "z".repeat(300 * 1024) });
  }
}

// Signed, authentic, but invalid content (400 / 413 JSON with a code where the core has one).
const many = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`);
const TRIGGER_BODIES: [string, string, number][] = [
  ["truncated json", trigger().slice(0, 25), 400],
  ["invalid json", "{name:ev}", 400],
  ["json array", "[]", 400],
  ["json null", "null", 400],
  ["no channels", JSON.stringify({ name: "ev", data: "x" }), 400],
  ["channels not an array", trigger({ channels: "demo" }), 400],
  ["empty channels", trigger({ channels: [] }), 400],
  ["101 channels", trigger({ channels: many(101) }), 400],
  ["channel with colon", trigger({ channels: ["a:b"] }), 400],
  ["channel with unicode", trigger({ channels: ["ñ"] }), 400],
  ["channel with control char", trigger({ channels: ["a\u0001"] }), 400],
  ["channel too long", trigger({ channels: ["x".repeat(201)] }), 400],
  ["channel not a string", trigger({ channels: [5] }), 400],
  ["user channel with colon", trigger({ channels: ["#server-to-user-a:b"] }), 400],
  ["missing name", JSON.stringify({ data: "x", channels: ["demo"] }), 400],
  ["empty name", trigger({ name: "" }), 400],
  ["name 201 chars", trigger({ name: "n".repeat(201) }), 400],
  ["name not a string", trigger({ name: 1 }), 400],
  ["missing data", JSON.stringify({ name: "ev", channels: ["demo"] }), 400],
  ["data not a string", trigger({ data: { a: 1 } }), 400],
  ["data 10 241 bytes", trigger({ data: "d".repeat(10_241) }), 413],
  ["data 10 240 bytes of multi-byte chars + 1", trigger({ data: "é".repeat(5120) + "x" }), 413],
  ["socket_id with colon", trigger({ socket_id: "1.1:x" }), 400],
  ["socket_id unicode digits", trigger({ socket_id: "١.١" }), 400],
  ["socket_id number", trigger({ socket_id: 1.1 }), 400],
  ["unknown info", trigger({ info: "bogus" }), 400],
  ["user_count on a non-presence channel", trigger({ info: "user_count" }), 400],
  ["info not a string", trigger({ info: ["user_count"] }), 400],
];
for (const [name, body, status] of TRIGGER_BODIES) await E(`trigger ${name}`, "POST", EVENTS, body, status);
const ev = (o: Record<string, unknown> = {}) => ({ channel: "demo", name: "ev", data: "x", ...o });
const BATCH_BODIES: [string, unknown, number][] = [
  ["batch not an array", { batch: ev() }, 400],
  ["11 events", { batch: Array.from({ length: 11 }, () => ev()) }, 400],
  ["event not an object", { batch: ["x"] }, 400],
  ["event is null", { batch: [null] }, 400],
  ["channel missing", { batch: [{ name: "ev", data: "x" }] }, 400],
  ["channel with colon", { batch: [ev({ channel: "a:b" })] }, 400],
  ["name too long", { batch: [ev({ name: "n".repeat(201) })] }, 400],
  ["data too large", { batch: [ev({ data: "d".repeat(10_241) })] }, 413],
  ["socket_id injection", { batch: [ev({ socket_id: "1.1\n2.2" })] }, 400],
  ["user_count on a non-presence channel", { batch: [ev({ info: "user_count" })] }, 400],
];
for (const [name, body, status] of BATCH_BODIES) await E(`batch ${name}`, "POST", BATCH, JSON.stringify(body), status);
const QUERY_CASES: [string, string, Record<string, string>, number][] = [
  ["channels user_count without presence prefix", `/apps/${APP}/channels`, { info: "user_count" }, 400],
  ["channels unknown info", `/apps/${APP}/channels`, { info: "subscription_count" }, 400],
  ["channel unknown info", `/apps/${APP}/channels/demo`, { info: "bogus" }, 400],
  ["channel user_count on non-presence", `/apps/${APP}/channels/demo`, { info: "user_count" }, 400],
  ["channel cache on non-cache", `/apps/${APP}/channels/demo`, { info: "cache" }, 400],
  ["channel with colon", `/apps/${APP}/channels/a:b`, {}, 400],
  ["channel with encoded unicode", `/apps/${APP}/channels/%C3%B1`, {}, 400],
  ["channel too long", `/apps/${APP}/channels/${"x".repeat(201)}`, {}, 400],
  ["users on a non-presence channel", `/apps/${APP}/channels/demo/users`, {}, 400],
  ["users with params", `/apps/${APP}/channels/presence-demo/users`, { info: "user_count" }, 400],
  ["users channel with colon", `/apps/${APP}/channels/presence-a:b/users`, {}, 400],
];
for (const [name, path, params, status] of QUERY_CASES) await E(name, "GET", path, null, status, { params });
for (const user of ["%20%00", "%00", "a%2Fb", "a%5Cb", "a%0Ab", "a%3Fb"]) {
  await E(`terminate bad user id ${user}`, "POST", `/apps/${APP}/users/${user}/terminate_connections`, "{}", 400);
}

for (const e of emu) {
  const headers: Record<string, string> = {};
  if (e.type) headers["content-type"] = e.type;
  add({
    name: `emulator ${e.name}`,
    method: e.method,
    path: e.path,
    headers,
    body: e.body,
    status: e.status,
    text: e.text,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// 5. Emulator seeding routes.
const SEED: [string, string, string, Body | undefined, number][] = [
  ["occupancy bad channel", "POST", "/emulator/channels/a:b/occupancy", '{"subscription_count":1}', 400],
  ["occupancy unicode channel", "POST", "/emulator/channels/%C3%B1/occupancy", '{"subscription_count":1}', 400],
  ["occupancy bad percent", "POST", "/emulator/channels/%E0%A4%A/occupancy", '{"subscription_count":1}', 400],
  ["occupancy truncated json", "POST", "/emulator/channels/demo/occupancy", '{"subscription_count":', 400],
  ["occupancy array", "POST", "/emulator/channels/demo/occupancy", "[1]", 400],
  ["occupancy negative", "POST", "/emulator/channels/demo/occupancy", '{"subscription_count":-1}', 400],
  ["occupancy fraction", "POST", "/emulator/channels/demo/occupancy", '{"subscription_count":1.5}', 400],
  ["occupancy string", "POST", "/emulator/channels/demo/occupancy", '{"subscription_count":"1"}', 400],
  ["occupancy huge number", "POST", "/emulator/channels/demo/occupancy", '{"subscription_count":1e300}', 400],
  ["occupancy missing", "POST", "/emulator/channels/demo/occupancy", "{}", 400],
  ["occupancy invalid utf-8", "POST", "/emulator/channels/demo/occupancy", new Uint8Array([0x7b, 0xff, 0x7d]), 400],
  ["occupancy 1 MB body", "POST", "/emulator/channels/demo/occupancy", '{"pad":"' + "q".repeat(1 << 20) + '"}', 413],
  ["occupancy streamed body", "POST", "/emulator/channels/demo/occupancy", () => endless(16 * 1024 * 1024), 413],
  ["members on a non-presence channel", "POST", "/emulator/channels/demo/members", '{"user_id":"1"}', 400],
  ["members bad channel", "POST", "/emulator/channels/presence-a:b/members", '{"user_id":"1"}', 400],
  ["members missing user_id", "POST", "/emulator/channels/presence-demo/members", "{}", 400],
  ["members empty user_id", "POST", "/emulator/channels/presence-demo/members", '{"user_id":""}', 400],
  ["members numeric user_id", "POST", "/emulator/channels/presence-demo/members", '{"user_id":1}', 400],
  ["members invalid json", "POST", "/emulator/channels/presence-demo/members", "{user_id:1}", 400],
  [
    "members 1 MB body",
    "POST",
    "/emulator/channels/presence-demo/members",
    '{"user_id":"' + "u".repeat(1 << 20) + '"}',
    413,
  ],
  ["delete member bad channel", "DELETE", "/emulator/channels/a:b/members/1", undefined, 400],
  ["delete member unicode channel", "DELETE", "/emulator/channels/presence-%F0%9F%98%80/members/1", undefined, 400],
  ["demo trigger truncated json", "POST", "/emulator/demo/trigger", '{"tamper":', 400],
  ["demo trigger json array", "POST", "/emulator/demo/trigger", "[]", 400],
  ["demo trigger invalid utf-8", "POST", "/emulator/demo/trigger", new Uint8Array([0xc3, 0x28]), 400],
  ["demo trigger 1 MB body", "POST", "/emulator/demo/trigger", "x".repeat(1 << 20), 413],
];
for (const [name, method, path, body, status] of SEED) {
  add({ name: `seed ${name}`, method, path, headers: { "content-type": JSONT }, body, status });
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers.
let pulledBytes = 0;
/** A body that never ends (up to `limit`), counting how much the server actually pulled. */
function endless(limit: number): ReadableStream<Uint8Array> {
  const chunk = enc.encode("a=" + "b".repeat(16 * 1024 - 2));
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= limit) return controller.close();
      sent += chunk.length;
      pulledBytes += chunk.length;
      controller.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
}

function tamperJwt(token: string): string {
  const [h, p, s] = token.split(".");
  const payload = JSON.parse(atob(p.replace(/-/g, "+").replace(/_/g, "/")));
  payload.sub = "1";
  return [h, btoa(JSON.stringify(payload)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_"), s].join(".");
}

function noneJwt(): string {
  const b64 = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  return `${b64({ alg: "none", typ: "JWT" })}.${b64({ sub: "42", exp: now() + 3600 })}.x`;
}

function requestInit(c: Case): RequestInit & { duplex?: string } {
  const init: RequestInit & { duplex?: string } = { method: c.method, headers: c.headers };
  if (c.body !== undefined && c.method !== "GET") {
    init.body = typeof c.body === "function" ? c.body() : c.body as BodyInit;
    if (typeof c.body === "function") init.duplex = "half";
  }
  return init;
}

/** Status and code counts, printed with MATRIX_STATS=1. */
const stats = new Map<string, number>();

async function checkProblem(c: Case, res: Response): Promise<string | undefined> {
  const text = await res.text();
  const ct = res.headers.get("content-type") ?? "";
  const where = `${c.name}: ${c.method} ${c.path.slice(0, 120)} → ${res.status} ${ct} ${text.slice(0, 200)}`;
  if (res.status >= 500) return `5xx! ${where}`;
  if (res.status !== c.status) return `expected ${c.status}: ${where}`;
  if (c.text) {
    if (!ct.startsWith("text/plain")) return `expected production text/plain: ${where}`;
    if (!c.text.test(text)) return `text does not match ${c.text}: ${where}`;
    return undefined;
  }
  if (!ct.startsWith("application/json")) return `expected JSON: ${where}`;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text);
  } catch {
    return `invalid JSON: ${where}`;
  }
  if (typeof body.error !== "string" || body.error === "") return `no error message: ${where}`;
  if (body.status !== res.status) return `status field ${body.status} != ${res.status}: ${where}`;
  stats.set(
    `${res.status} ${body.code ?? "(no code)"}`,
    (stats.get(`${res.status} ${body.code ?? "(no code)"}`) ?? 0) + 1,
  );
  if (!(typeof body.code === "string" && /^ERR_[A-Z0-9_]+$/.test(body.code))) {
    return `bad code ${body.code}: ${where}`;
  }
  return undefined;
}

type Fetcher = (path: string, init: RequestInit) => Promise<Response>;

async function validRequestsSucceed(fetcher: Fetcher): Promise<void> {
  const auth = await fetcher("/pusher/auth", {
    method: "POST",
    headers: { ...bearer, "content-type": FORM },
    body: "socket_id=1.1&channel_name=private-a",
  });
  assert.equal(auth.status, 200, await auth.clone().text());
  assert.match((await auth.json()).auth, new RegExp(`^${KEY}:[0-9a-f]{64}$`));
  const user = await fetcher("/pusher/user-auth", {
    method: "POST",
    headers: { ...bearer, "content-type": JSONT },
    body: '{"socket_id":"1.1"}',
  });
  assert.equal(user.status, 200);
  await user.body?.cancel();
  const hook = await fetcher("/pusher/webhook", { method: "POST", headers: base, body: WEBHOOK_BODY });
  assert.equal(hook.status, 200, await hook.clone().text());
  await hook.body?.cancel();
  const body = trigger();
  const trig = await fetcher(await signed("POST", EVENTS, body), {
    method: "POST",
    headers: { "content-type": JSONT },
    body,
  });
  assert.equal(trig.status, 200, await trig.clone().text());
  await trig.body?.cancel();
  const info = await fetcher(
    await signed("GET", `/apps/${APP}/channels/presence-demo`, null, { params: { info: "user_count" } }),
    {},
  );
  assert.equal(info.status, 200, await info.clone().text());
  await info.body?.cancel();
}

async function runAll(fetcher: Fetcher, list: Case[]): Promise<string[]> {
  const failures: string[] = [];
  for (const c of list) {
    let res: Response;
    try {
      res = await fetcher(c.path, requestInit(c));
    } catch (err) {
      failures.push(`threw: ${c.name}: ${err}`);
      continue;
    }
    const problem = await checkProblem(c, res);
    if (problem) failures.push(problem);
  }
  return failures;
}

function makeApp() {
  return createApp({ jwtSecret: JWT_SECRET });
}

// ---------------------------------------------------------------------------------------------------------------
Deno.test(`negative matrix: ${cases.length} malformed requests through app.request() get a 4xx, never a 5xx`, async () => {
  assert.ok(cases.length >= 200, `only ${cases.length} cases`);
  const app = makeApp();
  const errors: unknown[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => errors.push(args);
  let failures: string[];
  try {
    pulledBytes = 0;
    failures = await runAll((p, i) => Promise.resolve(app.request(p, i)), cases);
  } finally {
    console.error = original;
  }
  assert.deepEqual(failures, [], `${failures.length} of ${cases.length} cases failed:\n${failures.join("\n")}`);
  assert.deepEqual(errors, [], "no unexpected-error log lines");
  if (Deno.env.get("MATRIX_STATS")) console.log([...stats].sort().map(([k, n]) => `${n}\t${k}`).join("\n"));
  // Three 16 MB streams were offered; the caps are at most 256 KiB, so only a little of each may be pulled.
  assert.ok(pulledBytes < 3 * 1024 * 1024, `the app pulled ${pulledBytes} bytes of the endless bodies`);
  await validRequestsSucceed((p, i) => Promise.resolve(app.request(p, i)));
});

Deno.test("negative matrix over real HTTP on 127.0.0.1: a subset, then valid requests still succeed", async () => {
  const app = makeApp();
  const errors: unknown[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => errors.push(args);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  const origin = `http://127.0.0.1:${server.addr.port}`;
  try {
    // Every 4th case, plus every streamed and oversized body (those behave differently on a real socket).
    const subset = cases.filter((c, i) =>
      i % 4 === 0 || typeof c.body === "function" || (typeof c.body === "string" && c.body.length > 60_000)
    );
    assert.ok(subset.length >= 60, `subset has ${subset.length} cases`);
    if (Deno.env.get("MATRIX_STATS")) console.log(`${subset.length} cases over HTTP`);
    pulledBytes = 0;
    const fetcher: Fetcher = (p, i) => fetch(origin + p, i);
    const failures = await runAll(fetcher, subset);
    assert.deepEqual(failures, [], `${failures.length} of ${subset.length} cases failed:\n${failures.join("\n")}`);
    assert.deepEqual(errors, [], "no unexpected-error log lines");
    await validRequestsSucceed(fetcher);
  } finally {
    console.error = original;
    await server.shutdown();
  }
});
