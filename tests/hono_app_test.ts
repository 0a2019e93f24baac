// The Hono subpath through app.request(): no server. Handlers, webhook middleware, JWT policy, the emulator's REST
// API (verdicts, production messages, limits), its helper routes and SSE stream, and "never a 5xx" for bad input.
import assert from "node:assert/strict";
import { Hono } from "hono";
import { sign as signJwt } from "hono/jwt";
import {
  appOptionsFromEnv,
  createApp,
  createEmulator,
  jwtAuthPolicy,
  pusherChannelAuth,
  pusherUserAuth,
  pusherWebhook,
} from "../src/hono/mod.ts";
import { authorizeChannel } from "../src/channel_auth.ts";
import { encryptPayload } from "../src/encryption/payload.ts";
import { signerFor } from "../src/_hmac.ts";
import { signRequest } from "../src/sign_request.ts";
import { smokeSuite } from "./_hono_smoke.ts";

const KEY = "278d425bdf160c739803";
const SECRET = "7ad3773142a6692b25b8";
const MASTER_KEY = "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=";
const FORM = { "content-type": "application/x-www-form-urlencoded" };
const JSON_CT = { "content-type": "application/json" };

async function body(res: Response): Promise<Record<string, unknown>> {
  assert.match(res.headers.get("content-type") ?? "", /application\/json/, `status ${res.status}`);
  return await res.json();
}

// ---------------------------------------------------------------- channel auth

function authApp(authorize: Parameters<typeof pusherChannelAuth>[0]["authorize"], extra = {}) {
  const app = new Hono();
  app.post("/pusher/auth", pusherChannelAuth({ key: KEY, secret: SECRET, authorize, ...extra }));
  return app;
}

Deno.test("channel auth: a form body as pusher-js sends gives the documented signature", async () => {
  const seen: unknown[] = [];
  const app = authApp((_c, req) => {
    seen.push(req);
    return true;
  });
  const res = await app.request("/pusher/auth", {
    method: "POST",
    headers: FORM,
    body: "socket_id=1234.1234&channel_name=private-foobar&extra=1",
  });
  assert.equal(res.status, 200);
  assert.deepEqual(await body(res), {
    auth: "278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4",
  });
  assert.deepEqual(seen, [{ socketId: "1234.1234", channel: "private-foobar", params: { extra: "1" } }]);
});

Deno.test("channel auth: a JSON body for a presence channel returns the member as signed channel_data", async () => {
  const app = authApp(() => ({ user_id: "10", user_info: { name: "Mr. Channels" } }));
  const res = await app.request("/pusher/auth", {
    method: "POST",
    headers: JSON_CT,
    body: JSON.stringify({ socket_id: "1234.1234", channel_name: "presence-foobar" }),
  });
  assert.equal(res.status, 200);
  const expected = await authorizeChannel({
    key: KEY,
    secret: SECRET,
    socketId: "1234.1234",
    channel: "presence-foobar",
    channelData: { user_id: "10", user_info: { name: "Mr. Channels" } },
  });
  assert.deepEqual(await body(res), { ...expected });
  assert.equal(JSON.parse(expected.channel_data!).user_id, "10");
});

Deno.test("channel auth: encrypted channels get a shared_secret, and need a master key", async () => {
  const withKey = authApp(() => true, { encryptionMasterKey: MASTER_KEY });
  const res = await withKey.request("/pusher/auth", {
    method: "POST",
    headers: FORM,
    body: "socket_id=1.1&channel_name=private-encrypted-x",
  });
  assert.equal(res.status, 200);
  const b = await body(res);
  assert.equal(typeof b.shared_secret, "string");
  assert.equal((b.shared_secret as string).length, 44);

  const without = authApp(() => true);
  const res2 = await without.request("/pusher/auth", {
    method: "POST",
    headers: FORM,
    body: "socket_id=1.1&channel_name=private-encrypted-x",
  });
  assert.equal(res2.status, 403);
  assert.match((await body(res2)).error as string, /master key/);
});

