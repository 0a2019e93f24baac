import assert from "node:assert/strict";
import { cli } from "./_cli_helpers.ts";

// pusher-spec.md §1.10 / §9: the documented worked example.
const DOCS = ["--key", "278d425bdf160c739803", "--secret", "7ad3773142a6692b25b8"];
const BODY = '{"name":"foo","channels":["project-3"],"data":"{\\"some\\":\\"data\\"}"}';
const TS = 1353088179;

async function signedQuery(method: string, path: string, extra: string[] = []): Promise<string> {
  const r = await cli(["sign", method, path, "--timestamp", String(TS), ...DOCS, "--json", ...extra]);
  assert.equal(r.code, 0, r.stderr);
  return r.json().query as string;
}

Deno.test("cli sign prints body_md5, canonical query, string to sign and signature of the docs example", async () => {
  const r = await cli(["sign", "POST", "/apps/3/events", "--body", BODY, "--timestamp", String(TS), ...DOCS]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^body_md5 +ec365a775a4cd0599faeb73354201b6f$/m);
  assert.match(r.stdout, /^signature +da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c$/m);
  assert.match(
    r.stdout,
    /^string to sign +"POST\\n\/apps\/3\/events\\nauth_key=278d425bdf160c739803&auth_timestamp=1353088179/m,
  );
  assert.ok(!r.stdout.includes("7ad3773142a6692b25b8"), "the secret is never printed");
  const j = await cli([
    "sign",
    "GET",
    "/apps/3/channels",
    "--param",
    "filter_by_prefix=presence-",
    "--param",
    "info=user_count",
    "--timestamp",
    String(TS),
    ...DOCS,
    "--json",
  ]);
  assert.equal(j.json().signature, "16819168891cb5dfd72b5c7a5d3d602605b26c6ba1930033b5e2eeeb65010291");
  assert.equal(j.json().bodyMd5, null);
  const dup = await cli(["sign", "GET", "/x", "--param", "a=1", "--param", "a=2", ...DOCS]);
  assert.equal(dup.code, 2);
  assert.match(dup.stderr, /ERR_DUPLICATE_PARAM/);
  assert.equal((await cli(["sign", "GET", "/x", "--param", "novalue", ...DOCS])).code, 2);
});

Deno.test("cli verify accepts a correctly signed URL and explains each wrong part", async () => {
  const q = await signedQuery("GET", "/apps/3/channels", ["--param", "info=user_count"]);
  const now = ["--now", String(TS + 10)];
  const ok = await cli(["verify", `http://h/apps/3/channels?${q}`, ...now, ...DOCS, "--json"]);
  assert.equal(ok.code, 0);
  assert.deepEqual(ok.json(), {
    ok: true,
    valid: true,
    key: "278d425bdf160c739803",
    timestamp: TS,
    skew: -10,
    params: { info: "user_count" },
  });

  const stale = await cli(["verify", `/apps/3/channels?${q}`, "--now", String(TS + 600), ...DOCS, "--json"]);
  assert.equal(stale.code, 1);
  assert.equal(stale.json().part, "auth_timestamp");
  assert.match((stale.json().explanation as string[])[0], /is 600 s in the past/);
  assert.equal((await cli(["verify", `/apps/3/channels?${q}`, "--now", String(TS + 599), ...DOCS])).code, 0);

  const method = await cli(["verify", `/apps/3/channels?${q}`, "--method", "POST", ...now, ...DOCS, "--json"]);
  assert.equal(method.json().code, "ERR_SIGNATURE_MISMATCH");
  assert.equal(
    method.json().stringToSign,
    `POST\n/apps/3/channels\nauth_key=278d425bdf160c739803&auth_timestamp=${TS}&auth_version=1.0&info=user_count`,
  );
  assert.match((method.json().explanation as string[]).at(-1)!, /signed for method GET, but the request is POST/);

  const prefix = await cli(["verify", `/pusher/apps/3/channels?${q}`, ...now, ...DOCS]);
  assert.equal(prefix.code, 1);
  assert.match(prefix.stdout, /the path was signed without its prefix \/pusher/);
  assert.match(prefix.stdout, /^ {2}\| \/pusher\/apps\/3\/channels$/m);

  const other = await cli([
    "verify",
    `/apps/3/channels?${q}`,
    ...now,
    "--key",
    "278d425bdf160c739803",
    "--secret",
    "other",
  ]);
  assert.match(other.stdout, /most likely another secret was used/);

  const key = await cli(["verify", `/apps/3/channels?${q}`, ...now, "--key", "k2", "--secret", "s", "--json"]);
  assert.deepEqual([key.json().code, key.json().part], ["ERR_UNKNOWN_KEY", "auth_key"]);

  const missing = await cli([
    "verify",
    `/apps/3/channels?${q.replace(/&auth_signature=.*$/, "")}`,
    ...now,
    ...DOCS,
    "--json",
  ]);
  assert.deepEqual([missing.json().code, missing.json().part], ["ERR_MISSING_AUTH_PARAM", "auth_signature"]);
});

