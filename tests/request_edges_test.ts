// Issue 11 §5: verifyRequest never skips body_md5 for a body it cannot read, compares parameter names in ASCII only,
// requires a bounded window; the emulator verifies exactly the path it routes.
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { RequestVerificationError, verifyRequest } from "../mod.ts";
import { createApp, DEMO_CREDENTIALS } from "../src/hono/mod.ts";

const creds = { key: "278d425bdf160c739803", secret: "7ad3773142a6692b25b8" };
const now = () => Math.floor(Date.now() / 1000);

// Signs like the service's docs: HMAC-SHA256 over METHOD\nPATH\nsorted query, with node:crypto.
function signedQuery(method: string, path: string, pairs: [string, string][], secret = creds.secret): string {
  const canonical = [...pairs].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join("&");
  const sig = createHmac("sha256", secret).update(`${method}\n${path}\n${canonical}`).digest("hex");
  return `${canonical}&auth_signature=${sig}`;
}
const authPairs = (key = creds.key): [string, string][] => [
  ["auth_key", key],
  ["auth_timestamp", String(now())],
  ["auth_version", "1.0"],
];

Deno.test("verifyRequest() throws TypeError for a body it cannot read, rather than skipping body_md5", async () => {
  const body = '{"name":"e","data":"{}","channels":["a"]}';
  const md5 = createHash("md5").update(body).digest("hex");
  const query = signedQuery("POST", "/apps/1/events", [...authPairs(), ["body_md5", md5]]);
  const base = { credentials: creds, method: "POST", path: "/apps/1/events", query };
  await verifyRequest({ ...base, body }); // the readable forms pass
  await verifyRequest({ ...base, body: new TextEncoder().encode(body) });
  const unreadable: unknown[] = [
    new TextEncoder().encode(body).buffer,
    new Blob([body]),
    new Response(body).body,
    { length: 0 },
  ];
  for (const b of unreadable) {
    await assert.rejects(verifyRequest({ ...base, body: b as string }), TypeError, String(b));
  }
  // Without body_md5 in the query an unreadable body must not pass either.
  const noMd5 = signedQuery("POST", "/apps/1/events", authPairs());
  await assert.rejects(verifyRequest({ ...base, query: noMd5, body: new Blob([body]) as never }), TypeError);
});

Deno.test("verifyRequest() refuses parameter names that match only after Unicode case folding", async () => {
  // "auth_\u212Aey" (Kelvin sign) lower-cases to "auth_key" in JavaScript; a signer that never sent auth_key must fail.
  const pairs = authPairs();
  const signed = signedQuery("GET", "/apps/1/channels", pairs);
  const kelvin = signed.replace("auth_key=", "auth_%E2%84%AAey=");
  const err = await verifyRequest({ credentials: creds, method: "GET", path: "/apps/1/channels", query: kelvin })
    .catch((e) => e);
  assert.ok(err instanceof RequestVerificationError, String(err));
  assert.equal(err.code, "ERR_INVALID_PARAM");
  const other = signedQuery("GET", "/apps/1/channels", [...pairs, ["\u212Ao", "1"]]);
  await assert.rejects(
    verifyRequest({ credentials: creds, method: "GET", path: "/apps/1/channels", query: other }),
    (e: unknown) => e instanceof RequestVerificationError && e.code === "ERR_INVALID_PARAM",
  );
});

