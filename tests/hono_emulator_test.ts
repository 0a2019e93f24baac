// The emulator's REST API through app.request(): verdicts, production messages, limits, info rules, seeding,
// decryption, the ring buffer, the debug stream and page.
import assert from "node:assert/strict";
import { createApp, createEmulator } from "../src/hono/mod.ts";
import { encryptPayload } from "../src/encryption/payload.ts";
import { signRequest } from "../src/sign_request.ts";
import { body, JSON_CT, KEY, MASTER_KEY, SECRET } from "./_hono_fixtures.ts";

const NOW = 1_800_000_000;
function emulator(extra: Partial<Parameters<typeof createEmulator>[0]> = {}) {
  return createEmulator({
    appId: "3",
    key: KEY,
    secret: SECRET,
    encryptionMasterKey: MASTER_KEY,
    now: () => NOW,
    ...extra,
  });
}

async function call(
  app: ReturnType<typeof emulator>,
  method: string,
  path: string,
  payload?: unknown,
  opts: { params?: Record<string, string>; timestamp?: number; key?: string; secret?: string } = {},
): Promise<Response> {
  const text = payload === undefined ? undefined : typeof payload === "string" ? payload : JSON.stringify(payload);
  const s = await signRequest({
    key: opts.key ?? KEY,
    secret: opts.secret ?? SECRET,
    method,
    path,
    body: text,
    params: opts.params,
    timestamp: opts.timestamp ?? NOW,
  });
  return app.request(`${path}?${s.query}`, { method, headers: text ? JSON_CT : {}, body: text });
}

Deno.test("emulator: the docs' worked example is accepted byte for byte", async () => {
  const app = createEmulator({ appId: "3", key: KEY, secret: SECRET, now: () => 1353088179 });
  const res = await app.request(
    "/apps/3/events?auth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0&body_md5=ec365a775a4cd0599faeb73354201b6f&auth_signature=da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c",
    {
      method: "POST",
      headers: JSON_CT,
      body: '{"name":"foo","channels":["project-3"],"data":"{\\"some\\":\\"data\\"}"}',
    },
  );
  assert.equal(res.status, 200);
  const { entries } = await body(await app.request("/emulator/log")) as { entries: Record<string, unknown>[] };
  assert.equal(entries.at(-1)!.verdict, "accepted");
  assert.equal(
    entries.at(-1)!.stringToSign,
    "POST\n/apps/3/events\nauth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0&body_md5=ec365a775a4cd0599faeb73354201b6f",
  );
});

Deno.test("emulator: authentication failures answer 401 with production texts", async () => {
  const app = emulator();
  const payload = { name: "e", data: "{}", channels: ["a"] };
  const old = await call(app, "POST", "/apps/3/events", payload, { timestamp: NOW - 600 });
  assert.equal(old.status, 401);
  assert.equal(
    await old.text(),
    "Timestamp expired: Given timestamp (2027-01-15T07:50:00Z) not within 600s of server time (2027-01-15T08:00:00Z)",
  );
  assert.equal((await call(app, "POST", "/apps/3/events", payload, { timestamp: NOW - 599 })).status, 200);
  const wrongSecret = await call(app, "POST", "/apps/3/events", payload, { secret: "nope" });
  assert.equal(wrongSecret.status, 401);
  assert.match(
    await wrongSecret.text(),
    /^Invalid signature: you should have sent HmacSHA256Hex\("POST\\n\/apps\/3\/events\\nauth_key=278d425bdf160c739803&auth_timestamp=1800000000&auth_version=1.0&body_md5=[0-9a-f]{32}", your_secret_key\), but you sent "[0-9a-f]{64}"$/,
  );
  const unknownKey = await call(app, "POST", "/apps/3/events", payload, { key: "other" });
  assert.equal(unknownKey.status, 401);
  assert.match(await unknownKey.text(), /Unknown auth_key/);
  const missing = await app.request("/apps/3/events", { method: "POST", headers: JSON_CT, body: "{}" });
  assert.equal(missing.status, 401);
  assert.equal(await missing.text(), "Missing parameter: auth_key");
  // The body changed after signing: body_md5 no longer matches.
  const s = await signRequest({
    key: KEY,
    secret: SECRET,
    method: "POST",
    path: "/apps/3/events",
    body: "{}",
    timestamp: NOW,
  });
  const md5 = await app.request(`/apps/3/events?${s.query}`, { method: "POST", headers: JSON_CT, body: "{ }" });
  assert.equal(md5.status, 401);
  const log = await body(await app.request("/emulator/log")) as { entries: Record<string, unknown>[] };
  const rejected = log.entries.filter((e) => e.verdict === "rejected");
  assert.ok(rejected.length >= 5);
  const mismatch = rejected.find((e) => e.code === "ERR_SIGNATURE_MISMATCH")!;
  assert.match(mismatch.stringToSign as string, /^POST\n\/apps\/3\/events\nauth_key=/);
  assert.match(mismatch.sentSignature as string, /^[0-9a-f]{64}$/);
});

