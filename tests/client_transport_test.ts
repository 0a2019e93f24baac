// Timeouts, aborts, retries, Retry-After, hooks and typed errors, against the loopback server over real HTTP.
import assert from "node:assert/strict";
import { Pusher, PusherRequestError, type RequestEvent, type ResponseEvent } from "../mod.ts";
import type { PusherOptions } from "../mod.ts";
import { APP_ID, KEY, type Loopback, SECRET, startLoopback } from "./_loopback.ts";

function client(server: Loopback, extra: Partial<PusherOptions> = {}): Pusher {
  return new Pusher({
    appId: APP_ID,
    key: KEY,
    secret: SECRET,
    host: "127.0.0.1",
    port: server.port,
    useTLS: false,
    ...extra,
  });
}

async function withServer(fn: (server: Loopback) => Promise<void>) {
  const server = startLoopback();
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

async function rejectsWith(p: Promise<unknown>, code: string): Promise<PusherRequestError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof PusherRequestError, `expected PusherRequestError, got ${err}`);
    assert.equal(err.code, code);
    return err;
  }
  assert.fail(`expected ${code}`);
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("Pusher.get() fails with ERR_TIMEOUT when the server is slower than timeout", async () => {
  await withServer(async (server) => {
    server.respond = async () => {
      await delay(300);
      return Response.json({});
    };
    const err = await rejectsWith(client(server, { timeout: 50 }).channels(), "ERR_TIMEOUT");
    assert.equal(err.path, `/apps/${APP_ID}/channels`);
    assert.equal(err.status, undefined);
    assert.equal(err.stage, "transport");
  });
});

Deno.test("Pusher.trigger() fails with ERR_ABORTED when the caller's signal aborts", async () => {
  await withServer(async (server) => {
    server.respond = async () => {
      await delay(300);
      return Response.json({});
    };
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    await rejectsWith(client(server).trigger("c", "e", 1, undefined, { signal: controller.signal }), "ERR_ABORTED");
  });
});

Deno.test("Pusher.trigger() with an already aborted signal sends nothing", async () => {
  await withServer(async (server) => {
    await rejectsWith(client(server).trigger("c", "e", 1, undefined, { signal: AbortSignal.abort() }), "ERR_ABORTED");
    assert.equal(server.requests.length, 0);
  });
});

Deno.test("Pusher.channels() fails with ERR_NETWORK when nothing listens", async () => {
  const server = startLoopback();
  const pusher = client(server);
  await server.close();
  const err = await rejectsWith(pusher.channels(), "ERR_NETWORK");
  assert.equal(err.attempts, 1);
});

Deno.test("Pusher.get() retries a 503 and a 429, then succeeds", async () => {
  await withServer(async (server) => {
    server.respond = (_req, i) =>
      i === 0
        ? new Response("busy", { status: 503 })
        : i === 1
        ? new Response("slow down", { status: 429 })
        : undefined;
    const result = await client(server, { retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 } }).channels();
    assert.equal(server.requests.length, 3);
    assert.ok(server.requests.every((r) => r.verified === true), "every retry is freshly signed");
    assert.deepEqual(Object.keys(result.channels), ["presence-room", "presence-lobby"]);
  });
});

Deno.test("Pusher.get() gives up after retry.retries and reports the attempts", async () => {
  await withServer(async (server) => {
    server.respond = () => new Response("down", { status: 500 });
    const err = await rejectsWith(
      client(server, { retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 } }).users("presence-a"),
      "ERR_REQUEST_FAILED",
    );
    assert.equal(server.requests.length, 3);
    assert.equal(err.attempts, 3);
    assert.equal(err.status, 500);
    assert.equal(err.body, "down");
  });
});

Deno.test("Pusher.get() does not retry a 400", async () => {
  await withServer(async (server) => {
    server.respond = () => new Response("bad", { status: 400 });
    await rejectsWith(client(server, { retry: { minDelayMs: 1 } }).channels(), "ERR_REQUEST_FAILED");
    assert.equal(server.requests.length, 1);
  });
});

Deno.test("Pusher.get() honours Retry-After (seconds)", async () => {
  await withServer(async (server) => {
    server.respond = (_req, i) =>
      i === 0 ? new Response("", { status: 429, headers: { "Retry-After": "1" } }) : undefined;
    const started = performance.now();
    await client(server, { retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2000 } }).channels();
    const waited = performance.now() - started;
    assert.equal(server.requests.length, 2);
    assert.ok(waited >= 950, `waited ${waited} ms for Retry-After: 1`);
  });
});

Deno.test("Pusher.get() does not wait for a Retry-After longer than maxDelayMs", async () => {
  await withServer(async (server) => {
    server.respond = () => new Response("", { status: 503, headers: { "Retry-After": "120" } });
    await rejectsWith(client(server, { retry: { retries: 3, maxDelayMs: 1000 } }).channels(), "ERR_REQUEST_FAILED");
    assert.equal(server.requests.length, 1);
  });
});

