// pusher-js 8.6.0's browser build (pusher-with-encryption.min.js from npm) in headless Debian Chromium against the
// WebSocket server on Deno: public, private, presence and encrypted channels through /pusher/auth, an event from our
// client, a client event from a Node pusher-js, and the debug page's live panel listing the browser's socket.
// Skipped when /usr/bin/chromium is missing, except under CI=true.
import assert from "node:assert/strict";
import { Pusher } from "../mod.ts";
import { encryption } from "../src/encryption/mod.ts";
import { createLiveServer } from "../src/hono/mod.ts";
import { appOptionsFromEnv, DEMO_CREDENTIALS } from "../src/hono/config.ts";
import { serveDeno } from "../src/hono/serve_deno.ts";
import { jwt, JWT_SECRET, waitFor } from "./_pusherjs_suite.ts";
import PusherJsModule from "pusher-js";
import { launchChromium, noteSkip, runBrowserTests } from "./_chromium.ts";

noteSkip("pusher-js in Chromium");

// The browser build as npm ships it; the import of "pusher-js" below makes Deno populate node_modules first.
const BUILD = new URL("../node_modules/pusher-js/dist/web/pusher-with-encryption.min.js", import.meta.url);

const PAGE = `<!doctype html><meta charset="utf-8"><script src="/e2e/pusher.js"></script><script>
window.log = [];
window.start = (port, token) => {
  const p = new Pusher("${DEMO_CREDENTIALS.key}", {
    cluster: "mt1", wsHost: "127.0.0.1", wsPort: port, forceTLS: false, enabledTransports: ["ws"], disableStats: true,
    channelAuthorization: { endpoint: "/pusher/auth", transport: "ajax", headers: { Authorization: "Bearer " + token } },
  });
  window.pusher = p;
  for (const name of ["news", "private-room", "presence-lobby", "private-encrypted-vault"]) {
    const ch = p.subscribe(name);
    ch.bind_global((event, data) => window.log.push({ channel: name, event, data }));
  }
};
</script>`;

Deno.test({
  name: "pusher-js browser build in headless Chromium: channels, decryption, presence, client events",
  ignore: !runBrowserTests,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const live = createLiveServer(appOptionsFromEnv({ PUSHER_AUTH_JWT_SECRET: JWT_SECRET }));
    const pkg = JSON.parse(await Deno.readTextFile(new URL("package.json", new URL("../../", BUILD))));
    assert.equal(pkg.version, "8.6.0");
    const script = await Deno.readTextFile(BUILD);
    live.app.get("/e2e/page", (c) => c.html(PAGE));
    live.app.get("/e2e/pusher.js", (c) => c.body(script, 200, { "content-type": "text/javascript" }));
    const ac = new AbortController();
    const http = serveDeno(live, { hostname: "127.0.0.1", port: 0, signal: ac.signal });
    const port = http.addr.port;
    const origin = `http://127.0.0.1:${port}`;
    const browser = await launchChromium();
    // deno-lint-ignore no-explicit-any
    const node = new (PusherJsModule as any)(DEMO_CREDENTIALS.key, {
      cluster: "mt1",
      wsHost: "127.0.0.1",
      wsPort: port,
      forceTLS: false,
      enabledTransports: ["ws"],
      disableStats: true,
      channelAuthorization: {
        endpoint: `${origin}/pusher/auth`,
        transport: "ajax",
        headers: { Authorization: `Bearer ${jwt({ sub: "node" })}` },
      },
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(`${origin}/e2e/page`);
      await page.evaluate(
        ([p, t]) => (globalThis as unknown as { start: (p: number, t: string) => void }).start(p, t),
        [
          port,
          jwt({ sub: "browser", user_info: { name: "Chromium" } }),
        ] as [number, string],
      );
      type Entry = { channel: string; event: string; data: unknown };
      const log = () => page.evaluate(() => (globalThis as unknown as { log: Entry[] }).log);
      const has = async (pred: (e: Entry) => boolean) => (await log()).find(pred);
      for (const ch of ["news", "private-room", "presence-lobby", "private-encrypted-vault"]) {
        await waitForAsync(
          `${ch} subscribed`,
          () => has((e) => e.channel === ch && e.event === "pusher:subscription_succeeded"),
        );
      }
      const ours = new Pusher({
        appId: DEMO_CREDENTIALS.appId,
        key: DEMO_CREDENTIALS.key,
        secret: DEMO_CREDENTIALS.secret,
        host: "127.0.0.1",
        port,
        useTLS: false,
        encryptionMasterKeyBase64: DEMO_CREDENTIALS.encryptionMasterKey,
        encryption,
      });
      await ours.trigger(["news", "private-room"], "hello", { n: 1 });
      await ours.trigger("private-encrypted-vault", "sealed", { secret: "decrypted in the browser" });
      await waitForAsync("news", () => has((e) => e.channel === "news" && e.event === "hello"));
      await waitForAsync("private", () => has((e) => e.channel === "private-room" && e.event === "hello"));
      const sealed = await waitForAsync("encrypted", () => has((e) => e.event === "sealed"));
      assert.deepEqual(sealed.data, { secret: "decrypted in the browser" });

      // A Node pusher-js joins the presence channel and sends a client event to the browser.
      await new Promise((resolve) => node.subscribe("presence-lobby").bind("pusher:subscription_succeeded", resolve));
      const added = await waitForAsync("member_added", () => has((e) => e.event === "pusher:member_added"));
      assert.deepEqual(added.data, { id: "node", info: undefined });
      node.channel("presence-lobby").trigger("client-wave", { from: "node" });
      const wave = await waitForAsync("client event", () => has((e) => e.event === "client-wave"));
      assert.deepEqual(wave.data, { from: "node" });

      // The debug page's live state lists both sockets.
      const state = await (await fetch(`${origin}/emulator/live`)).json();
      assert.equal(state.connectionCount, 2);
      assert.ok(state.channels["presence-lobby"]);
      const debug = await browser.newPage();
      await debug.goto(origin);
      await debug.locator("#live [data-socket]").nth(1).waitFor({ timeout: 10_000 });
      assert.match(await debug.locator("#live").innerText(), /2 connection\(s\)[\s\S]*presence-lobby/);
      assert.match(await debug.locator("#live-frames").textContent() ?? "", /client-wave/);
      assert.deepEqual(errors, []);
    } finally {
      node.disconnect();
      await browser.close();
      ac.abort();
      await http.finished;
      await live.shutdown();
    }
  },
});

async function waitForAsync<T>(what: string, fn: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  let last: T | undefined;
  let busy = false;
  return await waitFor(what, () => {
    if (!busy) {
      busy = true;
      fn().then((v) => (last = v)).finally(() => (busy = false));
    }
    return last;
  }, ms);
}
