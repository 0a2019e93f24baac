// The webhook sender against a real loopback endpoint: signed bodies the official `pusher` package accepts, retries
// with the same body after non-2xx answers and timeouts, bounded by attempts and by the retry window, and batching.
import assert from "node:assert/strict";
import OfficialPusher from "pusher";
import { createWebhookSender, type WebhookAttempt } from "../src/server/mod.ts";
import { verifyWebhook } from "../src/webhook.ts";

const KEY = "278d425bdf160c739803";
const SECRET = "7ad3773142a6692b25b8";

function endpoint(answer: (n: number) => number | "hang") {
  const bodies: { headers: Headers; body: string }[] = [];
  const ac = new AbortController();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen() {} }, async (req) => {
    bodies.push({ headers: req.headers, body: await req.text() });
    const a = answer(bodies.length);
    if (a === "hang") await new Promise((r) => setTimeout(r, 400));
    return new Response("", { status: a === "hang" ? 200 : a });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/hook`,
    bodies,
    close: async () => {
      ac.abort();
      await server.finished;
    },
  };
}

Deno.test("webhook sender: 500, 500, then 200 delivers the same signed body three times and stops", async () => {
  const ep = endpoint((n) => (n <= 2 ? 500 : 200));
  let clock = 1_700_000_000_000;
  const attempts: WebhookAttempt[] = [];
  const sender = createWebhookSender({
    key: KEY,
    secret: SECRET,
    urls: [ep.url],
    now: () => clock,
    onAttempt: (a) => attempts.push(a),
  });
  try {
    sender.enqueue({ name: "channel_occupied", channel: "my-channel" });
    for (let i = 0; i < 10; i++) {
      sender.tick(clock);
      await sender.idle();
      clock += 5000;
    }
    assert.equal(ep.bodies.length, 3);
    assert.equal(new Set(ep.bodies.map((b) => b.body)).size, 1, "same body, same time_ms on every retry");
    assert.deepEqual(JSON.parse(ep.bodies[0].body), {
      time_ms: 1_700_000_000_000,
      events: [{ name: "channel_occupied", channel: "my-channel" }],
    });
    const official = new OfficialPusher({ appId: "1", key: KEY, secret: SECRET, host: "127.0.0.1" });
    for (const b of ep.bodies) {
      assert.equal(b.headers.get("x-pusher-key"), KEY);
      assert.equal(b.headers.get("content-type"), "application/json");
      assert.ok(official.webhook({ headers: Object.fromEntries(b.headers), rawBody: b.body }).isValid());
      await verifyWebhook({ headers: b.headers, body: b.body, credentials: { key: KEY, secret: SECRET } });
    }
    assert.deepEqual(attempts.map((a) => [a.attempt, a.status, a.ok, a.willRetry]), [
      [1, 500, false, true],
      [2, 500, false, true],
      [3, 200, true, false],
    ]);
    assert.equal(sender.queued, 0);
  } finally {
    await ep.close();
  }
});

Deno.test("webhook sender: a timeout counts as a failure; retries stop at maxAttempts and at the window", async () => {
  const ep = endpoint(() => "hang");
  let clock = 0;
  const attempts: WebhookAttempt[] = [];
  const sender = createWebhookSender({
    key: KEY,
    secret: SECRET,
    urls: [ep.url],
    timeoutMs: 100,
    maxAttempts: 3,
    now: () => clock,
    onAttempt: (a) => attempts.push(a),
  });
  try {
    sender.enqueue({ name: "channel_vacated", channel: "c" });
    for (let i = 0; i < 8; i++) {
      sender.tick(clock);
      await sender.idle();
      clock += 10_000;
    }
    assert.equal(attempts.length, 3);
    assert.ok(attempts.every((a) => !a.ok && /no answer within 100 ms/.test(a.error!)));
    assert.equal(attempts.at(-1)!.willRetry, false);
  } finally {
    await new Promise((r) => setTimeout(r, 500));
    await ep.close();
  }
  const ep2 = endpoint(() => 503);
  clock = 0;
  const late: WebhookAttempt[] = [];
  const s2 = createWebhookSender({
    key: KEY,
    secret: SECRET,
    urls: [ep2.url],
    retryWindowMs: 5000,
    now: () => clock,
    onAttempt: (a) => late.push(a),
  });
  try {
    s2.enqueue({ name: "channel_vacated", channel: "c" });
    for (let i = 0; i < 20; i++) {
      s2.tick(clock);
      await s2.idle();
      clock += 1000;
    }
    assert.ok(late.length >= 2 && late.length <= 4, `attempts within a 5 s window: ${late.length}`);
    assert.equal(late.at(-1)!.willRetry, false);
  } finally {
    await ep2.close();
  }
});

Deno.test("webhook sender: batch puts every event due in one tick into one body", async () => {
  const ep = endpoint(() => 200);
  const sender = createWebhookSender({ key: KEY, secret: SECRET, urls: [ep.url], batch: true });
  try {
    sender.enqueue({ name: "member_added", channel: "presence-r", user_id: "1" });
    sender.enqueue({ name: "client_event", channel: "private-c", event: "client-x", data: "{}", socket_id: "1.2" });
    sender.tick();
    await sender.idle();
    assert.equal(ep.bodies.length, 1);
    assert.deepEqual(JSON.parse(ep.bodies[0].body).events.map((e: { name: string }) => e.name), [
      "member_added",
      "client_event",
    ]);
  } finally {
    await ep.close();
  }
});
