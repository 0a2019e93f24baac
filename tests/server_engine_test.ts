// The protocol engine driven with in-memory sockets: frames in, frames/close codes/webhooks out. Auth strings are
// computed with node:crypto (independent of src/), and expected frames come from the protocol reference §4.2.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createEngine, createLocalBus, type EngineOptions, type OutgoingWebhookEvent } from "../src/server/mod.ts";

const KEY = "278d425bdf160c739803";
const SECRET = "7ad3773142a6692b25b8";
const hmac = (s: string) => createHmac("sha256", SECRET).update(s).digest("hex");

interface Client {
  id: string;
  frames: Record<string, unknown>[];
  closed?: [number, string];
  send(msg: unknown): Promise<void>;
  last(event: string): Record<string, unknown> | undefined;
  events(): string[];
}

function setup(extra: Partial<EngineOptions> = {}) {
  let clock = 1_000_000;
  const webhooks: OutgoingWebhookEvent[] = [];
  const engine = createEngine({
    appId: "1",
    key: KEY,
    secret: SECRET,
    now: () => clock,
    onWebhook: (e) => webhooks.push(e),
    ...extra,
  });
  const connect = (path = `/app/${KEY}?protocol=7&client=js&version=8.6.0&flash=false`): Client => {
    const c = { frames: [] as Record<string, unknown>[] } as Client;
    const id = engine.connect(path, {
      send: (f) => c.frames.push(JSON.parse(f)),
      close: (code, reason) => c.closed = [code, reason],
    });
    c.id = id!;
    c.send = (msg) => engine.message(c.id, typeof msg === "string" ? msg : JSON.stringify(msg));
    c.last = (event) => c.frames.findLast((f) => f.event === event);
    c.events = () => c.frames.map((f) => f.event as string);
    return c;
  };
  return { engine, connect, webhooks, advance: (ms: number) => (clock += ms), now: () => clock };
}

const sub = (channel: string, auth = "", channel_data?: string) => ({
  event: "pusher:subscribe",
  data: { auth, channel, ...(channel_data !== undefined ? { channel_data } : {}) },
});

Deno.test("engine: handshake sends connection_established with a string data, socket id and activity_timeout", () => {
  const { connect } = setup();
  const a = connect();
  assert.equal(a.frames[0].event, "pusher:connection_established");
  assert.equal(typeof a.frames[0].data, "string");
  const data = JSON.parse(a.frames[0].data as string);
  assert.match(data.socket_id, /^\d+\.\d+$/);
  assert.equal(data.activity_timeout, 120);
  const ids = new Set(Array.from({ length: 200 }, () => connect().id));
  assert.equal(ids.size, 200);
});

Deno.test("engine: unknown key, missing and unsupported protocol are accepted then closed with 4001/4008/4007", () => {
  const { connect } = setup();
  const cases: [string, number][] = [
    ["/app/nope?protocol=7", 4001],
    [`/app/${KEY}`, 4008],
    [`/app/${KEY}?protocol=3`, 4007],
    [`/app/${KEY}/extra?protocol=7`, 4005],
  ];
  for (const [path, code] of cases) {
    const c = connect(path);
    assert.equal(c.id, undefined);
    assert.equal(c.closed?.[0], code, path);
    assert.deepEqual((c.frames[0].data as { code: number }).code, code);
  }
  assert.equal(connect(`/app/${KEY}?protocol=5`).frames[0].event, "pusher:connection_established");
});

Deno.test("engine: pusher:ping with object, missing and string data each get one pong", async () => {
  const { connect } = setup();
  const a = connect();
  await a.send({ event: "pusher:ping", data: {} });
  await a.send({ event: "pusher:ping" });
  await a.send({ event: "pusher:ping", data: "{}" });
  assert.deepEqual(a.events().filter((e) => e === "pusher:pong").length, 3);
  assert.equal(a.closed, undefined);
});

