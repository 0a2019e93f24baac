// Issue 11 §1: once a webhook's signature holds, every event in it reaches the application, through verifyWebhook,
// Pusher.webhook(), the Hono middleware and the CLI. Signatures come from node:crypto, shapes from soketi's webhooks
// and the Ruby SDK's own test ("should expose events").
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { Hono } from "hono";
import { Pusher, PusherError, verifyWebhook, WebhookBodyError } from "../mod.ts";
import { createApp, pusherWebhook } from "../src/hono/mod.ts";
import { encryption, encryptPayload } from "../src/encryption/mod.ts";
import { replayGuard } from "../src/hono/_replay.ts";
import { cli } from "./_cli_helpers.ts";

const creds = { key: "soketi-key", secret: "soketi-secret" };
const sign = (body: string | Uint8Array, secret = creds.secret) =>
  createHmac("sha256", secret).update(body).digest("hex");
const headers = (body: string) => ({
  "content-type": "application/json",
  "x-pusher-key": creds.key,
  "x-pusher-signature": sign(body),
});
const post = (body: string) => ({ method: "POST", headers: headers(body), body });

// What soketi sent with batching on: its client_event carries `data` as a JSON object.
const SOKETI_EVENTS = [
  { name: "channel_occupied", channel: "presence-room" },
  { name: "member_added", channel: "presence-room", user_id: "1" },
  { name: "client_event", channel: "presence-room", event: "client-typing", data: { typing: true }, socket_id: "1.2" },
  {
    name: "client_event",
    channel: "presence-room",
    event: "client-msg",
    data: "plain",
    socket_id: "1.2",
    user_id: "1",
  },
];
const SOKETI = JSON.stringify({ time_ms: Date.now(), events: SOKETI_EVENTS });
const RUBY = '{"time_ms":123456,"events":[{"name":"foo"}]}';

Deno.test("verifyWebhook() keeps a client_event whose data is an object, with the reason, and every other event", async () => {
  const out = await verifyWebhook({ credentials: creds, headers: headers(SOKETI), body: SOKETI });
  assert.deepEqual(out.allEvents, SOKETI_EVENTS);
  assert.deepEqual(out.events, [SOKETI_EVENTS[0], SOKETI_EVENTS[1], SOKETI_EVENTS[3]]);
  assert.deepEqual(out.irregularEvents, [{ event: SOKETI_EVENTS[2], reason: "client_event.data is not a string" }]);
  const ruby = await verifyWebhook({ credentials: creds, headers: headers(RUBY), body: RUBY });
  assert.deepEqual(ruby.allEvents, [{ name: "foo" }]);
  assert.deepEqual(ruby.unknownEvents, [{ name: "foo" }]);
  // An event with no name at all is kept too.
  const odd = '{"time_ms":1,"events":[{"channel":"a"},42]}';
  const kept = await verifyWebhook({ credentials: creds, headers: headers(odd), body: odd });
  assert.deepEqual(kept.allEvents, [{ channel: "a" }, 42]);
  assert.equal(kept.irregularEvents.length, 2);
});

Deno.test("verifyWebhook() refuses only a body that is not a webhook, and hands back the raw body", async () => {
  for (const body of ["not json", '{"time_ms":1,"events":{}}', "[1]"]) {
    const err = await verifyWebhook({ credentials: creds, headers: headers(body), body }).catch((e) => e);
    assert.ok(err instanceof WebhookBodyError, String(err));
    assert.equal(err.code, "ERR_WEBHOOK_BODY_INVALID");
    assert.equal(new TextDecoder().decode(err.body), body);
  }
});

Deno.test("Pusher.webhook(): isValid() is about the signature; getEvents() returns every event as sent", async () => {
  const pusher = new Pusher({ appId: "1", ...creds });
  const req = (body: string) => new Request("http://localhost/hook", post(body));
  const soketi = pusher.webhook(req(SOKETI));
  assert.equal(await soketi.isValid(), true);
  assert.deepEqual(await soketi.getEvents(), SOKETI_EVENTS);
  const ruby = pusher.webhook({ headers: headers(RUBY), rawBody: RUBY });
  assert.equal(await ruby.isValid(), true);
  assert.deepEqual(await ruby.getEvents(), [{ name: "foo" }]);
  assert.equal((await ruby.getTime()).getTime(), 123456);
  // Signed but not a webhook: valid signature, and the getters say why.
  const notJson = pusher.webhook({ headers: headers("nope"), rawBody: "nope" });
  assert.equal(await notJson.isValid(), true);
  await assert.rejects(notJson.getEvents(), WebhookBodyError);
  assert.equal(await pusher.webhook({ headers: headers(RUBY), rawBody: RUBY + " " }).isValid(), false);
});

Deno.test("Pusher.webhook(): one undecryptable encrypted client_event does not lose the others", async () => {
  const masterKey = "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=";
  const pusher = new Pusher({ appId: "1", ...creds, encryptionMasterKeyBase64: masterKey, encryption });
  const channel = "private-encrypted-room";
  const good = await encryptPayload(channel, { hi: 1 }, masterKey);
  const broken = JSON.stringify({ ...JSON.parse(good), ciphertext: btoa("x".repeat(40)) });
  const events = [
    { name: "channel_occupied", channel },
    { name: "client_event", channel, event: "client-a", data: good, socket_id: "1.1" },
    { name: "client_event", channel, event: "client-b", data: broken, socket_id: "1.1" },
  ];
  const body = JSON.stringify({ time_ms: 5, events });
  const webhook = pusher.webhook({ headers: headers(body), rawBody: body });
  assert.equal(await webhook.isValid(), true);
  assert.deepEqual(await webhook.getEvents(), [events[0], { ...events[1], data: '{"hi":1}' }, events[2]]);
  const verified = await webhook.verify();
  assert.deepEqual(verified.events, [events[0], { ...events[1], data: '{"hi":1}' }]);
  assert.deepEqual(verified.irregularEvents.map((i) => i.event), [events[2]]);
  assert.match(verified.irregularEvents[0].reason, /did not decrypt: ERR_DECRYPTION_FAILED/);
});

