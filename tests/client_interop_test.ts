// Over real HTTP on loopback: every client operation is accepted by a server that verifies with the core's
// verifyRequest, tampered copies are rejected, and for the same calls at the same timestamp our requests are
// byte-identical (method, path, body, query) to the official `pusher` package's.
import assert from "node:assert/strict";
import OfficialPusher from "pusher";
import nacl from "tweetnacl";
import { Pusher } from "../mod.ts";
import { encryption } from "../src/encryption/mod.ts";
import { APP_ID, type Captured, KEY, type Loopback, SECRET, startLoopback } from "./_loopback.ts";

const MASTER_KEY = "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=";
const NOW_MS = 1_700_000_000_123;

// deno-lint-ignore no-explicit-any
type Official = any;

/** The operations both libraries have, written once for each. */
const OPERATIONS: [string, (ours: Pusher) => Promise<unknown>, (theirs: Official) => Promise<unknown>][] = [
  [
    "trigger one channel, object data",
    (p) => p.trigger("my-channel", "my-event", { msg: "héllo/<b>&" }),
    (p) => p.trigger("my-channel", "my-event", { msg: "héllo/<b>&" }),
  ],
  [
    "trigger with socket_id and info, string data",
    (p) => p.trigger(["a", "b"], "ev", "plain string", { socket_id: "123.456", info: "subscription_count" }),
    (p) => p.trigger(["a", "b"], "ev", "plain string", { socket_id: "123.456", info: "subscription_count" }),
  ],
  [
    "trigger with info before socket_id keeps the caller's order",
    (p) => p.trigger("presence-x", "ev", [1, 2], { info: "user_count", socket_id: "1.2" }),
    (p) => p.trigger("presence-x", "ev", [1, 2], { info: "user_count", socket_id: "1.2" }),
  ],
  [
    "trigger to 100 channels",
    (p) => p.trigger(Array.from({ length: 100 }, (_, i) => `c-${i}`), "e", { n: 1 }),
    (p) => p.trigger(Array.from({ length: 100 }, (_, i) => `c-${i}`), "e", { n: 1 }),
  ],
  [
    "triggerBatch, caller's key order",
    (p) =>
      p.triggerBatch([
        { channel: "c1", name: "e1", data: "x" },
        { name: "e2", channel: "presence-c2", data: { n: 1 }, socket_id: "1.2", info: "user_count" },
      ]),
    (p) =>
      p.triggerBatch([
        { channel: "c1", name: "e1", data: "x" },
        { name: "e2", channel: "presence-c2", data: { n: 1 }, socket_id: "1.2", info: "user_count" },
      ]),
  ],
  [
    "sendToUser",
    (p) => p.sendToUser("user-1", "greet", { hi: 1 }),
    (p) => p.sendToUser("user-1", "greet", { hi: 1 }),
  ],
  [
    "terminateUserConnections",
    (p) => p.terminateUserConnections("user-1"),
    (p) => p.terminateUserConnections("user-1"),
  ],
  [
    "get /channels with params",
    (p) => p.get({ path: "/channels", params: { filter_by_prefix: "presence-", info: "user_count" } }),
    (p) => p.get({ path: "/channels", params: { filter_by_prefix: "presence-", info: "user_count" } }),
  ],
  [
    "channels() helper = get /channels",
    (p) => p.channels({ prefix: "presence-", info: "user_count" }),
    (p) => p.get({ path: "/channels", params: { filter_by_prefix: "presence-", info: "user_count" } }),
  ],
  [
    "channel() helper with a comma list",
    (p) => p.channel("presence-foobar", { info: ["user_count", "subscription_count"] }),
    (p) => p.get({ path: "/channels/presence-foobar", params: { info: "user_count,subscription_count" } }),
  ],
  [
    "users() helper",
    (p) => p.users("presence-foobar"),
    (p) => p.get({ path: "/channels/presence-foobar/users" }),
  ],
  [
    "post with an object body",
    (p) => p.post({ path: "/events", body: { name: "e", data: "d", channels: ["c"] } }),
    (p) => p.post({ path: "/events", body: { name: "e", data: "d", channels: ["c"] } }),
  ],
  [
    "encrypted trigger (nonce fixed in both)",
    (p) => p.trigger("private-encrypted-bla", "secret-ev", { msg: "hi" }),
    (p) => p.trigger("private-encrypted-bla", "secret-ev", { msg: "hi" }),
  ],
  [
    "encrypted batch item (nonce fixed in both)",
    (p) =>
      p.triggerBatch([{ channel: "private-encrypted-a", name: "e", data: "Hello!" }, {
        channel: "b",
        name: "e",
        data: 1,
      }]),
    (p) =>
      p.triggerBatch([{ channel: "private-encrypted-a", name: "e", data: "Hello!" }, {
        channel: "b",
        name: "e",
        data: 1,
      }]),
  ],
];