Deno.test("engine: public subscribe succeeds with data {} and receives REST events byte for byte", async () => {
  const { engine, connect } = setup();
  const a = connect();
  await a.send(sub("my-channel"));
  assert.deepEqual(a.last("pusher_internal:subscription_succeeded"), {
    event: "pusher_internal:subscription_succeeded",
    channel: "my-channel",
    data: "{}",
  });
  await engine.publish({ channels: ["my-channel"], name: "e", data: '{"a": 1}' });
  assert.deepEqual(a.last("e"), { event: "e", channel: "my-channel", data: '{"a": 1}' });
});

Deno.test("engine: private auth is verified; wrong HMAC, missing auth, other key and replay are refused", async () => {
  const { engine, connect } = setup();
  const a = connect();
  const b = connect();
  await a.send(sub("private-a", `${KEY}:${hmac(`${a.id}:private-a`)}`));
  assert.ok(a.last("pusher_internal:subscription_succeeded"));
  const bad = [
    `${KEY}:${"0".repeat(64)}`,
    "",
    `otherkey:${hmac(`${b.id}:private-a`)}`,
    `${KEY}:${hmac(`${a.id}:private-a`)}`, // replay of A's signature
  ];
  for (const auth of bad) {
    b.frames.length = 0;
    await b.send(sub("private-a", auth));
    const err = b.last("pusher:error")?.data as { code: null; message: string };
    assert.equal(err.code, null);
    assert.ok(!b.last("pusher_internal:subscription_succeeded"));
  }
  assert.match((b.last("pusher:error")!.data as { message: string }).message, /^Invalid signature: Expected HMAC/);
  await engine.publish({ channels: ["private-a"], name: "x", data: "1" });
  assert.ok(a.last("x"));
  assert.ok(!b.last("x"));
  assert.equal(b.closed, undefined);
});

Deno.test("engine: presence members, one entry per user across sockets, member_added/removed only at the edges", async () => {
  const { connect, webhooks, advance, engine } = setup();
  const join = async (c: Client, user: string) => {
    const cd = JSON.stringify({ user_id: user, user_info: { name: user } });
    await c.send(sub("presence-r", `${KEY}:${hmac(`${c.id}:presence-r:${cd}`)}`, cd));
  };
  const a = connect(), b = connect(), a2 = connect();
  await join(a, "1");
  assert.deepEqual(JSON.parse(a.last("pusher_internal:subscription_succeeded")!.data as string), {
    presence: { ids: ["1"], hash: { "1": { name: "1" } }, count: 1 },
  });
  await join(b, "2");
  assert.deepEqual(JSON.parse(a.last("pusher_internal:member_added")!.data as string), {
    user_id: "2",
    user_info: { name: "2" },
  });
  assert.equal(JSON.parse(b.last("pusher_internal:subscription_succeeded")!.data as string).presence.count, 2);
  assert.ok(!b.last("pusher_internal:member_added"));
  await join(a2, "1");
  assert.equal(b.events().filter((e) => e === "pusher_internal:member_added").length, 0);
  assert.deepEqual(await engine.users("presence-r"), ["1", "2"]);
  await engine.disconnect(a2.id);
  assert.ok(!b.last("pusher_internal:member_removed"));
  await engine.disconnect(a.id);
  assert.deepEqual(JSON.parse(b.last("pusher_internal:member_removed")!.data as string), { user_id: "1" });
  assert.ok(!webhooks.some((w) => w.name === "member_removed"), "member_removed waits for the grace period");
  advance(3000);
  engine.tick();
  assert.deepEqual(webhooks.filter((w) => w.name.startsWith("member")), [
    { name: "member_added", channel: "presence-r", user_id: "1" },
    { name: "member_added", channel: "presence-r", user_id: "2" },
    { name: "member_removed", channel: "presence-r", user_id: "1" },
  ]);
});

Deno.test("engine: the 101st distinct presence user is refused, an extra socket of a member is not", async () => {
  const { connect } = setup();
  const join = async (user: string) => {
    const c = connect();
    const cd = JSON.stringify({ user_id: user });
    await c.send(sub("presence-big", `${KEY}:${hmac(`${c.id}:presence-big:${cd}`)}`, cd));
    return c;
  };
  for (let i = 0; i < 100; i++) assert.ok((await join(`u${i}`)).last("pusher_internal:subscription_succeeded"));
  assert.ok((await join("u100")).last("pusher:error"));
  assert.ok((await join("u5")).last("pusher_internal:subscription_succeeded"));
});

