// pusher.webhook(request): async isValid()/getData()/getEvents()/getTime(), key rotation, encrypted client events.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { Pusher, PusherError } from "../mod.ts";
import { encryption, encryptPayload } from "../src/encryption/mod.ts";

const KEY = "278d425bdf160c739803";
const SECRET = "7ad3773142a6692b25b8";
const MASTER_KEY = "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=";
const DOC_BODY =
  '{"time_ms":1327078148132,"events":[{"name":"member_added","channel":"presence-your_channel_name","user_id":"a_user_id"}]}';
const DOC_SIG = "eca9b3c96ae06efb1c2900f448c2996f546b37d92d8038b54831089072065d86";

const sign = (secret: string, body: string) => createHmac("sha256", secret).update(body).digest("hex");
const request = (body: string, sig: string, key = KEY, type = "application/json") =>
  new Request("http://localhost/pusher/webhook", {
    method: "POST",
    headers: { "Content-Type": type, "X-Pusher-Key": key, "X-Pusher-Signature": sig },
    body,
  });

Deno.test("Pusher.webhook() verifies the docs' webhook from a Request and returns its data", async () => {
  const pusher = new Pusher({ appId: "3", key: KEY, secret: SECRET });
  const webhook = pusher.webhook(request(DOC_BODY, DOC_SIG));
  assert.equal(await webhook.isValid(), true);
  assert.deepEqual(await webhook.getEvents(), [
    { name: "member_added", channel: "presence-your_channel_name", user_id: "a_user_id" },
  ]);
  assert.equal((await webhook.getTime()).getTime(), 1327078148132);
  assert.equal((await webhook.getData()).time_ms, 1327078148132);
});

Deno.test("Pusher.webhook() accepts the official { headers, rawBody } shape", async () => {
  const pusher = new Pusher({ appId: "3", key: KEY, secret: SECRET });
  const headers = { "content-type": "application/json", "x-pusher-key": KEY, "x-pusher-signature": DOC_SIG };
  assert.equal(await pusher.webhook({ headers, rawBody: DOC_BODY }).isValid(), true);
  assert.equal(await pusher.webhook({ headers, rawBody: DOC_BODY + " " }).isValid(), false);
});

Deno.test("Pusher.webhook() rejects forged signatures, wrong keys and other content types", async () => {
  const pusher = new Pusher({ appId: "3", key: KEY, secret: SECRET });
  assert.equal(await pusher.webhook(request(DOC_BODY, "0".repeat(64))).isValid(), false);
  assert.equal(await pusher.webhook(request(DOC_BODY, DOC_SIG, "other")).isValid(), false);
  assert.equal(await pusher.webhook(request(DOC_BODY, DOC_SIG, KEY, "text/plain")).isValid(), false);
  await assert.rejects(
    pusher.webhook(request(DOC_BODY, "0".repeat(64))).getEvents(),
    (err) => err instanceof PusherError && err.code === "ERR_SIGNATURE_MISMATCH",
  );
});

Deno.test("PusherWebhook.isValid() accepts extra tokens for key rotation", async () => {
  const pusher = new Pusher({ appId: "3", key: KEY, secret: SECRET });
  const body = '{"time_ms":1,"events":[]}';
  const webhook = pusher.webhook(request(body, sign("s2", body), "k2"));
  assert.equal(await webhook.isValid(), false);
  assert.equal(await webhook.isValid({ key: "k2", secret: "s2" }), true);
  assert.deepEqual(await webhook.getEvents([{ key: "k2", secret: "s2" }]), []);
});

Deno.test("Pusher.webhook() decrypts encrypted client events when a master key and encryption are set", async () => {
  const channel = "private-encrypted-room";
  const data = await encryptPayload(channel, { text: "psst" }, MASTER_KEY);
  const body = JSON.stringify({
    time_ms: 5,
    events: [{ name: "client_event", channel, event: "client-msg", data, socket_id: "1.2" }],
  });
  const withKey = new Pusher({
    appId: "3",
    key: KEY,
    secret: SECRET,
    encryptionMasterKeyBase64: MASTER_KEY,
    encryption,
  });
  const [event] = await withKey.webhook(request(body, sign(SECRET, body))).getEvents();
  assert.equal(event.name === "client_event" && event.data, '{"text":"psst"}');
  const without = new Pusher({ appId: "3", key: KEY, secret: SECRET });
  const [raw] = await without.webhook(request(body, sign(SECRET, body))).getEvents();
  assert.equal(raw.name === "client_event" && raw.data, data);
});

Deno.test("PusherWebhook hides the credentials from console.log", () => {
  const pusher = new Pusher({ appId: "3", key: KEY, secret: SECRET });
  assert.ok(!Deno.inspect(pusher.webhook(request(DOC_BODY, DOC_SIG))).includes(SECRET));
});