Deno.test("channel auth: refusals are 403 JSON with the reason", async () => {
  const cases: [unknown, string, RegExp][] = [
    [false, "private-a", /Not allowed to subscribe/],
    [undefined, "private-a", /Not allowed/],
    [{ deny: "banned user" }, "private-a", /banned user/],
    [true, "presence-a", /Presence channels need a member/],
    [{ user_id: "1" }, "private-a", /not a presence channel/],
  ];
  for (const [decision, channel, reason] of cases) {
    const app = authApp(() => decision as boolean);
    const res = await app.request("/pusher/auth", {
      method: "POST",
      headers: FORM,
      body: `socket_id=1.1&channel_name=${channel}`,
    });
    assert.equal(res.status, 403, String(decision));
    assert.match((await body(res)).error as string, reason);
  }
  const app401 = authApp(() => ({ deny: "log in first", status: 401 }));
  const res = await app401.request("/pusher/auth", {
    method: "POST",
    headers: FORM,
    body: "socket_id=1.1&channel_name=private-a",
  });
  assert.equal(res.status, 401);
});

Deno.test("channel auth: malformed requests are 4xx JSON and never reach the hook", async () => {
  let called = 0;
  const app = authApp(() => {
    called++;
    return true;
  }, { maxBodyBytes: 1024 });
  const cases: [RequestInit, number, RegExp][] = [
    [{ headers: FORM, body: "channel_name=private-a" }, 400, /socket_id/],
    [{ headers: FORM, body: "socket_id=1.1" }, 400, /channel_name/],
    [{ headers: FORM, body: "socket_id=1.1:evil&channel_name=private-a" }, 400, /socket id/i],
    [{ headers: FORM, body: "socket_id=1.1&channel_name=private-a:b" }, 400, /channel name/i],
    [{ headers: FORM, body: `socket_id=1.1&channel_name=private-${"a".repeat(200)}` }, 400, /too long/],
    [{ headers: FORM, body: "socket_id=1.1&channel_name=public" }, 400, /Only private- and presence-/],
    [{ headers: FORM, body: "socket_id=1.1&socket_id=2.2&channel_name=private-a" }, 400, /more than once/],
    [{ headers: JSON_CT, body: "{" }, 400, /not valid JSON/],
    [{ headers: JSON_CT, body: "[1]" }, 400, /JSON object/],
    [{ headers: JSON_CT, body: '{"socket_id":1.1,"channel_name":"private-a"}' }, 400, /must be a string/],
    [{ headers: { "content-type": "text/plain" }, body: "socket_id=1.1" }, 415, /Unsupported Content-Type/],
    [{ body: "socket_id=1.1" }, 415, /Unsupported Content-Type/],
    [{ headers: FORM, body: new Uint8Array([0xff, 0xfe]) }, 400, /UTF-8/],
    [{ headers: FORM, body: "x".repeat(2000) }, 413, /too large/],
  ];
  for (const [init, status, reason] of cases) {
    const res = await app.request("/pusher/auth", { method: "POST", ...init });
    assert.equal(res.status, status, `${init.body}`.slice(0, 60));
    assert.match((await body(res)).error as string, reason);
  }
  // A streamed body with no Content-Length is cut off at the limit too.
  const stream = new ReadableStream({
    start(controller) {
      for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode("y".repeat(500)));
      controller.close();
    },
  });
  const res = await app.request(
    "/pusher/auth",
    { method: "POST", headers: FORM, body: stream, duplex: "half" } as RequestInit,
  );
  assert.equal(res.status, 413);
  assert.equal(called, 0);
});

Deno.test("channel auth: the factory checks its options eagerly", () => {
  // deno-lint-ignore no-explicit-any
  const make = (o: any) => () => pusherChannelAuth(o);
  assert.throws(make(undefined), TypeError);
  assert.throws(make({ key: "k", secret: "s" }), /authorize must be a function/);
  assert.throws(make({ key: "", secret: "s", authorize: () => true }), /key/);
  assert.throws(make({ key: "k", secret: "s", authorize: () => true, maxBodyBytes: 0 }), /maxBodyBytes/);
  assert.equal(pusherChannelAuth({ key: "k", secret: "s", authorize: () => true }).name, "pusherChannelAuth");
  assert.throws(() => pusherUserAuth({ key: "k", secret: "s" } as never), /authenticate must be a function/);
});

// ---------------------------------------------------------------- user auth

Deno.test("user auth: the documented signature, and refusals", async () => {
  const app = new Hono();
  app.post("/ok", pusherUserAuth({ key: KEY, secret: SECRET, authenticate: () => ({ id: "12345" }) }));
  app.post("/no", pusherUserAuth({ key: KEY, secret: SECRET, authenticate: () => false }));
  const res = await app.request("/ok", { method: "POST", headers: FORM, body: "socket_id=1234.1234" });
  assert.deepEqual(await body(res), {
    auth: "278d425bdf160c739803:4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba",
    user_data: '{"id":"12345"}',
  });
  const no = await app.request("/no", { method: "POST", headers: FORM, body: "socket_id=1234.1234" });
  assert.equal(no.status, 403);
  const bad = await app.request("/ok", { method: "POST", headers: FORM, body: "socket_id=abc" });
  assert.equal(bad.status, 400);
});