Deno.test("engine: client events go to others only, with user_id on presence, rate limited with 4301", async () => {
  const { connect, webhooks } = setup();
  const a = connect(), b = connect(), pub = connect();
  for (const c of [a, b]) await c.send(sub("private-c", `${KEY}:${hmac(`${c.id}:private-c`)}`));
  await pub.send(sub("public"));
  await a.send({ event: "client-hi", channel: "private-c", data: { n: 1 } });
  assert.deepEqual(b.last("client-hi"), { event: "client-hi", channel: "private-c", data: { n: 1 } });
  assert.ok(!a.last("client-hi"));
  assert.deepEqual(webhooks.at(-1), {
    name: "client_event",
    channel: "private-c",
    event: "client-hi",
    data: '{"n":1}',
    socket_id: a.id,
  });
  await pub.send({ event: "client-hi", channel: "public", data: {} });
  assert.ok(pub.last("pusher:error"));
  await pub.send({ event: "client-hi", channel: "private-c", data: {} });
  assert.match((pub.last("pusher:error")!.data as { message: string }).message, /not subscribed/);
  b.frames.length = 0;
  for (let i = 0; i < 25; i++) await a.send({ event: "client-n", channel: "private-c", data: { i } });
  assert.equal(b.events().filter((e) => e === "client-n").length, 9); // one was used above in this second
  assert.ok(
    a.frames.filter((f) => f.event === "pusher:error" && (f.data as { code: number }).code === 4301).length >= 15,
  );
  assert.equal(a.closed, undefined);
});

Deno.test("engine: cache channels replay the last event or send cache_miss once per burst", async () => {
  const { connect, engine, webhooks } = setup();
  await engine.publish({ channels: ["cache-x"], name: "ev", data: "d" });
  const a = connect();
  await a.send(sub("cache-x"));
  assert.deepEqual(a.frames.slice(1, 3).map((f) => f.event), ["pusher_internal:subscription_succeeded", "ev"]);
  const cs = [connect(), connect(), connect()];
  await Promise.all(cs.map((c) => c.send(sub("cache-y"))));
  for (const c of cs) assert.ok(c.last("pusher:cache_miss"));
  assert.equal(webhooks.filter((w) => w.name === "cache_miss").length, 1);
});

Deno.test("engine: subscription_count goes to every subscriber and as a webhook", async () => {
  const { connect, webhooks } = setup();
  const a = connect(), b = connect();
  await a.send(sub("my-channel"));
  await b.send(sub("my-channel"));
  for (const c of [a, b]) {
    assert.deepEqual(JSON.parse(c.last("pusher_internal:subscription_count")!.data as string), {
      subscription_count: 2,
    });
  }
  assert.deepEqual(webhooks.at(-1), { name: "subscription_count", channel: "my-channel", subscription_count: 2 });
});

Deno.test("engine: signin, #server-to-user delivery to every socket of the user, terminate closes with 4009", async () => {
  const { connect, engine } = setup();
  const signIn = async (c: Client, id: string) => {
    const user_data = JSON.stringify({ id });
    await c.send({
      event: "pusher:signin",
      data: { auth: `${KEY}:${hmac(`${c.id}::user::${user_data}`)}`, user_data },
    });
    return user_data;
  };
  const a = connect(), a2 = connect(), other = connect();
  const ud = await signIn(a, "u1");
  assert.deepEqual(JSON.parse(a.last("pusher:signin_success")!.data as string), { user_data: ud });
  await signIn(a2, "u1");
  await other.send(sub("#server-to-user-u1"));
  assert.ok(other.last("pusher:error"));
  await a.send(sub("#server-to-user-u1"));
  assert.ok(a.last("pusher_internal:subscription_succeeded"));
  await engine.publish({ channels: ["#server-to-user-u1"], name: "hello", data: "x" });
  assert.ok(a.last("hello") && a2.last("hello") && !other.last("hello"));
  // bad signature
  await other.send({ event: "pusher:signin", data: { auth: `${KEY}:${"a".repeat(64)}`, user_data: '{"id":"u2"}' } });
  assert.ok(other.last("pusher:error") && !other.last("pusher:signin_success"));
  await engine.terminateUser("u1");
  assert.equal(a.closed?.[0], 4009);
  assert.equal(a2.closed?.[0], 4009);
  assert.equal(other.closed, undefined);
  assert.equal(engine.connections().length, 1);
});

