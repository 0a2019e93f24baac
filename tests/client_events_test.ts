// Validation before sending, body building, payload limits, encrypted-channel rules and caller input never mutated.
import assert from "node:assert/strict";
import { Pusher, PusherError, type PusherOptions } from "../mod.ts";
import { encryption } from "../src/encryption/mod.ts";

const DOCS = { appId: "3", key: "278d425bdf160c739803", secret: "7ad3773142a6692b25b8" };
const MASTER_KEY = "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=";

/** A client whose fetch records requests (and answers `{}`); Date.now pinned to the docs' timestamp on demand. */
function recording(extra: Partial<PusherOptions> = {}) {
  const sent: { method: string; url: URL; body: string | undefined }[] = [];
  const pusher = new Pusher({
    ...DOCS,
    useTLS: false,
    fetch: (input, init) => {
      sent.push({ method: init?.method ?? "GET", url: new URL(String(input)), body: init?.body as string | undefined });
      return Promise.resolve(Response.json({}));
    },
    ...extra,
  });
  return { pusher, sent };
}

async function atDocsTime<T>(fn: () => Promise<T>): Promise<T> {
  const real = Date.now;
  Date.now = () => 1353088179_000;
  try {
    return await fn();
  } finally {
    Date.now = real;
  }
}

async function rejectsCode(p: Promise<unknown>, code: string) {
  await assert.rejects(p, (err) => err instanceof PusherError && err.code === code || assert.fail(`${err}`));
}

Deno.test("Pusher.trigger() reproduces the spec's known answers (body, body_md5, signature)", async () => {
  const { pusher, sent } = recording();
  await atDocsTime(async () => {
    await pusher.trigger("project-3", "foo", { some: "data" });
    await pusher.trigger("my-channel", "my-event", { msg: "héllo/<b>&" }, { socket_id: "123.456" });
    await pusher.trigger(["a", "b"], "ev", "plain string", { socket_id: "123.456", info: "subscription_count" });
    await pusher.sendToUser("user-1", "greet", { hi: 1 });
    await pusher.terminateUserConnections("user-1");
  });
  const sig = (i: number) => sent[i].url.searchParams.get("auth_signature");
  const md5 = (i: number) => sent[i].url.searchParams.get("body_md5");
  assert.equal(sent[0].body, '{"name":"foo","data":"{\\"some\\":\\"data\\"}","channels":["project-3"]}');
  assert.equal(md5(0), "45ff0dd3fcd388e766ebeec554920e41");
  assert.equal(sig(0), "3afbfced4119aeb18b1b441f623f438db238170e007bb8dda50203ad09031632");
  assert.equal(md5(1), "4fa3a3545f902ae768160466b44f0656");
  assert.equal(sig(1), "cb6e7e3fb0066e327439dc2cb600178ea9fef8fdd9b1434caf64c6c233e7d274");
  assert.equal(sig(2), "2808ce8b9ef2d2a39e679920ae4421104e080964253927454f17035d36c6cc29");
  assert.equal(sig(3), "f8373f2cb7668e8849e714e0b64b706196a55ad6c78c2daade79d0029f825446");
  assert.equal(sent[4].url.pathname, "/apps/3/users/user-1/terminate_connections");
  assert.equal(sig(4), "880052344e56f2b29dd6ae66856b69f1d496d6a262d22ccd4f50f94a6d98bf6a");
});

Deno.test("Pusher.triggerBatch() reproduces the spec's batch known answer", async () => {
  const { pusher, sent } = recording();
  await atDocsTime(() =>
    pusher.triggerBatch([
      { channel: "c1", name: "e1", data: "x" },
      { channel: "presence-c2", name: "e2", data: { n: 1 }, socket_id: "1.2", info: "user_count" },
    ])
  );
  assert.equal(sent[0].url.searchParams.get("body_md5"), "863328f6fbd4997c79e5566469815ff4");
  assert.equal(
    sent[0].url.searchParams.get("auth_signature"),
    "29d794d99cf8e321db4e3d79f8a1f9a6cc02e7e9e430f28b16a3b0809dc08b39",
  );
});

Deno.test("Pusher.trigger() rejects 101 channels", async () => {
  const { pusher, sent } = recording();
  await rejectsCode(pusher.trigger(Array.from({ length: 101 }, (_, i) => `c${i}`), "e", 1), "ERR_TOO_MANY_CHANNELS");
  assert.equal(sent.length, 0);
});

