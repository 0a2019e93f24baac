/**
 * §13 scenarios 29–37: client events and cache channels.
 *
 * @module
 */
import { decoded, ev, type Sock } from "./_ws_client.ts";
import { describe, type Env } from "./_ws_env.ts";
import { errorData, type Scenario } from "./_ws_scenario.ts";
import { hookEv } from "./_ws_webhooks.ts";

/** Two sockets A and B that joined `channel` (presence: as users 1 and 2). */
async function pair(env: Env, channel: string): Promise<{ a: Sock; b: Sock; aId: string }> {
  const a = await env.connect();
  const b = await env.connect();
  const presence = channel.startsWith("presence-");
  await env.join(a.sock, a.socketId, channel, presence ? { user_id: env.user("1") } : undefined);
  await env.join(b.sock, b.socketId, channel, presence ? { user_id: env.user("2") } : undefined);
  return { a: a.sock, b: b.sock, aId: a.socketId };
}

/** Sends a client event from `a` and returns what B got and the errors A got within the windows. */
async function clientEvent(env: Env, a: Sock, b: Sock, channel: string, data: unknown, name = "client-x") {
  const [fromA, fromB] = [a.frames.length, b.frames.length];
  a.send({ event: name, channel, data });
  const got = await b.wait(ev(name, channel), env.t.quietMs, fromB);
  await a.wait(ev("pusher:error"), got ? 0 : env.t.quietMs - 1, fromA);
  return { got, errors: a.all(ev("pusher:error"), fromA), echoed: a.all(ev(name), fromA).length > 0 };
}

/** The refused-client-event tail: not delivered, with a pusher:error (a silent drop is a known deviation). */
function refusedEvent(env: Env, r: Awaited<ReturnType<typeof clientEvent>>, what: string, silent: string): string {
  if (r.got) return env.differs(`${what}: delivered to the other subscriber (${silent})`);
  if (!r.errors.length) return env.differs(`${what}: dropped silently, no pusher:error (${silent})`);
  const d = errorData(r.errors[0]);
  return `pusher:error ${JSON.stringify(d.code)} ${String(d.message ?? "").slice(0, 80)}`;
}

