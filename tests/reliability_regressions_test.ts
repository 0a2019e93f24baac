// Regression tests for the bugs issue 7's reliability work found (see /work/notes/reliability-findings.md).
import assert from "node:assert/strict";
import { Pusher, PusherError } from "../mod.ts";
import { createApp } from "../src/hono/mod.ts";

// Bug: terminateUserConnections() signed `/users/<id>/terminate_connections` with the raw id, but fetch normalises the
// URL after signing: `..` and `.` were resolved into another endpoint, `\` became `/`, and non-ASCII or control
// characters were percent-encoded, so the request went elsewhere or failed with 401.
Deno.test("terminateUserConnections() refuses ids that fetch would not send as signed, and sends the others", async () => {
  const app = createApp({});
  const sent: string[] = [];
  const pusher = new Pusher({
    appId: "1",
    key: "emulator-key",
    secret: "emulator-secret",
    host: "emulator.test",
    fetch: (input, init) => {
      const url = new URL(String(input));
      sent.push(url.pathname);
      return Promise.resolve(app.request(url.pathname + url.search, init));
    },
  });
  for (const id of ["..", ".", "a\\b", "ü", "a\u0000b", "a\u007fb", "a<b", 'a"b', "a`b", "a{b}"]) {
    await assert.rejects(pusher.terminateUserConnections(id), (err: unknown) => {
      assert.ok(err instanceof PusherError, String(err));
      assert.equal(err.code, "ERR_INVALID_USER_ID", JSON.stringify(id));
      return true;
    });
  }
  assert.deepEqual(sent, [], "nothing was sent for a refused id");
  for (const id of ["user-1", "a:b", "a;b", "@", "x=y,z", "..a", "a.", "Zz_9|^~!$&'()*+"]) {
    await pusher.terminateUserConnections(id);
  }
  assert.equal(sent.length, 8);
  assert.ok(sent.every((p) => /^\/apps\/1\/users\/[^/]+\/terminate_connections$/.test(p)), sent.join(" "));
});

// Bug: appOptionsFromEnv() returned plain objects, so console.log(options) and JSON.stringify(options) printed the
// app secret, the master key and the JWT secret (issue 7: config objects hide the secret from console.log).
Deno.test("appOptionsFromEnv() hides the secret, master key and JWT secret from console.log and JSON.stringify", async () => {
  const { appOptionsFromEnv } = await import("../src/hono/mod.ts");
  const secret = "env-secret-value-0123";
  const jwt = "env-jwt-secret-value-0123";
  const master = btoa("m".repeat(32));
  for (
    const env of [
      { PUSHER_URL: `https://key:${secret}@api-eu.pusher.com/apps/1`, PUSHER_AUTH_JWT_SECRET: jwt },
      { PUSHER_APP_ID: "1", PUSHER_KEY: "key", PUSHER_SECRET: secret, PUSHER_ENCRYPTION_MASTER_KEY_BASE64: master },
    ]
  ) {
    const options = appOptionsFromEnv(env);
    const lines: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => lines.push(args.map((a) => Deno.inspect(a)).join(" "));
    try {
      console.log(options);
      console.log(options.credentials);
      console.log({ options });
    } finally {
      console.log = log;
    }
    const texts = [
      ...lines,
      JSON.stringify(options),
      JSON.stringify(options.credentials),
      String(options),
      Deno.inspect(options, { depth: 9 }),
    ];
    for (const text of texts) {
      for (const value of [secret, jwt, master]) assert.ok(!text.includes(value), `leak in ${text}`);
    }
    assert.ok(lines[0].includes("key") && lines[0].includes("[redacted]"), lines[0]);
    // The data itself is untouched and still usable.
    assert.equal(options.credentials?.secret, secret);
    assert.deepEqual({ ...options.credentials }.secret, secret);
    assert.equal(createApp(options).constructor.name, "Hono");
  }
});

