// Secrets (issue 7): every error message, thrown error, log line, String()/JSON.stringify/Deno.inspect of config and
// client objects, URL kept on an error, and app response for bad input is collected, then searched for the app
// secret, the master key (base64, base64url, hex, and the raw bytes as text), the JWT secret, derived shared secrets,
// and every signature the server would have expected. None may appear.
import assert from "node:assert/strict";
import {
  authenticateUser,
  authorizeChannel,
  Pusher,
  PusherError,
  signRequest,
  verifyRequest,
  verifyWebhook,
} from "../mod.ts";
import { channelSharedSecret, decryptPayload, encryption, encryptPayload } from "../src/encryption/mod.ts";
import { appOptionsFromEnv, createApp, createEmulator, pusherChannelAuth, pusherWebhook } from "../src/hono/mod.ts";
import { Hono } from "hono";
import { sign as signJwt } from "hono/jwt";

const APP_ID = "4242";
const KEY = "public-key-4242";
const SECRET = "s3cr3t-Value-That-Must-Not-Leak";
const JWT_SECRET = "jwt-secret-that-must-not-leak-0123";
const MASTER = crypto.getRandomValues(new Uint8Array(32));
const MASTER_B64 = btoa(String.fromCharCode(...MASTER));
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const b64url = (s: string) => s.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** Everything that must never be seen; expected signatures are added as they are computed. */
const forbidden = new Map<string, string>([
  ["secret", SECRET],
  ["JWT secret", JWT_SECRET],
  ["master key (base64)", MASTER_B64],
  ["master key (base64url)", b64url(MASTER_B64)],
  ["master key (hex)", hex(MASTER)],
  ["master key (latin1 bytes)", String.fromCharCode(...MASTER.subarray(0, 12))],
]);
async function forbidShared(channel: string) {
  const s = await channelSharedSecret(channel, MASTER);
  forbidden.set(`shared secret of ${channel} (base64)`, btoa(String.fromCharCode(...s)));
  forbidden.set(`shared secret of ${channel} (hex)`, hex(s));
}
async function forbidExpected(label: string, data: string) {
  const k = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(SECRET),
    { name: "HMAC", hash: "SHA-256" },
    false,
    [
      "sign",
    ],
  );
  forbidden.set(
    `expected signature: ${label}`,
    hex(new Uint8Array(await crypto.subtle.sign("HMAC", k, new TextEncoder().encode(data)))),
  );
}

/** Everything collected, with where it came from. */
const seen: [string, string][] = [];
function collect(where: string, value: unknown) {
  const texts: string[] = [];
  if (value instanceof Error) {
    texts.push(value.message, String(value), value.stack ?? "");
    let cause: unknown = value.cause;
    for (let i = 0; cause !== undefined && i < 5; i++) {
      texts.push(String(cause), cause instanceof Error ? cause.message : "");
      cause = cause instanceof Error ? cause.cause : undefined;
    }
    for (const [k, v] of Object.entries(value)) texts.push(`${k}=${typeof v === "string" ? v : JSON.stringify(v)}`);
  }
  try {
    texts.push(String(value));
  } catch { /* objects without toString */ }
  try {
    texts.push(JSON.stringify(value) ?? "");
  } catch { /* cycles */ }
  texts.push(Deno.inspect(value, { depth: 10, showHidden: true, getters: true }));
  texts.push(Deno.inspect(value, { depth: 10, colors: true }));
  for (const t of texts) seen.push([where, t]);
}
async function collectRejection(where: string, p: Promise<unknown> | (() => unknown)) {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (err) {
    collect(where, err);
    return err;
  }
  assert.fail(`${where}: expected a rejection`);
}

// Capture every console line printed while the scenarios run.
const consoleLines: string[] = [];
const methods = ["log", "error", "warn", "info", "debug", "trace"] as const;
const originals = Object.fromEntries(methods.map((m) => [m, console[m]]));
function captureConsole() {
  for (const m of methods) {
    console[m] = (...args: unknown[]) =>
      consoleLines.push(args.map((a) => typeof a === "string" ? a : Deno.inspect(a)).join(" "));
  }
}
function restoreConsole() {
  for (const m of methods) console[m] = originals[m];
}

