import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { authorizeChannel, channelSharedSecret, parseMasterKey, PusherError } from "../mod.ts";

const creds = { key: "278d425bdf160c739803", secret: "7ad3773142a6692b25b8" };
const masterKey = "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=";

function hasCode(c: string) {
  return (e: unknown) => {
    assert.ok(e instanceof PusherError, String(e));
    assert.equal(e.code, c);
    return true;
  };
}

Deno.test("authorizeChannel() reproduces the documented private example", async () => {
  const body = await authorizeChannel({ ...creds, socketId: "1234.1234", channel: "private-foobar" });
  assert.deepEqual(body, {
    auth: "278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4",
  });
});

Deno.test("authorizeChannel() signs presence channel_data verbatim and returns the same string", async () => {
  const channelData = '{"user_id":"10","user_info":{"name":"Mr. Pusher"}}';
  const body = await authorizeChannel({ ...creds, socketId: "1234.1234", channel: "presence-foobar", channelData });
  assert.equal(body.auth, `${creds.key}:48dac51d2d7569e1e9c0f48c227d4b26f238fa68e5c0bb04222c966909c4f7c4`);
  assert.equal(body.channel_data, channelData);
  const fromObject = await authorizeChannel({
    ...creds,
    socketId: "1234.1234",
    channel: "presence-foobar",
    channelData: { user_id: "10", user_info: { name: "Mr. Pusher" } },
  });
  assert.deepEqual(fromObject, body);
});

Deno.test("authorizeChannel() requires a non-empty string user_id on presence channels", async () => {
  const base = { ...creds, socketId: "1.1", channel: "presence-a" };
  await assert.rejects(authorizeChannel(base), hasCode("ERR_INVALID_CHANNEL_DATA"));
  for (const channelData of ['{"user_id":10}', '{"user_id":""}', "not json", '"foo"', "null", "{}"]) {
    await assert.rejects(authorizeChannel({ ...base, channelData }), hasCode("ERR_INVALID_CHANNEL_DATA"));
  }
  await assert.rejects(
    authorizeChannel({ ...base, channelData: { user_id: 10 as unknown as string } }),
    hasCode("ERR_INVALID_CHANNEL_DATA"),
  );
  await assert.rejects(
    authorizeChannel({ ...creds, socketId: "1.1", channel: "private-a", channelData: '{"user_id":"1"}' }),
    hasCode("ERR_INVALID_CHANNEL_DATA"),
  );
});

Deno.test("authorizeChannel() returns the shared secret for encrypted channels", async () => {
  const body = await authorizeChannel({
    key: "f00d",
    secret: "tofu",
    socketId: "123.456",
    channel: "private-encrypted-bla",
    encryptionMasterKey: masterKey,
  });
  assert.equal(body.shared_secret, "nlr49ISQHz91yS3cy/yWmW8wFMNeTnNL5tNHnbPJcLQ=");
  assert.equal(body.auth, `f00d:${createHmac("sha256", "tofu").update("123.456:private-encrypted-bla").digest("hex")}`);
  const expected = createHash("sha256").update("private-encrypted-bla").update(Buffer.from(masterKey, "base64"))
    .digest();
  assert.deepEqual(await channelSharedSecret("private-encrypted-bla", masterKey), new Uint8Array(expected));
});

Deno.test("authorizeChannel() rejects encrypted channels without a valid 32-byte master key", async () => {
  const base = { ...creds, socketId: "1.1", channel: "private-encrypted-a" };
  await assert.rejects(authorizeChannel(base), hasCode("ERR_ENCRYPTION_KEY_MISSING"));
  const k31 = btoa(String.fromCharCode(...new Uint8Array(31)));
  const k33 = btoa(String.fromCharCode(...new Uint8Array(33)));
  for (const encryptionMasterKey of [k31, k33, "dGhp!yBp", masterKey.replace("=", ""), new Uint8Array(31)]) {
    const err = await authorizeChannel({ ...base, encryptionMasterKey }).catch((e) => e);
    hasCode("ERR_ENCRYPTION_KEY_INVALID")(err);
    if (typeof encryptionMasterKey === "string") assert.ok(!err.message.includes(encryptionMasterKey));
  }
  assert.equal(parseMasterKey(new Uint8Array(32)).length, 32);
  await assert.rejects(channelSharedSecret("private-a", masterKey), hasCode("ERR_NOT_ENCRYPTED_CHANNEL"));
});

Deno.test("authorizeChannel() rejects socket ids and channel names that could forge another string", async () => {
  for (const socketId of ["1234", ".1234", "1234.", "1234.1234\n", " 1234.1234", "1234.1234:x", "١.١", "１.１", ""]) {
    await assert.rejects(
      authorizeChannel({ ...creds, socketId, channel: "private-a" }),
      hasCode("ERR_INVALID_SOCKET_ID"),
    );
  }
  for (const channel of ["private-a:b", "private a", "private-#", "", "ñ"]) {
    await assert.rejects(
      authorizeChannel({ ...creds, socketId: "1.1", channel }),
      hasCode("ERR_INVALID_CHANNEL_NAME"),
    );
  }
  await authorizeChannel({ ...creds, socketId: "1.1", channel: "p".repeat(200) });
  await assert.rejects(
    authorizeChannel({ ...creds, socketId: "1.1", channel: "p".repeat(201) }),
    hasCode("ERR_CHANNEL_NAME_TOO_LONG"),
  );
  const special = await authorizeChannel({
    key: "k",
    secret: "thisisasecret",
    socketId: "45055.28877557",
    channel: "-azAZ9_=@,.;",
  });
  assert.equal(special.auth, "k:d1c20ad7684c172271f92c108e11b45aef07499b005796ae1ec5beb924f361c4");
});
