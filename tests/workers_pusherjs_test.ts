// pusher-js 8.6.0 end to end against the Workers deployment (src/workers/mod.ts) inside workerd through Miniflare,
// with two connection shards: the shared suite (tests/_pusherjs_suite.ts), then subscribers of one channel on
// different shards waiting out a hibernation (the runtime rebuilds idle objects after about 10 s locally).
import assert from "node:assert/strict";
import PusherJsModule from "pusher-js";
import { Pusher } from "../mod.ts";
import { DEMO_CREDENTIALS } from "../src/hono/config.ts";
import { bundleWorker, startWorkers, type WorkersServer } from "../scripts/start_workers.ts";
import { jwt, JWT_SECRET, pusherJsSuite, waitFor, webhookReceiver } from "./_pusherjs_suite.ts";

const env = (hook: string) => ({
  PUSHER_AUTH_JWT_SECRET: JWT_SECRET,
  PUSHER_WEBHOOK_URLS: hook,
  PUSHER_WEBHOOK_DELAY_MS: "300",
  PUSHER_WEBHOOK_EVENTS:
    "channel_occupied,channel_vacated,member_added,member_removed,client_event,cache_miss,subscription_count",
  PUSHER_SHARDS: "2",
});

const script = bundleWorker();

Deno.test({
  name: "pusher-js end to end: workerd through Miniflare, two Durable Object connection shards",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const webhooks = webhookReceiver();
    let server = await startWorkers(env(webhooks.url), { script: await script });
    try {
      const ran = await pusherJsSuite(t, {
        port: server.port,
        webhooks,
        async restart() {
          const port = server.port;
          await server.dispose();
          server = await startWorkers(env(webhooks.url), { script: await script, port });
        },
      });
      assert.ok(ran.length >= 10, ran.join(", "));
    } finally {
      await server.dispose();
      await webhooks.close();
    }
  },
});

// deno-lint-ignore no-explicit-any
const PusherJs = PusherJsModule as any;
const { appId, key, secret } = DEMO_CREDENTIALS;

interface ShardState {
  shard: number;
  instance: string;
  channels: [string, number][];
  connections: { socketId: string; channels: string[] }[];
}

async function shards(server: WorkersServer): Promise<ShardState[]> {
  const res = await fetch(`${server.url}/emulator/shards`);
  return (await res.json()).shards;
}

