// The webhook middleware through app.request(): typed events, rejections, key rotation, de-duplication.
import assert from "node:assert/strict";
import { Hono } from "hono";
import { pusherWebhook } from "../src/hono/mod.ts";
import { signerFor } from "../src/_hmac.ts";
import { body, JSON_CT, KEY, SECRET } from "./_hono_fixtures.ts";

async function signedWebhook(secret: string, payload: string, key = KEY): Promise<RequestInit> {
  return {
    method: "POST",
    headers: { ...JSON_CT, "x-pusher-key": key, "x-pusher-signature": await signerFor(secret).signHex(payload) },
    body: payload,
  };
}

function webhookApp(extra: Partial<Parameters<typeof pusherWebhook>[0]> = {}) {
  const handled: unknown[] = [];
  const app = new Hono();
  app.post("/hook", pusherWebhook({ credentials: { key: KEY, secret: SECRET }, ...extra }), (c) => {
    const webhook = c.get("pusherWebhook");
    handled.push(webhook);
    const names: string[] = webhook.events.map((e) => e.name);
    return c.json({ names, key: webhook.key });
  });
  return { app, handled };
}

Deno.test("webhook: a valid webhook reaches the handler with typed events", async () => {
  const { app } = webhookApp();
  const payload = JSON.stringify({
    time_ms: Date.now(),
    events: [{ name: "channel_occupied", channel: "a" }, { name: "member_added", channel: "presence-a", user_id: "1" }],
  });
  const res = await app.request("/hook", await signedWebhook(SECRET, payload));
  assert.equal(res.status, 200);
  assert.deepEqual(await body(res), { names: ["channel_occupied", "member_added"], key: KEY });
});

Deno.test("webhook: rejections are 401/400/415/413 JSON and the handler never runs", async () => {
  const { app, handled } = webhookApp({ maxAgeMs: 60_000, maxBodyBytes: 4096 });
  const good = JSON.stringify({ time_ms: Date.now(), events: [] });
  const cases: [RequestInit, number][] = [
    [await signedWebhook("wrong-secret", good), 401],
    [await signedWebhook(SECRET, good, "other-key"), 401],
    [{ method: "POST", headers: JSON_CT, body: good }, 401],
    [await signedWebhook(SECRET, JSON.stringify({ time_ms: Date.now() - 3_600_000, events: [] })), 401],
    [await signedWebhook(SECRET, "{not json"), 400],
    [await signedWebhook(SECRET, JSON.stringify({ time_ms: Date.now(), events: "x" })), 400],
    [{ ...(await signedWebhook(SECRET, good)), headers: { "x-pusher-key": KEY, "content-type": "text/plain" } }, 415],
    [await signedWebhook(SECRET, "x".repeat(5000)), 413],
  ];
  for (const [init, status] of cases) {
    const res = await app.request("/hook", init);
    const b = await body(res);
    assert.ok(res.status === status || (status === 415 && res.status === 401), `${res.status} ${JSON.stringify(b)}`);
    assert.equal(typeof b.error, "string");
  }
  assert.equal(handled.length, 0);
});

Deno.test("webhook: key rotation and the de-duplication hook", async () => {
  const seen = new Set<string>();
  const { app, handled } = webhookApp({
    credentials: [{ key: "old", secret: "old-secret" }, { key: KEY, secret: SECRET }],
    isDuplicate: (_c, webhook) => {
      if (seen.has(webhook.id)) return true;
      seen.add(webhook.id);
      return false;
    },
  });
  const payload = JSON.stringify({ time_ms: Date.now(), events: [{ name: "channel_vacated", channel: "a" }] });
  const first = await app.request("/hook", await signedWebhook("old-secret", payload, "old"));
  assert.equal((await body(first)).key, "old");
  const again = await app.request("/hook", await signedWebhook("old-secret", payload, "old"));
  assert.deepEqual(await body(again), { ok: true, duplicate: true });
  assert.equal(handled.length, 1);
  assert.throws(() => pusherWebhook({ credentials: [] }), TypeError);
  assert.throws(() => pusherWebhook({ credentials: { key: "k", secret: "s" }, maxAgeMs: -1 }), /maxAgeMs/);
});
