// Two server processes on two ports sharing one redis-server behave as one Pusher server to pusher-js 8.6.0 clients on
// either: presence, REST trigger/batch with socket_id exclusion, client events, REST live state, terminate, webhooks
// once per cluster event; a killed process's members are removed within the lease bound; a Redis outage degrades
// /health without dropping local service and recovers when Redis returns. Runs on Deno (serve_deno.ts) and on Node
// (the bundled serve_node.ts with ws), each pair against its own redis-server.
import assert from "node:assert/strict";
import PusherJsModule from "pusher-js";
import { Pusher } from "../mod.ts";
import { DEMO_CREDENTIALS } from "../src/hono/config.ts";
import { jwt, JWT_SECRET, waitFor, webhookReceiver } from "./_pusherjs_suite.ts";
import { findRedisServer, RedisProcess, ServerProcess } from "./_redis.ts";
import { bundle } from "./_runtime_helpers.ts";

const { appId: APP_ID, key: KEY, secret: SECRET } = DEMO_CREDENTIALS;
const ROOT = new URL("../", import.meta.url).pathname;
/** The stated bound: the default lease (5 s) plus one heartbeat period (5/3 s) = 6.7 s, plus slack for a busy CI. */
const GHOST_BOUND_MS = 9_000;

// deno-lint-ignore no-explicit-any
const PusherJs = PusherJsModule as any;
// deno-lint-ignore no-explicit-any
type Client = any;

function client(port: number, user: string): Client {
  const origin = `http://127.0.0.1:${port}`;
  const headers = { Authorization: `Bearer ${jwt({ sub: user, user_info: { name: `User ${user}` } })}` };
  return new PusherJs(KEY, {
    cluster: "mt1",
    wsHost: "127.0.0.1",
    wsPort: port,
    forceTLS: false,
    enabledTransports: ["ws"],
    disableStats: true,
    channelAuthorization: { endpoint: `${origin}/pusher/auth`, transport: "ajax", headers },
    userAuthentication: { endpoint: `${origin}/pusher/user-auth`, transport: "ajax", headers },
  });
}

function subscribed(c: Client, name: string): Promise<{ count?: number; members?: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const ch = c.subscribe(name);
    ch.bind("pusher:subscription_succeeded", resolve);
    ch.bind("pusher:subscription_error", reject);
  });
}

/** Every event `name` a client gets on a channel, in order. */
function collect(c: Client, channel: string, name: string): unknown[] {
  const got: unknown[] = [];
  c.channel(channel).bind(name, (data: unknown) => got.push(data));
  return got;
}

function rest(port: number): Pusher {
  return new Pusher({ appId: APP_ID, key: KEY, secret: SECRET, host: "127.0.0.1", port, useTLS: false });
}

