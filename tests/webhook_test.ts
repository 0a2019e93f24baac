import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { PusherError, verifyWebhook } from "../mod.ts";

const creds = { key: "278d425bdf160c739803", secret: "7ad3773142a6692b25b8" };
const body =
  '{"time_ms":1327078148132,"events":[{"name":"member_added","channel":"presence-your_channel_name","user_id":"a_user_id"}]}';
const sign = (b: string | Uint8Array, secret = creds.secret) => createHmac("sha256", secret).update(b).digest("hex");
const headers = (b: string, extra: Record<string, string> = {}) => ({
  "content-type": "application/json",
  "x-pusher-key": creds.key,
  "x-pusher-signature": sign(b),
  ...extra,
});

function hasCode(c: string) {
  return (e: unknown) => {
    assert.ok(e instanceof PusherError, String(e));
    assert.equal(e.code, c);
    return true;
  };
}

Deno.test("verifyWebhook() accepts the documented webhook from a record, Headers and a Request", async () => {
  assert.equal(sign(body), "eca9b3c96ae06efb1c2900f448c2996f546b37d92d8038b54831089072065d86");
  const expected = {
    key: creds.key,
    timeMs: 1327078148132,
    events: [{ name: "member_added", channel: "presence-your_channel_name", user_id: "a_user_id" }],
    unknownEvents: [],
    irregularEvents: [],
    allEvents: [{ name: "member_added", channel: "presence-your_channel_name", user_id: "a_user_id" }],
  };
  assert.deepEqual(await verifyWebhook({ credentials: creds, headers: headers(body), body }), expected);
  const upper = Object.fromEntries(Object.entries(headers(body)).map(([k, v]) => [k.toUpperCase(), v]));
  assert.deepEqual(await verifyWebhook({ credentials: creds, headers: upper, body }), expected);
  assert.deepEqual(await verifyWebhook({ credentials: creds, headers: new Headers(headers(body)), body }), expected);
  const request = new Request("https://example.test/hook", { method: "POST", headers: headers(body), body });
  assert.deepEqual(await verifyWebhook({ credentials: creds, request }), expected);
  const bytes = new TextEncoder().encode(body);
  assert.deepEqual(await verifyWebhook({ credentials: creds, headers: headers(body), body: bytes }), expected);
});

Deno.test("verifyWebhook() verifies the raw bytes, not a re-serialisation", async () => {
  const spaced = body.replace('"time_ms":', '"time_ms": ');
  await assert.rejects(
    verifyWebhook({ credentials: creds, headers: headers(body), body: spaced }),
    hasCode("ERR_SIGNATURE_MISMATCH"),
  );
});

Deno.test("verifyWebhook() checks content type, key and signature shape", async () => {
  const v = (h: Record<string, string>, b = body) => verifyWebhook({ credentials: creds, headers: h, body: b });
  await v(headers(body, { "content-type": "application/json; charset=utf-8" }));
  await v(headers(body, { "x-pusher-signature": sign(body).toUpperCase() }));
  await assert.rejects(v(headers(body, { "content-type": "text/plain" })), hasCode("ERR_WEBHOOK_CONTENT_TYPE"));
  const { "content-type": _, ...noType } = headers(body);
  await assert.rejects(v(noType), hasCode("ERR_WEBHOOK_CONTENT_TYPE"));
  await assert.rejects(v(headers(body, { "x-pusher-key": "nope" })), hasCode("ERR_UNKNOWN_KEY"));
  const { "x-pusher-signature": __, ...noSig } = headers(body);
  await assert.rejects(v(noSig), hasCode("ERR_SIGNATURE_MALFORMED"));
  await assert.rejects(v(headers(body, { "x-pusher-signature": "zz" })), hasCode("ERR_SIGNATURE_MALFORMED"));
});

Deno.test("verifyWebhook() supports key rotation by X-Pusher-Key", async () => {
  const k2 = { key: "k2", secret: "s2" };
  const h = { "content-type": "application/json", "x-pusher-key": "k2", "x-pusher-signature": sign(body, "s2") };
  const out = await verifyWebhook({ credentials: [creds, k2], headers: h, body });
  assert.equal(out.key, "k2");
});

Deno.test("verifyWebhook() parses only after the signature passes, and types every event", async () => {
  const notJson = "not json";
  await assert.rejects(
    verifyWebhook({ credentials: creds, headers: headers(notJson), body: notJson }),
    hasCode("ERR_WEBHOOK_BODY_INVALID"),
  );
  const all = JSON.stringify({
    time_ms: 1,
    events: [
      { name: "channel_occupied", channel: "a" },
      { name: "channel_vacated", channel: "a" },
      { name: "member_removed", channel: "presence-a", user_id: "1" },
      { name: "client_event", channel: "private-a", event: "client-x", data: "{}", socket_id: "1.1" },
      { name: "cache_miss", channel: "cache-a" },
      { name: "subscription_count", channel: "a", subscription_count: 101 },
      { name: "future_event", channel: "a" },
    ],
  });
  const out = await verifyWebhook({ credentials: creds, headers: headers(all), body: all });
  assert.equal(out.events.length, 6);
  assert.deepEqual(out.unknownEvents, [{ name: "future_event", channel: "a" }]);
  // A known type with a missing field is authentic: kept, with the reason (issue 11).
  const odd = JSON.stringify({ time_ms: 1, events: [{ name: "member_added", channel: "presence-a" }] });
  const kept = await verifyWebhook({ credentials: creds, headers: headers(odd), body: odd });
  assert.deepEqual(kept.irregularEvents, [{
    event: { name: "member_added", channel: "presence-a" },
    reason: "member_added.user_id is not a string",
  }]);
  const invalidUtf8 = new Uint8Array([0x7b, 0xff, 0x7d]);
  await assert.rejects(
    verifyWebhook({
      credentials: creds,
      headers: { ...headers(""), "x-pusher-signature": sign(invalidUtf8) },
      body: invalidUtf8,
    }),
    hasCode("ERR_WEBHOOK_BODY_INVALID"),
  );
});

Deno.test("verifyWebhook() rejects stale webhooks when maxAgeMs is set", async () => {
  const opts = { credentials: creds, headers: headers(body), body };
  await verifyWebhook({ ...opts, maxAgeMs: 300_000, now: 1327078148132 + 300_000 });
  await assert.rejects(
    verifyWebhook({ ...opts, maxAgeMs: 300_000, now: 1327078148132 + 300_001 }),
    hasCode("ERR_WEBHOOK_STALE"),
  );
});