Deno.test("engine: vacated waits for the grace period and is cancelled by a quick resubscribe", async () => {
  const { connect, engine, webhooks, advance } = setup();
  const a = connect();
  await a.send(sub("room"));
  await engine.disconnect(a.id);
  const b = connect();
  advance(1000);
  engine.tick();
  await b.send(sub("room"));
  advance(5000);
  engine.tick();
  assert.deepEqual(webhooks.filter((w) => w.name.startsWith("channel_")).map((w) => w.name), ["channel_occupied"]);
  await engine.disconnect(b.id);
  advance(3000);
  engine.tick();
  assert.deepEqual(webhooks.filter((w) => w.name.startsWith("channel_")).map((w) => w.name), [
    "channel_occupied",
    "channel_vacated",
  ]);
});

Deno.test("engine: a silent socket is pinged after activity_timeout and closed 4201 after the pong wait", () => {
  const { connect, engine, advance } = setup({ activityTimeout: 2, pongTimeout: 1 });
  const a = connect();
  advance(2000);
  engine.tick();
  assert.equal(a.frames.at(-1)!.event, "pusher:connection_established", "pusher-js's own ping gets a head start");
  advance(500);
  engine.tick();
  assert.equal(a.frames.at(-1)!.event, "pusher:ping");
  assert.equal(engine.nextDeadline(), 1_000_000 + 3000);
  advance(400);
  engine.tick();
  assert.equal(a.closed, undefined);
  advance(100);
  engine.tick();
  assert.equal(a.closed?.[0], 4201);
  assert.equal(engine.connections().length, 0);
});

Deno.test("engine: garbage frames get pusher:error and the socket keeps working", async () => {
  const { connect } = setup();
  const a = connect();
  for (const g of ["not json", "[]", "null", '{"event":5}', '{"event":"pusher:foo"}', "x".repeat(70_000)]) {
    await a.send(g);
  }
  await a.send(new Uint8Array([1, 2, 3]) as unknown as string);
  await a.send(sub("ok"));
  assert.ok(a.last("pusher_internal:subscription_succeeded"));
  assert.equal(a.closed, undefined);
});

Deno.test("engine: 300 private subscribes sent in one burst (pusher-js after a reconnect) all succeed in order", async () => {
  const { connect } = setup();
  const a = connect();
  const names = Array.from({ length: 300 }, (_, i) => `private-n${i}`);
  await Promise.all(names.map((n) => a.send(sub(n, `${KEY}:${hmac(`${a.id}:${n}`)}`))));
  const ok = a.frames.filter((f) => f.event === "pusher_internal:subscription_succeeded").map((f) => f.channel);
  assert.deepEqual(ok, names);
});