Deno.test("emulator: trigger limits and validation answer 400/413 JSON", async () => {
  const app = emulator();
  const trigger = (p: unknown) => call(app, "POST", "/apps/3/events", p);
  const ok = (channels: string[], data = "{}") => ({ name: "e", data, channels });
  assert.equal((await trigger(ok(Array.from({ length: 100 }, (_, i) => `c${i}`)))).status, 200);
  const cases: [unknown, number, RegExp][] = [
    [ok(Array.from({ length: 101 }, (_, i) => `c${i}`)), 400, /Too many channels: 101/],
    [ok(["bad:name"]), 400, /Invalid channel name/],
    [ok([]), 400, /at least one channel/],
    [{ name: "e", data: "{}" }, 400, /channels/],
    [{ name: 1, data: "{}", channels: ["a"] }, 400, /Expected name parameter to be a string/],
    [{ name: "e", data: { a: 1 }, channels: ["a"] }, 400, /Expected data parameter to be a string/],
    [{ name: "e".repeat(201), data: "{}", channels: ["a"] }, 400, /too long/],
    [{ ...ok(["a"]), socket_id: "1.1:x" }, 400, /socket id/i],
    [
      { ...ok(["a"]), info: "user_count" },
      400,
      /Cannot retrieve the user count unless the channel is a presence channel/,
    ],
    [{ ...ok(["a"]), info: "bogus" }, 400, /Unknown info attribute/],
    [{ ...ok(["a"]), info: 5 }, 400, /info/],
    [ok(["a"], "x".repeat(10241)), 413, /exceeds the allowed maximum \(10240 bytes\)/],
    [ok(["a"], "é".repeat(5121)), 413, /exceeds/],
    ["[1,2]", 400, /JSON object/],
    ["nope", 400, /not valid JSON/],
  ];
  for (const [payload, status, reason] of cases) {
    const res = await trigger(payload);
    assert.equal(res.status, status, JSON.stringify(payload).slice(0, 80));
    assert.match((await body(res)).error as string, reason);
  }
  assert.equal((await trigger(ok(["a"], "x".repeat(10240)))).status, 200);
  assert.equal((await trigger(ok(["#server-to-user-42"]))).status, 200);
  const info = await trigger({ ...ok(["presence-demo", "demo"]), info: "subscription_count" });
  assert.deepEqual(await body(info), {
    channels: { "presence-demo": { subscription_count: 2 }, demo: { subscription_count: 1 } },
  });
  const users = await trigger({ ...ok(["presence-demo"]), info: "user_count,subscription_count" });
  assert.deepEqual(await body(users), { channels: { "presence-demo": { user_count: 2, subscription_count: 2 } } });
  const wrongType = await call(app, "POST", "/apps/3/events", "{}");
  assert.equal(wrongType.status, 400);
});

