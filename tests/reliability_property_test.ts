// Property tests (issue 7) that complement sign_verify_property_test.ts (3 × 1 000 runs) and validate_test.ts
// (2 × 2 000 runs): webhook round trip, one-byte tamper and freshness; encrypt → decrypt and tamper; channel and user
// auth against an independent Web Crypto HMAC. fast-check puts `seed` and `path` in every failure message (checked
// below), so a failure can be replayed with { seed, path }.
import assert from "node:assert/strict";
import fc from "fast-check";
import { authenticateUser, authorizeChannel, PusherError, verifyWebhook } from "../mod.ts";
import { channelSharedSecret, decryptPayload, encryptPayload } from "../src/encryption/mod.ts";

/** Runs per property; the totals are counted in the last test. */
const RUNS = {
  webhookRoundTrip: 1500,
  webhookTamper: 1500,
  webhookFreshness: 1000,
  encryptRoundTrip: 1000,
  encryptTamper: 1000,
  channelAuth: 1000,
  userAuth: 500,
};

const enc = new TextEncoder();
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const keyCache = new Map<string, CryptoKey>();
async function hmacHex(secret: string, data: string | Uint8Array): Promise<string> {
  let k = keyCache.get(secret);
  if (!k) {
    k = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    keyCache.set(secret, k);
  }
  const bytes = typeof data === "string" ? enc.encode(data) : new Uint8Array(data);
  return hex(new Uint8Array(await crypto.subtle.sign("HMAC", k, bytes)));
}

async function failure(p: Promise<unknown>): Promise<PusherError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof PusherError, `expected a PusherError, got ${err}`);
    return err;
  }
  assert.fail("expected a rejection");
}

// ---------------------------------------------------------------------------------------------------------------
// Webhooks
const PLAIN = { noNullPrototype: true } as const;
const channel = fc.stringMatching(/^[-a-zA-Z0-9_=@,.;]{1,40}$/);
const text = fc.string({ maxLength: 40, unit: "grapheme" });
const event = fc.oneof(
  fc.record({ name: fc.constantFrom("channel_occupied", "channel_vacated", "cache_miss"), channel }, PLAIN),
  fc.record({ name: fc.constantFrom("member_added", "member_removed"), channel, user_id: text }, PLAIN),
  fc.record(
    { name: fc.constant("client_event"), channel, event: text, data: text, socket_id: text, user_id: text },
    { requiredKeys: ["name", "channel", "event", "data", "socket_id"], noNullPrototype: true },
  ),
  fc.record({ name: fc.constant("subscription_count"), channel, subscription_count: fc.nat() }, PLAIN),
);
const credential = fc.record({
  key: fc.stringMatching(/^[A-Za-z0-9_-]{1,24}$/),
  secret: fc.string({ minLength: 1, maxLength: 40, unit: "grapheme" }),
});
const webhook = fc.record({
  timeMs: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  events: fc.array(event, { maxLength: 5 }),
  creds: fc.uniqueArray(credential, { minLength: 1, maxLength: 3, selector: (c) => c.key }),
  signer: fc.nat(),
  headerCase: fc.constantFrom("lower", "upper", "mixed", "Headers"),
  contentType: fc.constantFrom(
    "application/json",
    "application/json; charset=utf-8",
    "Application/JSON ;charset=UTF-8",
  ),
  spaces: fc.boolean(),
});
type Webhook = typeof webhook extends fc.Arbitrary<infer W> ? W : never;

async function deliver(w: Webhook) {
  const body = JSON.stringify({ time_ms: w.timeMs, events: w.events }, null, w.spaces ? 1 : undefined);
  const { key, secret } = w.creds[w.signer % w.creds.length];
  const signature = await hmacHex(secret, body);
  const plain = { "Content-Type": w.contentType, "X-Pusher-Key": key, "X-Pusher-Signature": signature };
  const headers = w.headerCase === "Headers" ? new Headers(plain) : Object.fromEntries(
    Object.entries(plain).map((
      [k, v],
    ) => [w.headerCase === "lower" ? k.toLowerCase() : w.headerCase === "upper" ? k.toUpperCase() : k, v]),
  );
  return { body, key, secret, signature, headers };
}

Deno.test("webhook: whatever is signed with one of the keys verifies, with every event typed back", async () => {
  await fc.assert(
    fc.asyncProperty(webhook, async (w) => {
      const d = await deliver(w);
      const out = await verifyWebhook({ headers: d.headers, body: d.body, credentials: w.creds });
      assert.equal(out.key, d.key);
      assert.equal(out.timeMs, w.timeMs);
      assert.deepEqual(out.events, w.events);
      assert.deepEqual(out.unknownEvents, []);
    }),
    { numRuns: RUNS.webhookRoundTrip },
  );
});