function fixedNonce(x: Uint8Array, n: number) {
  for (let i = 0; i < n; i++) x[i] = i;
}

/** Runs `fn` with Date.now and both libraries' nonce sources pinned. */
async function pinned<T>(fn: () => Promise<T>): Promise<T> {
  const realNow = Date.now;
  const realRandom = crypto.getRandomValues;
  Date.now = () => NOW_MS;
  nacl.setPRNG(fixedNonce);
  crypto.getRandomValues = (<A extends ArrayBufferView | null>(a: A): A => {
    if (a instanceof Uint8Array) fixedNonce(a, a.length);
    return a;
  }) as typeof crypto.getRandomValues;
  try {
    return await fn();
  } finally {
    Date.now = realNow;
    crypto.getRandomValues = realRandom;
  }
}

function clients(server: Loopback) {
  const ours = new Pusher({
    appId: APP_ID,
    key: KEY,
    secret: SECRET,
    host: "127.0.0.1",
    port: server.port,
    useTLS: false,
    encryptionMasterKeyBase64: MASTER_KEY,
    encryption,
  });
  const theirs = new OfficialPusher({
    appId: APP_ID,
    key: KEY,
    secret: SECRET,
    host: "127.0.0.1",
    port: String(server.port),
    useTLS: false,
    encryptionMasterKeyBase64: MASTER_KEY,
  });
  return { ours, theirs };
}

const wire = (c: Captured) => ({ method: c.method, path: c.path, query: c.query, body: c.body });

Deno.test("Pusher requests are byte-identical to the official package's for every shared operation", async () => {
  const server = startLoopback();
  try {
    const { ours, theirs } = clients(server);
    for (const [name, mine, official] of OPERATIONS) {
      const before = server.requests.length;
      await pinned(() => mine(ours));
      await pinned(() => official(theirs));
      const [a, b] = server.requests.slice(before);
      assert.ok(a && b, `${name}: both requests arrived`);
      assert.deepEqual(wire(a), wire(b), name);
      assert.equal(a.verified, true, `${name}: ours verified`);
      assert.equal(b.verified, true, `${name}: official verified`);
      assert.equal(a.headers.get("content-type"), b.headers.get("content-type"), `${name}: content-type`);
    }
    assert.equal(server.requests.length, OPERATIONS.length * 2);
  } finally {
    await server.close();
  }
});

Deno.test("Pusher operations are accepted by the verifying server and tampered copies are rejected", async () => {
  const server = startLoopback();
  try {
    const { ours } = clients(server);
    for (const [, mine] of OPERATIONS) await mine(ours);
    await ours.triggerBatch(Array.from({ length: 12 }, (_, i) => ({ channel: `c${i}`, name: "e", data: i })), {
      split: true,
    });
    const originals = [...server.requests];
    assert.equal(originals.length, OPERATIONS.length + 2);
    for (const req of originals) {
      assert.equal(req.verified, true, `${req.method} ${req.path}`);
      assert.match(req.headers.get("x-pusher-library") ?? "", /^pusher-edge \d+\.\d+\.\d+/);
    }
    const tampered: { why: string; method: string; path: string; query: string; body?: string }[] = [];
    for (const r of originals) {
      const body = r.method === "POST" ? r.body : undefined;
      tampered.push({ why: "path", method: r.method, path: r.path + "x", query: r.query, body });
      tampered.push({
        why: "method",
        method: r.method === "GET" ? "DELETE" : "PUT",
        path: r.path,
        query: r.query,
        body,
      });
      tampered.push({
        why: "timestamp",
        ...r,
        query: r.query.replace(/auth_timestamp=(\d+)/, (_, t) => `auth_timestamp=${+t + 1}`),
        body,
      });
      tampered.push({ why: "no signature", ...r, query: r.query.replace(/&auth_signature=.*$/, ""), body });
      tampered.push({ why: "extra param", ...r, query: "zz=1&" + r.query, body });
      if (body) {
        tampered.push({ why: "body byte", ...r, body: body.replace(/.$/, (c) => (c === "}" ? " " : "}")) });
        tampered.push({ why: "body and md5", ...r, body: body + " " });
      }
    }
    for (const t of tampered) {
      const res = await fetch(`${server.origin}${t.path}?${t.query}`, { method: t.method, body: t.body });
      await res.body?.cancel();
      assert.equal(res.status, 401, `tampered ${t.why}: ${t.method} ${t.path}`);
    }
    const rejected = server.requests.slice(originals.length);
    assert.equal(rejected.length, tampered.length);
    assert.ok(rejected.every((r) => r.verified !== true));
  } finally {
    await server.close();
  }
});
