import assert from "node:assert/strict";
import { PusherError, RequestVerificationError, signRequest, verifyRequest } from "../mod.ts";

const creds = { key: "278d425bdf160c739803", secret: "7ad3773142a6692b25b8" };
const T = 1353088179;
const body = '{"name":"foo","data":"{}","channels":["a"]}';

async function signed(extra: Partial<Parameters<typeof signRequest>[0]> = {}) {
  return await signRequest({ ...creds, method: "POST", path: "/apps/3/events", timestamp: T, body, ...extra });
}

function verify(query: string, over: Partial<Parameters<typeof verifyRequest>[0]> = {}) {
  return verifyRequest({ credentials: creds, method: "POST", path: "/apps/3/events", query, body, now: T, ...over });
}

function hasCode(c: string) {
  return (e: unknown) => {
    assert.ok(e instanceof PusherError, String(e));
    assert.equal(e.code, c);
    return true;
  };
}

Deno.test("verifyRequest() accepts what signRequest() produced and returns the other params", async () => {
  const s = await signed({ method: "GET", body: null, path: "/apps/3/channels", params: { info: "user_count" } });
  const out = await verify(s.query, { method: "GET", body: null, path: "/apps/3/channels" });
  assert.deepEqual(out, { key: creds.key, timestamp: T, params: { info: "user_count" } });
});

Deno.test("verifyRequest() enforces the 600 s window: 599 passes, 600 fails", async () => {
  const s = await signed();
  await verify(s.query, { now: T + 599 });
  await verify(s.query, { now: T - 599 });
  await assert.rejects(verify(s.query, { now: T + 600 }), hasCode("ERR_TIMESTAMP_OUT_OF_WINDOW"));
  await assert.rejects(verify(s.query, { now: T - 600 }), hasCode("ERR_TIMESTAMP_OUT_OF_WINDOW"));
  await assert.rejects(verify(s.query, { now: T + 10, toleranceSeconds: 10 }), hasCode("ERR_TIMESTAMP_OUT_OF_WINDOW"));
});

Deno.test("verifyRequest() reports a mismatch with the string to sign, never the expected signature", async () => {
  const s = await signed();
  const expected = s.signature;
  const tampered = s.query.replace(/auth_signature=[0-9a-f]{64}/, `auth_signature=${"a".repeat(64)}`);
  const err = await verify(tampered).catch((e) => e);
  assert.ok(err instanceof RequestVerificationError);
  assert.equal(err.code, "ERR_SIGNATURE_MISMATCH");
  assert.equal(err.stringToSign, s.stringToSign);
  assert.ok(err.message.startsWith('Invalid signature: you should have sent HmacSHA256Hex("POST\\n/apps/3/events\\n'));
  assert.ok(!err.message.includes(expected));
  assert.ok(!err.message.includes(creds.secret));
});

Deno.test("verifyRequest() checks body_md5 against the body", async () => {
  const s = await signed();
  await assert.rejects(verify(s.query, { body: body + " " }), hasCode("ERR_BODY_MD5_MISMATCH"));
  const noMd5 = await signed({ body: null });
  await assert.rejects(verify(noMd5.query), hasCode("ERR_MISSING_AUTH_PARAM"));
});

Deno.test("verifyRequest() accepts a body_md5 of the empty body on a GET", async () => {
  const query = "auth_key=key&auth_timestamp=1000&auth_version=1.0&body_md5=d41d8cd98f00b204e9800998ecf8427e&foo=bar" +
    "&auth_signature=5c49f04a95eedc9028b1e0e8de7c2c7ad63504a0e3b5c145d2accaef6c14dbac";
  const out = await verifyRequest({
    credentials: { key: "key", secret: "secret" },
    method: "GET",
    path: "/some/obscure/api",
    query,
    now: 1000,
  });
  assert.deepEqual(out.params, { foo: "bar" });
});

Deno.test("verifyRequest() decodes the query, including + and %2C", async () => {
  const s = await signRequest({
    ...creds,
    method: "GET",
    path: "/apps/3/channels/presence-foobar",
    timestamp: T,
    params: { info: "user_count,subscription_count" },
  });
  const encoded = s.query.replace("user_count,subscription_count", "user_count%2Csubscription_count");
  const opts = { credentials: creds, method: "GET", path: "/apps/3/channels/presence-foobar", now: T };
  await verifyRequest({ ...opts, query: "?" + encoded });
  await verifyRequest({ ...opts, query: new URLSearchParams(encoded) });
  const spaced = await signRequest({ ...creds, method: "GET", path: "/p", timestamp: T, params: { q: "a b" } });
  await verifyRequest({ ...opts, path: "/p", query: spaced.query.replace("a%20b", "a+b") });
});

Deno.test("verifyRequest() rejects missing, duplicate and unsupported auth params", async () => {
  const s = await signed();
  for (const name of ["auth_key", "auth_timestamp", "auth_version", "auth_signature"]) {
    const without = s.query.split("&").filter((p) => !p.startsWith(name + "=")).join("&");
    await assert.rejects(verify(without), hasCode("ERR_MISSING_AUTH_PARAM"));
  }
  await assert.rejects(verify(s.query + "&auth_signature=" + s.signature), hasCode("ERR_DUPLICATE_PARAM"));
  await assert.rejects(verify(s.query + "&AUTH_KEY=x"), hasCode("ERR_DUPLICATE_PARAM"));
  await assert.rejects(
    verify(s.query.replace("auth_version=1.0", "auth_version=2.0")),
    hasCode("ERR_UNSUPPORTED_AUTH_VERSION"),
  );
  await assert.rejects(verify(s.query, { credentials: { key: "other", secret: "x" } }), hasCode("ERR_UNKNOWN_KEY"));
  await assert.rejects(
    verify(s.query.replace("auth_timestamp=", "auth_timestamp=x")),
    hasCode("ERR_TIMESTAMP_OUT_OF_WINDOW"),
  );
  await assert.rejects(verify(s.query + "&x=%E0%A4%A"), hasCode("ERR_INVALID_PARAM"));
});

Deno.test("verifyRequest() rejects malformed signatures before comparing", async () => {
  const s = await signed();
  const withSig = (sig: string) => s.query.replace(/auth_signature=[0-9a-f]{64}/, `auth_signature=${sig}`);
  await assert.rejects(verify(withSig(s.signature.slice(0, 63))), hasCode("ERR_SIGNATURE_MALFORMED"));
  await assert.rejects(verify(withSig(s.signature.slice(0, 63) + "g")), hasCode("ERR_SIGNATURE_MALFORMED"));
  await assert.rejects(verify(withSig(s.signature.slice(0, 32) + "0".repeat(32))), hasCode("ERR_SIGNATURE_MISMATCH"));
  await verify(withSig(s.signature.toUpperCase()));
});

Deno.test("verifyRequest() picks the secret by auth_key during a key rotation", async () => {
  const old = { key: "old-key", secret: "old-secret" };
  const s = await signRequest({ ...old, method: "GET", path: "/apps/3/channels", timestamp: T });
  const out = await verifyRequest({
    credentials: [creds, old],
    method: "GET",
    path: "/apps/3/channels",
    query: s.query,
    now: T,
  });
  assert.equal(out.key, "old-key");
});