Deno.test("webhook: any one-byte change to the body, any one-digit change to the signature, another secret: rejected", async () => {
  await fc.assert(
    fc.asyncProperty(webhook, fc.nat(), fc.integer({ min: 1, max: 255 }), async (w, at, xor) => {
      const d = await deliver(w);
      const bytes = enc.encode(d.body);
      bytes[at % bytes.length] ^= xor;
      const e1 = await failure(verifyWebhook({ headers: d.headers, body: bytes, credentials: w.creds }));
      assert.equal(e1.code, "ERR_SIGNATURE_MISMATCH");

      const i = at % 64;
      const digit = "0123456789abcdef"[(parseInt(d.signature[i], 16) + (xor % 15) + 1) % 16];
      const sig = d.signature.slice(0, i) + digit + d.signature.slice(i + 1);
      const headers = { "content-type": "application/json", "x-pusher-key": d.key, "x-pusher-signature": sig };
      const e2 = await failure(verifyWebhook({ headers, body: d.body, credentials: w.creds }));
      assert.equal(e2.code, "ERR_SIGNATURE_MISMATCH");

      const others = w.creds.map((c) => ({ key: c.key, secret: c.secret + "x" }));
      const e3 = await failure(verifyWebhook({ headers: d.headers, body: d.body, credentials: others }));
      assert.equal(e3.code, "ERR_SIGNATURE_MISMATCH");
      // The error never carries the expected signature.
      for (const e of [e1, e2, e3]) assert.ok(!JSON.stringify({ m: e.message, ...e }).includes(d.signature));
    }),
    { numRuns: RUNS.webhookTamper },
  );
});

Deno.test("webhook: with maxAgeMs, accepted exactly when |now - time_ms| <= maxAgeMs", async () => {
  const creds = { key: "k", secret: "s" };
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1_000_000_000_000, max: 3_000_000_000_000 }),
      fc.integer({ min: 1, max: 3_600_000 }),
      fc.integer({ min: -7_200_000, max: 7_200_000 }),
      async (timeMs, maxAgeMs, skew) => {
        const body = JSON.stringify({ time_ms: timeMs, events: [] });
        const headers = {
          "content-type": "application/json",
          "x-pusher-key": "k",
          "x-pusher-signature": await hmacHex("s", body),
        };
        const now = timeMs + skew;
        const p = verifyWebhook({ headers, body, credentials: creds, maxAgeMs, now });
        if (Math.abs(skew) <= maxAgeMs) assert.equal((await p).timeMs, timeMs);
        else assert.equal((await failure(p)).code, "ERR_WEBHOOK_STALE");
      },
    ),
    { numRuns: RUNS.webhookFreshness },
  );
});

// ---------------------------------------------------------------------------------------------------------------
// End-to-end encryption
const encChannel = fc.stringMatching(/^[-a-zA-Z0-9_=@,.;]{1,40}$/).map((s) => `private-encrypted-${s}`);
const masterKey = fc.uint8Array({ minLength: 32, maxLength: 32 });
const data = fc.jsonValue({ maxDepth: 3 });

Deno.test("encryption: decryptPayload(encryptPayload(x)) === JSON.stringify(x), for bytes and base64 keys", async () => {
  await fc.assert(
    fc.asyncProperty(encChannel, masterKey, data, fc.boolean(), async (ch, key, value, asBase64) => {
      const k = asBase64 ? btoa(String.fromCharCode(...key)) : key;
      const wire = await encryptPayload(ch, value, k);
      const parsed = JSON.parse(wire);
      assert.deepEqual(Object.keys(parsed), ["nonce", "ciphertext"]);
      assert.equal(atob(parsed.nonce).length, 24);
      assert.equal(await decryptPayload(ch, wire, k), JSON.stringify(value));
    }),
    { numRuns: RUNS.encryptRoundTrip },
  );
});

Deno.test("encryption: a one-byte change to the ciphertext or nonce, another channel or key: ERR_DECRYPTION_FAILED", async () => {
  const b64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
  const unb64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  await fc.assert(
    fc.asyncProperty(
      encChannel,
      masterKey,
      data,
      fc.nat(),
      fc.integer({ min: 1, max: 255 }),
      async (ch, key, value, at, xor) => {
        const wire = JSON.parse(await encryptPayload(ch, value, key));
        const ct = unb64(wire.ciphertext);
        ct[at % ct.length] ^= xor;
        const e1 = await failure(decryptPayload(ch, JSON.stringify({ ...wire, ciphertext: b64(ct) }), key));
        assert.equal(e1.code, "ERR_DECRYPTION_FAILED");
        const nonce = unb64(wire.nonce);
        nonce[at % 24] ^= xor;
        const e2 = await failure(decryptPayload(ch, JSON.stringify({ ...wire, nonce: b64(nonce) }), key));
        assert.equal(e2.code, "ERR_DECRYPTION_FAILED");
        const e3 = await failure(decryptPayload(ch + "x", JSON.stringify(wire), key));
        assert.equal(e3.code, "ERR_DECRYPTION_FAILED");
        const other = key.slice();
        other[at % 32] ^= xor;
        const e4 = await failure(decryptPayload(ch, JSON.stringify(wire), other));
        assert.equal(e4.code, "ERR_DECRYPTION_FAILED");
        for (const e of [e1, e2, e3, e4]) {
          const seen = e.message + JSON.stringify(e) + Deno.inspect(e);
          assert.ok(!seen.includes(b64(key)) && !seen.includes(hex(key)), "the master key leaked into an error");
        }
      },
    ),
    { numRuns: RUNS.encryptTamper },
  );
});