Deno.test({
  name: "workerd: subscribers of one channel on two shards keep subscriptions and presence through a hibernation",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const webhooks = webhookReceiver();
    const server = await startWorkers(env(webhooks.url), { script: await script });
    const origin = server.url;
    const rest = new Pusher({ appId, key, secret, host: "127.0.0.1", port: server.port, useTLS: false });
    // deno-lint-ignore no-explicit-any
    const clients: any[] = [];
    const make = (user: string) => {
      const headers = { Authorization: `Bearer ${jwt({ sub: user, user_info: { name: `User ${user}` } })}` };
      const c = new PusherJs(key, {
        cluster: "mt1",
        wsHost: "127.0.0.1",
        wsPort: server.port,
        forceTLS: false,
        enabledTransports: ["ws"],
        disableStats: true,
        channelAuthorization: { endpoint: `${origin}/pusher/auth`, transport: "ajax", headers },
        userAuthentication: { endpoint: `${origin}/pusher/user-auth`, transport: "ajax", headers },
      });
      clients.push(c);
      return c;
    };
    // deno-lint-ignore no-explicit-any
    const subscribed = (c: any, name: string) =>
      new Promise((resolve, reject) => {
        const ch = c.subscribe(name);
        ch.bind("pusher:subscription_succeeded", resolve);
        ch.bind("pusher:subscription_error", reject);
      });
    // deno-lint-ignore no-explicit-any
    const next = (c: any, channel: string, event: string) =>
      new Promise<{ data: unknown; meta: unknown }>((resolve) => {
        const ch = c.channel(channel);
        const fn = (data: unknown, meta: unknown) => {
          ch.unbind(event, fn);
          resolve({ data, meta });
        };
        ch.bind(event, fn);
      });
    try {
      const a = make("1");
      await waitFor("a connected", () => a.connection.state === "connected");
      const b = make("2");
      await waitFor("b connected", () => b.connection.state === "connected");
      for (const c of [a, b]) {
        await subscribed(c, "news");
        await subscribed(c, "presence-room");
        await subscribed(c, "private-chat");
      }
      const before = await shards(server);
      const shardOf = (s: ShardState[], id: string) => s.find((x) => x.connections.some((c) => c.socketId === id));
      const sa = shardOf(before, a.connection.socket_id)!;
      const sb = shardOf(before, b.connection.socket_id)!;
      assert.ok(sa && sb, JSON.stringify(before));
      assert.notEqual(sa.instance, sb.instance, "a and b sit on different shards");
      assert.deepEqual(sa.channels.find(([n]) => n === "news"), ["news", 1]);
      assert.deepEqual(sb.channels.find(([n]) => n === "news"), ["news", 1]);

      // Idle: no frame, no call to the shards, until the runtime has rebuilt them.
      await new Promise((r) => setTimeout(r, 11_500));
      const after = await shards(server);
      assert.notEqual(shardOf(after, a.connection.socket_id)?.instance, sa.instance, "shard of a was rebuilt");
      assert.notEqual(shardOf(after, b.connection.socket_id)?.instance, sb.instance, "shard of b was rebuilt");
      assert.deepEqual(shardOf(after, a.connection.socket_id)?.connections[0].channels.sort(), [
        "news",
        "presence-room",
        "private-chat",
      ]);

      const got = [a, b].map((c) => next(c, "news", "after-sleep"));
      await rest.trigger("news", "after-sleep", { ok: 1 });
      assert.deepEqual((await Promise.all(got)).map((g) => g.data), [{ ok: 1 }, { ok: 1 }]);
      const info = await rest.channel("news", { info: ["subscription_count"] });
      assert.equal(info.subscription_count, 2);
      assert.deepEqual((await rest.users("presence-room")).users.map((u: { id: string }) => u.id).sort(), ["1", "2"]);

      // Client event across shards after the wake: user_id from the restored presence membership.
      const typed = next(b, "presence-room", "client-typing");
      assert.ok(a.channel("presence-room").trigger("client-typing", { on: true }));
      const { data, meta } = await typed;
      assert.deepEqual(data, { on: true });
      assert.equal((meta as { user_id: string }).user_id, "1");
      const typed2 = next(a, "private-chat", "client-hi");
      assert.ok(b.channel("private-chat").trigger("client-hi", "x"));
      assert.equal((await typed2).data, "x");

      // Cache channels across shards: the event triggered through REST is replayed to a subscriber on another shard;
      // an empty one answers cache_miss (and its webhook) once.
      await rest.trigger("cache-scores", "score", { n: 7 });
      const replayed = new Promise((r) => b.subscribe("cache-scores").bind("score", r));
      assert.deepEqual(await replayed, { n: 7 });
      const missed = new Promise((r) => a.subscribe("cache-empty").bind("pusher:cache_miss", r));
      await missed;
      await waitFor(
        "cache_miss webhook",
        () => webhooks.events().some((e) => e.name === "cache_miss" && e.channel === "cache-empty"),
        10_000,
      );

      // Presence across shards: a third user joins and both earlier members hear of it; leaving is seen too.
      const added = [a, b].map((c) =>
        new Promise<{ id: string }>((r) => c.channel("presence-room").bind("pusher:member_added", r))
      );
      const c3 = make("3");
      const members = await subscribed(c3, "presence-room") as { count: number };
      assert.equal(members.count, 3);
      assert.deepEqual((await Promise.all(added)).map((m) => m.id), ["3", "3"]);
      const removed = new Promise<{ id: string }>((r) => a.channel("presence-room").bind("pusher:member_removed", r));
      b.unsubscribe("presence-room");
      assert.equal((await removed).id, "2");
      await waitFor(
        "member_removed webhook",
        () => webhooks.events().some((e) => e.name === "member_removed" && e.user_id === "2"),
        10_000,
      );
    } finally {
      for (const c of clients) c.disconnect();
      await server.dispose();
      await webhooks.close();
    }
  },
});

Deno.test({
  name: "workerd: a bare deploy (no credentials, no PUSHER_EMULATOR=1) answers 503 and accepts no WebSocket",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const server = await startWorkers({ PUSHER_EMULATOR: "0" }, { script: await script });
    try {
      const page = await fetch(`${server.url}/`);
      assert.equal(page.status, 503);
      assert.doesNotMatch(await page.text(), /emulator-secret/);
      const ws = new WebSocket(`${server.url.replace("http", "ws")}/app/${key}?protocol=7`);
      const outcome = await new Promise<string>((r) => {
        ws.onopen = () => r("open");
        ws.onerror = () => r("refused");
      });
      assert.equal(outcome, "refused");
    } finally {
      await server.dispose();
    }
  },
});
