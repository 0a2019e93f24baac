// Issue 11 §2: soketi answers a wrong secret with 200 and the error in the body (`{"error": "...", "code": 401}`).
// The client and the CLI must report that as a failure carrying the body's code, not as a delivered trigger.
import assert from "node:assert/strict";
import { Pusher, PusherRequestError } from "../mod.ts";
import { cli } from "./_cli_helpers.ts";

// A loopback server answering every request the way soketi answers one with a bad signature.
function soketiLike(): { origin: string; port: number; close: () => Promise<void> } {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => Response.json({ error: "The secret authentication failed", code: 401 }, { status: 200 }),
  );
  return { origin: `http://127.0.0.1:${server.addr.port}`, port: server.addr.port, close: () => server.shutdown() };
}

Deno.test("Pusher: a 200 answer whose body is {error, code: 401} is a PusherRequestError with status 401", async () => {
  const server = soketiLike();
  try {
    const pusher = new Pusher({
      appId: "1",
      key: "k",
      secret: "wrong",
      host: "127.0.0.1",
      port: server.port,
      useTLS: false,
    });
    for (
      const call of [() => pusher.trigger("a", "ev", {}), () => pusher.users("presence-a"), () => pusher.channels()]
    ) {
      const err = await call().catch((e) => e);
      assert.ok(err instanceof PusherRequestError, String(err));
      assert.equal(err.code, "ERR_REQUEST_FAILED");
      assert.equal(err.status, 401);
      assert.match(err.body, /The secret authentication failed/);
    }
  } finally {
    await server.close();
  }
});

Deno.test("Pusher: 2xx bodies that merely mention error, or carry a code below 400, are still answers", async () => {
  for (const body of ['{"error":null,"code":401}', '{"error":"x","code":200}', '{"channels":{},"error":"x"}']) {
    const pusher = new Pusher({
      appId: "1",
      key: "k",
      secret: "s",
      host: "api.example.test",
      fetch: () => Promise.resolve(new Response(body, { status: 200 })),
    });
    await pusher.channels();
  }
});

Deno.test("cli trigger reports soketi's in-body 401 as a failure, not as triggered", async () => {
  const server = soketiLike();
  try {
    const env = { PUSHER_URL: `http://k:wrong@${server.origin.slice(7)}/apps/1` };
    const r = await cli(["trigger", "a", "ev", "{}"], { env });
    assert.notEqual(r.code, 0);
    assert.doesNotMatch(r.stdout, /triggered/);
    assert.match(r.stdout + r.stderr, /401/);
  } finally {
    await server.close();
  }
});