async function health(port: number): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${port}/health`);
  return { status: res.status, body: await res.json() };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls an async condition (waitFor takes a synchronous one). */
async function until(what: string, fn: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await fn().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function clusterSuite(t: Deno.TestContext, command: () => Promise<[string, string[]]>) {
  const redis = new RedisProcess(findRedisServer()!);
  await redis.start();
  const webhooks = webhookReceiver();
  const [cmd, args] = await command();
  const env = {
    REDIS_URL: redis.url,
    PUSHER_AUTH_JWT_SECRET: JWT_SECRET,
    PUSHER_WEBHOOK_URLS: webhooks.url,
    PUSHER_WEBHOOK_DELAY_MS: "300",
  };
  const p1 = new ServerProcess(cmd, args, env);
  const p2 = new ServerProcess(cmd, args, env);
  const clients: Client[] = [];
  const make = (port: number, user: string) => {
    const c = client(port, user);
    clients.push(c);
    return c;
  };
  const step = async (name: string, fn: () => Promise<void>) => {
    if (!(await t.step(name, fn))) throw new Error(`step failed: ${name}`);
  };
  const named = (name: string, channel: string, user?: string) =>
    webhooks.events().filter((e) => e.name === name && e.channel === channel && (!user || e.user_id === user));
  try {
    await Promise.all([p1.start(), p2.start()]);
    const a = make(p1.port, "1");
    const b = make(p2.port, "2");
    await waitFor("both connected", () => a.connection.state === "connected" && b.connection.state === "connected");

    await step("presence is shared: ids, count, member_added across processes", async () => {
      await subscribed(a, "presence-lobby");
      const added = new Promise<{ id: string }>((r) => a.channel("presence-lobby").bind("pusher:member_added", r));
      const members = await subscribed(b, "presence-lobby");
      assert.equal(members.count, 2);
      assert.deepEqual(Object.keys(members.members!).sort(), ["1", "2"]);
      assert.deepEqual(members.members!["1"], { name: "User 1" });
      assert.equal((await added).id, "2");
      assert.equal(a.channel("presence-lobby").members.count, 2);
    });

    await step("trigger and batch on either process reach both, socket_id exclusion crosses", async () => {
      await Promise.all([subscribed(a, "news"), subscribed(b, "news")]);
      const atA = collect(a, "news", "story");
      const atB = collect(b, "news", "story");
      await rest(p1.port).trigger("news", "story", { n: 1 });
      await rest(p2.port).trigger("news", "story", { n: 2 });
      await rest(p1.port).trigger("news", "story", { n: 3 }, { socket_id: b.connection.socket_id });
      await rest(p2.port).triggerBatch([
        { channel: "news", name: "story", data: JSON.stringify({ n: 4 }) },
        { channel: "news", name: "story", data: JSON.stringify({ n: 5 }), socket_id: a.connection.socket_id },
      ]);
      await waitFor("deliveries", () => atA.length >= 4 && atB.length >= 4);
      await sleep(200);
      assert.deepEqual(atA, [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
      assert.deepEqual(atB, [{ n: 1 }, { n: 2 }, { n: 4 }, { n: 5 }]);
    });

    await step("client events cross processes with user_id; the sender gets nothing back", async () => {
      const atB = new Promise<[unknown, { user_id: string }]>((r) =>
        b.channel("presence-lobby").bind("client-typing", (d: unknown, m: { user_id: string }) => r([d, m]))
      );
      const echoed = collect(a, "presence-lobby", "client-typing");
      assert.ok(a.channel("presence-lobby").trigger("client-typing", { on: true }));
      const [data, meta] = await atB;
      assert.deepEqual(data, { on: true });
      assert.equal(meta.user_id, "1");
      await sleep(150);
      assert.deepEqual(echoed, []);
    });

    await step("GET /channels, /channels/{name} and /users answer the same on both", async () => {
      const ask = async (port: number) => {
        const r = rest(port);
        const channels = await (await r.get({ path: "/channels" })).json();
        const presence =
          await (await r.get({ path: "/channels", params: { filter_by_prefix: "presence-", info: "user_count" } }))
            .json();
        const lobby = await (await r.get({
          path: "/channels/presence-lobby",
          params: { info: "user_count,subscription_count" },
        })).json();
        const news = await (await r.get({ path: "/channels/news", params: { info: "subscription_count" } })).json();
        const users = await (await r.get({ path: "/channels/presence-lobby/users" })).json();
        users.users.sort((x: { id: string }, y: { id: string }) => x.id.localeCompare(y.id));
        return { channels, presence, lobby, news, users };
      };
      const [one, two] = await Promise.all([ask(p1.port), ask(p2.port)]);
      assert.deepEqual(one, two);
      assert.deepEqual(one.lobby, { occupied: true, user_count: 2, subscription_count: 2 });
      assert.deepEqual(one.news, { occupied: true, subscription_count: 2 });
      assert.deepEqual(one.users, { users: [{ id: "1" }, { id: "2" }] });
      // (presence-demo is the emulator's seeded example, the same in every process)
      assert.deepEqual(one.presence.channels["presence-lobby"], { user_count: 2 });
      assert.ok("news" in one.channels.channels && "presence-lobby" in one.channels.channels);
    });

    await step("sendToUser and terminate_connections reach the user's sockets on the other process", async () => {
      const b2 = make(p1.port, "2");
      for (const c of [b, b2]) c.signin();
      await waitFor(
        "signed in",
        () => b.user.serverToUserChannel?.subscribed && b2.user.serverToUserChannel?.subscribed,
      );
      const got = [b, b2].map((c) => new Promise((r) => c.user.bind("greeting", r)));
      await rest(p1.port).sendToUser("2", "greeting", { hi: 2 });
      assert.deepEqual(await Promise.all(got), [{ hi: 2 }, { hi: 2 }]);
      await rest(p1.port).terminateUserConnections("2");
      await waitFor(
        "b and b2 disconnected",
        () => b.connection.state === "disconnected" && b2.connection.state === "disconnected",
      );
      assert.equal(a.connection.state, "connected");
      await waitFor("member_removed for 2", () => a.channel("presence-lobby").members.count === 1);
    });

    await step("webhooks fire once per cluster event", async () => {
      await waitFor("member_removed webhook", () => named("member_removed", "presence-lobby", "2").length > 0);
      await sleep(700);
      assert.equal(named("channel_occupied", "presence-lobby").length, 1);
      assert.equal(named("channel_occupied", "news").length, 1);
      assert.equal(named("member_added", "presence-lobby", "1").length, 1);
      assert.equal(named("member_added", "presence-lobby", "2").length, 1);
      assert.equal(named("member_removed", "presence-lobby", "2").length, 1);
      assert.equal(named("client_event", "presence-lobby").length, 1);
      assert.equal(named("channel_vacated", "presence-lobby").length, 0);
    });

    await step("Redis lost: no crash, /health 503 degraded, local service goes on; back: it resyncs", async () => {
      const c = make(p2.port, "3");
      await subscribed(c, "presence-lobby");
      await waitFor("3 seen on p1", () => a.channel("presence-lobby").members.count === 2);
      await redis.stop();
      await until("degraded on both", async () => {
        const [h1, h2] = await Promise.all([health(p1.port), health(p2.port)]);
        return h1.status === 503 && h2.status === 503;
      });
      for (const port of [p1.port, p2.port]) {
        const h = await health(port);
        assert.equal(h.status, 503);
        assert.equal(h.body.redis, "degraded");
      }
      const local = collect(a, "news", "during-outage");
      await rest(p1.port).trigger("news", "during-outage", { ok: 1 });
      await waitFor("local delivery during the outage", () => local.length === 1);
      assert.equal(a.connection.state, "connected");
      assert.equal(c.connection.state, "connected");
      await redis.start();
      await until(
        "healthy again",
        async () => (await health(p1.port)).status === 200 && (await health(p2.port)).status === 200,
        15_000,
      );
      // The restarted Redis was empty: both processes re-registered their own sockets.
      const users = await (await rest(p1.port).get({ path: "/channels/presence-lobby/users" })).json();
      assert.deepEqual(users.users.map((u: { id: string }) => u.id).sort(), ["1", "3"]);
      const atA = collect(a, "news", "after-outage");
      const atC = collect(c, "presence-lobby", "after-outage");
      await rest(p2.port).trigger("news", "after-outage", { ok: 2 });
      await rest(p1.port).trigger("presence-lobby", "after-outage", { ok: 3 });
      await waitFor("cross-process delivery after recovery", () => atA.length === 1 && atC.length === 1);
    });

    await step(`a killed process leaves no ghost: member_removed and vacated within ${GHOST_BOUND_MS} ms`, async () => {
      const d = make(p2.port, "4");
      await subscribed(d, "presence-solo");
      await subscribed(d, "private-only-on-p2");
      await waitFor("4 seen on p1", () => a.channel("presence-lobby").members.count === 2);
      const removed = new Promise<{ id: string }>((r) => a.channel("presence-lobby").bind("pusher:member_removed", r));
      const killedAt = Date.now();
      await p2.kill("SIGKILL");
      assert.equal((await removed).id, "3");
      const elapsed = Date.now() - killedAt;
      assert.ok(elapsed < GHOST_BOUND_MS, `member_removed after ${elapsed} ms`);
      console.log(`  member_removed for the killed process's user after ${elapsed} ms`);
      await until("no ghost in REST", async () => {
        const users = await (await rest(p1.port).get({ path: "/channels/presence-lobby/users" })).json();
        return users.users.length === 1;
      });
      const channels = Object.keys((await (await rest(p1.port).get({ path: "/channels" })).json()).channels);
      assert.ok(!channels.includes("presence-solo") && !channels.includes("private-only-on-p2"), channels.join());
      await waitFor("vacated webhooks", () =>
        named("channel_vacated", "presence-solo").length === 1 &&
        named("channel_vacated", "private-only-on-p2").length === 1 &&
        named("member_removed", "presence-lobby", "3").length === 1, 5_000);
    });
  } finally {
    for (const c of clients) c.disconnect();
    await Promise.all([p1.kill(), p2.kill()]);
    await redis.stop();
    await webhooks.close();
  }
}

