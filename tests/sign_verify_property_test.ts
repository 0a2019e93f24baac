// Property tests: whatever signRequest() produces, verifyRequest() accepts, and any one-byte change is rejected.
import assert from "node:assert/strict";
import fc from "fast-check";
import { PusherError, signRequest, verifyRequest } from "../mod.ts";

const RUNS = 1000;
const T = 1_700_000_000;
const creds = { key: "app-key", secret: "app-secret" };

const request = fc.record({
  method: fc.constantFrom("GET", "POST"),
  path: fc.stringMatching(/^\/apps\/[0-9]{1,6}(\/[A-Za-z0-9_\-=@,.;]{1,20}){0,3}$/),
  params: fc.dictionary(fc.stringMatching(/^[a-z0-9_]{1,12}$/), fc.string({ maxLength: 30 }), { maxKeys: 4 })
    .filter((p) => !Object.keys(p).some((k) => k.startsWith("auth_") || k === "body_md5")),
  body: fc.option(fc.string({ minLength: 1, maxLength: 200, unit: "grapheme" }), { nil: undefined }),
});

type Req = typeof request extends fc.Arbitrary<infer R> ? R : never;

async function sign(r: Req) {
  return await signRequest({ ...creds, ...r, timestamp: T });
}

function verify(r: Req, query: string, body: string | Uint8Array | undefined = r.body) {
  return verifyRequest({ credentials: creds, method: r.method, path: r.path, query, body, now: T });
}

async function rejected(p: Promise<unknown>): Promise<boolean> {
  try {
    await p;
    return false;
  } catch (err) {
    assert.ok(err instanceof PusherError, `expected a PusherError, got ${err}`);
    return true;
  }
}

// Replaces the byte at `index` of a string's UTF-8 with a different ASCII byte, keeping valid UTF-8 when possible.
function flipChar(s: string, index: number, replacement: string): string {
  const i = index % s.length;
  const c = s[i] === replacement ? (replacement === "a" ? "b" : "a") : replacement;
  return s.slice(0, i) + c + s.slice(i + 1);
}

Deno.test("signRequest() → verifyRequest() round trip holds for generated requests", async () => {
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const signed = await sign(r);
      const out = await verify(r, signed.query);
      assert.deepEqual(out.params, { ...r.params });
    }),
    { numRuns: RUNS },
  );
});

Deno.test("verifyRequest() rejects any one-character change to the method, path or a query value", async () => {
  await fc.assert(
    fc.asyncProperty(request, fc.nat(), fc.constantFrom("x", "0", "Z"), async (r, at, ch) => {
      const signed = await sign(r);
      assert.ok(await rejected(verify({ ...r, method: r.method === "GET" ? "POST" : "GET" }, signed.query)));
      assert.ok(await rejected(verify({ ...r, path: flipChar(r.path, at, ch) }, signed.query)));
      const pairs = [...new URLSearchParams(signed.query)].filter(([k]) => k !== "auth_signature");
      const [k, v] = pairs[at % pairs.length];
      const tampered = new URLSearchParams(signed.query);
      tampered.set(k, v.length === 0 ? ch : flipChar(v, at, ch));
      assert.ok(await rejected(verify(r, tampered.toString())));
    }),
    { numRuns: RUNS },
  );
});

Deno.test("verifyRequest() rejects any one-byte change to the body or the signature", async () => {
  await fc.assert(
    fc.asyncProperty(request, fc.nat(), fc.integer({ min: 1, max: 255 }), async (r, at, xor) => {
      const body = r.body ?? "{}";
      const rr = { ...r, body };
      const signed = await sign(rr);
      const bytes = new TextEncoder().encode(body);
      const changed = bytes.slice();
      changed[at % bytes.length] ^= xor;
      assert.ok(await rejected(verify(rr, signed.query, changed)));
      const sig = signed.signature;
      const i = at % sig.length;
      const other = "0123456789abcdef"[(parseInt(sig[i], 16) + (xor % 15) + 1) % 16];
      const badSig = sig.slice(0, i) + other + sig.slice(i + 1);
      assert.ok(await rejected(verify(rr, signed.query.replace(sig, badSig))));
    }),
    { numRuns: RUNS },
  );
});
