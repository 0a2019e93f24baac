// Replay protection (issue 7): the webhook middleware's maxAgeMs and isDuplicate hook, and what the emulator does with
// a replayed signed request (like production: accepted inside the ±600 s auth_timestamp window, refused outside it).
import assert from "node:assert/strict";
import { Hono } from "hono";
import { signRequest } from "../mod.ts";
import { createEmulator, pusherWebhook } from "../src/hono/mod.ts";

const creds = { key: "replay-key", secret: "replay-secret" };
const enc = new TextEncoder();
async function sign(body: string): Promise<string> {
  const k = await crypto.subtle.importKey("raw", enc.encode(creds.secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return Array.from(
    new Uint8Array(await crypto.subtle.sign("HMAC", k, enc.encode(body))),
    (b) => b.toString(16).padStart(2, "0"),
  )
    .join("");
}
function delivery(body: string, signature: string): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/json", "x-pusher-key": creds.key, "x-pusher-signature": signature },
    body,
  };
}

function receiver() {
  const seen = new Set<string>();
  const handled: string[] = [];
  const hookCalls: string[] = [];
  const app = new Hono();
  app.post(
    "/webhook",
    pusherWebhook({
      credentials: creds,
      maxAgeMs: 300_000,
      isDuplicate: (_c, webhook) => {
        hookCalls.push(webhook.id);
        if (seen.has(webhook.id)) return true;
        seen.add(webhook.id);
        return false;
      },
    }),
    (c) => {
      handled.push(c.get("pusherWebhook").id);
      return c.json({ ok: true });
    },
  );
  return { app, handled, hookCalls };
}

Deno.test("pusherWebhook maxAgeMs: a webhook older or newer than the window is refused with 401 ERR_WEBHOOK_STALE", async () => {
  const { app, handled } = receiver();
  for (
    const [offset, status] of [[0, 200], [-299_000, 200], [-301_000, 401], [301_000, 401], [-86_400_000, 401]] as const
  ) {
    const body = JSON.stringify({ time_ms: Date.now() + offset, events: [{ name: "channel_occupied", channel: "a" }] });
    const res = await app.request("/webhook", delivery(body, await sign(body)));
    assert.equal(res.status, status, `offset ${offset}`);
    const json = await res.json();
    if (status === 401) assert.equal(json.code, "ERR_WEBHOOK_STALE");
  }
  assert.equal(handled.length, 2);
});

Deno.test("pusherWebhook isDuplicate: a replayed delivery is acknowledged (200 duplicate) and not handled twice", async () => {
  const { app, handled, hookCalls } = receiver();
  const body = JSON.stringify({
    time_ms: Date.now(),
    events: [{ name: "member_added", channel: "presence-a", user_id: "1" }],
  });
  const signature = await sign(body);
  const first = await app.request("/webhook", delivery(body, signature));
  assert.equal(first.status, 200);
  assert.deepEqual(await first.json(), { ok: true });
  for (const sig of [signature, signature.toUpperCase()]) {
    const again = await app.request("/webhook", delivery(body, sig));
    assert.equal(again.status, 200);
    assert.deepEqual(await again.json(), { ok: true, duplicate: true });
  }
  assert.equal(handled.length, 1, "the handler ran once");
  assert.deepEqual(hookCalls, [signature, signature, signature], "the id is the lower-case signature");

  // A forged or tampered replay never reaches the hook: it is refused by verification first.
  const tampered = body.replace('"1"', '"2"');
  const forged = await app.request("/webhook", delivery(tampered, signature));
  assert.equal(forged.status, 401);
  assert.equal((await forged.json()).code, "ERR_SIGNATURE_MISMATCH");
  assert.equal(hookCalls.length, 3);
});

Deno.test("pusherWebhook rejects bad replay options when it is created", () => {
  for (const maxAgeMs of [0, -1, Infinity, NaN, "300" as unknown as number]) {
    assert.throws(() => pusherWebhook({ credentials: creds, maxAgeMs }), TypeError);
  }
  assert.throws(() => pusherWebhook({ credentials: creds, isDuplicate: true as unknown as () => boolean }), TypeError);
});

Deno.test("emulator: a replayed signed trigger is accepted inside the ±600 s window (as in production), refused after", async () => {
  let clock = Math.floor(Date.now() / 1000);
  const emulator = createEmulator({ appId: "1", key: creds.key, secret: creds.secret, now: () => clock });
  const body = JSON.stringify({ name: "ev", channels: ["a"], data: "{}" });
  const signed = await signRequest({ ...creds, method: "POST", path: "/apps/1/events", body, timestamp: clock });
  const send = () =>
    emulator.request(`/apps/1/events?${signed.query}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
  assert.equal((await send()).status, 200);
  clock += 599;
  assert.equal((await send()).status, 200, "a replay inside the window is accepted: auth_timestamp is the only guard");
  clock += 1;
  const late = await send();
  assert.equal(late.status, 401);
  assert.match(await late.text(), /^Timestamp expired/);
  const events = (await (await emulator.request("/emulator/events")).json()).events;
  assert.equal(events.length, 2);
});
