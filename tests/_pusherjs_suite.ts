// The pusher-js end-to-end suite, run against a live server on any runtime (tests/server_pusherjs_test.ts starts it on
// Deno, Node and Bun). Real parts only: pusher-js 8.6.0 (its Node build) connects over loopback, authorizes through
// the app's own /pusher/auth and /pusher/user-auth (bearer-JWT policy), events come from our Pusher client and from
// the official `pusher` package, and webhooks are checked with verifyWebhook, the Hono middleware and the official
// package's webhook().isValid().
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import PusherJsModule from "pusher-js";
import OfficialPusher from "pusher";
import { Pusher } from "../mod.ts";
import { encryption } from "../src/encryption/mod.ts";
import { verifyWebhook } from "../src/webhook.ts";
import { createApp } from "../src/hono/mod.ts";
import { DEMO_CREDENTIALS } from "../src/hono/config.ts";

export const JWT_SECRET = "e2e-jwt-secret-of-some-length";
const { appId: APP_ID, key: KEY, secret: SECRET, encryptionMasterKey: MASTER_KEY } = DEMO_CREDENTIALS;

function b64url(s: string | Uint8Array): string {
  const b = typeof s === "string" ? new TextEncoder().encode(s) : s;
  return btoa(String.fromCharCode(...b)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

/** HS256 JWT made with node:crypto, independent of the app's verifier. */
export function jwt(claims: Record<string, unknown>): string {
  const head = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = b64url(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 600, ...claims }));
  const sig = createHmac("sha256", JWT_SECRET).update(`${head}.${body}`).digest();
  return `${head}.${body}.${b64url(new Uint8Array(sig))}`;
}

