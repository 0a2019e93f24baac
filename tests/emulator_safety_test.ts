// Issue 11 §4: the emulator is safe to leave running on a laptop. Cross-site pages and foreign Host names are refused,
// real credentials are not turned into signed requests or plaintext, and every buffer is bounded in bytes.
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { createApp, createEmulator, DEMO_CREDENTIALS } from "../src/hono/mod.ts";
import { encryptPayload } from "../src/encryption/payload.ts";
import worker from "../src/hono/serve_workers.ts";
import { MAX_CHANNELS, MAX_LOG_BYTES, MAX_MEMBERS } from "../src/hono/emulator/state.ts";
import { MAX_ANSWER_BYTES, MAX_STREAM_BACKLOG } from "../src/hono/emulator/_stream.ts";

const JSON_CT = { "content-type": "application/json" };
const REAL = { appId: "77", key: "real-key", secret: "real-secret-0123456789" };
const MASTER_KEY = "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=";

// Signs like the docs, with node:crypto (independent of src/).
function signedPath(method: string, path: string, body: string | undefined, key: string, secret: string) {
  const pairs: [string, string][] = [
    ["auth_key", key],
    ["auth_timestamp", String(Math.floor(Date.now() / 1000))],
    ["auth_version", "1.0"],
  ];
  if (body) pairs.push(["body_md5", createHash("md5").update(body).digest("hex")]);
  const canonical = pairs.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join("&");
  const sig = createHmac("sha256", secret).update(`${method}\n${path}\n${canonical}`).digest("hex");
  return `${path}?${canonical}&auth_signature=${sig}`;
}

Deno.test("emulator refuses cross-origin and simple (form-like) requests to its control routes", async () => {
  const app = createApp({});
  const seed = (headers: Record<string, string>) =>
    app.request("/emulator/channels/presence-x/members", {
      method: "POST",
      headers,
      body: JSON.stringify({ user_id: "mallory" }),
    });
  assert.equal((await seed({ ...JSON_CT, origin: "http://evil.example" })).status, 403);
  assert.equal((await seed({ "content-type": "text/plain" })).status, 415, "a simple request, no Origin");
  assert.equal((await seed({ ...JSON_CT, "sec-fetch-site": "cross-site" })).status, 403);
  assert.equal((await seed({ ...JSON_CT, origin: "null" })).status, 403);
  const trigger = await app.request("/emulator/demo/trigger", {
    method: "POST",
    headers: { ...JSON_CT, origin: "https://attacker.test" },
    body: "{}",
  });
  assert.equal(trigger.status, 403);
  const info = await app.request("/emulator/info", { headers: { origin: "http://evil.example" } });
  assert.equal(info.status, 403);
  const page = await app.request("/", { headers: { origin: "http://evil.example" } });
  assert.equal(page.status, 403);
  // Nothing was seeded or triggered.
  const { channels } = await (await app.request("/emulator/channels")).json();
  assert.equal(channels["presence-x"], undefined);
  assert.equal((await (await app.request("/emulator/events")).json()).events.length, 0);
  // The page itself (same origin, JSON, or the custom header) still works.
  assert.equal((await seed({ ...JSON_CT, origin: "http://localhost" })).status, 200);
  const reset = await app.request("/emulator/reset", { method: "POST", headers: { "x-pusher-emulator": "1" } });
  assert.equal(reset.status, 200);
});

Deno.test("emulator answers only loopback host names unless others are configured", async () => {
  const app = createApp({});
  for (const host of ["localhost", "127.0.0.1", "[::1]", "app.localhost"]) {
    assert.equal((await app.request(`http://${host}/emulator/info`)).status, 200, host);
  }
  for (const path of ["/emulator/info", "/", "/emulator/log", `/apps/1/channels`]) {
    const res = await app.request(`http://rebind.evil.example${path}`);
    assert.equal(res.status, 403, path);
    assert.doesNotMatch(await res.text(), /emulator-secret/);
  }
  const configured = createApp({ emulatorHosts: ["emulator.internal"] });
  assert.equal((await configured.request("http://emulator.internal/emulator/info")).status, 200);
  assert.equal((await configured.request("http://other.internal/emulator/info")).status, 403);
  // /health and the auth endpoints are the app's, not the emulator's: unaffected.
  assert.equal((await app.request("http://rebind.evil.example/health")).status, 200);
});