Deno.test("Pusher.trigger() rejects bad names, socket ids, info and params before sending", async () => {
  const { pusher, sent } = recording();
  await rejectsCode(pusher.trigger("a#b", "e", 1), "ERR_INVALID_CHANNEL_NAME");
  await rejectsCode(pusher.trigger([], "e", 1), "ERR_INVALID_CHANNEL_NAME");
  await rejectsCode(pusher.trigger("c".repeat(201), "e", 1), "ERR_CHANNEL_NAME_TOO_LONG");
  await rejectsCode(pusher.trigger("c", "", 1), "ERR_INVALID_EVENT_NAME");
  await rejectsCode(pusher.trigger("c", "e".repeat(201), 1), "ERR_EVENT_NAME_TOO_LONG");
  await rejectsCode(pusher.trigger("c", "e", 1, { socket_id: "1.1:private-x" }), "ERR_INVALID_SOCKET_ID");
  await rejectsCode(pusher.trigger("c", "e", 1, { info: "user_count&x=1" }), "ERR_INVALID_PARAM");
  await rejectsCode(pusher.trigger("c", "e", 1, { name: "x" } as never), "ERR_RESERVED_PARAM");
  await rejectsCode(pusher.trigger("c", "e", undefined), "ERR_INVALID_PARAM");
  await rejectsCode(pusher.users("private-a"), "ERR_INVALID_CHANNEL_NAME");
  await rejectsCode(pusher.channels({ prefix: "a&b" }), "ERR_INVALID_PARAM");
  await rejectsCode(pusher.terminateUserConnections("a/../b"), "ERR_INVALID_USER_ID");
  await rejectsCode(pusher.sendToUser("", "e", 1), "ERR_INVALID_USER_ID");
  await rejectsCode(pusher.get({ path: "channels" }), "ERR_INVALID_PARAM");
  await rejectsCode(pusher.get({ path: "/channels", params: { auth_key: "x" } }), "ERR_RESERVED_PARAM");
  assert.equal(sent.length, 0);
});

Deno.test("Pusher.trigger() counts maxPayloadBytes in UTF-8 bytes", async () => {
  const { pusher, sent } = recording({ maxPayloadBytes: 10 });
  await pusher.trigger("c", "e", "é".repeat(5)); // 10 bytes
  await rejectsCode(pusher.trigger("c", "e", "é".repeat(5) + "x"), "ERR_PAYLOAD_TOO_LARGE");
  await rejectsCode(pusher.trigger("c", "e", "€".repeat(4)), "ERR_PAYLOAD_TOO_LARGE"); // 4 chars, 12 bytes
  await rejectsCode(pusher.triggerBatch([{ channel: "c", name: "e", data: "x".repeat(11) }]), "ERR_PAYLOAD_TOO_LARGE");
  assert.equal(sent.length, 1);
  const big = recording();
  await big.pusher.trigger("c", "e", "x".repeat(10_240));
  await rejectsCode(big.pusher.trigger("c", "e", "x".repeat(10_241)), "ERR_PAYLOAD_TOO_LARGE");
});

Deno.test("Pusher.trigger() applies maxPayloadBytes to the encrypted data", async () => {
  // {"msg":"…"} of 60 bytes encrypts to a data string of about 150 bytes.
  const { pusher, sent } = recording({ maxPayloadBytes: 120, encryptionMasterKeyBase64: MASTER_KEY, encryption });
  await pusher.trigger("c", "e", "x".repeat(100));
  await rejectsCode(pusher.trigger("private-encrypted-c", "e", "x".repeat(60)), "ERR_PAYLOAD_TOO_LARGE");
  assert.equal(sent.length, 1);
});

Deno.test("Pusher.trigger() enforces the encrypted-channel rules", async () => {
  const noKey = recording({ encryption });
  await rejectsCode(noKey.pusher.trigger("private-encrypted-a", "e", 1), "ERR_ENCRYPTION_KEY_MISSING");
  const noPlugin = recording({ encryptionMasterKeyBase64: MASTER_KEY });
  await rejectsCode(noPlugin.pusher.trigger("private-encrypted-a", "e", 1), "ERR_INVALID_CONFIG");
  const both = recording({ encryptionMasterKeyBase64: MASTER_KEY, encryption });
  await rejectsCode(both.pusher.trigger(["private-encrypted-a", "b"], "e", 1), "ERR_ENCRYPTED_MULTI_CHANNEL");
  await rejectsCode(
    both.pusher.trigger(["private-encrypted-a", "private-encrypted-b"], "e", 1),
    "ERR_ENCRYPTED_MULTI_CHANNEL",
  );
  await rejectsCode(
    noKey.pusher.triggerBatch([{ channel: "private-encrypted-a", name: "e", data: 1 }]),
    "ERR_ENCRYPTION_KEY_MISSING",
  );
  assert.equal(noKey.sent.length + noPlugin.sent.length + both.sent.length, 0);
  await both.pusher.trigger("private-encrypted-a", "e", "Hello!");
  const data = JSON.parse(JSON.parse(both.sent[0].body!).data);
  assert.deepEqual(Object.keys(data), ["nonce", "ciphertext"]);
  assert.equal(
    await encryption.decrypt(
      "private-encrypted-a",
      JSON.parse(both.sent[0].body!).data,
      new Uint8Array(atob(MASTER_KEY).split("").map((c) => c.charCodeAt(0))),
    ),
    '"Hello!"',
  );
});

Deno.test("Pusher.triggerBatch() rejects 11 events unless split, and splits into requests of 10", async () => {
  const { pusher, sent } = recording();
  const events = Array.from({ length: 23 }, (_, i) => ({ channel: `c${i}`, name: "e", data: { i } }));
  await rejectsCode(pusher.triggerBatch(events.slice(0, 11)), "ERR_BATCH_TOO_LARGE");
  await rejectsCode(pusher.triggerBatch([]), "ERR_INVALID_PARAM");
  assert.equal(sent.length, 0);
  await pusher.triggerBatch(events, { split: true });
  assert.deepEqual(sent.map((s) => JSON.parse(s.body!).batch.length), [10, 10, 3]);
});

