// createApp through app.request(): the secure default, the JWT policy, env config, the smoke suite, and "never a
// 5xx" for bad input.
import assert from "node:assert/strict";
import { sign as signJwt } from "hono/jwt";
import { appOptionsFromEnv, createApp, jwtAuthPolicy } from "../src/hono/mod.ts";
import { smokeSuite } from "./_hono_smoke.ts";
import { body, FORM, JSON_CT } from "./_hono_fixtures.ts";

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
    {
      sub: "user-7",
      channels: ["private-user-7", "presence-room-*"],
      user_info: { name: "Ada" },
      exp: Math.floor(Date.now() / 1000) + 3600,
    },
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
  // No channels claim: no channel (fails closed, issue 11); tests/jwt_policy_test.ts covers the rest.
  const anyChannel = await signJwt({ sub: "u", exp: Math.floor(Date.now() / 1000) + 60 }, JWT_SECRET, "HS256");
  assert.equal((await auth(anyChannel, "private-anything")).status, 403);

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
