import assert from "node:assert/strict";
import { COMMANDS } from "../src/cli/cli.ts";
import { cli, startEmulator } from "./_cli_helpers.ts";

const emu = await startEmulator();
const env = emu.env;
const events = async (channel: string) =>
  (await (await fetch(`${emu.origin}/emulator/events?channel=${channel}`)).json()).events as {
    name: string;
    data: string;
    socket_id?: string;
  }[];

Deno.test("cli users prints the seeded members", async () => {
  const text = await cli(["users", "presence-demo"], { env });
  assert.equal(text.code, 0);
  assert.equal(text.stdout, "2 user(s) on presence-demo:\n  1\n  2\n");
  const json = await cli(["users", "presence-demo", "--json"], { env });
  assert.deepEqual(json.json(), { ok: true, channel: "presence-demo", users: [{ id: "1" }, { id: "2" }] });
});

Deno.test("cli trigger sends data as is, from @file and from stdin, with --socket-id and --info", async () => {
  const r = await cli([
    "trigger",
    "t-one,presence-demo",
    "ev-1",
    '{"a":1}',
    "--socket-id",
    "1.2",
    "--info",
    "subscription_count",
  ], {
    env,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /triggered "ev-1" on 2 channel\(s\): t-one, presence-demo/);
  assert.ok(r.stdout.includes("  presence-demo  subscription_count=2\n"), r.stdout);
  const [e] = await events("t-one");
  assert.deepEqual(e && { name: e.name, data: e.data, socket_id: e.socket_id }, {
    name: "ev-1",
    data: '{"a":1}',
    socket_id: "1.2",
  });
  assert.equal((await cli(["trigger", "t-file", "ev", "@d.json"], { env, files: { "d.json": "from file" } })).code, 0);
  assert.equal((await cli(["trigger", "t-stdin", "ev", "-", "--json"], { env, stdin: "from stdin" })).code, 0);
  assert.equal((await events("t-file"))[0].data, "from file");
  assert.equal((await events("t-stdin"))[0].data, "from stdin");
});

Deno.test("cli batch sends a JSON file and refuses more than 10 events without --split", async () => {
  const batch = JSON.stringify([{ channel: "b-1", name: "e1", data: "x" }, {
    channel: "presence-demo",
    name: "e2",
    data: "y",
    info: "user_count",
  }]);
  const r = await cli(["batch", "b.json", "--json"], { env, files: { "b.json": batch } });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.json(), { ok: true, events: 2, result: [{}, { user_count: 2 }] });
  const eleven = JSON.stringify({
    batch: Array.from({ length: 11 }, (_, i) => ({ channel: `b-${i}`, name: "e", data: "x" })),
  });
  const refused = await cli(["batch", "b.json"], { env, files: { "b.json": eleven } });
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /ERR_BATCH_TOO_LARGE/);
  const split = await cli(["batch", "b.json", "--split"], { env, files: { "b.json": eleven } });
  assert.equal(split.code, 0, split.stderr);
  assert.match(split.stdout, /sent 11 event\(s\) in 2 request\(s\)/);
  assert.equal((await cli(["batch", "b.json"], { env, files: { "b.json": "{" } })).code, 2);
});

Deno.test("cli channels, channel and their --info", async () => {
  const all = await cli(["channels", "--json"], { env });
  assert.equal(all.code, 0);
  assert.ok("presence-demo" in (all.json().channels as object));
  const presence = await cli(["channels", "--prefix", "presence-", "--info", "user_count", "--json"], { env });
  assert.deepEqual(presence.json(), { ok: true, channels: { "presence-demo": { user_count: 2 } } });
  const text = await cli(["channel", "presence-demo", "--info", "user_count"], { env });
  assert.equal(text.stdout, "presence-demo\n  occupied: true\n  user_count: 2\n");
  // The server refuses user_count without a presence- prefix: the request fails with exit code 3.
  const refused = await cli(["channels", "--info", "user_count", "--json"], { env });
  assert.equal(refused.code, 3);
  assert.equal((refused.json().error as { status: number }).status, 400);
});

Deno.test("cli terminate and send-to-user reach the emulator", async () => {
  const t = await cli(["terminate", "user-9", "--json"], { env });
  assert.deepEqual(t.json(), { ok: true, user: "user-9" });
  const state = await (await fetch(`${emu.origin}/emulator/channels`)).json();
  assert.ok(state.terminated.includes("user-9"));
  const s = await cli(["send-to-user", "user-9", "hello", '{"x":1}'], { env });
  assert.equal(s.code, 0);
  assert.equal((await events("%23server-to-user-user-9"))[0].data, '{"x":1}');
});

Deno.test("cli REST exit codes: 2 for usage and input, 3 for a refused or unreachable request", async () => {
  assert.equal((await cli(["users", "demo"], { env })).code, 2);
  assert.equal((await cli(["users"], { env })).code, 2);
  assert.equal((await cli(["users", "presence-demo", "--bogus"], { env })).code, 2);
  assert.equal((await cli(["nope"], { env })).code, 2);
  const partial = await cli(["users", "presence-demo"], { env: { PUSHER_KEY: "k" } });
  assert.equal(partial.code, 2);
  assert.match(partial.stderr, /--app-id \(or PUSHER_APP_ID\).*--secret \(or PUSHER_SECRET\)/);
  const secret = "not-the-emulator-secret-1234";
  const bad = await cli(["users", "presence-demo", "--secret", secret, "--json"], { env });
  assert.equal(bad.code, 3);
  const error = bad.json().error as { status: number; stringToSign: string; body: string };
  assert.equal(error.status, 401);
  assert.match(error.body, /^Invalid signature/);
  assert.match(error.stringToSign, /^GET\n\/apps\/1\/channels\/presence-demo\/users\n/);
  assert.ok(!bad.stdout.includes(secret) && !bad.stderr.includes(secret), "the secret is never printed");
  const down = await cli(["users", "presence-demo", "--host", "127.0.0.1", "--port", "1", "--no-tls"], { env });
  assert.equal(down.code, 3);
  assert.match(down.stderr, /failed before a response arrived/);
});

Deno.test("cli without credentials uses the local emulator address and says so", async () => {
  const seen: string[] = [];
  const r = await cli(["channels"], {
    fetch: (input) => {
      seen.push(String(input));
      return Promise.resolve(Response.json({ channels: {} }));
    },
  });
  assert.equal(r.code, 0);
  assert.match(seen[0], /^http:\/\/127\.0\.0\.1:8787\/apps\/1\/channels\?auth_key=emulator-key&/);
  assert.match(r.stderr, /using the local emulator/);
  assert.ok(!r.stderr.includes("emulator-secret"));
});

Deno.test("cli --help works on every command", async () => {
  for (const cmd of COMMANDS) {
    const r = await cli([...cmd.name.split(" "), "--help"]);
    assert.equal(r.code, 0, cmd.name);
    assert.match(r.stdout, new RegExp(`^Usage: pusher-edge ${cmd.name}`), cmd.name);
  }
  const top = await cli(["--help"]);
  assert.equal(top.code, 0);
  assert.ok(top.stdout.includes("Exit codes:\n  0  success\n  1  a check failed"));
  assert.equal((await cli(["auth", "--help"])).code, 0);
  assert.equal((await cli([])).code, 2);
});

Deno.test({
  name: "cli rest tests: stop the emulator",
  fn: () => emu.close(),
});