Deno.test("Pusher.trigger() is never retried unless retry.posts is set", async () => {
  await withServer(async (server) => {
    server.respond = () => new Response("oops", { status: 503 });
    const retrying = { retries: 3, minDelayMs: 1, maxDelayMs: 2 };
    await rejectsWith(client(server, { retry: retrying }).trigger("c", "e", 1), "ERR_REQUEST_FAILED");
    await rejectsWith(
      client(server, { retry: retrying }).triggerBatch([{ channel: "c", name: "e", data: 1 }]),
      "ERR_REQUEST_FAILED",
    );
    await rejectsWith(client(server, { retry: retrying }).terminateUserConnections("u"), "ERR_REQUEST_FAILED");
    await rejectsWith(
      client(server, { retry: retrying }).post({ path: "/events", body: { a: 1 } }),
      "ERR_REQUEST_FAILED",
    );
    assert.equal(server.requests.length, 4, "one request per POST");
    await rejectsWith(
      client(server, { retry: { ...retrying, posts: true } }).trigger("c", "e", 1),
      "ERR_REQUEST_FAILED",
    );
    assert.equal(server.requests.length, 4 + 4, "retry.posts: 1 + 3 retries");
  });
});

Deno.test("Pusher.get() retry wait is cut short by the caller's signal", async () => {
  await withServer(async (server) => {
    server.respond = () => new Response("", { status: 503, headers: { "Retry-After": "5" } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    await rejectsWith(
      client(server, { retry: { retries: 1, maxDelayMs: 10_000 } }).channels(undefined, { signal: controller.signal }),
      "ERR_ABORTED",
    );
    assert.ok(performance.now() - started < 2000);
  });
});

Deno.test("PusherRequestError for a 401 carries the string we signed and no query", async () => {
  await withServer(async (server) => {
    const wrong = new Pusher({
      appId: APP_ID,
      key: KEY,
      secret: "not-the-secret",
      host: "127.0.0.1",
      port: server.port,
      useTLS: false,
    });
    const err = await rejectsWith(wrong.trigger("c", "e", { a: 1 }), "ERR_REQUEST_FAILED");
    assert.equal(err.status, 401);
    assert.equal(err.path, `/apps/${APP_ID}/events`);
    assert.ok(err.stringToSign?.startsWith(`POST\n/apps/${APP_ID}/events\nauth_key=${KEY}&auth_timestamp=`));
    assert.ok(err.body.includes(JSON.stringify(err.stringToSign)), "the service's 'you should have sent' text matches");
    assert.ok(!err.message.includes("auth_signature") && !err.message.includes("not-the-secret"));
    assert.ok(!JSON.stringify(err).includes("not-the-secret"));
  });
});

Deno.test("PusherRequestError truncates a long service message", async () => {
  await withServer(async (server) => {
    server.respond = () => new Response("x".repeat(5000), { status: 413 });
    const err = await rejectsWith(client(server).trigger("c", "e", 1), "ERR_REQUEST_FAILED");
    assert.ok(err.body.length <= 1025);
    assert.equal(err.stringToSign, undefined);
  });
});

Deno.test("Pusher hooks see every attempt with method, path, status and no secret", async () => {
  await withServer(async (server) => {
    server.respond = (_req, i) => (i === 0 ? new Response("", { status: 502 }) : undefined);
    const requests: RequestEvent[] = [];
    const responses: ResponseEvent[] = [];
    await client(server, {
      retry: { minDelayMs: 1, maxDelayMs: 2 },
      onRequest: (e) => requests.push(e),
      onResponse: (e) => responses.push(e),
    }).channel("my-channel", { info: "subscription_count" });
    assert.deepEqual(requests.map((r) => [r.method, r.path, r.attempt]), [
      ["GET", `/apps/${APP_ID}/channels/my-channel`, 1],
      ["GET", `/apps/${APP_ID}/channels/my-channel`, 2],
    ]);
    assert.deepEqual(responses.map((r) => [r.status, r.attempt, r.error?.name]), [
      [502, 1, "PusherRequestError"],
      [200, 2, undefined],
    ]);
    assert.ok(requests.every((r) => !r.url.includes(SECRET)));
  });
});

Deno.test("Pusher uses the injected fetch and sends X-Pusher-Library with the deno.json version", async () => {
  const seen: Request[] = [];
  const pusher = new Pusher({
    appId: "1",
    key: "k",
    secret: "s",
    fetch: (input, init) => {
      seen.push(new Request(input, init));
      return Promise.resolve(Response.json({ channels: { c: { subscription_count: 4 } } }));
    },
  });
  const result = await pusher.trigger("c", "e", "d", { info: "subscription_count" });
  assert.deepEqual(result, { channels: { c: { subscription_count: 4 } } });
  const { version } = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
  assert.equal(seen[0].headers.get("x-pusher-library"), `pusher-edge ${version}`);
  assert.equal(seen[0].headers.get("content-type"), "application/json");
  assert.ok(seen[0].url.startsWith("https://api.pusherapp.com/apps/1/events?auth_key=k&"), "https by default");
});
