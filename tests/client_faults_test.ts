// Client fault injection (issue 7). A raw TCP server on 127.0.0.1 (Deno.listen, port 0) misbehaves on purpose —
// never answers, closes the connection, answers half a body, answers garbage, 5xx/429 with and without Retry-After,
// answers slowly, answers non-JSON — and counts the requests it received, so retries are checked on the wire.
// client_transport_test.ts covers the happy retry paths on the verifying loopback; this file is the fault matrix.
import assert from "node:assert/strict";
import { Pusher, PusherError, type PusherOptions, PusherRequestError } from "../mod.ts";

const SECRET = "faults-secret-7ad3773142a6692b25b8";
const KEY = "faults-key";
const enc = new TextEncoder();
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Received {
  method: string;
  path: string;
  body: string;
}

type Action =
  | { kind: "hang" }
  | { kind: "close" }
  | { kind: "garbage" }
  | { kind: "respond"; status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  | { kind: "truncate"; status: number; declared: number; body: string }
  | { kind: "trickle"; chunks: string[]; everyMs: number };

interface Faulty {
  port: number;
  received: Received[];
  close(): Promise<void>;
}

async function readRequest(conn: Deno.Conn): Promise<Received | null> {
  let buf = new Uint8Array(0);
  const chunk = new Uint8Array(16 * 1024);
  const append = (n: number) => {
    const next = new Uint8Array(buf.length + n);
    next.set(buf);
    next.set(chunk.subarray(0, n), buf.length);
    buf = next;
  };
  let headEnd = -1;
  while (headEnd < 0) {
    const n = await conn.read(chunk);
    if (n === null) return null;
    append(n);
    headEnd = new TextDecoder().decode(buf).indexOf("\r\n\r\n");
  }
  const head = new TextDecoder().decode(buf).slice(0, headEnd);
  const [requestLine, ...lines] = head.split("\r\n");
  const [method, target] = requestLine.split(" ");
  const length = Number(lines.find((l) => /^content-length:/i.test(l))?.split(":")[1] ?? 0);
  const bodyStart = enc.encode(head).length + 4;
  while (buf.length < bodyStart + length) {
    const n = await conn.read(chunk);
    if (n === null) return null;
    append(n);
  }
  return {
    method,
    path: target.split("?")[0],
    body: new TextDecoder().decode(buf.subarray(bodyStart, bodyStart + length)),
  };
}

function startFaulty(behave: (req: Received, index: number) => Action): Faulty {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const received: Received[] = [];
  const conns = new Set<Deno.Conn>();
  const handlers = new Set<Promise<void>>();
  const write = (conn: Deno.Conn, s: string) => conn.write(enc.encode(s));
  async function handle(conn: Deno.Conn) {
    const req = await readRequest(conn);
    if (!req) return;
    received.push(req);
    const action = behave(req, received.length - 1);
    switch (action.kind) {
      case "hang": // keep the connection open, say nothing, until the client gives up
        while ((await conn.read(new Uint8Array(1024))) !== null) { /* drain */ }
        return;
      case "close":
        return;
      case "garbage":
        await write(conn, "SMTP ready\r\n\r\n\x00\x01\x02");
        return;
      case "respond": {
        if (action.delayMs) await delay(action.delayMs);
        const body = enc.encode(action.body ?? "");
        const headers = Object.entries({ "content-type": "text/plain", ...action.headers })
          .map(([k, v]) => `${k}: ${v}\r\n`).join("");
        await write(
          conn,
          `HTTP/1.1 ${action.status} X\r\n${headers}content-length: ${body.length}\r\nconnection: close\r\n\r\n`,
        );
        await conn.write(body);
        return;
      }
      case "truncate":
        await write(
          conn,
          `HTTP/1.1 ${action.status} X\r\ncontent-type: application/json\r\ncontent-length: ${action.declared}\r\nconnection: close\r\n\r\n${action.body}`,
        );
        return;
      case "trickle": {
        const total = action.chunks.reduce((n, c) => n + enc.encode(c).length, 0);
        await write(
          conn,
          `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${total}\r\nconnection: close\r\n\r\n`,
        );
        for (const c of action.chunks) {
          await delay(action.everyMs);
          await write(conn, c);
        }
        return;
      }
    }
  }
  const accepting = (async () => {
    for await (const conn of listener) {
      conns.add(conn);
      const h: Promise<void> = handle(conn).catch(() => {}).finally(() => {
        conns.delete(conn);
        try {
          conn.close();
        } catch { /* already closed */ }
        handlers.delete(h);
      });
      handlers.add(h);
    }
  })().catch(() => {});
  return {
    port: listener.addr.port,
    received,
    async close() {
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch { /* already closed */ }
      }
      await Promise.allSettled([...handlers]);
      await accepting;
    },
  };
}

