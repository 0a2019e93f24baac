// Channel and user auth handlers through app.request(): signatures, refusals, malformed input, eager options.
import assert from "node:assert/strict";
import { Hono } from "hono";
import { pusherChannelAuth, pusherUserAuth } from "../src/hono/mod.ts";
import { authorizeChannel } from "../src/channel_auth.ts";
import { body, FORM, JSON_CT, KEY, MASTER_KEY, SECRET } from "./_hono_fixtures.ts";

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

Deno.test("channel auth: form fields read exactly as URLSearchParams reads them, with or without escapes", async () => {
  const seen: Record<string, string>[] = [];
  const app = authApp((_c, req) => {
    seen.push(req.params);
    return true;
  });
  const bodies = [
    "socket_id=1234.1234&channel_name=private-foobar&a=x%20y+z&b=%C3%A9&&c&d=1=2",
    "?socket_id=1234.1234&channel_name=private-foobar&a=é&b=",
    "socket_id=1234.1234&channel_name=private-foobar&a=é&b=plain",
    "socket_id=1234.1234&channel_name=private-foobar&%61=1",
    "&socket_id=1234.1234&&channel_name=private-foobar&k&v==w&=empty&",
  ];
  for (const text of bodies) {
    const res = await app.request("/pusher/auth", { method: "POST", headers: FORM, body: text });
    assert.equal(res.status, 200, text);
    const expected = Object.fromEntries(new URLSearchParams(text));
    delete expected.socket_id;
    delete expected.channel_name;
    assert.deepEqual({ ...seen.at(-1) }, expected, text);
  }
  const dup = await app.request("/pusher/auth", {
    method: "POST",
    headers: FORM,
    body: "socket_id=1234.1234&channel_name=private-foobar&a=1&a=2",
  });
  assert.equal(dup.status, 400);
});

Deno.test("channel auth: an async hook answers as a sync one, and headers set earlier with c.header() are kept", async () => {
  for (const authorize of [() => true, () => Promise.resolve(true)]) {
    const app = new Hono();
    app.use(async (c, next) => {
      c.header("x-request-id", "abc");
      await next();
    });
    app.post("/pusher/auth", pusherChannelAuth({ key: KEY, secret: SECRET, authorize }));
    const res = await app.request("/pusher/auth", {
      method: "POST",
      headers: FORM,
      body: "socket_id=1234.1234&channel_name=private-foobar",
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("x-request-id"), "abc");
    assert.equal(res.headers.get("cache-control"), "no-store");
    assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
    assert.deepEqual(await body(res), {
      auth: "278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4",
    });
  }
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