Deno.test("Pusher.triggerBatch() and trigger() never mutate the caller's objects", async () => {
  const { pusher } = recording({ encryptionMasterKeyBase64: MASTER_KEY, encryption });
  const batch = [
    { channel: "c", name: "e", data: { a: 1 } },
    { channel: "private-encrypted-x", name: "e", data: { secret: true }, info: ["subscription_count"] },
  ];
  const params = { socket_id: "1.1", info: ["user_count"] };
  const channels = ["presence-a", "b"];
  const before = structuredClone({ batch, params, channels });
  await pusher.triggerBatch(batch);
  await pusher.trigger(channels, "e", batch[0].data, params);
  assert.deepEqual({ batch, params, channels }, before);
});

Deno.test("Pusher.channels(), channel() and users() send the right GETs and return typed JSON", async () => {
  const answers = [
    { channels: { "presence-a": { user_count: 2 } } },
    { occupied: true, subscription_count: 5 },
    { users: [{ id: "1" }] },
    {},
  ];
  const urls: URL[] = [];
  const pusher = new Pusher({
    ...DOCS,
    fetch: (input) => {
      urls.push(new URL(String(input)));
      return Promise.resolve(Response.json(answers[urls.length - 1]));
    },
  });
  assert.deepEqual(await pusher.channels({ prefix: "presence-", info: "user_count" }), answers[0]);
  assert.deepEqual(await pusher.channel("my-channel", { info: "subscription_count" }), answers[1]);
  assert.deepEqual(await pusher.users("presence-a"), answers[2]);
  assert.deepEqual(await pusher.channels(), { channels: {} });
  assert.deepEqual(urls.map((u) => u.pathname), [
    "/apps/3/channels",
    "/apps/3/channels/my-channel",
    "/apps/3/channels/presence-a/users",
    "/apps/3/channels",
  ]);
  assert.equal(urls[0].searchParams.get("filter_by_prefix"), "presence-");
  assert.equal(urls[1].searchParams.get("info"), "subscription_count");
  assert.equal(urls[0].searchParams.get("body_md5"), null, "no body_md5 on GET");
});

Deno.test("Pusher.authorizeChannel() and authenticateUser() match the official package's answers", async () => {
  const pusher = new Pusher({ appId: "1", key: "aaaa", secret: "tofu" });
  const user = await pusher.authenticateUser("1.1", { id: "ą§¶™€łü€ß£" });
  assert.equal(user.auth, "aaaa:620494cee53d6c568b49598313194088afda37218f0d059af03c0c898ed61ff4");
  const docs = new Pusher(DOCS);
  const presence = await docs.authorizeChannel("1234.1234", "presence-foobar", {
    user_id: "10",
    user_info: { name: "Mr. Pusher" },
  });
  assert.equal(presence.channel_data, '{"user_id":"10","user_info":{"name":"Mr. Pusher"}}');
  assert.equal(presence.auth.split(":")[1], "48dac51d2d7569e1e9c0f48c227d4b26f238fa68e5c0bb04222c966909c4f7c4");
  const enc = new Pusher({ appId: "1", key: "f00d", secret: "tofu", encryptionMasterKeyBase64: MASTER_KEY });
  const r = await enc.authorizeChannel("123.456", "private-encrypted-bla");
  assert.equal(r.shared_secret, "nlr49ISQHz91yS3cy/yWmW8wFMNeTnNL5tNHnbPJcLQ=");
  assert.equal(btoa(String.fromCharCode(...await enc.channelSharedSecret("private-encrypted-bla"))), r.shared_secret);
  await rejectsCode(docs.authorizeChannel("1.1:x", "private-a"), "ERR_INVALID_SOCKET_ID");
  await rejectsCode(docs.authorizeChannel("1.1", "private-encrypted-a"), "ERR_ENCRYPTION_KEY_MISSING");
});

Deno.test("Pusher.createSignedQueryString() matches the official package's known answers", async () => {
  const pusher = new Pusher({ appId: "1", key: "f00d", secret: "tofu" });
  const real = Date.now;
  Date.now = () => 1234567890_000;
  try {
    const q1 = await pusher.createSignedQueryString({ method: "GET", path: "/event", body: "example body" });
    assert.match(q1, /body_md5=165d5e6d7ca8f73b3853ce45addf42fc/);
    assert.match(q1, /auth_signature=a650196dc427ebe837226f8565ca9232198c6d1b9455eaa72374a9dc0b620e7b$/);
    const q2 = await pusher.createSignedQueryString({
      method: "GET",
      path: "/event",
      params: { foo: "bar", baz: 123454321 },
    });
    assert.match(q2, /auth_signature=d8bdbd31911fb7400a14fbd36fd7de053494725b64400ae5856deafe304b34a9$/);
  } finally {
    Date.now = real;
  }
});
