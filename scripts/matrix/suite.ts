// The runtime-agnostic smoke suites of `deno task matrix` (issue 5). Web APIs only: the same code runs on Deno (from
// source), Node 20 and Bun (from the npm build), workerd (Miniflare) and Vercel's edge-runtime (bundled npm build).
// The implementation is passed in, so the suite never imports the library itself.
import type * as Core from "../../mod.ts";
import type * as Encryption from "../../src/encryption/mod.ts";

/** The library under test, as loaded on one runtime. `encryption` is absent until that subpath exists. */
export interface Modules {
  core: typeof Core;
  encryption?: typeof Encryption;
}

/** Where the loopback verifier listens (`http://127.0.0.1:<port>`), and who is calling. */
export interface MatrixEnv {
  verifierOrigin: string;
  runtime: string;
}

/** One suite's outcome on one runtime. */
export interface SuiteResult {
  suite: string;
  passed: number;
  failed: number;
  /** Tests the implementation does not provide (vector suites reserved for later). */
  skipped?: number;
  failures: string[];
}

export const APP_ID = "42";
export const KEY = "278d425bdf160c739803";
export const SECRET = "7ad3773142a6692b25b8";
const MASTER_KEY_B64 = "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=";

type Case = [name: string, fn: () => Promise<void>];