// ---------------------------------------------------------------- webhook middleware

async function signedWebhook(secret: string, payload: string, key = KEY): Promise<RequestInit> {
  return {
    method: "POST",
    headers: { ...JSON_CT, "x-pusher-key": key, "x-pusher-signature": await signerFor(secret).signHex(payload) },
    body: payload,
  };
}

function webhookApp(extra: Partial<Parameters<typeof pusherWebhook>[0]> = {}) {
  const handled: unknown[] = [];
  const app = new Hono();
  app.post("/hook", pusherWebhook({ credentials: { key: KEY, secret: SECRET }, ...extra }), (c) => {
    const webhook = c.get("pusherWebhook");
    handled.push(webhook);
    const names: string[] = webhook.events.map((e) => e.name);
    return c.json({ names, key: webhook.key });
  });
  return { app, handled };
}

Deno.test("webhook: a valid webhook reaches the handler with typed events", async () => {
  const { app } = webhookApp();
  const payload = JSON.stringify({
    time_ms: Date.now(),
    events: [{ name: "channel_occupied", channel: "a" }, { name: "member_added", channel: "presence-a", user_id: "1" }],
  });
  const res = await app.request("/hook", await signedWebhook(SECRET, payload));
  assert.equal(res.status, 200);
  assert.deepEqual(await body(res), { names: ["channel_occupied", "member_added"], key: KEY });
});

Deno.test("webhook: rejections are 401/400/415/413 JSON and the handler never runs", async () => {
  const { app, handled } = webhookApp({ maxAgeMs: 60_000, maxBodyBytes: 4096 });
  const good = JSON.stringify({ time_ms: Date.now(), events: [] });
  const cases: [RequestInit, number][] = [
    [await signedWebhook("wrong-secret", good), 401],
    [await signedWebhook(SECRET, good, "other-key"), 401],
    [{ method: "POST", headers: JSON_CT, body: good }, 401],
    [await signedWebhook(SECRET, JSON.stringify({ time_ms: Date.now() - 3_600_000, events: [] })), 401],
    [await signedWebhook(SECRET, "{not json"), 400],
    [await signedWebhook(SECRET, JSON.stringify({ time_ms: Date.now(), events: "x" })), 400],
    [{ ...(await signedWebhook(SECRET, good)), headers: { "x-pusher-key": KEY, "content-type": "text/plain" } }, 415],
    [await signedWebhook(SECRET, "x".repeat(5000)), 413],
  ];
  for (const [init, status] of cases) {
    const res = await app.request("/hook", init);
    const b = await body(res);
    assert.ok(res.status === status || (status === 415 && res.status === 401), `${res.status} ${JSON.stringify(b)}`);
    assert.equal(typeof b.error, "string");
  }
  assert.equal(handled.length, 0);
});

Deno.test("webhook: key rotation and the de-duplication hook", async () => {
  const seen = new Set<string>();
  const { app, handled } = webhookApp({
    credentials: [{ key: "old", secret: "old-secret" }, { key: KEY, secret: SECRET }],
    isDuplicate: (_c, webhook) => {
      if (seen.has(webhook.id)) return true;
      seen.add(webhook.id);
      return false;
    },
  });
  const payload = JSON.stringify({ time_ms: Date.now(), events: [{ name: "channel_vacated", channel: "a" }] });
  const first = await app.request("/hook", await signedWebhook("old-secret", payload, "old"));
  assert.equal((await body(first)).key, "old");
  const again = await app.request("/hook", await signedWebhook("old-secret", payload, "old"));
  assert.deepEqual(await body(again), { ok: true, duplicate: true });
  assert.equal(handled.length, 1);
  assert.throws(() => pusherWebhook({ credentials: [] }), TypeError);
  assert.throws(() => pusherWebhook({ credentials: { key: "k", secret: "s" }, maxAgeMs: -1 }), /maxAgeMs/);
});

// ---------------------------------------------------------------- JWT policy through createApp

const JWT_SECRET = "a-long-random-jwt-secret-for-tests";

