// Configuration: defaults, validation, forURL, fromEnv, and the secret never leaking.
import assert from "node:assert/strict";
import { Pusher, PusherError } from "../mod.ts";
import { resolveConfig } from "../src/client/_config.ts";
import { optionsFromEnv, optionsFromURL } from "../src/client/_from.ts";
import { parseRetryAfter, retryDelay } from "../src/client/_retry.ts";
import { VERSION } from "../src/client/_version.ts";

const BASE = { appId: "1", key: "key", secret: "super-secret-value" };

function throwsCode(fn: () => unknown, code: string, message?: RegExp): PusherError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof PusherError, String(err));
    assert.equal(err.code, code);
    if (message) assert.match(err.message, message);
    return err;
  }
  assert.fail(`expected ${code}`);
}

Deno.test("VERSION matches deno.json's version", async () => {
  const { version } = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
  assert.equal(VERSION, version);
});

Deno.test("new Pusher() defaults to TLS, api.pusherapp.com, 30 s timeout and 10240-byte payloads", () => {
  const cfg = resolveConfig(BASE);
  assert.equal(cfg.baseURL, "https://api.pusherapp.com");
  assert.equal(cfg.timeout, 30_000);
  assert.equal(cfg.maxPayloadBytes, 10_240);
  assert.equal(cfg.retry, undefined);
  assert.equal(cfg.appPath, "/apps/1");
});

Deno.test("new Pusher() builds the host from cluster, lets host win, and keeps a port and path prefix", () => {
  assert.equal(resolveConfig({ ...BASE, cluster: "eu" }).baseURL, "https://api-eu.pusher.com");
  const cfg = resolveConfig({
    ...BASE,
    cluster: "eu",
    host: "ws.example.com",
    port: 6001,
    useTLS: false,
    pathPrefix: "/soketi/",
  });
  assert.equal(cfg.baseURL, "http://ws.example.com:6001");
  assert.equal(cfg.appPath, "/soketi/apps/1");
  assert.equal(resolveConfig({ ...BASE, appId: 123 }).appId, "123");
});

Deno.test("new Pusher() rejects bad options with ERR_INVALID_CONFIG naming the option, never the secret", () => {
  throwsCode(() => new Pusher({ ...BASE, secret: "" }), "ERR_INVALID_CONFIG", /secret/);
  throwsCode(() => new Pusher({ ...BASE, appId: "1/2" }), "ERR_INVALID_CONFIG", /appId/);
  throwsCode(() => new Pusher({ ...BASE, host: "https://api.example.com" }), "ERR_INVALID_CONFIG", /host/);
  throwsCode(() => new Pusher({ ...BASE, cluster: "eu/x" }), "ERR_INVALID_CONFIG", /cluster/);
  throwsCode(() => new Pusher({ ...BASE, port: 70000 }), "ERR_INVALID_CONFIG", /port/);
  throwsCode(() => new Pusher({ ...BASE, timeout: -1 }), "ERR_INVALID_CONFIG", /timeout/);
  throwsCode(() => new Pusher({ ...BASE, pathPrefix: "/a?b" }), "ERR_INVALID_CONFIG", /pathPrefix/);
  throwsCode(() => new Pusher({ ...BASE, retry: { retries: 1.5 } }), "ERR_INVALID_CONFIG", /retry\.retries/);
  // deno-lint-ignore no-explicit-any
  throwsCode(() => new Pusher({ ...BASE, encryption: {} as any }), "ERR_INVALID_CONFIG", /encryption/);
  const err = throwsCode(
    () => new Pusher({ ...BASE, encryptionMasterKeyBase64: "c2VjcmV0" }),
    "ERR_ENCRYPTION_KEY_INVALID",
  );
  assert.ok(!err.message.includes("c2VjcmV0"));
});

Deno.test("Pusher hides the secret from JSON.stringify, console.log and String()", () => {
  const pusher = new Pusher({ ...BASE, encryptionMasterKeyBase64: "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=" });
  for (
    const shown of [JSON.stringify(pusher), Deno.inspect(pusher), Deno.inspect({ nested: pusher }), String(pusher)]
  ) {
    assert.ok(!shown.includes("super-secret-value"), shown);
    assert.ok(!shown.includes("zyrm8pvV2C9f"), shown);
  }
  assert.match(Deno.inspect(pusher), /Pusher .*"key":"key"/);
  const nodeInspect = (pusher as unknown as Record<symbol, () => string>)[Symbol.for("nodejs.util.inspect.custom")]();
  assert.ok(!nodeInspect.includes("super-secret-value"));
});