Deno.test("verifyRequest() refuses parameter names holding & or = after decoding", async () => {
  for (const key of ["a%3Db", "a%26b", "a%3db"]) {
    const pairs = authPairs();
    const decoded = decodeURIComponent(key);
    const canonical = [...pairs, [decoded, "c"]].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`)
      .join("&");
    const sig = createHmac("sha256", creds.secret).update(`GET\n/apps/1/channels\n${canonical}`).digest("hex");
    const query = pairs.map(([k, v]) => `${k}=${v}`).join("&") + `&${key}=c&auth_signature=${sig}`;
    const err = await verifyRequest({ credentials: creds, method: "GET", path: "/apps/1/channels", query })
      .catch((e) => e);
    assert.ok(err instanceof RequestVerificationError && err.code === "ERR_INVALID_PARAM", `${key}: ${err}`);
  }
});

Deno.test("verifyRequest() requires a finite, bounded toleranceSeconds", async () => {
  const query = signedQuery("GET", "/apps/1/channels", [
    ["auth_key", creds.key],
    ["auth_timestamp", "1000000000"],
    ["auth_version", "1.0"],
  ]);
  const base = { credentials: creds, method: "GET", path: "/apps/1/channels", query };
  for (const toleranceSeconds of [Infinity, NaN, 0, -1, 1e9, "600" as unknown as number]) {
    await assert.rejects(verifyRequest({ ...base, toleranceSeconds }), TypeError, String(toleranceSeconds));
  }
  await assert.rejects(verifyRequest({ ...base, toleranceSeconds: 3600 }), RequestVerificationError);
});

// A Request whose url is the text a server received, un-normalised (as @hono/node-server hands it over).
class RawUrlRequest extends Request {
  #raw: string;
  constructor(raw: string, init?: RequestInit) {
    super("http://localhost/", init);
    this.#raw = raw;
  }
  override get url(): string {
    return this.#raw;
  }
}

Deno.test("emulator verifies exactly the routed path and refuses . and .. as channel names or user ids", async () => {
  const app = createApp({});
  const { appId, key, secret } = DEMO_CREDENTIALS;
  // Signed for /apps/<id>/ (which a URL parser makes of /apps/<id>/channels/..), sent to the raw path.
  const overRoot = signedQuery("GET", `/apps/${appId}/`, authPairs(key), secret);
  for (const seg of ["..", "%2e%2e", "%2E%2E", ".", "%2e"]) {
    const res = await app.fetch(new RawUrlRequest(`http://localhost/apps/${appId}/channels/${seg}?${overRoot}`));
    assert.ok(res.status === 400 || res.status === 401, `${seg}: ${res.status}`);
    await res.body?.cancel();
    // Even signed over the very path it was sent to, a dot segment is not a channel.
    const own = signedQuery("GET", `/apps/${appId}/channels/${seg}`, authPairs(key), secret);
    const res2 = await app.fetch(new RawUrlRequest(`http://localhost/apps/${appId}/channels/${seg}?${own}`));
    assert.equal(res2.status, 400, `${seg} signed over itself`);
    await res2.body?.cancel();
  }
  for (const seg of ["..", "%2e%2e", "."]) {
    const path = `/apps/${appId}/users/${seg}/terminate_connections`;
    const body = "{}";
    const md5 = createHash("md5").update(body).digest("hex");
    const q = signedQuery("POST", path, [...authPairs(key), ["body_md5", md5]], secret);
    const res = await app.fetch(
      new RawUrlRequest(`http://localhost${path}?${q}`, {
        method: "POST",
        body,
        headers: { "content-type": "application/json" },
      }),
    );
    assert.equal(res.status, 400, `user ${seg}`);
    await res.body?.cancel();
  }
  // A normal signed request still works through the same raw-URL path.
  const ok = signedQuery("GET", `/apps/${appId}/channels/demo`, authPairs(key), secret);
  const res = await app.fetch(new RawUrlRequest(`http://localhost/apps/${appId}/channels/demo?${ok}`));
  assert.equal(res.status, 200, await res.clone().text());
});

Deno.test("emulator seeding routes refuse . and .. as channel names and user ids too", async () => {
  const app = createApp({});
  const post = (path: string) =>
    app.fetch(
      new RawUrlRequest(`http://localhost${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"subscription_count":1,"user_id":"u"}',
      }),
    );
  for (const seg of ["..", "%2e%2e", "."]) {
    assert.equal((await post(`/emulator/channels/${seg}/occupancy`)).status, 400, seg);
    const del = await app.fetch(
      new RawUrlRequest(`http://localhost/emulator/channels/presence-demo/members/${seg}`, {
        method: "DELETE",
      }),
    );
    assert.equal(del.status, 400, `member ${seg}`);
  }
  const { channels } = await (await app.request("/emulator/channels")).json();
  assert.deepEqual(Object.keys(channels).sort(), ["demo", "presence-demo"]);
});