Deno.test("emulator: batch limits and per-event info", async () => {
  const app = emulator();
  const ev = (channel: string, extra = {}) => ({ channel, name: "e", data: "{}", ...extra });
  const ten = Array.from({ length: 10 }, (_, i) => ev(`c${i}`));
  assert.deepEqual(await body(await call(app, "POST", "/apps/3/batch_events", { batch: ten })), {});
  const eleven = await call(app, "POST", "/apps/3/batch_events", { batch: [...ten, ev("x")] });
  assert.equal(eleven.status, 400);
  assert.match((await body(eleven)).error as string, /Batch too large: 11 events/);
  const withInfo = await call(app, "POST", "/apps/3/batch_events", {
    batch: [ev("presence-demo", { info: "user_count" }), ev("demo"), ev("demo", { info: "subscription_count" })],
  });
  assert.deepEqual(await body(withInfo), { batch: [{ user_count: 2 }, {}, { subscription_count: 1 }] });
  for (const bad of [{ batch: "x" }, { batch: [1] }, { batch: [{ name: "e", data: "{}" }] }]) {
    assert.equal((await call(app, "POST", "/apps/3/batch_events", bad)).status, 400);
  }
  const big = await call(app, "POST", "/apps/3/batch_events", { batch: [ev("a", { data: "x".repeat(10241) })] });
  assert.equal(big.status, 413);
});

Deno.test("emulator: channel queries follow the info rules, and seeding changes the answers", async () => {
  const app = emulator();
  const get = (path: string, params?: Record<string, string>) => call(app, "GET", path, undefined, { params });
  assert.deepEqual(await body(await get("/apps/3/channels")), { channels: { demo: {}, "presence-demo": {} } });
  assert.deepEqual(await body(await get("/apps/3/channels", { filter_by_prefix: "presence-", info: "user_count" })), {
    channels: { "presence-demo": { user_count: 2 } },
  });
  assert.equal((await get("/apps/3/channels", { info: "user_count" })).status, 400);
  assert.equal((await get("/apps/3/channels", { info: "subscription_count" })).status, 400);
  assert.deepEqual(await body(await get("/apps/3/channels/demo", { info: "subscription_count" })), {
    occupied: true,
    subscription_count: 1,
  });
  assert.equal((await get("/apps/3/channels/demo", { info: "user_count" })).status, 400);
  assert.deepEqual(await body(await get("/apps/3/channels/empty")), { occupied: false });
  assert.deepEqual(await body(await get("/apps/3/channels/presence-demo/users")), {
    users: [{ id: "1" }, { id: "2" }],
  });
  assert.equal((await get("/apps/3/channels/demo/users")).status, 400);

  const seeded = await app.request("/emulator/channels/presence-room/members", {
    method: "POST",
    headers: JSON_CT,
    body: JSON.stringify({ user_id: "u9", user_info: { name: "Zed" } }),
  });
  assert.equal(seeded.status, 200);
  await app.request("/emulator/channels/private-x/occupancy", {
    method: "POST",
    headers: JSON_CT,
    body: '{"subscription_count":4}',
  });
  assert.deepEqual(await body(await get("/apps/3/channels/private-x", { info: "subscription_count" })), {
    occupied: true,
    subscription_count: 4,
  });
  assert.deepEqual(await body(await get("/apps/3/channels/presence-room/users")), { users: [{ id: "u9" }] });
  assert.equal((await call(app, "POST", "/apps/3/users/u9/terminate_connections", {})).status, 200);
  assert.deepEqual(await body(await get("/apps/3/channels/presence-room/users")), { users: [] });
  assert.deepEqual((await body(await app.request("/emulator/channels"))).terminated, ["u9"]);

  for (
    const [path, init] of [
      ["/emulator/channels/demo/members", { body: '{"user_id":"1"}' }],
      ["/emulator/channels/presence-a/members", { body: '{"user_id":5}' }],
      ["/emulator/channels/bad:name/occupancy", { body: '{"subscription_count":1}' }],
      ["/emulator/channels/a/occupancy", { body: '{"subscription_count":-1}' }],
      ["/emulator/channels/a/occupancy", { body: "{" }],
    ] as const
  ) {
    const res = await app.request(path, { method: "POST", headers: JSON_CT, ...init });
    assert.equal(res.status, 400, path);
    await body(res);
  }
  assert.equal((await app.request("/emulator/reset", { method: "POST", headers: JSON_CT })).status, 200);
  assert.deepEqual(await body(await get("/apps/3/channels/presence-demo/users")), {
    users: [{ id: "1" }, { id: "2" }],
  });
});

