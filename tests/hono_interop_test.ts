// Interop over real HTTP: the official `pusher` package (5.3.4) and `pusher-http-edge` (0.4.0) pointed at the
// emulator (127.0.0.1, port, useTLS false). Every operation they support is accepted; the same requests, tampered by
// a proxy in between, are rejected with the production 401 text.
import assert from "node:assert/strict";
import OfficialPusher from "pusher";
import EdgePusher from "pusher-http-edge";
import { createApp } from "../src/hono/mod.ts";
import { md5Hex } from "../src/_md5.ts";

const APP_ID = "77";
const KEY = "interop-key";
const SECRET = "interop-secret";
const MASTER_KEY = "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=";

// deno-lint-ignore no-explicit-any
type Client = any;

/** Every REST operation both SDKs have, written against their shared call shapes. */
const OPERATIONS: [string, (p: Client) => Promise<unknown>][] = [
  ["trigger one channel", (p) => p.trigger("my-channel", "my-event", { msg: "héllo/<b>&" })],
  [
    "trigger several channels with socket_id and info",
    (p) => p.trigger(["a", "b"], "ev", "plain", { socket_id: "123.456", info: "subscription_count" }),
  ],
  ["trigger presence with user_count", (p) => p.trigger("presence-demo", "ev", [1, 2], { info: "user_count" })],
  ["trigger to 100 channels", (p) => p.trigger(Array.from({ length: 100 }, (_, i) => `c-${i}`), "e", { n: 1 })],
  [
    "triggerBatch with info",
    (p) =>
      p.triggerBatch([
        { channel: "a", name: "e1", data: { x: 1 } },
        { channel: "presence-demo", name: "e2", data: "s", info: "user_count" },
      ]),
  ],
  ["trigger an encrypted channel", (p) => p.trigger("private-encrypted-room", "secret", { plan: "world domination" })],
  ["sendToUser", (p) => p.sendToUser("user-1", "hello", { a: 1 })],
  ["terminateUserConnections", (p) => p.terminateUserConnections("user-1")],
  ["get channels", (p) => p.get({ path: "/channels", params: { filter_by_prefix: "presence-", info: "user_count" } })],
  ["get channel", (p) => p.get({ path: "/channels/demo", params: { info: "subscription_count" } })],
  ["get presence users", (p) => p.get({ path: "/channels/presence-demo/users" })],
];

interface Servers {
  emulatorOrigin: string;
  proxyPort: number;
  port: number;
  close(): Promise<void>;
}

/** The emulator, plus a proxy that tampers with every request it forwards. */
function startServers(): Servers {
  const app = createApp({
    credentials: { appId: APP_ID, key: KEY, secret: SECRET, encryptionMasterKey: MASTER_KEY },
    emulator: true,
    emulatorExposeSigned: true, // the log below shows decrypted payloads; off by default with real credentials
  });
  const ac = new AbortController();
  const emulator = Deno.serve({ hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen() {} }, app.fetch);
  const emulatorOrigin = `http://127.0.0.1:${emulator.addr.port}`;
  const proxy = Deno.serve({ hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen() {} }, async (req) => {
    const url = new URL(req.url);
    let body = req.method === "GET" ? undefined : await req.text();
    const query = new URLSearchParams(url.search);
    if (body) {
      // An attacker changes the body and fixes body_md5, but cannot re-sign.
      body = body.replace(/}$/, ',"tampered":true}');
      query.set("body_md5", md5Hex(body));
    } else {
      query.set("auth_timestamp", String(Number(query.get("auth_timestamp")) - 1));
    }
    const search = [...query].map(([k, v]) => `${k}=${v}`).join("&");
    return await fetch(`${emulatorOrigin}${url.pathname}?${search}`, {
      method: req.method,
      headers: req.headers,
      body,
    });
  });
  return {
    emulatorOrigin,
    port: emulator.addr.port,
    proxyPort: proxy.addr.port,
    async close() {
      ac.abort();
      await emulator.finished;
      await proxy.finished;
    },
  };
}

const CLIENTS: [string, (port: number) => Client][] = [
  [
    "pusher 5.3.4",
    (port) =>
      new OfficialPusher({
        appId: APP_ID,
        key: KEY,
        secret: SECRET,
        host: "127.0.0.1",
        port: String(port),
        useTLS: false,
        encryptionMasterKeyBase64: MASTER_KEY,
      }),
  ],
  [
    "pusher-http-edge 0.4.0",
    (port) =>
      new EdgePusher({
        appId: APP_ID,
        key: KEY,
        secret: SECRET,
        host: "127.0.0.1",
        port,
        useTLS: false,
        encryptionMasterKeyBase64: MASTER_KEY,
      }),
  ],
];

for (const [clientName, make] of CLIENTS) {
  Deno.test(`interop: ${clientName} against the emulator over HTTP`, async (t) => {
    const servers = startServers();
    try {
      const client = make(servers.port);
      const tampering = make(servers.proxyPort);
      for (const [name, op] of OPERATIONS) {
        await t.step(`${name}: accepted`, async () => {
          const res = await op(client);
          assert.equal((res as Response).status, 200);
          await (res as Response).text();
        });
        await t.step(`${name}: tampered copy rejected with the production text`, async () => {
          const err = await op(tampering).then(() => undefined, (e) => e);
          assert.ok(err, "the tampered request was accepted");
          assert.equal(err.status, 401, String(err));
          assert.match(
            err.body,
            /^Invalid signature: you should have sent HmacSHA256Hex\("(GET|POST)\\n\/apps\/77\/[^"]+", your_secret_key\), but you sent "[0-9a-f]{64}"$/,
          );
        });
      }
      const log = await (await fetch(`${servers.emulatorOrigin}/emulator/log`)).json();
      const entries = log.entries as { verdict: string; status: number; events?: Record<string, string>[] }[];
      assert.equal(entries.filter((e) => e.verdict === "accepted").length, OPERATIONS.length);
      assert.equal(entries.filter((e) => e.status === 401).length, OPERATIONS.length);
      const encrypted = entries.flatMap((e) => e.events ?? []).find((e) => e.channel === "private-encrypted-room")!;
      assert.equal(encrypted.decrypted, '{"plan":"world domination"}');
    } finally {
      await servers.close();
    }
  });
}
