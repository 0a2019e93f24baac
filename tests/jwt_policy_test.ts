// Issue 11 §3: jwtAuthPolicy fails closed. Tokens are signed with hono/jwt's sign (an independent HS256 signer).
import assert from "node:assert/strict";
import { Hono } from "hono";
import { sign } from "hono/jwt";
import { jwtAuthPolicy, type JwtPolicyOptions, pusherChannelAuth, pusherUserAuth } from "../src/hono/mod.ts";

const SECRET = "a-long-random-jwt-secret-for-tests";
const MASTER_KEY = "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=";
const now = () => Math.floor(Date.now() / 1000);

function app(options: Partial<JwtPolicyOptions> = {}) {
  const policy = jwtAuthPolicy({ secret: SECRET, ...options });
  const a = new Hono();
  const creds = { key: "k", secret: "s", encryptionMasterKey: MASTER_KEY };
  a.post("/auth", pusherChannelAuth({ ...creds, authorize: policy.authorize }));
  a.post("/user", pusherUserAuth({ key: "k", secret: "s", authenticate: policy.authenticate }));
  return {
    channel: async (claims: Record<string, unknown>, channel: string) =>
      (await a.request("/auth", {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Bearer ${await sign(claims, SECRET, "HS256")}`,
        },
        body: `socket_id=1.1&channel_name=${channel}`,
      })).status,
    user: async (claims: Record<string, unknown>) =>
      (await a.request("/user", {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Bearer ${await sign(claims, SECRET, "HS256")}`,
        },
        body: "socket_id=1.1",
      })).status,
  };
}

Deno.test("jwtAuthPolicy: a token without a channels claim joins no channel unless allowAllChannels", async () => {
  const claims = { sub: "u", exp: now() + 600 };
  const strict = app();
  for (const channel of ["private-a", "presence-a", "private-encrypted-a"]) {
    assert.equal(await strict.channel(claims, channel), 403, channel);
  }
  assert.equal(await strict.user(claims), 200, "user authentication needs no channel claim");
  const open = app({ allowAllChannels: true });
  for (const channel of ["private-a", "presence-a", "private-encrypted-a"]) {
    assert.equal(await open.channel(claims, channel), 200, channel);
  }
});

Deno.test("jwtAuthPolicy: a token without exp is refused unless maxTokenAgeSeconds bounds its iat", async () => {
  const channels = ["private-*"];
  assert.equal(await app().channel({ sub: "u", channels }, "private-a"), 401);
  assert.equal(await app().user({ sub: "u" }), 401);
  const aged = app({ maxTokenAgeSeconds: 300 });
  assert.equal(await aged.channel({ sub: "u", channels, iat: now() - 10 }, "private-a"), 200);
  assert.equal(await aged.channel({ sub: "u", channels, iat: now() - 3600 }, "private-a"), 401);
  assert.equal(await aged.channel({ sub: "u", channels }, "private-a"), 401, "no iat either");
  assert.throws(() => jwtAuthPolicy({ secret: SECRET, maxTokenAgeSeconds: Infinity }), TypeError);
});

Deno.test("jwtAuthPolicy: audience and issuer are checked when set", async () => {
  const base = { sub: "u", channels: ["private-*"], exp: now() + 600 };
  const a = app({ audience: "chat", issuer: ["https://login.example"] });
  assert.equal(await a.channel({ ...base, aud: "chat", iss: "https://login.example" }, "private-a"), 200);
  assert.equal(await a.channel({ ...base, aud: ["other", "chat"], iss: "https://login.example" }, "private-a"), 200);
  assert.equal(await a.channel({ ...base, aud: "other", iss: "https://login.example" }, "private-a"), 401);
  assert.equal(await a.channel({ ...base, iss: "https://login.example" }, "private-a"), 401);
  assert.equal(await a.channel({ ...base, aud: "chat", iss: "https://evil.example" }, "private-a"), 401);
  assert.equal(await a.channel({ ...base, aud: "chat" }, "private-a"), 401);
  assert.equal(await a.user({ ...base, aud: "other", iss: "https://login.example" }), 401);
});

Deno.test("jwtAuthPolicy: a wildcard never crosses from private- into private-encrypted-", async () => {
  const a = app();
  const token = (channels: string[]) => ({ sub: "u", channels, exp: now() + 600 });
  assert.equal(await a.channel(token(["private-*"]), "private-a"), 200);
  assert.equal(await a.channel(token(["private-*"]), "private-encrypted-a"), 403);
  assert.equal(await a.channel(token(["*"]), "private-encrypted-a"), 403);
  assert.equal(await a.channel(token(["private-enc*"]), "private-encrypted-a"), 403);
  assert.equal(await a.channel(token(["private-encrypted-*"]), "private-encrypted-a"), 200);
  assert.equal(await a.channel(token(["private-encrypted-a"]), "private-encrypted-a"), 200);
});
