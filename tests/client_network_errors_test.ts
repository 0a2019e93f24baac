// A failed call says where it went and why: host:port and the cause code for network errors, the limit for timeouts.
import assert from "node:assert/strict";
import { Pusher, PusherRequestError } from "../mod.ts";
import { networkCauseCode } from "../src/client/_network_cause.ts";

function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function failure(p: Promise<unknown>): Promise<PusherRequestError> {
  const error = await p.then(() => undefined, (e) => e);
  assert.ok(error instanceof PusherRequestError, String(error));
  return error;
}

Deno.test("a refused connection names host:port and ECONNREFUSED", async () => {
  const port = closedPort();
  const error = await failure(Pusher.forURL(`http://k:s@127.0.0.1:${port}/apps/1`).trigger("a", "b", {}));
  assert.equal(error.code, "ERR_NETWORK");
  assert.equal(
    error.message,
    `POST /apps/1/events to 127.0.0.1:${port} failed before a response arrived: ECONNREFUSED`,
  );
});

Deno.test("an unknown host names host:port with the default port, and ENOTFOUND", async () => {
  const error = await failure(Pusher.forURL("https://k:s@pusher-edge-test.invalid/apps/1").channels());
  assert.equal(error.code, "ERR_NETWORK");
  assert.match(error.message, /^GET \/apps\/1\/channels to pusher-edge-test\.invalid:443 failed .*: ENOTFOUND$/);
});

Deno.test("a timeout names host:port and the limit", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 }); // accepts, never answers
  const { port } = listener.addr as Deno.NetAddr;
  const pusher = Pusher.forURL(`http://k:s@127.0.0.1:${port}/apps/1`, { timeout: 200 });
  const error = await failure(pusher.trigger("a", "b", {}));
  assert.equal(error.code, "ERR_TIMEOUT");
  assert.equal(error.message, `POST /apps/1/events to 127.0.0.1:${port} timed out after 200 ms (the timeout option)`);
});

Deno.test("networkCauseCode() reads Node's cause.code, Bun's code and Deno's or workerd's message", () => {
  assert.equal(networkCauseCode(new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } })), "ECONNREFUSED");
  assert.equal(
    networkCauseCode(Object.assign(new Error("Unable to connect"), { code: "ConnectionRefused" })),
    "ECONNREFUSED",
  );
  assert.equal(
    networkCauseCode(new TypeError("error sending request: dns error: failed to lookup address information")),
    "ENOTFOUND",
  );
  assert.equal(networkCauseCode(new TypeError("fetch failed", { cause: { code: "EAI_AGAIN" } })), "ENOTFOUND");
  assert.equal(networkCauseCode(new Error("Network connection lost.")), undefined);
});