Deno.test("cli verify checks body_md5 against --body", async () => {
  const q = await signedQuery("POST", "/apps/3/events", ["--body", BODY]);
  const now = ["--now", String(TS)];
  assert.equal((await cli(["verify", `/apps/3/events?${q}`, "--body", BODY, ...now, ...DOCS])).code, 0);
  const changed = await cli(["verify", `/apps/3/events?${q}`, "--body", BODY + " ", ...now, ...DOCS, "--json"]);
  assert.equal(changed.json().part, "body_md5");
  assert.match((changed.json().explanation as string[])[1], /MD5 of the \d+-byte body given: [0-9a-f]{32}$/);
  const none = await cli(["verify", `/apps/3/events?${q}`, "--method", "POST", ...now, ...DOCS]);
  assert.match(none.stdout, /no --body was given/);
});

Deno.test("cli auth channel and auth user print the known answers", async () => {
  const presence = await cli([
    "auth",
    "channel",
    "1234.1234",
    "presence-foobar",
    "--channel-data",
    '{"user_id":"10","user_info":{"name":"Mr. Pusher"}}',
    ...DOCS,
    "--json",
  ]);
  assert.equal(
    presence.json().auth,
    "278d425bdf160c739803:48dac51d2d7569e1e9c0f48c227d4b26f238fa68e5c0bb04222c966909c4f7c4",
  );
  const built = await cli([
    "auth",
    "channel",
    "1.1",
    "presence-x",
    "--user-id",
    "7",
    "--user-info",
    '{"n":1}',
    "--key",
    "k",
    "--secret",
    "s",
    "--json",
  ]);
  assert.equal(built.json().channel_data, '{"user_id":"7","user_info":{"n":1}}');
  const priv = await cli([
    "auth",
    "channel",
    "1.1",
    "testing_pusher-php",
    "--key",
    "k",
    "--secret",
    "thisisasecret",
    "--json",
  ]);
  assert.equal(priv.json().auth, "k:751ccc12aeaa79d46f7c199bced5fa47527d3480b51fe61a0bd10438241bd52d");
  const user = await cli(["auth", "user", "1.1", '{"id":"ą§¶™€łü€ß£"}', "--key", "aaaa", "--secret", "tofu", "--json"]);
  assert.equal(user.json().auth, "aaaa:620494cee53d6c568b49598313194088afda37218f0d059af03c0c898ed61ff4");
  assert.equal((await cli(["auth", "channel", "1.1", "presence-x", ...DOCS])).code, 2);
  assert.equal((await cli(["auth", "channel", "1.1:x", "private-x", ...DOCS])).code, 2);
  assert.equal((await cli(["auth", "user", "1.1", "{}", ...DOCS])).code, 2);
  // Encrypted channels get the shared secret derived from the demo master key when nothing is configured.
  const enc = await cli(["auth", "channel", "1.1", "private-encrypted-x", "--json"]);
  assert.equal(typeof enc.json().shared_secret, "string");
});

Deno.test("cli webhook verify accepts the signed body and rejects any change", async () => {
  const body =
    '{"time_ms":1327078148132,"events":[{"name":"member_added","channel":"presence-your_channel_name","user_id":"a_user_id"}]}';
  const sig = "eca9b3c96ae06efb1c2900f448c2996f546b37d92d8038b54831089072065d86";
  const files = { "wh.json": body, "bad.json": body + " " };
  const args = ["--key", "k", "--secret", "7ad3773142a6692b25b8", "--signature", sig];
  const ok = await cli(["webhook", "verify", "--body", "@wh.json", ...args, "--json"], { files });
  assert.equal(ok.code, 0);
  assert.equal(ok.json().time_ms, 1327078148132);
  assert.equal((ok.json().events as unknown[]).length, 1);
  const bad = await cli(["webhook", "verify", "--body", "@bad.json", ...args], { files });
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /ERR_SIGNATURE_MISMATCH/);
  assert.equal((await cli(["webhook", "verify", "--body", "-", ...args], { stdin: body })).code, 0);
  assert.equal((await cli(["webhook", "verify", "--body", "@missing.json", ...args])).code, 2);
  assert.equal(
    (await cli(["webhook", "verify", "--body", "@wh.json", "--key", "k", "--secret", "x"], { files })).code,
    2,
  );
});
