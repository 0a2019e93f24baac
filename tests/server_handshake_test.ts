// The handshake over a real socket (Deno adapter): refusals are close codes after an accepted upgrade, never HTTP
// errors (protocol reference §2.2, scenarios 3, 6, 7); the Swift client's subprotocol is echoed.
import assert from "node:assert/strict";
import { createLiveServer } from "../src/hono/mod.ts";
import { serveDeno } from "../src/hono/serve_deno.ts";

function run(url: string, protocols?: string[]) {
  return new Promise<{ opened: boolean; protocol: string; first?: Record<string, unknown>; code: number }>(
    (resolve) => {
      const ws = new WebSocket(url, protocols);
      let opened = false;
      let first: Record<string, unknown> | undefined;
      ws.onopen = () => (opened = true);
      ws.onmessage = (e) => {
        first ??= JSON.parse(e.data);
        if (first?.event === "pusher:connection_established") ws.close(1000);
      };
      ws.onclose = (e) => resolve({ opened, protocol: ws.protocol, first, code: e.code });
    },
  );
}

Deno.test("handshake over a real socket: 101 then close codes; subprotocol echoed", async () => {
  const live = createLiveServer({});
  const ac = new AbortController();
  const http = serveDeno(live, { hostname: "127.0.0.1", port: 0, signal: ac.signal });
  const base = `ws://127.0.0.1:${http.addr.port}`;
  try {
    const ok = await run(`${base}/app/emulator-key?protocol=7&client=js&version=8.6.0&flash=false`, [
      "pusher-channels-protocol-7",
    ]);
    assert.equal(ok.opened, true);
    assert.equal(ok.protocol, "pusher-channels-protocol-7");
    assert.equal(ok.first?.event, "pusher:connection_established");
    for (
      const [path, code] of [["/app/nope?protocol=7", 4001], ["/app/emulator-key", 4008], ["/elsewhere", 4005]] as const
    ) {
      const r = await run(base + path);
      assert.equal(r.opened, true, `${path}: the upgrade is accepted`);
      assert.equal(r.code, code, path);
      assert.deepEqual((r.first?.data as { code: number }).code, code);
    }
    const java = await run(`${base}/app/emulator-key?client=java-client&protocol=5&version=2.4.0`);
    assert.equal(java.first?.event, "pusher:connection_established");
  } finally {
    ac.abort();
    await http.finished;
    await live.shutdown();
  }
});
