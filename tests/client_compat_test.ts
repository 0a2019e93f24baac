// The official package's API that pusher-edge's Pusher also offers for migration (docs/migration.md): the deprecated
// authenticate alias, Pusher.forCluster, the raw encryptionMasterKey option, Pusher.Token and the webhook's
// isContentTypeValid()/isBodyValid(). Expected values are pusher-http-node's own test values or the official package.
import assert from "node:assert/strict";
import OfficialPusher from "pusher";
import { Pusher, PusherError } from "../mod.ts";

const NODE_BODY = '{"time_ms":1403175510755,"events":[{"channel":"test_channel","name":"channel_vacated"}]}';

Deno.test("Pusher.authenticate() is the deprecated name of authorizeChannel()", async () => {
  const pusher = new Pusher({ appId: "10000", key: "aaaa", secret: "tofu" });
  const expected = { auth: "aaaa:efa6cf7644a0b35cba36aa0f776f3cbf7bb60e95ea2696bde1dbe8403b61bd7c" };
  assert.deepEqual(await pusher.authenticate("123.456", "test"), expected);
  assert.deepEqual(await pusher.authorizeChannel("123.456", "test"), expected);
});

Deno.test("Pusher.forCluster() targets api-<cluster>.pusher.com, replacing any host", async () => {
  const urls: string[] = [];
  const pusher = Pusher.forCluster("eu", {
    appId: "1",
    key: "k",
    secret: "s",
    fetch: (input) => {
      urls.push(String(input instanceof Request ? input.url : input));
      return Promise.resolve(Response.json({}));
    },
  });
  await pusher.trigger("c", "e", "x");
  assert.match(urls[0], /^https:\/\/api-eu\.pusher\.com\/apps\/1\/events\?/);
  assert.throws(() => Pusher.forCluster("e u", { appId: "1", key: "k", secret: "s" }), PusherError);
});

Deno.test("the raw encryptionMasterKey option is the key's UTF-8 bytes, as the official package", async () => {
  const raw = "01234567890123456789012345678901";
  const pusher = new Pusher({ appId: "1234", key: "f00d", secret: "beef", encryptionMasterKey: raw });
  // pusher-http-node tests/integration/pusher/authenticate.js @ef83452d: the shared secret of private-encrypted-bla.
  const res = await pusher.authorizeChannel("123.456", "private-encrypted-bla");
  assert.equal(res.shared_secret, "BYBsePpRCQkGPvbWu/5j8x+MmUF5sgPH5DmNBwkTzYs=");
  const official = new OfficialPusher({ appId: "1", key: "k", secret: "s", encryptionMasterKey: raw } as never);
  assert.equal(res.shared_secret, official.authorizeChannel("123.456", "private-encrypted-bla").shared_secret);
  assert.throws(
    () => new Pusher({ appId: "1", key: "k", secret: "s", encryptionMasterKey: raw.slice(1) }),
    (e) => e instanceof PusherError && e.code === "ERR_ENCRYPTION_KEY_INVALID" && !e.message.includes(raw.slice(1)),
  );
  assert.throws(
    () =>
      new Pusher({ appId: "1", key: "k", secret: "s", encryptionMasterKey: raw, encryptionMasterKeyBase64: btoa(raw) }),
    (e) => e instanceof PusherError && e.code === "ERR_INVALID_CONFIG",
  );
});

Deno.test("Pusher.Token signs like the official Token and verifies in constant time", async () => {
  const token = new Pusher.Token("key", "secret");
  const text = "POST\n/some/path\nauth_key=key&auth_timestamp=1234&auth_version=1.0&go=here&query=params";
  const official =
    new (OfficialPusher as unknown as { Token: new (k: string, s: string) => { sign(s: string): string } })
      .Token("key", "secret");
  const sig = await token.sign(text);
  assert.equal(sig, official.sign(text));
  assert.equal(sig, "3b237953a5ba6619875cbb2a2d43e8da9ef5824e8a2c689f6284ac85bc1ea0db"); // pusher-signature spec
  assert.equal(await token.verify(text, sig), true);
  assert.equal(await token.verify(text, sig.toUpperCase()), true);
  assert.equal(await token.verify(text, "0" + sig.slice(1)), false);
  assert.equal(await token.verify(text, "asdf"), false);
  assert.equal(JSON.stringify(token), '{"key":"key"}');
  assert.ok(!Deno.inspect(token).includes("secret"));
  assert.throws(() => new Pusher.Token("key", ""), TypeError);
});

Deno.test("webhook.isValid() accepts a Pusher.Token as the extra token, as in pusher-http-node", async () => {
  const pusher = new Pusher({ appId: "1", key: "123456789", secret: "tofu" });
  const webhook = pusher.webhook({
    headers: {
      "x-pusher-key": "1234",
      "x-pusher-signature": "c17257e92037cd7de407ebc1ed174ceb7b2e518db127f44411b9ffc4f5b28cc5",
      "content-type": "application/json",
    },
    rawBody: NODE_BODY,
  });
  assert.equal(await webhook.isValid(new Pusher.Token("1234", "tofu")), true);
  assert.equal(await webhook.isValid(), false);
});

Deno.test("webhook.isContentTypeValid() and isBodyValid() answer as the official ones", async () => {
  const pusher = new Pusher({ appId: "1", key: "k", secret: "s" });
  const hook = (contentType: string, rawBody: string) =>
    pusher.webhook({ headers: { "content-type": contentType }, rawBody });
  assert.equal(await hook("application/json", "{}").isContentTypeValid(), true);
  assert.equal(await hook("application/json; charset=utf-8", "{}").isContentTypeValid(), true);
  assert.equal(await hook("application/weird", "{}").isContentTypeValid(), false);
  assert.equal(await hook("application/json", "{}").isBodyValid(), true);
  assert.equal(await hook("application/json", "not json!").isBodyValid(), false);
  assert.equal(await hook("application/weird", "{}").isBodyValid(), false);
  const request = new Request("http://x/", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: "[1]",
  });
  assert.equal(await pusher.webhook(request).isBodyValid(), true);
  // Neither says the webhook is authentic.
  assert.equal(await hook("application/json", "{}").isValid(), false);
});