// ---------------------------------------------------------------------------------------------------------------
// Channel and user auth, against an independent HMAC
const socketId = fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => `${a}.${b}`);
const SOCKET_REF = /^\d+\.\d+$/;

Deno.test("channel auth: auth = key:HMAC(secret, socket:channel[:channel_data]); shared_secret = SHA-256(channel‖key)", async () => {
  await fc.assert(
    fc.asyncProperty(
      credential,
      fc.oneof(socketId, fc.string({ maxLength: 12 })),
      fc.oneof(
        channel.map((c) => `private-${c}`.slice(0, 200)),
        channel.map((c) => `presence-${c}`.slice(0, 200)),
        encChannel,
      ),
      fc.record({
        user_id: fc.string({ minLength: 1, maxLength: 20 }),
        user_info: fc.option(data, { nil: undefined }),
      }),
      masterKey,
      async ({ key, secret }, socket, ch, member, mk) => {
        const presence = ch.startsWith("presence-");
        const encrypted = ch.startsWith("private-encrypted-");
        const p = authorizeChannel({
          key,
          secret,
          socketId: socket,
          channel: ch,
          ...(presence ? { channelData: member } : {}),
          ...(encrypted ? { encryptionMasterKey: mk } : {}),
        });
        if (!SOCKET_REF.test(socket)) {
          assert.equal((await failure(p)).code, "ERR_INVALID_SOCKET_ID");
          return;
        }
        const out = await p;
        if (presence) {
          assert.deepEqual(JSON.parse(out.channel_data!), JSON.parse(JSON.stringify(member)));
          assert.equal(out.auth, `${key}:${await hmacHex(secret, `${socket}:${ch}:${out.channel_data}`)}`);
        } else {
          assert.equal(out.channel_data, undefined);
          assert.equal(out.auth, `${key}:${await hmacHex(secret, `${socket}:${ch}`)}`);
        }
        if (encrypted) {
          const digest = new Uint8Array(
            await crypto.subtle.digest("SHA-256", new Uint8Array([...enc.encode(ch), ...mk])),
          );
          assert.equal(out.shared_secret, btoa(String.fromCharCode(...digest)));
          assert.deepEqual(await channelSharedSecret(ch, mk), digest);
        } else {
          assert.equal(out.shared_secret, undefined);
        }
      },
    ),
    { numRuns: RUNS.channelAuth },
  );
});

Deno.test("user auth: auth = key:HMAC(secret, socket::user::user_data), user_data round-trips", async () => {
  await fc.assert(
    fc.asyncProperty(
      credential,
      socketId,
      fc.record({
        id: fc.string({ minLength: 1, maxLength: 30, unit: "grapheme" }),
        watchlist: fc.array(fc.string(), { maxLength: 3 }),
      }, {
        requiredKeys: ["id"],
        noNullPrototype: true,
      }),
      async ({ key, secret }, socket, user) => {
        const out = await authenticateUser({ key, secret, socketId: socket, userData: user });
        assert.deepEqual(JSON.parse(out.user_data), user);
        assert.equal(out.auth, `${key}:${await hmacHex(secret, `${socket}::user::${out.user_data}`)}`);
        // Any injected colon in the socket id is refused.
        const e = await failure(authenticateUser({ key, secret, socketId: `${socket}:x`, userData: user }));
        assert.equal(e.code, "ERR_INVALID_SOCKET_ID");
      },
    ),
    { numRuns: RUNS.userAuth },
  );
});

// ---------------------------------------------------------------------------------------------------------------
Deno.test("fast-check failures name the seed and path to replay them", () => {
  let message = "";
  try {
    fc.assert(fc.property(fc.nat(), (n) => n < 10), { seed: 1234 });
  } catch (err) {
    message = String(err);
  }
  assert.match(message, /seed: 1234, path: "[0-9:]+"/);
});

Deno.test("the suite generates at least 10 000 property cases", () => {
  // sign_verify_property_test.ts: 3 × 1 000; validate_test.ts: 2 × 2 000.
  const elsewhere = 3 * 1000 + 2 * 2000;
  const here = Object.values(RUNS).reduce((a, b) => a + b, 0);
  assert.ok(elsewhere + here >= 10_000, `${elsewhere} + ${here}`);
});
