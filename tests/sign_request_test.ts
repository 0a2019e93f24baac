import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { PusherError, signRequest } from "../mod.ts";

const creds = { key: "278d425bdf160c739803", secret: "7ad3773142a6692b25b8" };
const hmac = (s: string) => createHmac("sha256", creds.secret).update(s).digest("hex");

function code(err: unknown): string {
  assert.ok(err instanceof PusherError, `expected a PusherError, got ${err}`);
  return err.code;
}

Deno.test("signRequest() reproduces the documented trigger example", async () => {
  const signed = await signRequest({
    ...creds,
    method: "POST",
    path: "/apps/3/events",
    timestamp: 1353088179,
    body: '{"name":"foo","channels":["project-3"],"data":"{\\"some\\":\\"data\\"}"}',
  });
  assert.equal(signed.bodyMd5, "ec365a775a4cd0599faeb73354201b6f");
  assert.equal(signed.signature, "da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c");
  assert.equal(
    signed.stringToSign,
    "POST\n/apps/3/events\nauth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0&body_md5=ec365a775a4cd0599faeb73354201b6f",
  );
  assert.equal(signed.query, `${signed.canonicalQuery}&auth_signature=${signed.signature}`);
});

Deno.test("signRequest() sorts params by key and leaves values unescaped in the signed string", async () => {
  const signed = await signRequest({
    ...creds,
    method: "get",
    path: "/apps/3/channels",
    timestamp: 1353088179,
    params: { info: "user_count,subscription_count", filter_by_prefix: "presence-" },
  });
  const canonical =
    "auth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0&filter_by_prefix=presence-&info=user_count,subscription_count";
  assert.equal(signed.canonicalQuery, canonical);
  assert.equal(signed.stringToSign, `GET\n/apps/3/channels\n${canonical}`);
  assert.equal(signed.signature, hmac(signed.stringToSign));
  assert.equal(signed.bodyMd5, null);
  assert.ok(signed.query.includes("info=user_count,subscription_count"));
});

Deno.test("signRequest() escapes only query-breaking characters on the wire", async () => {
  const signed = await signRequest({
    ...creds,
    method: "GET",
    path: "/apps/3/channels",
    timestamp: 1,
    params: { filter_by_prefix: "a b&c#d+é%" },
  });
  assert.ok(signed.canonicalQuery.includes("filter_by_prefix=a b&c#d+é%"));
  const wire = new URLSearchParams(signed.query);
  assert.equal(wire.get("filter_by_prefix"), "a b&c#d+é%");
  assert.equal(wire.get("auth_signature"), signed.signature);
});

Deno.test("signRequest() adds body_md5 only for a non-empty body", async () => {
  for (const body of [undefined, null, "", new Uint8Array()]) {
    const signed = await signRequest({ ...creds, method: "POST", path: "/x", timestamp: 1, body });
    assert.equal(signed.bodyMd5, null);
    assert.ok(!signed.canonicalQuery.includes("body_md5"));
  }
  const body = '{"msg":"héllo"}';
  const signed = await signRequest({ ...creds, method: "POST", path: "/x", timestamp: 1, body });
  assert.equal(signed.bodyMd5, createHash("md5").update(body, "utf8").digest("hex"));
  const fromBytes = await signRequest({
    ...creds,
    method: "POST",
    path: "/x",
    timestamp: 1,
    body: new TextEncoder().encode(body),
  });
  assert.equal(fromBytes.signature, signed.signature);
});

Deno.test("signRequest() defaults the timestamp to now with Math.floor", async () => {
  const before = Math.floor(Date.now() / 1000);
  const signed = await signRequest({ ...creds, method: "GET", path: "/x" });
  const ts = Number(/auth_timestamp=(\d+)/.exec(signed.canonicalQuery)![1]);
  assert.ok(ts >= before && ts <= before + 1);
  // Past 2038 the official package's `|0` goes negative; ours must not.
  const late = await signRequest({ ...creds, method: "GET", path: "/x", timestamp: 2 ** 31 + 5 });
  assert.ok(late.canonicalQuery.includes(`auth_timestamp=${2 ** 31 + 5}`));
});

Deno.test("signRequest() rejects reserved, mixed-case, duplicate and non-scalar params", async () => {
  const sign = (params: unknown) =>
    signRequest({ ...creds, method: "GET", path: "/x", timestamp: 1, params: params as never });
  for (const reserved of ["auth_key", "auth_timestamp", "auth_version", "auth_signature", "body_md5", "Auth_Key"]) {
    await assert.rejects(sign({ [reserved]: "1" }), (e) => code(e) === "ERR_RESERVED_PARAM");
  }
  await assert.rejects(sign({ Name: "x" }), (e) => code(e) === "ERR_INVALID_PARAM");
  await assert.rejects(sign({ "a-b": "x" }), (e) => code(e) === "ERR_INVALID_PARAM");
  await assert.rejects(sign({ info: ["a", "b"] }), (e) => code(e) === "ERR_INVALID_PARAM");
  await assert.rejects(sign({ info: NaN }), (e) => code(e) === "ERR_INVALID_PARAM");
  await assert.rejects(sign({ info: null }), (e) => code(e) === "ERR_INVALID_PARAM");
  await assert.rejects(sign([["info", "a"], ["info", "b"]]), (e) => code(e) === "ERR_DUPLICATE_PARAM");
  await assert.rejects(sign({ info: "\ud800" }), (e) => code(e) === "ERR_INVALID_PARAM");
  const numeric = await sign({ limit: 5 });
  assert.ok(numeric.canonicalQuery.includes("limit=5"));
});

Deno.test("signRequest() throws TypeError for programming mistakes", async () => {
  const base = { ...creds, method: "GET", path: "/x", timestamp: 1 };
  await assert.rejects(signRequest({ ...base, key: "" }), TypeError);
  await assert.rejects(signRequest({ ...base, secret: "" }), TypeError);
  await assert.rejects(signRequest({ ...base, path: "apps/1" }), TypeError);
  await assert.rejects(signRequest({ ...base, path: "/a?b=c" }), TypeError);
  await assert.rejects(signRequest({ ...base, method: "GE T" }), TypeError);
  await assert.rejects(signRequest({ ...base, timestamp: 1.5 }), TypeError);
  await assert.rejects(signRequest({ ...base, body: 5 as never }), TypeError);
});

Deno.test("signRequest() does not mutate its input", async () => {
  const params = Object.freeze({ info: "user_count" });
  const options = Object.freeze({ ...creds, method: "get", path: "/x", timestamp: 1, params });
  await signRequest(options);
  assert.deepEqual(params, { info: "user_count" });
});