Deno.test("pusherWebhook middleware accepts soketi's batch and the Ruby body, and passes every event on", async () => {
  const app = new Hono();
  app.post("/hook", pusherWebhook({ credentials: creds }), (c) => {
    const w = c.get("pusherWebhook");
    return c.json({ all: w.allEvents, typed: w.events.length, irregular: w.irregularEvents.length });
  });
  const res = await app.request("/hook", post(SOKETI));
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { all: SOKETI_EVENTS, typed: 3, irregular: 1 });
  const ruby = await app.request("/hook", post(RUBY));
  assert.deepEqual((await ruby.json()).all, [{ name: "foo" }]);
  // The standalone app answers 200 for the same delivery.
  const standalone = createApp({ credentials: { appId: "1", ...creds } });
  assert.equal((await standalone.request("/pusher/webhook", post(SOKETI))).status, 200);
});

Deno.test("cli webhook verify accepts soketi's batch and lists every event", async () => {
  const args = ["--key", creds.key, "--secret", creds.secret, "--signature", sign(SOKETI)];
  const out = await cli(["webhook", "verify", "--body", "-", ...args, "--json"], { stdin: SOKETI });
  assert.equal(out.code, 0, out.stdout);
  assert.deepEqual(out.json().allEvents, SOKETI_EVENTS);
  const text = await cli(["webhook", "verify", "--body", "-", ...args], { stdin: SOKETI });
  assert.match(text.stdout, /4 event\(s\)/);
  assert.match(text.stdout, /kept as sent: client_event\.data is not a string/);
});

// A body that counts how much of it was pulled: the headers must be refused before any of it is.
function countingRequest(headers: Record<string, string>, bytes: number): { request: Request; pulled: () => number } {
  let pulled = 0;
  const chunk = new Uint8Array(64 * 1024);
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= bytes) return controller.close();
      pulled += chunk.length;
      controller.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
  return { request: new Request("http://localhost/hook", { method: "POST", headers, body }), pulled: () => pulled };
}

Deno.test("verifyWebhook(), Pusher.webhook() and the middleware check headers and size before reading a body", async () => {
  const big = 8 * 1024 * 1024;
  const ct = { "content-type": "application/json" };
  const noHeaders = countingRequest(ct, big);
  await assert.rejects(verifyWebhook({ credentials: creds, request: noHeaders.request }), PusherError);
  assert.equal(noHeaders.pulled(), 0);

  const pusher = new Pusher({ appId: "1", ...creds });
  const forged = countingRequest({ ...ct, "x-pusher-key": creds.key, "x-pusher-signature": "zz" }, big);
  assert.equal(await pusher.webhook(forged.request).isValid(), false);
  assert.equal(forged.pulled(), 0);

  // Well-formed headers but a body over the cap: refused after at most the cap (plus one chunk) was read.
  const huge = countingRequest({ ...ct, "x-pusher-key": creds.key, "x-pusher-signature": "0".repeat(64) }, big);
  const err = await verifyWebhook({ credentials: creds, request: huge.request, maxBodyBytes: 256 * 1024 })
    .catch((e) => e);
  assert.equal(err.code, "ERR_PAYLOAD_TOO_LARGE");
  assert.ok(huge.pulled() <= 256 * 1024 + 64 * 1024, `read ${huge.pulled()} bytes`);

  const app = new Hono();
  app.post("/hook", pusherWebhook({ credentials: creds }), (c) => c.text("ok"));
  const unsigned = countingRequest(ct, big);
  assert.equal((await app.request(unsigned.request)).status, 401);
  assert.equal(unsigned.pulled(), 0);
});

Deno.test("the app's replay guard forgets a delivery only when its time_ms leaves the window", async () => {
  const app = createApp({ credentials: { appId: "1", ...creds }, webhookMaxAgeMs: 300_000 });
  const delivery = (i: number) =>
    JSON.stringify({ time_ms: Date.now(), events: [{ name: "channel_occupied", channel: `c${i}` }] });
  const first = delivery(0);
  assert.equal((await app.request("/pusher/webhook", post(first))).status, 200);
  for (let i = 1; i <= 1100; i++) await app.request("/pusher/webhook", post(delivery(i)));
  const again = await app.request("/pusher/webhook", post(first));
  assert.deepEqual(await again.json(), { ok: true, duplicate: true });
});

Deno.test("the replay guard refuses new deliveries with 503 when its memory is full, and frees expired ones", async () => {
  const { isDuplicate } = replayGuard(1000, 3);
  const ctx = {} as Parameters<NonNullable<typeof isDuplicate>>[0];
  const hook = (id: string, timeMs: number) => isDuplicate!(ctx, { id, timeMs } as never);
  const now = Date.now();
  assert.equal(await hook("a", now - 5000), false); // already outside the window
  assert.equal(await hook("b", now), false);
  assert.equal(await hook("c", now), false);
  assert.equal(await hook("d", now), false); // "a" was freed to make room
  assert.equal(await hook("b", now), true);
  const err = await Promise.resolve().then(() => hook("e", now)).catch((e) => e);
  assert.equal(err.status, 503);
  assert.equal(await hook("c", now), true, "nothing live is forgotten");
});