function findLeaks(): string[] {
  const leaks: string[] = [];
  const all: [string, string][] = [...seen, ...consoleLines.map((l) => ["console", l] as [string, string])];
  for (const [where, text] of all) {
    for (const [what, value] of forbidden) {
      if (text.includes(value)) leaks.push(`${what} in ${where}: ${text.slice(0, 300)}`);
    }
  }
  return leaks;
}

// ---------------------------------------------------------------------------------------------------------------
Deno.test("no secret, master key, derived key or expected signature in any error, log line, object dump or response", async () => {
  captureConsole();
  try {
    // 1. Client objects and config errors.
    const options = { appId: APP_ID, key: KEY, secret: SECRET, encryptionMasterKeyBase64: MASTER_B64, encryption };
    const pusher = new Pusher({ ...options, host: "127.0.0.1", port: 9, useTLS: false });
    console.log(pusher);
    console.log("%o", pusher);
    console.error(pusher);
    collect("Pusher", pusher);
    collect("Pusher.forURL", Pusher.forURL(`https://${KEY}:${SECRET}@api-eu.pusher.com/apps/${APP_ID}`));
    collect(
      "Pusher.fromEnv",
      Pusher.fromEnv({
        PUSHER_APP_ID: APP_ID,
        PUSHER_KEY: KEY,
        PUSHER_SECRET: SECRET,
        PUSHER_CLUSTER: "eu",
        PUSHER_ENCRYPTION_MASTER_KEY_BASE64: MASTER_B64,
      }),
    );
    collect("encryption provider", encryption);
    const badKeys = [MASTER_B64.slice(0, -4), MASTER_B64 + "AAAA", MASTER_B64.replace(/[A-Z]/, "!"), hex(MASTER)];
    for (const [i, k] of badKeys.entries()) {
      await collectRejection(
        `new Pusher(bad master key ${i})`,
        () => new Pusher({ ...options, encryptionMasterKeyBase64: k }),
      );
      await collectRejection(
        `authorizeChannel(bad master key ${i})`,
        authorizeChannel({
          key: KEY,
          secret: SECRET,
          socketId: "1.1",
          channel: "private-encrypted-a",
          encryptionMasterKey: k,
        }),
      );
      await collectRejection(`encryptPayload(bad master key ${i})`, encryptPayload("private-encrypted-a", 1, k));
    }
    await collectRejection("new Pusher(secret as appId)", () => new Pusher({ ...options, appId: SECRET + "/x" }));
    await collectRejection("new Pusher(secret as host)", () => new Pusher({ ...options, host: `${SECRET}:1/x` }));
    await collectRejection(
      "new Pusher(secret as timeout)",
      () => new Pusher({ ...options, timeout: SECRET as unknown as number }),
    );
    await collectRejection("Pusher.forURL(malformed)", () => Pusher.forURL(`https://${KEY}:${SECRET}@/apps/`));
    await collectRejection("Pusher.forURL(no app)", () => Pusher.forURL(`https://${KEY}:${SECRET}@host/nothing`));
    await collectRejection(
      "Pusher.fromEnv(bad URL)",
      () => Pusher.fromEnv({ PUSHER_URL: `ht!tp://${KEY}:${SECRET}@x y` }),
    );
    await collectRejection("Pusher.fromEnv(partial)", () => Pusher.fromEnv({ PUSHER_SECRET: SECRET }));

    // 2. Client request errors against a loopback server that answers 401 (with a Pusher text), 500 and garbage,
    // hooks included; and a network error to a closed port.
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
      await req.text();
      const path = new URL(req.url).pathname;
      if (path.endsWith("/events")) {
        return new Response('Invalid signature: you should have sent HmacSHA256Hex("…")', { status: 401 });
      }
      if (path.endsWith("/batch_events")) return new Response("internal", { status: 500 });
      return new Response("<html>not json</html>", { status: 200 });
    });
    try {
      const hooked = new Pusher({
        ...options,
        host: "127.0.0.1",
        port: server.addr.port,
        useTLS: false,
        onRequest: (e) => collect("onRequest event", e),
        onResponse: (e) => collect("onResponse event", e),
      });
      await collectRejection("trigger 401", hooked.trigger("private-encrypted-a", "e", { secret: "payload" }));
      await collectRejection("trigger 401 (plain)", hooked.trigger("c", "e", 1));
      await collectRejection("batch 500", hooked.triggerBatch([{ channel: "c", name: "e", data: 1 }]));
      await collectRejection("channels non-JSON", hooked.channels());
      await forbidShared("private-encrypted-a");
    } finally {
      await server.shutdown();
    }
    await collectRejection("network error", pusher.channels());
    // A loopback listener that accepts and never answers: the timeout fires.
    const silent = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const held: Deno.Conn[] = [];
    const accepting = (async () => {
      for await (const c of silent) held.push(c);
    })().catch(() => {});
    await collectRejection(
      "timeout",
      new Pusher({ ...options, host: "127.0.0.1", port: silent.addr.port, timeout: 50, useTLS: false }).channels(),
    );
    silent.close();
    for (const c of held) c.close();
    await accepting;
    await collectRejection("aborted", pusher.channels(undefined, { signal: AbortSignal.abort(new Error("stop")) }));

    // 3. Core verification errors: the expected signature must not be given away.
    const ts = Math.floor(Date.now() / 1000);
    const body = '{"name":"e","data":"1","channels":["c"]}';
    const good = await signRequest({
      key: KEY,
      secret: SECRET,
      method: "POST",
      path: `/apps/${APP_ID}/events`,
      body,
      timestamp: ts,
    });
    forbidden.set(
      "expected signature: trigger on another path",
      (await signRequest({
        key: KEY,
        secret: SECRET,
        method: "POST",
        path: `/apps/${APP_ID}/evil`,
        body,
        timestamp: ts,
      })).signature,
    );
    const wrong = good.query.replace(good.signature, "0".repeat(64));
    await collectRejection(
      "verifyRequest mismatch",
      verifyRequest({
        credentials: { key: KEY, secret: SECRET },
        method: "POST",
        path: `/apps/${APP_ID}/evil`,
        query: good.query,
        body,
      }),
    );
    await collectRejection(
      "verifyRequest zero signature",
      verifyRequest({
        credentials: { key: KEY, secret: SECRET },
        method: "POST",
        path: `/apps/${APP_ID}/events`,
        query: wrong,
        body,
      }),
    );
    await collectRejection(
      "verifyRequest body changed",
      verifyRequest({
        credentials: { key: KEY, secret: SECRET },
        method: "POST",
        path: `/apps/${APP_ID}/events`,
        query: good.query,
        body: body + " ",
      }),
    );
    const hookBody = JSON.stringify({ time_ms: Date.now(), events: [] });
    await forbidExpected("webhook", hookBody);
    for (const sig of ["0".repeat(64), "zz", ""]) {
      await collectRejection(
        `verifyWebhook ${sig.length}`,
        verifyWebhook({
          headers: { "content-type": "application/json", "x-pusher-key": KEY, "x-pusher-signature": sig },
          body: hookBody,
          credentials: { key: KEY, secret: SECRET },
        }),
      );
    }
    collect("pusher.webhook()", pusher.webhook({ headers: { "x-pusher-key": KEY }, rawBody: hookBody }));
    await collectRejection(
      "pusher.webhook().getData()",
      pusher.webhook({
        headers: { "content-type": "application/json", "x-pusher-key": KEY, "x-pusher-signature": "0".repeat(64) },
        rawBody: hookBody,
      }).getData(),
    );
    await collectRejection(
      "authorizeChannel injection",
      authorizeChannel({
        key: KEY,
        secret: SECRET,
        socketId: "1.1:private-b",
        channel: "private-encrypted-a",
        encryptionMasterKey: MASTER,
      }),
    );
    await collectRejection(
      "authenticateUser bad user",
      authenticateUser({ key: KEY, secret: SECRET, socketId: "1.1", userData: { id: "" } }),
    );
    const cipher = JSON.parse(await encryptPayload("private-encrypted-a", "hi", MASTER));
    await collectRejection(
      "decryptPayload other channel",
      decryptPayload("private-encrypted-b", JSON.stringify(cipher), MASTER),
    );
    await forbidShared("private-encrypted-b");
    await collectRejection(
      "decryptPayload bad nonce",
      decryptPayload("private-encrypted-a", JSON.stringify({ ...cipher, nonce: "AAAA" }), MASTER),
    );
    await collectRejection("decryptPayload not JSON", decryptPayload("private-encrypted-a", MASTER_B64, MASTER));

    // 4. The app: bad input to every endpoint (production credentials, emulator on), plus a hook that throws an
    // error quoting the secret; responses (status line, headers, body) and console lines are collected.
    const env = {
      PUSHER_APP_ID: APP_ID,
      PUSHER_KEY: KEY,
      PUSHER_SECRET: SECRET,
      PUSHER_ENCRYPTION_MASTER_KEY_BASE64: MASTER_B64,
      PUSHER_AUTH_JWT_SECRET: JWT_SECRET,
      PUSHER_EMULATOR: "1",
    };
    const app = createApp(appOptionsFromEnv(env));
    const token = await signJwt({ sub: "1", exp: Math.floor(Date.now() / 1000) + 60 }, JWT_SECRET, "HS256");
    const wrongToken = await signJwt({ sub: "1" }, "not-the-jwt-secret-0123456789", "HS256");
    const requests: [string, RequestInit][] = [
      ["/", {}],
      ["/emulator/info", {}],
      ["/emulator/log", {}],
      ["/health", {}],
      ["/pusher/auth", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Bearer ${wrongToken}` },
        body: "socket_id=1.1&channel_name=private-encrypted-a",
      }],
      ["/pusher/auth", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Bearer ${token}` },
        body: "socket_id=1.1:x&channel_name=private-encrypted-a",
      }],
      ["/pusher/auth", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: "{",
      }],
      ["/pusher/user-auth", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"socket_id":"1.1"}',
      }],
      ["/pusher/webhook", {
        method: "POST",
        headers: { "content-type": "application/json", "x-pusher-key": KEY, "x-pusher-signature": "0".repeat(64) },
        body: hookBody,
      }],
      ["/pusher/webhook", {
        method: "POST",
        headers: { "content-type": "application/json", "x-pusher-key": "nope" },
        body: hookBody,
      }],
      [`/apps/${APP_ID}/evil?${good.query}`, { method: "POST", headers: { "content-type": "application/json" }, body }],
      [`/apps/${APP_ID}/events?${wrong}`, { method: "POST", headers: { "content-type": "application/json" }, body }],
      [`/apps/${APP_ID}/events?${good.query}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: body + " ",
      }],
      [
        `/apps/${APP_ID}/channels?filter_by_prefix=zz&auth_key=${KEY}&auth_timestamp=${ts}&auth_version=1.0&auth_signature=${
          "1".repeat(64)
        }`,
        {},
      ],
      ["/emulator/log", {}],
      [
        "/emulator/demo/trigger",
        { method: "POST", headers: { "content-type": "application/json" }, body: '{"tamper":true}' },
      ],
      ["/emulator/log", {}],
    ];
    await forbidExpected(
      "GET channels",
      `GET\n/apps/${APP_ID}/channels\nauth_key=${KEY}&auth_timestamp=${ts}&auth_version=1.0&filter_by_prefix=zz`,
    );
    for (const [path, init] of requests) {
      const res = await app.request(path, init);
      const text = await res.text();
      seen.push([
        `app ${init.method ?? "GET"} ${path.slice(0, 60)} → ${res.status}`,
        `${[...res.headers].join("\n")}\n${text}`,
      ]);
    }
    // The emulator's SSE stream replays the log; read its first events.
    const stream = await app.request("/emulator/stream");
    const reader = stream.body!.getReader();
    let sse = "";
    while (sse.split("event: entry").length < 4) {
      const { value, done } = await reader.read();
      if (done) break;
      sse += new TextDecoder().decode(value);
    }
    await reader.cancel();
    seen.push(["emulator SSE stream", sse]);

    // A hook that throws an error quoting the secret: the client gets a generic 500, the log names the class only.
    const leaky = new Hono();
    leaky.post(
      "/auth",
      pusherChannelAuth({
        key: KEY,
        secret: SECRET,
        authorize: () => {
          throw new Error(`db password ${SECRET}`);
        },
      }),
    );
    leaky.post("/hook", pusherWebhook({ credentials: { key: KEY, secret: SECRET } }), () => {
      throw new Error(`handler saw ${SECRET}`);
    });
    const throwing = createApp({ credentials: { appId: APP_ID, key: KEY, secret: SECRET } });
    throwing.route("/leaky", leaky);
    for (
      const [path, init] of [
        ["/leaky/auth", {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: "socket_id=1.1&channel_name=private-a",
        }],
        ["/leaky/hook", {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-pusher-key": KEY,
            "x-pusher-signature": forbidden.get("expected signature: webhook")!,
          },
          body: hookBody,
        }],
      ] as [string, RequestInit][]
    ) {
      const res = await throwing.request(path, init);
      seen.push([`throwing app ${path} → ${res.status}`, await res.text()]);
    }
    collect(
      "emulator app",
      createEmulator({ appId: APP_ID, key: KEY, secret: SECRET, encryptionMasterKey: MASTER_B64 }),
    );
  } finally {
    restoreConsole();
  }
  assert.ok(seen.length > 200, `only ${seen.length} texts collected`);
  if (Deno.env.get("SECRETS_STATS")) console.log(`${seen.length} texts, ${consoleLines.length} console lines`);
  assert.ok(consoleLines.length >= 3, "console output was captured");
  const leaks = findLeaks();
  assert.deepEqual(leaks, [], `${leaks.length} leaks:\n${leaks.join("\n")}`);
});

Deno.test("the collector does catch a leak (control)", () => {
  const before = seen.length;
  collect("control", { nested: { secret: SECRET } });
  collect("control", new Error(`x ${hex(MASTER)}`));
  const leaks = findLeaks();
  seen.length = before;
  assert.ok(
    leaks.some((l) => l.startsWith("secret in control")) && leaks.some((l) => l.startsWith("master key (hex)")),
  );
});

Deno.test("Pusher hides the secret and master key from console.log, String(), JSON.stringify and Deno.inspect", () => {
  const pusher = new Pusher({ appId: APP_ID, key: KEY, secret: SECRET, encryptionMasterKeyBase64: MASTER_B64 });
  for (
    const text of [
      String(pusher),
      JSON.stringify(pusher),
      Deno.inspect(pusher),
      Deno.inspect(pusher, { showHidden: true, depth: 9 }),
      `${pusher}`,
    ]
  ) {
    assert.ok(!text.includes(SECRET) && !text.includes(MASTER_B64) && !text.includes(hex(MASTER)), text);
  }
  assert.ok(Deno.inspect(pusher).includes(KEY), "the public key is still shown");
});

Deno.test("PusherError messages for config problems name the option, not its value", async () => {
  const err = await collectRejection(
    "bad master key",
    () => new Pusher({ appId: "1", key: "k", secret: SECRET, encryptionMasterKeyBase64: "x" + MASTER_B64 }),
  );
  assert.ok(err instanceof PusherError);
  assert.match(err.message, /encryptionMasterKeyBase64|master key/i);
});