async function runCases(suite: string, cases: Case[]): Promise<SuiteResult> {
  const r: SuiteResult = { suite, passed: 0, failed: 0, failures: [] };
  for (const [name, fn] of cases) {
    try {
      await fn();
      r.passed++;
    } catch (e) {
      r.failed++;
      r.failures.push(`${name}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    }
  }
  return r;
}

function assert(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new Error(msg);
}

async function rejects(p: Promise<unknown>, check: (e: unknown) => boolean, msg: string): Promise<void> {
  try {
    await p;
  } catch (e) {
    assert(check(e), `${msg}: wrong error ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    return;
  }
  throw new Error(`${msg}: did not reject`);
}

/** HMAC-SHA256 hex computed straight from Web Crypto: an oracle independent of the library. */
async function hmacHex(secret: string, data: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(data)));
  return Array.from(sig, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Known answers and round trips of the core, no network. Stands in for the vector runner until it lands. */
export function coreSuite(m: Modules): Promise<SuiteResult> {
  const { core } = m;
  const cred = { key: KEY, secret: SECRET };
  return runCases("core", [
    ["channel auth: Pusher's documented private-channel example", async () => {
      const r = await core.authorizeChannel({ ...cred, socketId: "1234.1234", channel: "private-foobar" });
      assert(r.auth === `${KEY}:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4`, r.auth);
    }],
    ["channel auth: presence channel_data signed verbatim", async () => {
      const channelData = '{"user_id":"10","user_info":{"name":"Mr. Channels"}}';
      const r = await core.authorizeChannel({
        ...cred,
        socketId: "1234.1234",
        channel: "presence-foobar",
        channelData,
      });
      const want = await hmacHex(SECRET, `1234.1234:presence-foobar:${channelData}`);
      assert(r.auth === `${KEY}:${want}` && r.channel_data === channelData, r.auth);
    }],
    ["channel auth: bad socket id is a PusherError", () =>
      rejects(
        core.authorizeChannel({ ...cred, socketId: "1234", channel: "private-a" }),
        (e) => e instanceof core.PusherError,
        "socket id",
      )],
    ["user auth matches HMAC(socket::user::user_data)", async () => {
      const r = await core.authenticateUser({ ...cred, socketId: "1234.1234", userData: { id: "42" } });
      assert(r.auth === `${KEY}:${await hmacHex(SECRET, `1234.1234::user::${r.user_data}`)}`, r.auth);
    }],
    ["signRequest: GET signature matches the string to sign", async () => {
      const s = await core.signRequest({
        ...cred,
        method: "get",
        path: "/apps/42/channels",
        params: { filter_by_prefix: "presence-", info: "user_count" },
        timestamp: 1353088179,
      });
      assert(s.stringToSign.startsWith("GET\n/apps/42/channels\nauth_key="), s.stringToSign);
      assert(s.signature === await hmacHex(SECRET, s.stringToSign), "signature");
      assert(s.bodyMd5 === null, "no body_md5 without a body");
    }],
    ["signRequest: body_md5 (MD5 works on this runtime)", async () => {
      const s = await core.signRequest({ ...cred, method: "POST", path: "/apps/42/events", body: "hello" });
      assert(s.bodyMd5 === "5d41402abc4b2a76b9719d911017c592", `md5 ${s.bodyMd5}`);
    }],
    ["verifyRequest: accepts its own signature, rejects a tampered body", async () => {
      const body = '{"name":"e","channels":["c"],"data":"{}"}';
      const s = await core.signRequest({ ...cred, method: "POST", path: "/apps/42/events", body });
      const v = await core.verifyRequest({
        credentials: cred,
        method: "POST",
        path: "/apps/42/events",
        query: s.query,
        body,
      });
      assert(v.key === KEY, "key");
      await rejects(
        core.verifyRequest({
          credentials: cred,
          method: "POST",
          path: "/apps/42/events",
          query: s.query,
          body: body + " ",
        }),
        (e) => e instanceof core.PusherError,
        "tampered body",
      );
    }],
    ["verifyWebhook: Request and header record; wrong secret rejected", async () => {
      const body = JSON.stringify({
        time_ms: Date.now(),
        events: [{ name: "member_added", channel: "presence-a", user_id: "1" }],
      });
      const headers = {
        "x-pusher-key": KEY,
        "x-pusher-signature": await hmacHex(SECRET, body),
        "content-type": "application/json; charset=utf-8",
      };
      const a = await core.verifyWebhook({
        request: new Request("http://x/", { method: "POST", headers, body }),
        credentials: cred,
      });
      assert(a.events.length === 1 && a.events[0].name === "member_added", "request form");
      const b = await core.verifyWebhook({ headers: new Headers(headers), body, credentials: cred });
      assert(b.timeMs > 0 && b.key === KEY, "headers form");
      await rejects(
        core.verifyWebhook({ headers, body, credentials: { key: KEY, secret: "wrong" } }),
        (e) => e instanceof core.PusherError,
        "wrong secret",
      );
    }],
    ["validators", () => {
      assert(core.validateChannelName("private-a") === "private-a", "channel");
      assert(core.isPresenceChannel("presence-x") && core.isEncryptedChannel("private-encrypted-x"), "kinds");
      let threw = false;
      try {
        core.validateChannelName("bad channel");
      } catch (e) {
        threw = e instanceof core.PusherError;
      }
      assert(threw, "invalid channel name");
      return Promise.resolve();
    }],
  ]);
}

/** End to end: the REST client triggers against the loopback verifier; encryption when the subpath exists. */
export function smokeSuite(m: Modules, env: MatrixEnv): Promise<SuiteResult> {
  const { core, encryption } = m;
  const url = new URL(env.verifierOrigin);
  const sent: string[] = [];
  const client = (extra: Record<string, unknown> = {}) =>
    new core.Pusher({
      appId: APP_ID,
      key: KEY,
      secret: SECRET,
      host: url.hostname,
      port: Number(url.port),
      useTLS: false,
      onRequest: (e) => {
        if (e.body) sent.push(e.body);
      },
      ...extra,
    });
  const cases: Case[] = [
    ["trigger: loopback verifier accepts the signed POST", async () => {
      const r = await client().trigger(["my-channel", "other"], "my-event", { message: "hello", runtime: env.runtime });
      assert(typeof r === "object", "result");
    }],
    ["trigger: info returns channel attributes", async () => {
      const r = await client().trigger("presence-room", "e", "x", { info: "user_count" });
      assert(JSON.stringify(r.channels) === '{"presence-room":{"user_count":1}}', JSON.stringify(r));
    }],
    ["triggerBatch: accepted", async () => {
      await client().triggerBatch([{ channel: "a", name: "e", data: "1" }, { channel: "b", name: "e", data: "2" }]);
    }],
    ["wrong secret: the verifier's 401 surfaces as PusherRequestError", () =>
      rejects(
        new core.Pusher({
          appId: APP_ID,
          key: KEY,
          secret: "wrong",
          host: url.hostname,
          port: Number(url.port),
          useTLS: false,
        })
          .trigger("a", "e", "x"),
        (e) => e instanceof core.PusherRequestError && e.status === 401,
        "401",
      )],
    ["authorizeChannel + webhook through the client facade", async () => {
      const p = client();
      const a = await p.authorizeChannel("1234.1234", "private-foobar");
      assert(a.auth.endsWith(":58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4"), a.auth);
    }],
  ];
  if (encryption) {
    const masterKey = Uint8Array.from(atob(MASTER_KEY_B64), (c) => c.charCodeAt(0));
    cases.push(
      ["encryption: encrypt/decrypt round trip, tamper rejected", async () => {
        const data = await encryption.encryption.encrypt("private-encrypted-a", { hi: "there" }, masterKey);
        const plain = await encryption.encryption.decrypt("private-encrypted-a", data, masterKey);
        assert(plain === '{"hi":"there"}', plain);
        const parsed = JSON.parse(data);
        const ct = atob(parsed.ciphertext);
        const flipped = btoa(String.fromCharCode(ct.charCodeAt(0) ^ 1) + ct.slice(1));
        await rejects(
          encryption.encryption.decrypt(
            "private-encrypted-a",
            JSON.stringify({ ...parsed, ciphertext: flipped }),
            masterKey,
          ),
          () => true,
          "tampered ciphertext",
        );
      }],
      ["encryption: trigger on private-encrypted-* sends ciphertext the verifier accepts", async () => {
        sent.length = 0;
        await client({ encryptionMasterKeyBase64: MASTER_KEY_B64, encryption: encryption.encryption })
          .trigger("private-encrypted-room", "e", { secret: "s3cr3t" });
        const body = JSON.parse(sent[sent.length - 1]);
        assert(!String(body.data).includes("s3cr3t"), "plaintext leaked");
        const plain = await encryption.encryption.decrypt("private-encrypted-room", body.data, masterKey);
        assert(plain === '{"secret":"s3cr3t"}', plain);
      }],
      ["encryption: channel auth carries the shared secret", async () => {
        const r = await core.authorizeChannel({
          key: KEY,
          secret: SECRET,
          socketId: "1234.1234",
          channel: "private-encrypted-room",
          encryptionMasterKey: MASTER_KEY_B64,
        });
        const want = await encryption.channelSharedSecret("private-encrypted-room", masterKey);
        assert(r.shared_secret === btoa(String.fromCharCode(...want)), "shared_secret");
      }],
    );
  }
  return runCases("smoke", cases);
}

/** Runs every suite available on this runtime. */
export async function runAll(m: Modules, env: MatrixEnv): Promise<SuiteResult[]> {
  return [await coreSuite(m), await smokeSuite(m, env)];
}