function client(server: Faulty, extra: Partial<PusherOptions> = {}): Pusher {
  return new Pusher({
    appId: "7",
    key: KEY,
    secret: SECRET,
    host: "127.0.0.1",
    port: server.port,
    useTLS: false,
    ...extra,
  });
}

async function withFaulty(behave: (req: Received, index: number) => Action, fn: (s: Faulty) => Promise<void>) {
  const server = startFaulty(behave);
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  assert.fail("expected a rejection");
}

function assertNoSecrets(err: unknown) {
  const own = [String(err), JSON.stringify(err), (err as Error).stack ?? ""].join("\n");
  const all = own + Deno.inspect(err, { depth: 10 });
  assert.ok(!all.includes(SECRET), "secret in the error or its cause");
  // The error's own text holds the path only; Deno's fetch TypeError in `cause` may quote the signed URL (public key
  // and a signature for that one request, never the secret): see reliability-findings.md. A 401 keeps the signed
  // string (auth_key, auth_timestamp, …) on purpose, for debugging.
  assert.ok(!own.includes("auth_signature="), "signed query in the error");
}

// ---------------------------------------------------------------------------------------------------------------
// The matrix: fault × retry config × operation; the count on the server is the proof.
const FAULTS: { name: string; action: Action; code: string; status?: number; retryable: boolean }[] = [
  { name: "connection closed without an answer", action: { kind: "close" }, code: "ERR_NETWORK", retryable: true },
  { name: "garbage instead of HTTP", action: { kind: "garbage" }, code: "ERR_NETWORK", retryable: true },
  {
    name: "200 with half the declared body",
    action: { kind: "truncate", status: 200, declared: 100, body: '{"chan' },
    code: "ERR_NETWORK",
    retryable: true,
  },
  {
    name: "500",
    action: { kind: "respond", status: 500, body: "boom" },
    code: "ERR_REQUEST_FAILED",
    status: 500,
    retryable: true,
  },
  {
    name: "502 HTML",
    action: { kind: "respond", status: 502, body: "<html>bad gateway</html>" },
    code: "ERR_REQUEST_FAILED",
    status: 502,
    retryable: true,
  },
  { name: "503", action: { kind: "respond", status: 503 }, code: "ERR_REQUEST_FAILED", status: 503, retryable: true },
  {
    name: "503 Retry-After: 0",
    action: { kind: "respond", status: 503, headers: { "retry-after": "0" } },
    code: "ERR_REQUEST_FAILED",
    status: 503,
    retryable: true,
  },
  {
    name: "429",
    action: { kind: "respond", status: 429, body: "slow down" },
    code: "ERR_REQUEST_FAILED",
    status: 429,
    retryable: true,
  },
  {
    name: "429 Retry-After: HTTP date in the past",
    action: { kind: "respond", status: 429, headers: { "retry-after": "Wed, 21 Oct 2015 07:28:00 GMT" } },
    code: "ERR_REQUEST_FAILED",
    status: 429,
    retryable: true,
  },
  {
    name: "429 Retry-After: garbage (falls back to backoff)",
    action: { kind: "respond", status: 429, headers: { "retry-after": "soon" } },
    code: "ERR_REQUEST_FAILED",
    status: 429,
    retryable: true,
  },
  {
    name: "400",
    action: { kind: "respond", status: 400, body: "bad" },
    code: "ERR_REQUEST_FAILED",
    status: 400,
    retryable: false,
  },
  {
    name: "401",
    action: { kind: "respond", status: 401, body: "Invalid signature" },
    code: "ERR_REQUEST_FAILED",
    status: 401,
    retryable: false,
  },
  { name: "413", action: { kind: "respond", status: 413 }, code: "ERR_REQUEST_FAILED", status: 413, retryable: false },
];