// Bug: a JSON auth body with a repeated key was accepted and the last value signed (JSON.parse keeps the last), while
// a repeated form field is refused: a proxy or WAF reading the first value would see another socket_id than the one
// signed.
Deno.test("the auth endpoints refuse repeated JSON keys, and still accept values that merely contain quotes and colons", async () => {
  const { Hono } = await import("hono");
  const { pusherChannelAuth, pusherUserAuth } = await import("../src/hono/mod.ts");
  const app = new Hono();
  app.post("/auth", pusherChannelAuth({ key: "k", secret: "s", authorize: () => true }));
  app.post("/user", pusherUserAuth({ key: "k", secret: "s", authenticate: () => ({ id: "1" }) }));
  const post = (path: string, body: string) =>
    app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body });
  for (
    const body of [
      '{"socket_id":"1.1","channel_name":"private-a","socket_id":"2.2"}',
      '{"socket_id":"1.1", "channel_name":"private-a" ,\n "channel_name" : "private-b"}',
      '{"socket_id":"1.1","socket\\u005fid":"2.2","channel_name":"private-a"}',
    ]
  ) {
    const res = await post("/auth", body);
    assert.equal(res.status, 400, body);
    assert.equal((await res.json()).error, "A field is given more than once");
  }
  assert.equal((await post("/user", '{"socket_id":"1.1","socket_id":"1.1"}')).status, 400);
  for (
    const body of [
      '{"socket_id":"1.1","channel_name":"private-a","note":"a\\":\\"b"}',
      '{"socket_id":"1.1","channel_name":"private-a","x":"\\\\","y":"\\"\\":"}',
      '{ "socket_id" : "1.1" , "channel_name" : "private-a" , "" : "" }',
    ]
  ) {
    const res = await post("/auth", body);
    assert.equal(res.status, 200, `${body}: ${await res.clone().text()}`);
  }
});

// Finding #10: the standalone app's webhook endpoint had no replay protection and no way to turn it on.
Deno.test("createApp({ webhookMaxAgeMs }) refuses stale webhooks and answers repeats as duplicates", async () => {
  const { createHmac } = await import("node:crypto");
  const credentials = { appId: "1", key: "k", secret: "s" };
  const app = createApp({ credentials, webhookMaxAgeMs: 60_000 });
  const send = (timeMs: number) => {
    const body = JSON.stringify({ time_ms: timeMs, events: [{ name: "channel_occupied", channel: "a" }] });
    return app.request("/pusher/webhook", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-pusher-key": "k",
        "x-pusher-signature": createHmac("sha256", "s").update(body).digest("hex"),
      },
      body,
    });
  };
  const now = Date.now();
  const first = await send(now);
  assert.deepEqual(await first.json(), { ok: true, events: 1 });
  const again = await send(now);
  assert.deepEqual(await again.json(), { ok: true, duplicate: true });
  const stale = await send(now - 120_000);
  assert.equal(stale.status, 401);
  assert.equal((await stale.json()).code, "ERR_WEBHOOK_STALE");
  assert.throws(() => createApp({ credentials, webhookMaxAgeMs: 0 }), TypeError);
  const { appOptionsFromEnv } = await import("../src/hono/mod.ts");
  assert.equal(appOptionsFromEnv({ PUSHER_WEBHOOK_MAX_AGE_MS: "300000" }).webhookMaxAgeMs, 300_000);
  assert.throws(() => appOptionsFromEnv({ PUSHER_WEBHOOK_MAX_AGE_MS: "5m" }), TypeError);
});

// Finding #7 (and #5 for the channel parameter): the emulator's member routes took any user id and dropped the code.
Deno.test("the emulator's DELETE member route validates the user id and keeps the error code", async () => {
  const app = createApp({});
  const bad = await app.request("/emulator/channels/presence-demo/members/a%00b", { method: "DELETE" });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).code, "ERR_INVALID_USER_ID");
  const badChannel = await app.request("/emulator/channels/presence%3Aa/members/1", { method: "DELETE" });
  assert.equal(badChannel.status, 400);
  assert.equal((await badChannel.json()).code, "ERR_INVALID_CHANNEL_NAME");
  const ok = await app.request("/emulator/channels/presence-demo/members/1", { method: "DELETE" });
  assert.deepEqual(await ok.json(), { channel: "presence-demo", removed: true, user_count: 1 });
});
