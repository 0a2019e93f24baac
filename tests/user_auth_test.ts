import assert from "node:assert/strict";
import { authenticateUser, PusherError } from "../mod.ts";

const creds = { key: "278d425bdf160c739803", secret: "7ad3773142a6692b25b8" };

function hasCode(c: string) {
  return (e: unknown) => {
    assert.ok(e instanceof PusherError, String(e));
    assert.equal(e.code, c);
    return true;
  };
}

Deno.test("authenticateUser() reproduces the documented sign-in example", async () => {
  const body = await authenticateUser({ ...creds, socketId: "1234.1234", userData: '{"id":"12345"}' });
  assert.deepEqual(body, {
    auth: "278d425bdf160c739803:4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba",
    user_data: '{"id":"12345"}',
  });
});

Deno.test("authenticateUser() serialises objects like JSON.stringify, UTF-8 included", async () => {
  const body = await authenticateUser({ key: "aaaa", secret: "tofu", socketId: "1.1", userData: { id: "ą§¶™€łü€ß£" } });
  assert.equal(body.auth, "aaaa:620494cee53d6c568b49598313194088afda37218f0d059af03c0c898ed61ff4");
  const watch = await authenticateUser({
    ...creds,
    socketId: "1234.1234",
    userData: { id: "12345", watchlist: ["a", "b"] },
  });
  assert.equal(watch.user_data, '{"id":"12345","watchlist":["a","b"]}');
  assert.equal(watch.auth, `${creds.key}:b2848e295a9699f0fbc1a8a72f6e227b08d11b8b45f72a798cd6055c3bdc09b2`);
});

Deno.test("authenticateUser() requires an object with a non-empty string id", async () => {
  for (const userData of ["{}", '{"id":""}', '{"id":123}', "null", "[]", "not json", '"x"']) {
    await assert.rejects(authenticateUser({ ...creds, socketId: "1.1", userData }), hasCode("ERR_INVALID_USER_DATA"));
  }
  await assert.rejects(
    authenticateUser({ ...creds, socketId: "1.1:x", userData: { id: "1" } }),
    hasCode("ERR_INVALID_SOCKET_ID"),
  );
});
