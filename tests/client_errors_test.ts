import assert from "node:assert/strict";
import { Pusher, PusherRequestError } from "../mod.ts";

const base = { appId: "1", key: "k", secret: "the-secret", host: "api.example.test" };

Deno.test("Pusher: a 2xx answer that is not a JSON object is a PusherRequestError with its status", async () => {
  for (const body of ["<html>oops</html>", "null", "42", '"ok"', "[1]"]) {
    const pusher = new Pusher({ ...base, fetch: () => Promise.resolve(new Response(body, { status: 200 })) });
    const err = await pusher.channels().catch((e) => e);
    assert.ok(err instanceof PusherRequestError, `${body}: ${err}`);
    assert.equal(err.code, "ERR_REQUEST_FAILED");
    assert.equal(err.status, 200);
    assert.equal(err.path, "/apps/1/channels");
    assert.equal(err.message, "GET /apps/1/channels answered 200 with a body that is not a JSON object");
  }
});

Deno.test("Pusher: a network error's cause keeps the runtime's text but not the signed query", async () => {
  const pusher = new Pusher({
    ...base,
    fetch: (input) =>
      Promise.reject(new TypeError(`error sending request for url (${String(input)}): connection refused`)),
  });
  const err = await pusher.channels().catch((e) => e);
  assert.ok(err instanceof PusherRequestError && err.code === "ERR_NETWORK", String(err));
  const cause = err.cause as Error;
  assert.equal(cause.name, "TypeError");
  assert.match(cause.message, /^error sending request for url \(https:\/\/api\.example\.test\/apps\/1\/channels\?…\)/);
  assert.ok(!cause.message.includes("auth_signature"), cause.message);
  assert.ok(!Deno.inspect(err).includes("auth_signature"));
});