Deno.test("emulator: encrypted payloads are decrypted when the master key is known", async () => {
  const app = emulator();
  const data = await encryptPayload("private-encrypted-room", { secret: "plans" }, MASTER_KEY);
  assert.equal(
    (await call(app, "POST", "/apps/3/events", { name: "e", data, channels: ["private-encrypted-room"] })).status,
    200,
  );
  const wrong = await encryptPayload("private-encrypted-room", "x", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
  await call(app, "POST", "/apps/3/batch_events", {
    batch: [{ channel: "private-encrypted-room", name: "f", data: wrong }],
  });
  const { events } = await body(await app.request("/emulator/events?channel=private-encrypted-room")) as {
    events: Record<string, string>[];
  };
  assert.equal(events[0].decrypted, '{"secret":"plans"}');
  assert.match(events[1].decryptError, /does not decrypt/);

  const noKey = createEmulator({ appId: "3", key: KEY, secret: SECRET, now: () => NOW });
  await call(noKey, "POST", "/apps/3/events", { name: "e", data, channels: ["private-encrypted-room"] });
  const log = await body(await noKey.request("/emulator/events")) as { events: Record<string, string>[] };
  assert.match(log.events[0].decryptError, /no encryption master key/);
});

Deno.test("emulator: the log is a bounded ring buffer", async () => {
  const app = emulator({ maxEntries: 3 });
  for (let i = 0; i < 5; i++) await call(app, "POST", "/apps/3/events", { name: `e${i}`, data: "{}", channels: ["a"] });
  const { entries } = await body(await app.request("/emulator/log")) as { entries: { id: number }[] };
  assert.deepEqual(entries.map((e) => e.id), [3, 4, 5]);
  assert.throws(() => createEmulator({ appId: "1", key: "k", secret: "s", maxEntries: 0 }), /maxEntries/);
});

Deno.test("emulator: the debug stream sends the backlog and then live entries", async () => {
  const app = emulator();
  await call(app, "POST", "/apps/3/events", { name: "before", data: "{}", channels: ["a"] });
  const controller = new AbortController();
  const res = await app.request("/emulator/stream", { signal: controller.signal });
  assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const deadline = Date.now() + 5000;
  const until = async (re: RegExp) => {
    while (!re.test(text)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${re} in ${text}`);
      const { value, done } = await reader.read();
      if (done) throw new Error("stream ended");
      text += value;
    }
  };
  await until(/"name":"before"/);
  await call(app, "POST", "/apps/3/events", { name: "after", data: "{}", channels: ["a"] });
  await until(/event: entry\ndata: .*"name":"after".*\nid: 2\n/);
  await reader.cancel();
  controller.abort();
});

Deno.test("emulator: the page's demo buttons produce an accepted and a rejected request", async () => {
  const app = createApp({});
  const signed = await body(
    await app.request("/emulator/demo/trigger", { method: "POST", headers: JSON_CT, body: "{}" }),
  );
  assert.equal(signed.status, 200);
  const tampered = await body(
    await app.request("/emulator/demo/trigger", {
      method: "POST",
      headers: JSON_CT,
      body: '{"tamper":true}',
    }),
  );
  assert.equal(tampered.status, 401);
  assert.match(tampered.body as string, /^Invalid signature/);
  const html = await (await app.request("/")).text();
  assert.match(html, /Send a signed test event/);
  assert.match(html, /emulator-secret/);
});