Deno.test("createApp: auth endpoints refuse without a policy and say why", async () => {
  const app = createApp({});
  for (const path of ["/pusher/auth", "/pusher/user-auth"]) {
    const res = await app.request(path, {
      method: "POST",
      headers: FORM,
      body: "socket_id=1.1&channel_name=private-a",
    });
    assert.equal(res.status, 403);
    assert.match((await body(res)).error as string, /PUSHER_AUTH_JWT_SECRET/);
  }
});

Deno.test("createApp: bearer JWT policy (sub, channel patterns, user_info, expiry)", async () => {
  const app = createApp({ jwtSecret: JWT_SECRET });
  const token = await signJwt(
    { sub: "user-7", channels: ["private-user-7", "presence-room-*"], user_info: { name: "Ada" } },
    JWT_SECRET,
    "HS256",
  );
  const auth = (t: string | undefined, channel: string) =>
    app.request("/pusher/auth", {
      method: "POST",
      headers: { ...FORM, ...(t ? { authorization: `Bearer ${t}` } : {}) },
      body: `socket_id=1.1&channel_name=${channel}`,
    });
  const presence = await auth(token, "presence-room-9");
  assert.equal(presence.status, 200);
  assert.deepEqual(JSON.parse((await body(presence)).channel_data as string), {
    user_id: "user-7",
    user_info: { name: "Ada" },
  });
  assert.equal((await auth(token, "private-user-7")).status, 200);
  const other = await auth(token, "private-user-8");
  assert.equal(other.status, 403);
  assert.match((await body(other)).error as string, /does not allow/);
  assert.equal((await auth(undefined, "private-user-7")).status, 401);
  assert.equal((await auth("a.b.c", "private-user-7")).status, 401);
  const forged = await signJwt({ sub: "user-7" }, "another-secret-of-16+chars", "HS256");
  assert.equal((await auth(forged, "private-user-7")).status, 401);
  const expired = await signJwt({ sub: "x", exp: Math.floor(Date.now() / 1000) - 10 }, JWT_SECRET, "HS256");
  const exp = await auth(expired, "private-a");
  assert.equal(exp.status, 401);
  assert.match((await body(exp)).error as string, /Invalid token/);
  const noSub = await signJwt({ channels: ["*"] }, JWT_SECRET, "HS256");
  assert.equal((await auth(noSub, "private-a")).status, 401);
  const anyChannel = await signJwt({ sub: "u" }, JWT_SECRET, "HS256");
  assert.equal((await auth(anyChannel, "private-anything")).status, 200);

  const user = await app.request("/pusher/user-auth", {
    method: "POST",
    headers: { ...FORM, authorization: `Bearer ${token}` },
    body: "socket_id=1.1",
  });
  assert.deepEqual(JSON.parse((await body(user)).user_data as string), { id: "user-7", user_info: { name: "Ada" } });
  assert.throws(() => jwtAuthPolicy({ secret: "short" }), /16 characters/);
});

Deno.test("createApp: production mode has no emulator; config from env", async () => {
  const app = createApp({ credentials: { appId: "9", key: "k", secret: "s" } });
  const root = await body(await app.request("/"));
  assert.equal(root.mode, "production");
  const api = await app.request("/apps/9/events", { method: "POST", body: "{}" });
  assert.equal(api.status, 404);
  await body(api);

  assert.deepEqual(
    appOptionsFromEnv({ PUSHER_APP_ID: "1", PUSHER_KEY: "k", PUSHER_SECRET: "s", PUSHER_CLUSTER: "eu" }),
    {
      credentials: { appId: "1", key: "k", secret: "s", cluster: "eu" },
    },
  );
  assert.throws(() => appOptionsFromEnv({ PUSHER_KEY: "k" }), /set PUSHER_APP_ID, PUSHER_SECRET/);
  assert.throws(() => appOptionsFromEnv({ PUSHER_URL: "http://api.pusher.com/x" }), /PUSHER_URL/);
  const forced = appOptionsFromEnv({ PUSHER_URL: "http://k:s@127.0.0.1:1/apps/5", PUSHER_EMULATOR: "1" });
  assert.equal(forced.emulator, true);
  const emu = createApp(forced);
  assert.equal((await body(await emu.request("/emulator/info"))).appId, "5");
  assert.equal((await body(await emu.request("/emulator/info"))).secret, undefined, "configured secrets stay hidden");
});

Deno.test("createApp: the smoke suite passes through app.request()", async () => {
  const app = createApp({});
  const ran = await smokeSuite((path, init) => Promise.resolve(app.request(path, init)));
  assert.ok(ran.length >= 10);
});