const CONFIGS: { name: string; retry?: PusherOptions["retry"]; retriesGet: number; retriesPost: number }[] = [
  { name: "no retry option", retriesGet: 0, retriesPost: 0 },
  { name: "retry: false", retry: false, retriesGet: 0, retriesPost: 0 },
  { name: "retry {retries: 2}", retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 }, retriesGet: 2, retriesPost: 0 },
  {
    name: "retry {retries: 2, posts: true}",
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5, posts: true },
    retriesGet: 2,
    retriesPost: 2,
  },
];

const OPS: { name: string; post: boolean; run: (p: Pusher) => Promise<unknown> }[] = [
  { name: "channels()", post: false, run: (p) => p.channels() },
  { name: "channel()", post: false, run: (p) => p.channel("presence-a", { info: "user_count" }) },
  { name: "users()", post: false, run: (p) => p.users("presence-a") },
  { name: "get()", post: false, run: (p) => p.get({ path: "/channels" }) },
  { name: "trigger()", post: true, run: (p) => p.trigger("c", "e", { n: 1 }) },
  { name: "triggerBatch()", post: true, run: (p) => p.triggerBatch([{ channel: "c", name: "e", data: 1 }]) },
  { name: "sendToUser()", post: true, run: (p) => p.sendToUser("u1", "e", 1) },
  { name: "terminateUserConnections()", post: true, run: (p) => p.terminateUserConnections("u1") },
  { name: "post()", post: true, run: (p) => p.post({ path: "/events", body: { a: 1 } }) },
];

Deno.test(`client fault matrix: ${FAULTS.length} faults × ${CONFIGS.length} retry configs × ${OPS.length} operations`, async () => {
  let behave: Action = { kind: "close" };
  await withFaulty(() => behave, async (server) => {
    const failures: string[] = [];
    for (const fault of FAULTS) {
      behave = fault.action;
      for (const config of CONFIGS) {
        const pusher = client(server, {
          timeout: 2000,
          ...(config.retry === undefined ? {} : { retry: config.retry }),
        });
        for (const op of OPS) {
          const before = server.received.length;
          const err = await caught(op.run(pusher));
          const sent = server.received.length - before;
          const retries = fault.retryable ? (op.post ? config.retriesPost : config.retriesGet) : 0;
          const where = `${fault.name} / ${config.name} / ${op.name}`;
          if (!(err instanceof PusherRequestError)) {
            failures.push(`${where}: not a PusherRequestError: ${err}`);
            continue;
          }
          if (err.code !== fault.code) failures.push(`${where}: code ${err.code}, expected ${fault.code}`);
          if (fault.status !== undefined && err.status !== fault.status) {
            failures.push(`${where}: status ${err.status}`);
          }
          if (sent !== 1 + retries) failures.push(`${where}: server received ${sent}, expected ${1 + retries}`);
          if (err.attempts !== 1 + retries) {
            failures.push(`${where}: attempts ${err.attempts}, expected ${1 + retries}`);
          }
          if (err.stage !== "transport") failures.push(`${where}: stage ${err.stage}`);
          try {
            assertNoSecrets(err);
          } catch (e) {
            failures.push(`${where}: ${e instanceof Error ? e.message : e}: ${err.stack}`);
          }
        }
      }
    }
    assert.deepEqual(failures, [], failures.join("\n"));
    // Every trigger that was received more than once was received under retry.posts.
    const triggers = server.received.filter((r) => r.method === "POST");
    assert.ok(triggers.length > 0);
  });
});

// ---------------------------------------------------------------------------------------------------------------
Deno.test("a server that never answers: the timeout fires with ERR_TIMEOUT, and a timed-out trigger is sent once", async () => {
  await withFaulty(() => ({ kind: "hang" }), async (server) => {
    const started = performance.now();
    const err = await caught(client(server, { timeout: 150 }).channels());
    const took = performance.now() - started;
    assert.ok(err instanceof PusherRequestError && err.code === "ERR_TIMEOUT", String(err));
    assert.equal(err.status, undefined);
    assert.ok(took >= 140 && took < 2000, `took ${took} ms`);
    assertNoSecrets(err);

    // Timeouts are not retried (documented: network errors, 5xx and 429 are), not even for a GET, and a trigger that
    // may have reached the service is never sent twice without retry.posts.
    const before = server.received.length;
    const retrying = client(server, { timeout: 100, retry: { retries: 3, minDelayMs: 1, maxDelayMs: 2 } });
    const e2 = await caught(retrying.trigger("c", "e", 1));
    assert.ok(e2 instanceof PusherRequestError && e2.code === "ERR_TIMEOUT");
    const e3 = await caught(retrying.channels());
    assert.ok(e3 instanceof PusherRequestError && e3.code === "ERR_TIMEOUT");
    assert.equal(server.received.length - before, 2);
  });
});

