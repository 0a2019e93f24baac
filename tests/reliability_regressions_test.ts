// Regression tests for the bugs issue 7's reliability work found (see /work/notes/reliability-findings.md).
import assert from "node:assert/strict";
import { Pusher, PusherError } from "../mod.ts";
import { createApp } from "../src/hono/mod.ts";

// Bug: terminateUserConnections() signed `/users/<id>/terminate_connections` with the raw id, but fetch normalises the
// URL after signing: `..` and `.` were resolved into another endpoint, `\` became `/`, and non-ASCII or control
// characters were percent-encoded, so the request went elsewhere or failed with 401.
Deno.test("terminateUserConnections() refuses ids that fetch would not send as signed, and sends the others", async () => {
  const app = createApp({});
  const sent: string[] = [];
  const pusher = new Pusher({
    appId: "1",
    key: "emulator-key",
    secret: "emulator-secret",
    host: "emulator.test",
    fetch: (input, init) => {
      const url = new URL(String(input));
      sent.push(url.pathname);
      return Promise.resolve(app.request(url.pathname + url.search, init));
    },
  });
  for (const id of ["..", ".", "a\\b", "ü", "a\u0000b", "a\u007fb", "a<b", 'a"b', "a`b", "a{b}"]) {
    await assert.rejects(pusher.terminateUserConnections(id), (err: unknown) => {
      assert.ok(err instanceof PusherError, String(err));
      assert.equal(err.code, "ERR_INVALID_USER_ID", JSON.stringify(id));
      return true;
    });
  }
  assert.deepEqual(sent, [], "nothing was sent for a refused id");
  for (const id of ["user-1", "a:b", "a;b", "@", "x=y,z", "..a", "a.", "Zz_9|^~!$&'()*+"]) {
    await pusher.terminateUserConnections(id);
  }
  assert.equal(sent.length, 8);
  assert.ok(sent.every((p) => /^\/apps\/1\/users\/[^/]+\/terminate_connections$/.test(p)), sent.join(" "));
});