// ---------------------------------------------------------------- emulator REST API

const NOW = 1_800_000_000;
function emulator(extra: Partial<Parameters<typeof createEmulator>[0]> = {}) {
  return createEmulator({
    appId: "3",
    key: KEY,
    secret: SECRET,
    encryptionMasterKey: MASTER_KEY,
    now: () => NOW,
    ...extra,
  });
}

async function call(
  app: ReturnType<typeof emulator>,
  method: string,
  path: string,
  payload?: unknown,
  opts: { params?: Record<string, string>; timestamp?: number; key?: string; secret?: string } = {},
): Promise<Response> {
  const text = payload === undefined ? undefined : typeof payload === "string" ? payload : JSON.stringify(payload);
  const s = await signRequest({
    key: opts.key ?? KEY,
    secret: opts.secret ?? SECRET,
    method,
    path,
    body: text,
    params: opts.params,
    timestamp: opts.timestamp ?? NOW,
  });
  return app.request(`${path}?${s.query}`, { method, headers: text ? JSON_CT : {}, body: text });
}

Deno.test("emulator: the docs' worked example is accepted byte for byte", async () => {
  const app = createEmulator({ appId: "3", key: KEY, secret: SECRET, now: () => 1353088179 });
  const res = await app.request(
    "/apps/3/events?auth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0&body_md5=ec365a775a4cd0599faeb73354201b6f&auth_signature=da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c",
    {
      method: "POST",
      headers: JSON_CT,
      body: '{"name":"foo","channels":["project-3"],"data":"{\\"some\\":\\"data\\"}"}',
    },
  );
  assert.equal(res.status, 200);
  const { entries } = await body(await app.request("/emulator/log")) as { entries: Record<string, unknown>[] };
  assert.equal(entries.at(-1)!.verdict, "accepted");
  assert.equal(
    entries.at(-1)!.stringToSign,
    "POST\n/apps/3/events\nauth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0&body_md5=ec365a775a4cd0599faeb73354201b6f",
  );
});

Deno.test("emulator: authentication failures answer 401 with production texts", async () => {
  const app = emulator();
  const payload = { name: "e", data: "{}", channels: ["a"] };
  const old = await call(app, "POST", "/apps/3/events", payload, { timestamp: NOW - 600 });
  assert.equal(old.status, 401);
  assert.equal(
    await old.text(),
    "Timestamp expired: Given timestamp (2027-01-15T07:50:00Z) not within 600s of server time (2027-01-15T08:00:00Z)",
  );
  assert.equal((await call(app, "POST", "/apps/3/events", payload, { timestamp: NOW - 599 })).status, 200);
  const wrongSecret = await call(app, "POST", "/apps/3/events", payload, { secret: "nope" });
  assert.equal(wrongSecret.status, 401);
  assert.match(
    await wrongSecret.text(),
    /^Invalid signature: you should have sent HmacSHA256Hex\("POST\\n\/apps\/3\/events\\nauth_key=278d425bdf160c739803&auth_timestamp=1800000000&auth_version=1.0&body_md5=[0-9a-f]{32}", your_secret_key\), but you sent "[0-9a-f]{64}"$/,
  );
  const unknownKey = await call(app, "POST", "/apps/3/events", payload, { key: "other" });
  assert.equal(unknownKey.status, 401);
  assert.match(await unknownKey.text(), /Unknown auth_key/);
  const missing = await app.request("/apps/3/events", { method: "POST", headers: JSON_CT, body: "{}" });
  assert.equal(missing.status, 401);
  assert.equal(await missing.text(), "Missing parameter: auth_key");
  // The body changed after signing: body_md5 no longer matches.
  const s = await signRequest({
    key: KEY,
    secret: SECRET,
    method: "POST",
    path: "/apps/3/events",
    body: "{}",
    timestamp: NOW,
  });
  const md5 = await app.request(`/apps/3/events?${s.query}`, { method: "POST", headers: JSON_CT, body: "{ }" });
  assert.equal(md5.status, 401);
  const log = await body(await app.request("/emulator/log")) as { entries: Record<string, unknown>[] };
  const rejected = log.entries.filter((e) => e.verdict === "rejected");
  assert.ok(rejected.length >= 5);
  const mismatch = rejected.find((e) => e.code === "ERR_SIGNATURE_MISMATCH")!;
  assert.match(mismatch.stringToSign as string, /^POST\n\/apps\/3\/events\nauth_key=/);
  assert.match(mismatch.sentSignature as string, /^[0-9a-f]{64}$/);
});

