// The emulator's REST API answered from live WebSocket state (protocol reference §10, scenarios 27, 36, 45): our
// client signs real requests into app.request(); sockets are in-memory sinks on the live server's engine, subscribed
// with auth strings made by node:crypto.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { Pusher } from "../mod.ts";
import { createLiveServer } from "../src/hono/mod.ts";
import { DEMO_CREDENTIALS } from "../src/hono/config.ts";

const { appId, key, secret } = DEMO_CREDENTIALS;
const hmac = (s: string) => createHmac("sha256", secret).update(s).digest("hex");

function setup() {
  const live = createLiveServer({});
  const client = new Pusher({
    appId,
    key,
    secret,
    host: "emulator.test",
    useTLS: false,
    fetch: (input, init) => Promise.resolve(live.app.request(input instanceof Request ? input : String(input), init)),
  });
  const open = () => {
    const frames: Record<string, unknown>[] = [];
    let id = "";
    const socket = live.open(`/app/${key}?protocol=7`, {
      send: (f) => {
        const parsed = JSON.parse(f);
        if (parsed.event === "pusher:connection_established") id = JSON.parse(parsed.data).socket_id;
        frames.push(parsed);
      },
      close() {},
    });
    const send = async (m: unknown) => {
      socket.message(JSON.stringify(m));
      await new Promise((r) => setTimeout(r, 5));
    };
    const join = (channel: string, user?: string) => {
      if (!user) {
        const auth = channel.startsWith("private-") ? `${key}:${hmac(`${id}:${channel}`)}` : "";
        return send({ event: "pusher:subscribe", data: { channel, auth } });
      }
      const cd = JSON.stringify({ user_id: user });
      return send({
        event: "pusher:subscribe",
        data: { channel, auth: `${key}:${hmac(`${id}:${channel}:${cd}`)}`, channel_data: cd },
      });
    };
    return {
      frames,
      socket,
      join,
      get id() {
        return id;
      },
    };
  };
  return { live, client, open };
}

Deno.test("REST from live state: user_count, /users, /channels with prefix, and the documented 400s", async () => {
  const { live, client, open } = setup();
  try {
    const [a, a2, b] = [open(), open(), open()];
    await a.join("presence-r", "1");
    await a2.join("presence-r", "1");
    await b.join("presence-r", "2");
    assert.deepEqual(await client.channel("presence-r", { info: "user_count" }), { occupied: true, user_count: 2 });
    assert.deepEqual((await client.users("presence-r")).users.map((u) => u.id).sort(), ["1", "2"]);
    const list = await client.channels({ prefix: "presence-", info: "user_count" });
    assert.equal(list.channels["presence-r"].user_count, 2);
    const bad = await live.app.request("/apps/1/channels?info=user_count");
    assert.equal(bad.status, 401); // unsigned; the signed variant is refused by our client before sending
    await assert.rejects(client.get({ path: "/channels", params: { info: "user_count" } }), /answered 400/);
    await assert.rejects(client.get({ path: "/channels/my-channel/users" }), /answered 400/);
    assert.deepEqual(await client.channel("empty-one"), { occupied: false });
    assert.equal((await client.channels()).channels["empty-one"], undefined);
  } finally {
    await live.shutdown();
  }
});

Deno.test("REST from live state: trigger excludes socket_id, reports subscription_count, fills the cache", async () => {
  const { live, client, open } = setup();
  try {
    const a = open(), b = open();
    await a.join("my-channel");
    await b.join("my-channel");
    const res = await client.trigger("my-channel", "e", { n: 1 }, { socket_id: a.id, info: "subscription_count" });
    assert.deepEqual(res.channels, { "my-channel": { subscription_count: 2 } });
    await new Promise((r) => setTimeout(r, 5));
    assert.ok(b.frames.some((f) => f.event === "e" && f.data === '{"n":1}'));
    assert.ok(!a.frames.some((f) => f.event === "e"));

    await client.trigger("cache-x", "last", "v1");
    const cached = await client.get({ path: "/channels/cache-x", params: { info: "cache" } });
    const body = await cached.json();
    assert.equal(body.cache.data, "v1");
    assert.ok(body.cache.ttl > 0 && body.cache.ttl <= 1800);
    const c = open();
    await c.join("cache-x");
    assert.deepEqual(c.frames.at(-2), { event: "last", channel: "cache-x", data: "v1" });
  } finally {
    await live.shutdown();
  }
});
