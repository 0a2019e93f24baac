// Engine.snapshot() and Engine.resume(): what a Durable Object woken from hibernation relies on. A connection saved by one
// engine (as JSON, like a socket attachment) is taken back by a new engine over the same bus: no handshake, the same
// socket id, its channels, presence membership and signed-in user. Auth strings come from node:crypto.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createEngine, createLocalBus, type OutgoingWebhookEvent } from "../src/server/mod.ts";

const KEY = "278d425bdf160c739803";
const SECRET = "7ad3773142a6692b25b8";
const hmac = (s: string) => createHmac("sha256", SECRET).update(s).digest("hex");

Deno.test("engine: a saved connection resumes in a new engine with its channels, presence and user", async () => {
  const bus = createLocalBus();
  const webhooks: OutgoingWebhookEvent[] = [];
  const options = {
    appId: "1",
    key: KEY,
    secret: SECRET,
    bus,
    webhookDelayMs: 0,
    onWebhook: (e: OutgoingWebhookEvent) => webhooks.push(e),
  };
  const first = createEngine(options);
  const before: string[] = [];
  const id = first.connect(`/app/${KEY}?protocol=7`, { send: (f) => before.push(f), close() {} })!;
  const other: string[] = [];
  const otherId = first.connect(`/app/${KEY}?protocol=7`, { send: (f) => other.push(f), close() {} })!;
  const userData = JSON.stringify({ id: "u1", user_info: { name: "A" } });
  await first.message(
    id,
    JSON.stringify({
      event: "pusher:signin",
      data: { user_data: userData, auth: `${KEY}:${hmac(`${id}::user::${userData}`)}` },
    }),
  );
  const cd = JSON.stringify({ user_id: "u1" });
  await first.message(
    id,
    JSON.stringify({
      event: "pusher:subscribe",
      data: { channel: "presence-r", channel_data: cd, auth: `${KEY}:${hmac(`${id}:presence-r:${cd}`)}` },
    }),
  );
  await first.message(id, JSON.stringify({ event: "pusher:subscribe", data: { channel: "news" } }));
  const ocd = JSON.stringify({ user_id: "u2" });
  await first.message(
    otherId,
    JSON.stringify({
      event: "pusher:subscribe",
      data: { channel: "presence-r", channel_data: ocd, auth: `${KEY}:${hmac(`${otherId}:presence-r:${ocd}`)}` },
    }),
  );

  const saved = JSON.parse(JSON.stringify(first.snapshot(id)));
  assert.deepEqual(saved.channels, ["presence-r", "news"]);
  assert.deepEqual(saved.presence, { "presence-r": "u1" });
  assert.equal(saved.userId, "u1");
  assert.deepEqual(saved.userInfo, { name: "A" });
  assert.equal(first.snapshot("1.2"), undefined);

  // The host restarts: a new engine over the same bus takes both sockets back.
  const second = createEngine(options);
  const after: string[] = [];
  second.resume(saved, { send: (f) => after.push(f), close() {} });
  second.resume(JSON.parse(JSON.stringify(first.snapshot(otherId))), { send: (f) => other.push(f), close() {} });
  assert.throws(() => second.resume(saved, { send() {}, close() {} }), TypeError, "one socket cannot be resumed twice");
  assert.deepEqual(after, [], "no handshake on resume");

  await second.publish({ channels: ["news"], name: "story", data: "{}" });
  assert.match(after.at(-1)!, /"event":"story"/);
  await second.publish({ channels: ["#server-to-user-u1"], name: "hi", data: "{}" });
  assert.match(after.at(-1)!, /"event":"hi"/);
  await second.message(id, JSON.stringify({ event: "client-typing", channel: "presence-r", data: { on: 1 } }));
  assert.deepEqual(JSON.parse(other.at(-1)!), {
    event: "client-typing",
    channel: "presence-r",
    data: { on: 1 },
    user_id: "u1",
  });
  assert.deepEqual(second.connections().map((c) => c.socketId).sort(), [id, otherId].sort());

  await second.disconnect(id);
  assert.deepEqual(JSON.parse(JSON.parse(other.at(-1)!).data), { user_id: "u1" });
  assert.ok(webhooks.some((w) => w.name === "member_removed" && w.user_id === "u1"));
  assert.ok(webhooks.some((w) => w.name === "channel_vacated" && w.channel === "news"));
});