Deno.test("emulator: trigger limits and validation answer 400/413 JSON", async () => {
  const app = emulator();
  const trigger = (p: unknown) => call(app, "POST", "/apps/3/events", p);
  const ok = (channels: string[], data = "{}") => ({ name: "e", data, channels });
  assert.equal((await trigger(ok(Array.from({ length: 100 }, (_, i) => `c${i}`)))).status, 200);
  const cases: [unknown, number, RegExp][] = [
    [ok(Array.from({ length: 101 }, (_, i) => `c${i}`)), 400, /Too many channels: 101/],
    [ok(["bad:name"]), 400, /Invalid channel name/],
    [ok([]), 400, /at least one channel/],
    [{ name: "e", data: "{}" }, 400, /channels/],
    [{ name: 1, data: "{}", channels: ["a"] }, 400, /Expected name parameter to be a string/],
    [{ name: "e", data: { a: 1 }, channels: ["a"] }, 400, /Expected data parameter to be a string/],
    [{ name: "e".repeat(201), data: "{}", channels: ["a"] }, 400, /too long/],
    [{ ...ok(["a"]), socket_id: "1.1:x" }, 400, /socket id/i],
    [
      { ...ok(["a"]), info: "user_count" },
      400,
      /Cannot retrieve the user count unless the channel is a presence channel/,
    ],
    [{ ...ok(["a"]), info: "bogus" }, 400, /Unknown info attribute/],
    [{ ...ok(["a"]), info: 5 }, 400, /info/],
    [ok(["a"], "x".repeat(10241)), 413, /exceeds the allowed maximum \(10240 bytes\)/],
    [ok(["a"], "é".repeat(5121)), 413, /exceeds/],
    ["[1,2]", 400, /JSON object/],
    ["nope", 400, /not valid JSON/],
  ];
  for (const [payload, status, reason] of cases) {
    const res = await trigger(payload);
    assert.equal(res.status, status, JSON.stringify(payload).slice(0, 80));
    assert.match((await body(res)).error as string, reason);
  }
  assert.equal((await trigger(ok(["a"], "x".repeat(10240)))).status, 200);
  assert.equal((await trigger(ok(["#server-to-user-42"]))).status, 200);
  const info = await trigger({ ...ok(["presence-demo", "demo"]), info: "subscription_count" });
  assert.deepEqual(await body(info), {
    channels: { "presence-demo": { subscription_count: 2 }, demo: { subscription_count: 1 } },
  });
  const users = await trigger({ ...ok(["presence-demo"]), info: "user_count,subscription_count" });
  assert.deepEqual(await body(users), { channels: { "presence-demo": { user_count: 2, subscription_count: 2 } } });
  const wrongType = await call(app, "POST", "/apps/3/events", "{}");
  assert.equal(wrongType.status, 400);
});

Deno.test("emulator: batch limits and per-event info", async () => {
  const app = emulator();
  const ev = (channel: string, extra = {}) => ({ channel, name: "e", data: "{}", ...extra });
  const ten = Array.from({ length: 10 }, (_, i) => ev(`c${i}`));
  assert.deepEqual(await body(await call(app, "POST", "/apps/3/batch_events", { batch: ten })), {});
  const eleven = await call(app, "POST", "/apps/3/batch_events", { batch: [...ten, ev("x")] });
  assert.equal(eleven.status, 400);
  assert.match((await body(eleven)).error as string, /Batch too large: 11 events/);
  const withInfo = await call(app, "POST", "/apps/3/batch_events", {
    batch: [ev("presence-demo", { info: "user_count" }), ev("demo"), ev("demo", { info: "subscription_count" })],
  });
  assert.deepEqual(await body(withInfo), { batch: [{ user_count: 2 }, {}, { subscription_count: 1 }] });
  for (const bad of [{ batch: "x" }, { batch: [1] }, { batch: [{ name: "e", data: "{}" }] }]) {
    assert.equal((await call(app, "POST", "/apps/3/batch_events", bad)).status, 400);
  }
  const big = await call(app, "POST", "/apps/3/batch_events", { batch: [ev("a", { data: "x".repeat(10241) })] });
  assert.equal(big.status, 413);
});