Deno.test("engine: watchlist gets the initial online ids, then online/offline edges, and 4302 past 100 ids", async () => {
  const { connect, engine } = setup();
  const signIn = async (c: Client, user: Record<string, unknown>) => {
    const user_data = JSON.stringify(user);
    await c.send({
      event: "pusher:signin",
      data: { auth: `${KEY}:${hmac(`${c.id}::user::${user_data}`)}`, user_data },
    });
  };
  const watch = (c: Client) =>
    c.frames.filter((f) => f.event === "pusher_internal:watchlist_events").map((f) =>
      JSON.parse(f.data as string).events[0]
    );
  const u3 = connect();
  await signIn(u3, { id: "u3" });
  const u1 = connect();
  await signIn(u1, { id: "u1", watchlist: ["u2", "u3"] });
  assert.deepEqual(watch(u1), [{ name: "online", user_ids: ["u3"] }]);
  const u2a = connect(), u2b = connect();
  await signIn(u2a, { id: "u2" });
  await signIn(u2b, { id: "u2" });
  await engine.disconnect(u2a.id);
  await engine.disconnect(u2b.id);
  assert.deepEqual(watch(u1).slice(1), [{ name: "online", user_ids: ["u2"] }, { name: "offline", user_ids: ["u2"] }]);
  const big = connect();
  await signIn(big, { id: "big", watchlist: Array.from({ length: 101 }, (_, i) => `w${i}`) });
  assert.ok(big.last("pusher:signin_success"));
  assert.equal((big.last("pusher:error")!.data as { code: number }).code, 4302);
});

Deno.test("engine: a new engine on the same bus resumes connections from their snapshots (hibernation)", async () => {
  const bus = createLocalBus();
  const first = setup({ bus });
  const a = first.connect(), b = first.connect();
  for (const [c, user] of [[a, "1"], [b, "2"]] as const) {
    const cd = JSON.stringify({ user_id: user });
    await c.send(sub("presence-h", `${KEY}:${hmac(`${c.id}:presence-h:${cd}`)}`, cd));
  }
  const snapshots = JSON.parse(JSON.stringify(first.engine.connections()));
  const second = createEngine({ appId: "1", key: KEY, secret: SECRET, bus });
  const got: Record<string, string[]> = { [a.id]: [], [b.id]: [] };
  for (const s of snapshots) second.resume(s, { send: (f) => got[s.socketId].push(f), close() {} });
  await second.message(a.id, JSON.stringify({ event: "client-x", channel: "presence-h", data: {} }));
  assert.deepEqual(JSON.parse(got[b.id][0]), { event: "client-x", channel: "presence-h", data: {}, user_id: "1" });
  await second.publish({ channels: ["presence-h"], name: "e", data: "d" });
  assert.equal(got[a.id].length, 1);
  await second.disconnect(a.id);
  assert.deepEqual(JSON.parse(got[b.id].at(-1)!), {
    event: "pusher_internal:member_removed",
    channel: "presence-h",
    data: '{"user_id":"1"}',
  });
});

Deno.test("engine: a ping with event not first is still answered; closeSocket sends the error then the code", async () => {
  const { connect, engine } = setup();
  const a = connect();
  await a.send('{"data":{},"event":"pusher:ping"}');
  assert.equal(a.frames.at(-1)!.event, "pusher:pong");
  assert.equal(engine.closeSocket(a.id, 4200, "Please reconnect immediately"), true);
  assert.deepEqual(a.closed, [4200, "Please reconnect immediately"]);
  assert.deepEqual(a.frames.at(-1)!.data, { code: 4200, message: "Please reconnect immediately" });
  assert.equal(engine.closeSocket("1.1", 4200, "x"), false);
});

Deno.test("engine: above 100 subscribers subscription_count is throttled to one per 5 s, and the last count follows", async () => {
  const { connect, engine, advance } = setup();
  const socks: Client[] = [];
  for (let i = 0; i < 103; i++) {
    const c = connect();
    await c.send(sub("big"));
    socks.push(c);
  }
  const counts = () =>
    socks[0].frames.filter((f) => f.event === "pusher_internal:subscription_count").map((f) =>
      JSON.parse(f.data as string).subscription_count
    );
  assert.deepEqual(counts().slice(-2), [100, 101]); // 102 and 103 fell inside the window
  advance(5000);
  engine.tick();
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(counts().at(-1), 103);
});

Deno.test("engine: the in-process cache is bounded in bytes, oldest entries evicted first", async () => {
  const { engine } = setup();
  const data = "x".repeat(10_000);
  for (let i = 0; i < 1000; i++) await engine.publish({ channels: [`cache-${i}`], name: "e", data });
  assert.equal(await engine.cached("cache-0"), undefined);
  assert.equal((await engine.cached("cache-999"))?.data, data);
});
