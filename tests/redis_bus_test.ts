// Two engines in one test process, each with its own Redis channel bus (two connections to a throwaway redis-server),
// stand for two server processes: the cluster-wide edges that the pusher-js suite cannot time precisely. Auth strings
// come from node:crypto.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createEngine, type Engine, type OutgoingWebhookEvent } from "../src/server/mod.ts";
import { connectRedisBus, type RedisBus } from "../src/redis/mod.ts";
import { findRedisServer, RedisProcess } from "./_redis.ts";

const KEY = "redis-bus-key";
const SECRET = "redis-bus-secret";
const hmac = (s: string) => createHmac("sha256", SECRET).update(s).digest("hex");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, fn: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

interface Sock {
  id: string;
  frames: Record<string, unknown>[];
  send(msg: unknown): Promise<void>;
}

async function cluster(redis: RedisProcess, webhookDelayMs = 200) {
  const webhooks: OutgoingWebhookEvent[] = [];
  const buses: RedisBus[] = [];
  const engines: Engine[] = [];
  const prefix = `t${crypto.randomUUID().slice(0, 6)}:`;
  for (let i = 0; i < 2; i++) {
    const bus = await connectRedisBus({ url: redis.url, prefix });
    buses.push(bus);
    engines.push(
      createEngine({ appId: "1", key: KEY, secret: SECRET, bus, webhookDelayMs, onWebhook: (e) => webhooks.push(e) }),
    );
  }
  const connect = (engine: Engine): Sock => {
    const s = { frames: [] as Record<string, unknown>[] } as Sock;
    s.id = engine.connect(`/app/${KEY}?protocol=7`, { send: (f) => s.frames.push(JSON.parse(f)), close() {} })!;
    s.send = (msg) => engine.message(s.id, JSON.stringify(msg));
    return s;
  };
  const join = (s: Sock, channel: string, user: string) => {
    const cd = JSON.stringify({ user_id: user });
    return s.send({
      event: "pusher:subscribe",
      data: { channel, auth: `${KEY}:${hmac(`${s.id}:${channel}:${cd}`)}`, channel_data: cd },
    });
  };
  const signIn = (s: Sock, user: Record<string, unknown>) => {
    const user_data = JSON.stringify(user);
    return s.send({
      event: "pusher:signin",
      data: { auth: `${KEY}:${hmac(`${s.id}::user::${user_data}`)}`, user_data },
    });
  };
  const tickAll = () => engines.forEach((e) => e.tick());
  const close = async () => {
    for (const b of buses) await b.close();
  };
  return { engines, buses, webhooks, connect, join, signIn, tickAll, close };
}

const REDIS = findRedisServer();
const inCI = Deno.env.get("CI") === "true";
const opts = { ignore: !REDIS && !inCI, sanitizeOps: false, sanitizeResources: false };

Deno.test({
  ...opts,
  name: "redis bus: a user who moves to the other process within the grace sends no removed/vacated/added webhooks",
  async fn() {
    const redis = new RedisProcess(findRedisServer()!);
    await redis.start();
    const c = await cluster(redis);
    try {
      const [A, B] = c.engines;
      const names = () => c.webhooks.map((w) => `${w.name} ${w.user_id ?? ""}`.trim());
      const a = c.connect(A);
      await c.join(a, "presence-g", "u1");
      assert.deepEqual(names(), ["channel_occupied", "member_added u1"]);
      await A.disconnect(a.id);
      const b = c.connect(B);
      await c.join(b, "presence-g", "u1");
      await sleep(400);
      c.tickAll();
      await sleep(100);
      assert.deepEqual(names(), ["channel_occupied", "member_added u1"], "the move is invisible to webhooks");
      await B.disconnect(b.id);
      await sleep(400);
      c.tickAll();
      await until("vacated", () => c.webhooks.length === 4);
      assert.deepEqual(names().slice(2).sort(), ["channel_vacated", "member_removed u1"]);
      assert.deepEqual(await A.users("presence-g"), []);
    } finally {
      await c.close();
      await redis.stop();
    }
  },
});

Deno.test({
  ...opts,
  name: "redis bus: watchlist online/offline follow the user's sockets on every process, once per edge",
  async fn() {
    const redis = new RedisProcess(findRedisServer()!);
    await redis.start();
    const c = await cluster(redis);
    try {
      const [A, B] = c.engines;
      const watcher = c.connect(A);
      await c.signIn(watcher, { id: "w", watchlist: ["u2"] });
      const events = () =>
        watcher.frames.filter((f) => f.event === "pusher_internal:watchlist_events")
          .map((f) => JSON.parse(f.data as string).events[0]);
      const u2a = c.connect(B), u2b = c.connect(A);
      await c.signIn(u2a, { id: "u2" });
      await until("online", () => events().length === 1);
      await c.signIn(u2b, { id: "u2" });
      await B.disconnect(u2a.id);
      await sleep(200);
      assert.deepEqual(events(), [{ name: "online", user_ids: ["u2"] }]);
      await A.disconnect(u2b.id);
      await until("offline", () => events().length === 2);
      assert.deepEqual(events()[1], { name: "offline", user_ids: ["u2"] });
      // A late watcher on the other process sees u2 offline, and w (on A) online.
      const late = c.connect(B);
      await c.signIn(late, { id: "late", watchlist: ["u2", "w"] });
      const initial = late.frames.find((f) => f.event === "pusher_internal:watchlist_events");
      assert.deepEqual(JSON.parse(initial!.data as string).events[0], { name: "online", user_ids: ["w"] });
    } finally {
      await c.close();
      await redis.stop();
    }
  },
});