Deno.test("Pusher.forURL() reads key, secret, host, port, scheme and a path prefix", () => {
  const o = optionsFromURL("http://my%20key:s%2Fecret@127.0.0.1:6001/proxy/pusher/apps/app-1");
  assert.deepEqual(
    [o.appId, o.key, o.secret, o.host, o.port, o.useTLS, o.pathPrefix],
    ["app-1", "my key", "s/ecret", "127.0.0.1", 6001, false, "/proxy/pusher"],
  );
  const p = optionsFromURL("https://k:s@api-eu.pusher.com/apps/123");
  assert.deepEqual([p.port, p.useTLS, p.pathPrefix], [undefined, true, undefined]);
  assert.ok(Pusher.forURL("https://k:s@api-eu.pusher.com/apps/123", { timeout: 5 }) instanceof Pusher);
});

Deno.test("Pusher.forURL() rejects malformed URLs without echoing them", () => {
  for (
    const url of [
      "not a url",
      "ftp://k:s@h/apps/1",
      "https://h/apps/1",
      "https://k:s@h/v1/1",
      "https://k:s@h/apps/1?x=1",
    ]
  ) {
    const err = throwsCode(() => Pusher.forURL(url), "ERR_INVALID_CONFIG");
    assert.ok(!err.message.includes("k:s"));
  }
});

Deno.test("Pusher.fromEnv() names every missing variable in one error", () => {
  throwsCode(
    () => Pusher.fromEnv({ PUSHER_KEY: "k" }),
    "ERR_INVALID_CONFIG",
    /PUSHER_APP_ID, PUSHER_SECRET, PUSHER_CLUSTER \(or PUSHER_HOST\)/,
  );
});

Deno.test("Pusher.fromEnv() reads separate variables, PUSHER_URL, Deno.env-style get() and extra options", () => {
  const o = optionsFromEnv({ PUSHER_APP_ID: "7", PUSHER_KEY: "k", PUSHER_SECRET: "s", PUSHER_CLUSTER: "ap1" });
  assert.deepEqual([o.appId, o.key, o.secret, o.cluster], ["7", "k", "s", "ap1"]);
  const u = optionsFromEnv({ PUSHER_URL: "https://k:s@h.example/apps/9", PUSHER_APP_ID: "ignored" });
  assert.deepEqual([u.appId, u.host], ["9", "h.example"]);
  const map = new Map([["PUSHER_APP_ID", "1"], ["PUSHER_KEY", "k"], ["PUSHER_SECRET", "s"], [
    "PUSHER_HOST",
    "localhost",
  ], [
    "PUSHER_PORT",
    "6001",
  ], ["PUSHER_USE_TLS", "false"]]);
  const m = optionsFromEnv(map, { timeout: 1000 });
  assert.deepEqual([m.host, m.port, m.useTLS, m.timeout], ["localhost", 6001, false, 1000]);
  throwsCode(() => optionsFromEnv({ ...Object.fromEntries(map), PUSHER_USE_TLS: "yes" }), "ERR_INVALID_CONFIG");
});

Deno.test("Pusher.fromEnv() without an argument reads the ambient environment", () => {
  const names = ["PUSHER_URL", "PUSHER_APP_ID", "PUSHER_KEY", "PUSHER_SECRET", "PUSHER_CLUSTER", "PUSHER_HOST"];
  const saved = names.map((n) => [n, Deno.env.get(n)] as const);
  try {
    for (const n of names) Deno.env.delete(n);
    Deno.env.set("PUSHER_URL", "https://k:s@h.example/apps/5");
    assert.match(JSON.stringify(Pusher.fromEnv()), /"appId":"5"/);
  } finally {
    for (const [n, v] of saved) v === undefined ? Deno.env.delete(n) : Deno.env.set(n, v);
  }
});

Deno.test("parseRetryAfter() reads seconds and HTTP dates", () => {
  assert.equal(parseRetryAfter("3"), 3000);
  assert.equal(parseRetryAfter(null), undefined);
  assert.equal(parseRetryAfter("soon"), undefined);
  const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");
  assert.equal(parseRetryAfter("Wed, 21 Oct 2015 07:28:02 GMT", now), 2000);
  assert.equal(parseRetryAfter("Wed, 21 Oct 2015 07:27:00 GMT", now), 0);
});

Deno.test("retryDelay() uses full jitter under an exponential ceiling and caps Retry-After", () => {
  const policy = { retries: 5, minDelayMs: 100, maxDelayMs: 1000, posts: false };
  assert.equal(retryDelay(policy, 1, undefined, () => 0.999), 99);
  assert.equal(retryDelay(policy, 3, undefined, () => 0.5), 200);
  assert.equal(retryDelay(policy, 10, undefined, () => 0.999), 999);
  assert.equal(retryDelay(policy, 1, 800), 800);
  assert.equal(retryDelay(policy, 1, 1001), undefined);
});