Deno.test("a body that stops half-way: the timeout covers reading the answer", async () => {
  await withFaulty(() => ({ kind: "trickle", chunks: ['{"chan', 'nels":{}}'], everyMs: 400 }), async (server) => {
    const err = await caught(client(server, { timeout: 150 }).channels());
    assert.ok(err instanceof PusherRequestError && err.code === "ERR_TIMEOUT", String(err));
  });
});

Deno.test("slow but within the timeout: slow headers and a trickled body both succeed, sent once", async () => {
  await withFaulty(
    (_req, i) =>
      i === 0
        ? {
          kind: "respond",
          status: 200,
          headers: { "content-type": "application/json" },
          body: '{"channels":{"a":{}}}',
          delayMs: 200,
        }
        : { kind: "trickle", chunks: ['{"chan', 'nels":', '{"b":{}}}'], everyMs: 60 },
    async (server) => {
      const pusher = client(server, { timeout: 2000, retry: { retries: 2, minDelayMs: 1 } });
      assert.deepEqual(await pusher.channels(), { channels: { a: {} } });
      assert.deepEqual(await pusher.channels(), { channels: { b: {} } });
      assert.equal(server.received.length, 2);
    },
  );
});

Deno.test("Retry-After is honoured on the wire: the retry comes after the requested delay", async () => {
  const times: number[] = [];
  await withFaulty(
    (_req, i): Action => {
      times.push(performance.now());
      return i === 0
        ? { kind: "respond", status: 503, headers: { "retry-after": "1" } }
        : { kind: "respond", status: 200, headers: { "content-type": "application/json" }, body: "{}" };
    },
    async (server) => {
      await client(server, { retry: { retries: 1, minDelayMs: 1, maxDelayMs: 3000 } }).channels();
      assert.equal(server.received.length, 2);
      assert.ok(times[1] - times[0] >= 950, `retried after ${times[1] - times[0]} ms`);
    },
  );
});

Deno.test("connection refused: ERR_NETWORK, retried for GETs only when configured", async () => {
  const server = startFaulty(() => ({ kind: "close" }));
  const port = server.port;
  await server.close();
  const pusher = new Pusher({
    appId: "7",
    key: KEY,
    secret: SECRET,
    host: "127.0.0.1",
    port,
    useTLS: false,
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 },
  });
  const get = await caught(pusher.channels());
  assert.ok(get instanceof PusherRequestError && get.code === "ERR_NETWORK");
  assert.equal(get.attempts, 3);
  const post = await caught(pusher.trigger("c", "e", 1));
  assert.ok(post instanceof PusherRequestError && post.code === "ERR_NETWORK");
  assert.equal(post.attempts, 1);
  assertNoSecrets(get);
  assertNoSecrets(post);
});

const NON_JSON_200: [string, string][] = [
  ["HTML", "<html>hello</html>"],
  ["truncated JSON", '{"channels":'],
  ["JSON null", "null"],
  ["JSON number", "42"],
  ["JSON string", '"ok"'],
];
for (const [name, body] of NON_JSON_200) {
  Deno.test(`a 200 with a ${name} body: a typed PusherError, not a TypeError, sent once`, async () => {
    await withFaulty(
      () => ({ kind: "respond", status: 200, headers: { "content-type": "application/json" }, body }),
      async (server) => {
        const pusher = client(server, { retry: { retries: 2, minDelayMs: 1 } });
        for (
          const run of [() => pusher.channels(), () => pusher.channel("presence-a"), () => pusher.trigger("c", "e", 1)]
        ) {
          const err = await caught(run());
          assert.ok(err instanceof PusherError, `${name}: expected a PusherError, got ${err}`);
          assert.equal(err.code, "ERR_REQUEST_FAILED");
          assertNoSecrets(err);
        }
        assert.equal(server.received.length, 3);
      },
    );
  });
}