Deno.test("emulator: channel queries follow the info rules, and seeding changes the answers", async () => {
  const app = emulator();
  const get = (path: string, params?: Record<string, string>) => call(app, "GET", path, undefined, { params });
  assert.deepEqual(await body(await get("/apps/3/channels")), { channels: { demo: {}, "presence-demo": {} } });
  assert.deepEqual(await body(await get("/apps/3/channels", { filter_by_prefix: "presence-", info: "user_count" })), {
    channels: { "presence-demo": { user_count: 2 } },
  });
  assert.equal((await get("/apps/3/channels", { info: "user_count" })).status, 400);
  assert.equal((await get("/apps/3/channels", { info: "subscription_count" })).status, 400);
  assert.deepEqual(await body(await get("/apps/3/channels/demo", { info: "subscription_count" })), {
    occupied: true,
    subscription_count: 1,
  });
  assert.equal((await get("/apps/3/channels/demo", { info: "user_count" })).status, 400);
  assert.deepEqual(await body(await get("/apps/3/channels/empty")), { occupied: false });
  assert.deepEqual(await body(await get("/apps/3/channels/presence-demo/users")), {
    users: [{ id: "1" }, { id: "2" }],
  });
  assert.equal((await get("/apps/3/channels/demo/users")).status, 400);

  const seeded = await app.request("/emulator/channels/presence-room/members", {
    method: "POST",
    headers: JSON_CT,
    body: JSON.stringify({ user_id: "u9", user_info: { name: "Zed" } }),
  });
  assert.equal(seeded.status, 200);
  await app.request("/emulator/channels/private-x/occupancy", {
    method: "POST",
    headers: JSON_CT,
    body: '{"subscription_count":4}',
  });
  assert.deepEqual(await body(await get("/apps/3/channels/private-x", { info: "subscription_count" })), {
    occupied: true,
    subscription_count: 4,
  });
  assert.deepEqual(await body(await get("/apps/3/channels/presence-room/users")), { users: [{ id: "u9" }] });
  assert.equal((await call(app, "POST", "/apps/3/users/u9/terminate_connections", {})).status, 200);
  assert.deepEqual(await body(await get("/apps/3/channels/presence-room/users")), { users: [] });
  assert.deepEqual((await body(await app.request("/emulator/channels"))).terminated, ["u9"]);

  for (
    const [path, init] of [
      ["/emulator/channels/demo/members", { body: '{"user_id":"1"}' }],
      ["/emulator/channels/presence-a/members", { body: '{"user_id":5}' }],
      ["/emulator/channels/bad:name/occupancy", { body: '{"subscription_count":1}' }],
      ["/emulator/channels/a/occupancy", { body: '{"subscription_count":-1}' }],
      ["/emulator/channels/a/occupancy", { body: "{" }],
    ] as const
  ) {
    const res = await app.request(path, { method: "POST", headers: JSON_CT, ...init });
    assert.equal(res.status, 400, path);
    await body(res);
  }
  await app.request("/emulator/reset", { method: "POST" });
  assert.deepEqual(await body(await get("/apps/3/channels/presence-demo/users")), {
    users: [{ id: "1" }, { id: "2" }],
  });
});