Deno.test("emulator with real credentials hands out no signed request and no plaintext unless enabled", async () => {
  const credentials = { ...REAL, encryptionMasterKey: MASTER_KEY };
  for (const exposed of [false, true]) {
    const app = createApp({ credentials, emulator: true, emulatorExposeSigned: exposed });
    const demo = await app.request("/emulator/demo/trigger", { method: "POST", headers: JSON_CT, body: "{}" });
    assert.equal(demo.status, exposed ? 200 : 403);
    const data = await encryptPayload("private-encrypted-r", { secret: "plans" }, MASTER_KEY);
    const body = JSON.stringify({ name: "e", data, channels: ["private-encrypted-r"] });
    const path = `/apps/${REAL.appId}/events`;
    const ok = await app.request(signedPath("POST", path, body, REAL.key, REAL.secret), {
      method: "POST",
      headers: JSON_CT,
      body,
    });
    assert.equal(ok.status, 200, await ok.clone().text());
    const wrong = await app.request(signedPath("POST", path, body, REAL.key, "not-the-secret"), {
      method: "POST",
      headers: JSON_CT,
      body,
    });
    assert.equal(wrong.status, 401);
    const log = await (await app.request("/emulator/log")).text();
    const events = await (await app.request("/emulator/events")).text();
    const signature = /auth_signature=([0-9a-f]{64})/;
    if (exposed) {
      assert.match(log, signature);
      assert.match(events, /plans/);
    } else {
      assert.doesNotMatch(log, signature, "no replayable auth_signature");
      assert.doesNotMatch(log, /you sent \\"[0-9a-f]/);
      assert.doesNotMatch(log + events, /plans/, "no decrypted payload");
      assert.match(log, /auth_signature=\[redacted\]/);
    }
  }
});

Deno.test("emulator memory is bounded in bytes: 60 KB rejected requests, long logs, seeding", async () => {
  const app = createApp({});
  const rssBefore = Deno.memoryUsage().rss;
  const junk = "x".repeat(60 * 1024);
  for (let i = 0; i < 600; i++) {
    const res = await app.request(`/apps/1/channels?auth_key=nope&pad=${junk}&n=${i}`);
    assert.equal(res.status, 401);
    await res.body?.cancel();
  }
  const answer = await (await app.request("/emulator/log")).text();
  const rssMiB = (Deno.memoryUsage().rss - rssBefore) / 2 ** 20;
  console.log(
    `GET /emulator/log after 600 rejected 60 KB requests: ${answer.length} bytes; test process RSS +${
      rssMiB.toFixed(1)
    } MiB (deno task load:emulator measures the emulator alone)`,
  );
  assert.ok(answer.length <= MAX_ANSWER_BYTES + 64 * 1024, `log answer is ${answer.length} bytes`);
  const parsed = JSON.parse(answer);
  assert.equal(parsed.truncated, true);
  assert.ok(parsed.entries.every((e: { query: string }) => e.query.length < 2100));
  // Paging walks the whole (bounded) log.
  let after = 0;
  let total = 0;
  for (let pages = 0; pages < 100; pages++) {
    const page = await (await app.request(`/emulator/log?after=${after}&limit=50`)).json();
    total += page.entries.length;
    if (page.next === undefined) break;
    after = page.next;
  }
  assert.equal(total, 500, "the log keeps its 500 entries; only their fields are clipped");
  assert.ok(500 * 4300 < MAX_LOG_BYTES);

  // Seeding: members and channels are capped with a 409.
  const seed = (channel: string, user: string, info?: unknown) =>
    app.request(`/emulator/channels/${channel}/members`, {
      method: "POST",
      headers: JSON_CT,
      body: JSON.stringify({ user_id: user, user_info: info }),
    });
  assert.equal((await seed("presence-big", "u", "i".repeat(2000))).status, 400, "user_info is capped");
  let refused = 0;
  for (let c = 0; c < MAX_MEMBERS / 100 + 1 && refused === 0; c++) {
    for (let u = 0; u < 100; u++) {
      const res = await seed(`presence-c${c}`, `u${u}`);
      await res.body?.cancel();
      if (res.status === 409) refused++;
    }
  }
  assert.ok(refused > 0, "members beyond the cap are refused");
  await app.request("/emulator/reset", { method: "POST", headers: JSON_CT, body: "{}" });
  let channelRefused = 0;
  for (let c = 0; c < MAX_CHANNELS + 5; c++) {
    const res = await app.request(`/emulator/channels/ch-${c}/occupancy`, {
      method: "POST",
      headers: JSON_CT,
      body: '{"subscription_count":1}',
    });
    await res.body?.cancel();
    if (res.status === 409) channelRefused++;
  }
  assert.ok(channelRefused >= 5, `channels beyond the cap are refused (${channelRefused})`);
});

Deno.test("emulator disconnects an SSE client that stops reading instead of buffering for it", async () => {
  const emu = createEmulator({ appId: "1", key: "k", secret: "s" });
  const stalled = await emu.request("/emulator/stream");
  assert.equal(stalled.status, 200);
  // Never read: flood the log with rejected requests carrying 2 KB fields (beyond the backlog budget).
  const pad = "y".repeat(4096);
  const entries = Math.ceil((MAX_STREAM_BACKLOG * 2) / 4096) + 50;
  for (let i = 0; i < entries; i++) {
    const res = await emu.request(`/apps/1/channels?auth_key=nope&pad=${pad}&i=${i}`);
    await res.body?.cancel();
  }
  // Now read: the stream was cut off, so it ends after a bounded amount.
  const reader = stalled.body!.getReader();
  let read = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    read += value.length;
    assert.ok(read < MAX_STREAM_BACKLOG * 4, "the stream kept buffering for a stalled client");
  }
  console.log(`stalled SSE client: disconnected after ${read} bytes were left in its pipe`);
});

Deno.test("a bare Workers deploy answers 503 with setup instructions; PUSHER_EMULATOR=1 serves the emulator", async () => {
  const bare = await worker.fetch(new Request("https://pusher-edge.example.workers.dev/emulator/info"), {});
  assert.equal(bare.status, 503);
  assert.match(await bare.text(), /PUSHER_EMULATOR=1/);
  const dev = await worker.fetch(new Request("http://localhost:8787/emulator/info"), { PUSHER_EMULATOR: "1" });
  assert.equal(dev.status, 200);
  assert.equal((await dev.json()).key, DEMO_CREDENTIALS.key);
});