/** Scenarios 29–37. */
export const CLIENT_EVENTS: Scenario[] = [
  {
    id: 29,
    title: "client event on private: to the others, not the sender, no user_id",
    ref: "§7",
    settled: true,
    async run(env) {
      const ch = env.channel("private-");
      const { a, b, aId } = await pair(env, ch);
      const from = env.t.webhooks?.hooks.length ?? 0;
      const r = await clientEvent(env, a, b, ch, { a: 1 });
      if (!r.got) return env.fail(`not delivered${r.errors.length ? `: ${describe(r.errors[0])}` : ""}`);
      env.check(JSON.stringify(decoded(r.got)) === '{"a":1}', `data ${describe(r.got)}`);
      env.check(r.got.json?.user_id === undefined, `user_id on a private channel: ${r.got.raw}`);
      env.check(!r.echoed, "the sender got its own event back");
      if (!env.t.webhooks) return "(client_event webhook not checked: no --webhooks)";
      const hook = await env.t.webhooks.wait(hookEv("client_event", ch), env.t.waitMs, from);
      if (!hook) return env.fail("no client_event webhook");
      env.check(!hook.hook.error, `the client_event webhook did not verify: ${hook.hook.error}`);
      const e = hook.event;
      env.check(e.event === "client-x" && e.socket_id === aId, `client_event webhook ${JSON.stringify(e)}`);
      if (typeof e.data !== "string") {
        env.deviate(`client_event webhook data is ${JSON.stringify(e.data)}, not a string (soketi)`);
      } else env.check(e.data === '{"a":1}', `client_event webhook data ${e.data}`);
    },
  },
  {
    id: 30,
    title: "client event on presence carries the sender's user_id",
    ref: "§7",
    settled: true,
    async run(env) {
      const ch = env.channel("presence-");
      const { a, b } = await pair(env, ch);
      const r = await clientEvent(env, a, b, ch, { a: 1 });
      if (!r.got) return env.fail(`not delivered${r.errors.length ? `: ${describe(r.errors[0])}` : ""}`);
      env.check(r.got.json?.user_id === env.user("1"), `user_id ${JSON.stringify(r.got.json?.user_id)}`);
    },
  },
  {
    id: 31,
    title: "client events disabled: pusher:error, nothing delivered",
    ref: "§7",
    settled: true,
    async run(env) {
      const app = env.t.noClientEvents ?? env.skip("needs --no-client-events-app: an app with client events off");
      const other = env.forApp(app);
      const ch = other.channel("private-");
      const { a, b } = await pair(other, ch);
      const r = await clientEvent(other, a, b, ch, { a: 1 });
      if (r.got) return env.fail("delivered although client events are off");
      env.check(r.errors.length, "dropped without a pusher:error");
      const d = errorData(r.errors[0]);
      return `pusher:error ${JSON.stringify(d.code)} ${String(d.message ?? "").slice(0, 80)}`;
    },
  },
  {
    id: 32,
    title: "client event on a public channel is refused",
    ref: "§7",
    settled: true,
    async run(env) {
      const ch = env.channel();
      const { a, b } = await pair(env, ch);
      return refusedEvent(env, await clientEvent(env, a, b, ch, { a: 1 }), "public channel", "soketi delivers");
    },
  },
  {
    id: 33,
    title: "client event to a channel the sender has not joined is refused",
    ref: "§7",
    settled: true,
    async run(env) {
      const ch = env.channel("private-");
      const a = await env.connect();
      const b = await env.connect();
      await env.join(b.sock, b.socketId, ch);
      const r = await clientEvent(env, a.sock, b.sock, ch, { a: 1 });
      if (r.got) return env.fail("delivered from a socket that is not subscribed");
      return refusedEvent(env, r, "not subscribed", "soketi drops silently");
    },
  },
  {
    id: 34,
    title: "client events: at most 10 a second, 4301 for the rest, socket stays open",
    ref: "§7",
    settled: true,
    async run(env) {
      const ch = env.channel("private-");
      const { a, b } = await pair(env, ch);
      const [fromA, fromB] = [a.frames.length, b.frames.length];
      for (let i = 0; i < 25; i++) a.send({ event: "client-rate", channel: ch, data: { i } });
      await env.sleep(Math.max(1200, env.t.quietMs));
      const delivered = b.all(ev("client-rate", ch), fromB).length;
      const rejected = a.all((f) => f.event === "pusher:error" && errorData(f).code === 4301, fromA).length;
      env.check(!a.closed, `the sender was disconnected: ${a.closed?.code}`);
      if (delivered === 25 && rejected === 0) {
        env.differs("all 25 delivered, no rate limit (soketi default: unlimited)");
      }
      env.check(delivered <= 10, `${delivered} of 25 delivered in about 1 s`);
      env.check(rejected >= 25 - delivered, `${rejected} pusher:error 4301 for ${25 - delivered} refused events`);
      return `${delivered} delivered, ${rejected} × 4301`;
    },
  },
  {
    id: 35,
    title: "client event data over 10 KB is refused",
    ref: "§5.2",
    settled: true,
    async run(env) {
      const ch = env.channel("private-");
      const { a, b } = await pair(env, ch);
      const r = await clientEvent(env, a, b, ch, "x".repeat(11 * 1024));
      if (r.got) return env.differs("an 11 KiB client event was delivered (soketi's limit is 100 KB)");
      return refusedEvent(env, r, "11 KiB data", "no error");
    },
  },
  {
    id: 36,
    title: "cache channel: the last event replayed after subscription_succeeded; GET info=cache",
    ref: "§6.2",
    settled: true,
    async run(env) {
      const ch = env.channel("cache-");
      const data = '{"cached":true}';
      await env.trigger([ch], "snap", data);
      const { sock } = await env.connect();
      await env.join(sock, "", ch);
      const ok = sock.frames.findIndex(ev("pusher_internal:subscription_succeeded", ch));
      const f = await sock.wait(ev("snap", ch), env.t.waitMs, ok);
      if (!f) return env.fail(`no cached event after subscribing (${describe(sock.frames.at(-1))})`);
      env.check(f.data === data, `cached data ${JSON.stringify(f.data)}, sent ${JSON.stringify(data)}`);
      const r = await env.rest("GET", `/channels/${ch}`, { params: { info: "cache" } });
      const body = r.json as { occupied?: unknown; cache?: { data?: unknown; ttl?: unknown } } | undefined;
      env.check(r.status === 200 && body?.occupied === true, `GET /channels/${ch}?info=cache: ${r.status} ${r.text}`);
      if (!body?.cache) {
        return env.differs(`GET ?info=cache has no cache field: ${r.text.slice(0, 100)} (soketi ignores info)`);
      }
      const ttl = Number(body.cache.ttl);
      env.check(body.cache.data === data && ttl > 0, `cache ${JSON.stringify(body.cache)}`);
      if (ttl > 1800) return env.differs(`cache ttl ${ttl} s, over Pusher's 30 minutes (soketi: 3600 s)`);
    },
  },
  {
    id: 37,
    title: "cache miss: succeeded then pusher:cache_miss; client events not cached",
    ref: "§6.2",
    settled: true,
    async run(env) {
      const ch = env.channel("cache-");
      const from = env.t.webhooks?.hooks.length ?? 0;
      const socks = await Promise.all([env.connect(), env.connect(), env.connect()]);
      await Promise.all(socks.map((s) => env.join(s.sock, "", ch)));
      for (const { sock } of socks) {
        const ok = sock.frames.findIndex(ev("pusher_internal:subscription_succeeded", ch));
        const miss = await sock.wait(ev("pusher:cache_miss", ch), env.t.waitMs, ok);
        env.check(miss, `no pusher:cache_miss after subscription_succeeded: ${describe(sock.frames.at(-1))}`);
      }
      const pc = env.channel("private-cache-");
      const { a, b } = await pair(env, pc);
      a.send({ event: "client-c", channel: pc, data: { c: 1 } });
      await b.wait(ev("client-c", pc), env.t.waitMs);
      const late = await env.connect();
      await env.join(late.sock, late.socketId, pc);
      await env.sleep();
      env.check(!late.sock.all(ev("client-c", pc)).length, "a client event was replayed from the cache");
      if (!env.t.webhooks) return "(cache_miss webhook not checked: no --webhooks)";
      const misses = env.t.webhooks.events(hookEv("cache_miss", ch), from);
      env.check(misses.length === 1, `${misses.length} cache_miss webhooks for 3 subscribers, expected exactly 1`);
      env.check(!misses[0].hook.error, `the cache_miss webhook did not verify: ${misses[0].hook.error}`);
    },
  },
];