Deno.test("emulator: encrypted payloads are decrypted when the master key is known", async () => {
  const app = emulator();
  const data = await encryptPayload("private-encrypted-room", { secret: "plans" }, MASTER_KEY);
  assert.equal(
    (await call(app, "POST", "/apps/3/events", { name: "e", data, channels: ["private-encrypted-room"] })).status,
    200,
  );
  const wrong = await encryptPayload("private-encrypted-room", "x", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
  await call(app, "POST", "/apps/3/batch_events", {
    batch: [{ channel: "private-encrypted-room", name: "f", data: wrong }],
  });
  const { events } = await body(await app.request("/emulator/events?channel=private-encrypted-room")) as {
    events: Record<string, string>[];
  };
  assert.equal(events[0].decrypted, '{"secret":"plans"}');
  assert.match(events[1].decryptError, /does not decrypt/);

  const noKey = createEmulator({ appId: "3", key: KEY, secret: SECRET, now: () => NOW });
  await call(noKey, "POST", "/apps/3/events", { name: "e", data, channels: ["private-encrypted-room"] });
  const log = await body(await noKey.request("/emulator/events")) as { events: Record<string, string>[] };
  assert.match(log.events[0].decryptError, /no encryption master key/);
});

Deno.test("emulator: the log is a bounded ring buffer", async () => {
  const app = emulator({ maxEntries: 3 });
  for (let i = 0; i < 5; i++) await call(app, "POST", "/apps/3/events", { name: `e${i}`, data: "{}", channels: ["a"] });
  const { entries } = await body(await app.request("/emulator/log")) as { entries: { id: number }[] };
  assert.deepEqual(entries.map((e) => e.id), [3, 4, 5]);
  assert.throws(() => createEmulator({ appId: "1", key: "k", secret: "s", maxEntries: 0 }), /maxEntries/);
});

Deno.test("emulator: the debug stream sends the backlog and then live entries", async () => {
  const app = emulator();
  await call(app, "POST", "/apps/3/events", { name: "before", data: "{}", channels: ["a"] });
  const controller = new AbortController();
  const res = await app.request("/emulator/stream", { signal: controller.signal });
  assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const deadline = Date.now() + 5000;
  const until = async (re: RegExp) => {
    while (!re.test(text)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${re} in ${text}`);
      const { value, done } = await reader.read();
      if (done) throw new Error("stream ended");
      text += value;
    }
  };
  await until(/"name":"before"/);
  await call(app, "POST", "/apps/3/events", { name: "after", data: "{}", channels: ["a"] });
  await until(/event: entry\ndata: .*"name":"after".*\nid: 2\n/);
  await reader.cancel();
  controller.abort();
});

Deno.test("emulator: the page's demo buttons produce an accepted and a rejected request", async () => {
  const app = createApp({});
  const signed = await body(await app.request("/emulator/demo/trigger", { method: "POST", body: "{}" }));
  assert.equal(signed.status, 200);
  const tampered = await body(await app.request("/emulator/demo/trigger", { method: "POST", body: '{"tamper":true}' }));
  assert.equal(tampered.status, 401);
  assert.match(tampered.body as string, /^Invalid signature/);
  const html = await (await app.request("/")).text();
  assert.match(html, /Send a signed test event/);
  assert.match(html, /emulator-secret/);
});

Deno.test("no 5xx: malformed, mistyped and oversized requests all get a 4xx", async () => {
  const app = createApp({ jwtSecret: JWT_SECRET });
  const q = "auth_key=emulator-key&auth_timestamp=1&auth_version=1.0&auth_signature=x";
  const requests: [string, RequestInit][] = [
    ["/apps/1/events", { method: "POST" }],
    ["/apps/1/events?%zz=1", { method: "POST", body: "{}" }],
    ["/apps/1/events?auth_key=a&auth_key=b", { method: "POST", body: "{}" }],
    [`/apps/1/events?${q}`, { method: "POST", body: new Uint8Array([0xff, 0x00, 0xfe]) }],
    [`/apps/1/events?${q}`, { method: "POST", headers: { "content-length": "99999999" }, body: "{}" }],
    ["/apps/1/events", { method: "GET" }],
    ["/apps/1/nope", { method: "DELETE" }],
    ["/apps/2/channels", { method: "GET" }],
    ["/apps/1/channels/%E0%A4%A", { method: "GET" }],
    ["/apps/1/channels/bad:name/users", { method: "GET" }],
    ["/apps/1/users//terminate_connections", { method: "POST", body: "{}" }],
    ["/emulator/channels/x/occupancy", { method: "POST", body: "x".repeat(20_000) }],
    ["/emulator/channels/x/occupancy", { method: "POST", body: "null" }],
    ["/emulator/demo/trigger", { method: "POST", body: "[" }],
    ["/pusher/auth", { method: "POST", headers: FORM, body: "%%%" }],
    ["/pusher/auth", { method: "POST", headers: { "content-type": "multipart/form-data; boundary=x" }, body: "--x--" }],
    ["/pusher/auth", {
      method: "POST",
      headers: { ...FORM, authorization: "Bearer " + "a".repeat(5000) },
      body: "socket_id=1.1&channel_name=private-a",
    }],
    ["/pusher/user-auth", { method: "POST", headers: JSON_CT, body: '"str"' }],
    ["/pusher/webhook", { method: "POST", headers: JSON_CT, body: "{}" }],
    ["/pusher/webhook", { method: "POST", body: "x".repeat(300_000) }],
    ["/pusher/auth", { method: "GET" }],
  ];
  for (const [path, init] of requests) {
    const res = await app.request(path, init);
    assert.ok(res.status >= 400 && res.status < 500, `${init.method} ${path} -> ${res.status}`);
    const text = await res.text();
    if (res.status !== 401 || !path.startsWith("/apps/")) {
      assert.doesNotThrow(() => JSON.parse(text), `${path}: ${text.slice(0, 80)}`);
    }
    assert.ok(!text.includes("emulator-secret") || path === "/", "no secret in error bodies");
  }
});