const REDIS = findRedisServer();
const inCI = Deno.env.get("CI") === "true";
if (!REDIS && !inCI) console.log("SKIP Redis cluster tests: no redis-server (bash scripts/ci_setup_redis.sh)");

Deno.test({
  name: "Redis cluster: two Deno processes (serve_deno.ts) act as one server to pusher-js",
  ignore: !REDIS && !inCI,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: (t) => clusterSuite(t, () => Promise.resolve([Deno.execPath(), ["run", "-A", `${ROOT}src/hono/serve_deno.ts`]])),
});

Deno.test({
  name: "Redis cluster: two Node processes (bundled serve_node.ts) act as one server to pusher-js",
  ignore: !REDIS && !inCI,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: (t) => clusterSuite(t, async () => ["node", [await bundle("src/hono/serve_node.ts", "deno")]]),
});

Deno.test({
  name: "Redis unreachable at start: one line on stderr and exit code 2",
  ignore: !REDIS && !inCI,
  async fn() {
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${ROOT}src/hono/serve_deno.ts`],
      env: { REDIS_URL: "redis://127.0.0.1:1", PORT: "0", NO_COLOR: "1" },
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.equal(code, 2);
    const lines = new TextDecoder().decode(stderr).trim().split("\n");
    assert.equal(lines.length, 1, lines.join("\n"));
    assert.match(lines[0], /^pusher-edge: Redis at redis:\/\/127\.0\.0\.1:1 is unreachable \(ECONNREFUSED\)$/);
  },
});

Deno.test("the Redis client stays out of the core, ./server and ./hono module graphs", async () => {
  for (const entry of ["mod.ts", "src/server/mod.ts", "src/hono/mod.ts"]) {
    const { code, stdout } = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", `${ROOT}${entry}`],
      cwd: ROOT,
      stdout: "piped",
      stderr: "null",
    }).output();
    assert.equal(code, 0);
    const { modules } = JSON.parse(new TextDecoder().decode(stdout)) as { modules: { specifier: string }[] };
    assert.ok(modules.length > 3);
    const redis = modules.filter((m) => /ioredis|\/src\/redis\/|_cluster\.ts/.test(m.specifier));
    assert.deepEqual(redis, [], `${entry} pulls in the Redis bus`);
  }
});