export async function waitFor<T>(what: string, fn: () => T | undefined | false, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A loopback webhook endpoint that keeps every request's headers and raw body. */
export function webhookReceiver() {
  const received: { headers: Headers; body: string }[] = [];
  const ac = new AbortController();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen() {} }, async (req) => {
    received.push({ headers: req.headers, body: await req.text() });
    return new Response("ok");
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/hook`,
    received,
    events: () => received.flatMap((r) => JSON.parse(r.body).events as Record<string, unknown>[]),
    async close() {
      ac.abort();
      await server.finished;
    },
  };
}

// deno-lint-ignore no-explicit-any
type Client = any;
// The package's typings describe an ES module default; its Node build is CommonJS with the class as module.exports.
// deno-lint-ignore no-explicit-any
const PusherJs = PusherJsModule as any;

function client(port: number, origin: string, user: string, extra: Record<string, unknown> = {}): Client {
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
    ...extra,
  });
}

function subscribed(c: Client, name: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ch = c.subscribe(name);
    ch.bind("pusher:subscription_succeeded", resolve);
    ch.bind("pusher:subscription_error", reject);
  });
}

function next(c: Client, channel: string, event: string): Promise<{ data: unknown; meta: unknown }> {
  return new Promise((resolve) => {
    const ch = c.channel(channel);
    const fn = (data: unknown, meta: unknown) => {
      ch.unbind(event, fn);
      resolve({ data, meta });
    };
    ch.bind(event, fn);
  });
}

export interface SuiteTarget {
  port: number;
  webhooks: ReturnType<typeof webhookReceiver>;
  /** Stops the server and starts it again on the same port. */
  restart(): Promise<void>;
}

/** Runs every scenario as a step; returns their names. */
export async function pusherJsSuite(t: Deno.TestContext, target: SuiteTarget): Promise<string[]> {
  const { port, webhooks } = target;
  const origin = `http://127.0.0.1:${port}`;
  const ours = new Pusher({
    appId: APP_ID,
    key: KEY,
    secret: SECRET,
    host: "127.0.0.1",
    port,
    useTLS: false,
    encryptionMasterKeyBase64: MASTER_KEY,
    encryption,
  });
  const official = new OfficialPusher({
    appId: APP_ID,
    key: KEY,
    secret: SECRET,
    host: "127.0.0.1",
    port: String(port),
    useTLS: false,
    encryptionMasterKeyBase64: MASTER_KEY,
  });
  const ran: string[] = [];
  const clients: Client[] = [];
  const make = (user: string, extra?: Record<string, unknown>) => {
    const c = client(port, origin, user, extra);
    clients.push(c);
    return c;
  };
  const step = async (name: string, fn: () => Promise<void>) => {
    if (await t.step(name, fn)) ran.push(name);
    else throw new Error(`step failed: ${name}`);
  };
  const a = make("1");
  const b = make("2");
  try {
    await step("connects and gets a socket id", async () => {
      await waitFor("both connected", () => a.connection.state === "connected" && b.connection.state === "connected");
      assert.match(a.connection.socket_id, /^\d+\.\d+$/);
    });

    await step("public channel: events from our client and from the official package", async () => {
      await Promise.all([subscribed(a, "news"), subscribed(b, "news")]);
      const got = next(a, "news", "story");
      await ours.trigger("news", "story", { from: "ours" });
      assert.deepEqual((await got).data, { from: "ours" });
      const got2 = next(a, "news", "story");
      await official.trigger("news", "story", { from: "official" });
      assert.deepEqual((await got2).data, { from: "official" });
    });

    await step("socket_id exclusion and live REST counts", async () => {
      const atB = next(b, "news", "only-b");
      let aGot = false;
      a.channel("news").bind("only-b", () => (aGot = true));
      await ours.trigger("news", "only-b", { x: 1 }, { socket_id: a.connection.socket_id });
      await atB;
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(aGot, false);
      const info = await ours.channel("news", { info: ["subscription_count"] });
      assert.equal(info.occupied, true);
      assert.equal(info.subscription_count, 2);
    });

    await step("private channel through /pusher/auth", async () => {
      await subscribed(a, "private-room");
      const got = next(a, "private-room", "secret");
      await official.trigger("private-room", "secret", "plain text");
      assert.equal((await got).data, "plain text");
    });

    await step("encrypted channel: pusher-js decrypts what both server libraries encrypted", async () => {
      await subscribed(a, "private-encrypted-vault");
      const got = next(a, "private-encrypted-vault", "sealed");
      await ours.trigger("private-encrypted-vault", "sealed", { n: 42 });
      assert.deepEqual((await got).data, { n: 42 });
      const got2 = next(a, "private-encrypted-vault", "sealed");
      await official.trigger("private-encrypted-vault", "sealed", { n: 43 });
      assert.deepEqual((await got2).data, { n: 43 });
    });

    await step("presence: members, member_added, member_removed, REST users", async () => {
      await subscribed(a, "presence-lobby");
      const added = new Promise<{ id: string }>((r) => a.channel("presence-lobby").bind("pusher:member_added", r));
      const members = await subscribed(b, "presence-lobby") as { count: number; me: { id: string } };
      assert.equal(members.count, 2);
      assert.equal(members.me.id, "2");
      assert.equal((await added).id, "2");
      assert.deepEqual((await ours.users("presence-lobby")).users.map((u: { id: string }) => u.id).sort(), ["1", "2"]);
      const c = make("2");
      await subscribed(c, "presence-lobby");
      assert.equal(a.channel("presence-lobby").members.count, 2);
      const removed = new Promise<{ id: string }>((r) => a.channel("presence-lobby").bind("pusher:member_removed", r));
      c.disconnect();
      b.unsubscribe("presence-lobby");
      assert.equal((await removed).id, "2");
    });

    await step("client events on presence carry user_id; the sender gets nothing back", async () => {
      await subscribed(b, "presence-lobby");
      const got = next(b, "presence-lobby", "client-typing");
      let echoed = false;
      a.channel("presence-lobby").bind("client-typing", () => (echoed = true));
      assert.ok(a.channel("presence-lobby").trigger("client-typing", { on: true }));
      const { data, meta } = await got;
      assert.deepEqual(data, { on: true });
      assert.equal((meta as { user_id: string }).user_id, "1");
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(echoed, false);
    });

    const a2 = make("1");
    await step("signin and sendToUser reach every socket of the user", async () => {
      const got = [a, a2].map((c) => new Promise((r) => c.user.bind("greeting", r)));
      a.signin();
      a2.signin();
      await waitFor("signed in", () => a.user.user_data?.id === "1" && a2.user.user_data?.id === "1");
      await waitFor(
        "user channel",
        () => a.user.serverToUserChannel?.subscribed && a2.user.serverToUserChannel?.subscribed,
      );
      await ours.sendToUser("1", "greeting", { hi: 1 });
      assert.deepEqual(await Promise.all(got), [{ hi: 1 }, { hi: 1 }]);
    });

    await step("terminate closes the user's sockets and leaves others", async () => {
      await ours.terminateUserConnections("1");
      await waitFor(
        "a and a2 disconnected",
        () => a.connection.state === "disconnected" && a2.connection.state === "disconnected",
      );
      assert.equal(b.connection.state, "connected");
    });

    await step("webhooks arrive signed, and pass all three verifiers", async () => {
      const hono = createApp({ credentials: { appId: APP_ID, key: KEY, secret: SECRET } });
      const names = () => new Set(webhooks.events().map((e) => e.name));
      await waitFor(
        "webhook kinds",
        () =>
          [
            "channel_occupied",
            "member_added",
            "member_removed",
            "client_event",
            "channel_vacated",
            "subscription_count",
          ].every((n) => names().has(n)),
        15_000,
      );
      const officialWebhook = new OfficialPusher({ appId: APP_ID, key: KEY, secret: SECRET, host: "127.0.0.1" });
      for (const r of webhooks.received) {
        const headers = Object.fromEntries(r.headers);
        await verifyWebhook({ headers: r.headers, body: r.body, credentials: { key: KEY, secret: SECRET } });
        assert.ok(officialWebhook.webhook({ headers, rawBody: r.body }).isValid(), "official webhook().isValid()");
        const res = await hono.request("/pusher/webhook", { method: "POST", headers: r.headers, body: r.body });
        assert.equal(res.status, 200, await res.text());
      }
      const ce = webhooks.events().find((e) => e.name === "client_event")!;
      assert.equal(ce.user_id, "1");
      assert.equal(ce.data, '{"on":true}');
    });

    await step("a 4200 close from the server makes pusher-js reconnect at once; 4009 keeps it away", async () => {
      const before = b.connection.socket_id;
      const res = await fetch(`${origin}/emulator/connections/${before}/close`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ code: 4200, reason: "Please reconnect immediately" }),
      });
      assert.equal(res.status, 200, await res.text());
      await waitFor("reconnected", () => b.connection.state === "connected" && b.connection.socket_id !== before, 3000);
      const c = make("3");
      await waitFor("c connected", () => c.connection.state === "connected");
      await (await fetch(`${origin}/emulator/connections/${c.connection.socket_id}/close`, {
        method: "POST",
        body: JSON.stringify({ code: 4009, reason: "Unauthorized" }),
      })).body?.cancel();
      await waitFor("c disconnected", () => c.connection.state === "disconnected");
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(c.connection.state, "disconnected");
    });

    await step("reconnects after a server restart", async () => {
      const before = b.connection.socket_id;
      await target.restart();
      await waitFor(
        "reconnected with a new socket id",
        () => b.connection.state === "connected" && b.connection.socket_id !== before,
        30_000,
      );
      await waitFor("resubscribed", () => b.channel("news")?.subscribed);
      const got = next(b, "news", "after-restart");
      await ours.trigger("news", "after-restart", { ok: true });
      assert.deepEqual((await got).data, { ok: true });
    });
  } finally {
    for (const c of clients) c.disconnect();
  }
  return ran;
}
