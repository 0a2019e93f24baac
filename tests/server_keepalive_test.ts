// Keep-alive with pusher-js 8.6.0 (scenario 9): with activity_timeout 2 s the client pings about 2 s after its last
// received frame, gets a pong, and stays connected on the same socket; the server never pings an active client.
import assert from "node:assert/strict";
import PusherJsModule from "pusher-js";
import { createLiveServer } from "../src/hono/mod.ts";
import { serveDeno } from "../src/hono/serve_deno.ts";
import { waitFor } from "./_pusherjs_suite.ts";

Deno.test({
  name: "pusher-js keep-alive: pings after activity_timeout, answered, same socket stays connected",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const live = createLiveServer({ activityTimeout: 2 });
    const ac = new AbortController();
    const http = serveDeno(live, { hostname: "127.0.0.1", port: 0, signal: ac.signal });
    // deno-lint-ignore no-explicit-any
    const client = new (PusherJsModule as any)("emulator-key", {
      cluster: "mt1",
      wsHost: "127.0.0.1",
      wsPort: http.addr.port,
      forceTLS: false,
      enabledTransports: ["ws"],
      disableStats: true,
    });
    try {
      await waitFor("connected", () => client.connection.state === "connected");
      const id = client.connection.socket_id;
      const t0 = Date.now();
      await new Promise((r) => setTimeout(r, 5500));
      const frames = (await (await live.app.request("/emulator/live")).json()).frames as {
        direction: string;
        text: string;
        time: number;
      }[];
      const clientPings = frames.filter((f) => f.direction === "in" && f.text.includes("pusher:ping"));
      const pongs = frames.filter((f) => f.direction === "out" && f.text.includes("pusher:pong"));
      const serverPings = frames.filter((f) => f.direction === "out" && f.text.includes("pusher:ping"));
      assert.ok(clientPings.length >= 2, `client pings in 5.5 s: ${clientPings.length}`);
      assert.ok(clientPings[0].time - t0 < 3000, "first ping about 2 s after the handshake");
      assert.equal(pongs.length, clientPings.length);
      assert.equal(serverPings.length, 0);
      assert.equal(client.connection.state, "connected");
      assert.equal(client.connection.socket_id, id);
    } finally {
      client.disconnect();
      ac.abort();
      await http.finished;
      await live.shutdown();
    }
  },
});
