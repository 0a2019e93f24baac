// pusher-js 8.6.0 end to end against the WebSocket server on Deno (in process), Node (the bundled serve_node.ts with
// `ws`) and Bun (the bundled serve_bun.ts). The scenarios are in tests/_pusherjs_suite.ts. Bun is skipped, with the
// install command, when no Bun binary is found, except under CI=true.
import assert from "node:assert/strict";
import { createLiveServer } from "../src/hono/mod.ts";
import { appOptionsFromEnv } from "../src/hono/config.ts";
import { serveDeno } from "../src/hono/serve_deno.ts";
import { JWT_SECRET, pusherJsSuite, webhookReceiver } from "./_pusherjs_suite.ts";
import { bundle, findBun } from "./_runtime_helpers.ts";

const env = (hook: string) => ({
  PUSHER_AUTH_JWT_SECRET: JWT_SECRET,
  PUSHER_WEBHOOK_URLS: hook,
  PUSHER_WEBHOOK_DELAY_MS: "300",
  PUSHER_WEBHOOK_EVENTS:
    "channel_occupied,channel_vacated,member_added,member_removed,client_event,cache_miss,subscription_count",
});

Deno.test({
  name: "pusher-js end to end: Deno.serve + Deno.upgradeWebSocket",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const webhooks = webhookReceiver();
    let ac = new AbortController();
    const start = (port: number) => {
      const live = createLiveServer(appOptionsFromEnv(env(webhooks.url)));
      return { live, http: serveDeno(live, { hostname: "127.0.0.1", port, signal: ac.signal }) };
    };
    let server = start(0);
    const port = server.http.addr.port;
    try {
      const ran = await pusherJsSuite(t, {
        port,
        webhooks,
        async restart() {
          ac.abort();
          await server.http.finished;
          ac = new AbortController();
          server = start(port);
        },
      });
      assert.ok(ran.length >= 10, ran.join(", "));
    } finally {
      ac.abort();
      await server.http.finished;
      await server.live.shutdown();
      await webhooks.close();
    }
  },
});

/** Runs a bundled entry point with `cmd`, on a fixed port, restartable. */
async function runtimeSuite(t: Deno.TestContext, cmd: string, entry: string, platform: "deno" | "browser") {
  const file = await bundle(entry, platform);
  const webhooks = webhookReceiver();
  let port = 0;
  let child: Deno.ChildProcess | undefined;
  const start = async () => {
    child = new Deno.Command(cmd, {
      args: [file],
      env: { ...env(webhooks.url), PORT: String(port), HOST: "127.0.0.1", NO_COLOR: "1" },
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let out = "";
    const deadline = Date.now() + 20_000;
    for (;;) {
      const m = /listening on http:\/\/[^:\s]+:(\d+)/.exec(out);
      if (m) {
        port = Number(m[1]);
        break;
      }
      if (Date.now() > deadline) throw new Error(`no banner from ${cmd}: ${out}`);
      const { value, done } = await reader.read();
      if (done) throw new Error(`${cmd} exited: ${out}`);
      out += value;
    }
    // Keep draining stdout so the child never blocks on a full pipe.
    (async () => {
      try {
        while (!(await reader.read()).done);
      } catch { /* closed */ }
    })();
  };
  const stop = async () => {
    child?.kill("SIGTERM");
    await child?.status;
  };
  await start();
  try {
    const ran = await pusherJsSuite(t, {
      port,
      webhooks,
      async restart() {
        await stop();
        await start();
      },
    });
    assert.ok(ran.length >= 10, ran.join(", "));
  } finally {
    await stop();
    await webhooks.close();
  }
}

Deno.test({
  name: "pusher-js end to end: Node with @hono/node-server and ws (bundled serve_node.ts)",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: (t) => runtimeSuite(t, "node", "src/hono/serve_node.ts", "deno"),
});

const BUN = findBun();
const inCI = Deno.env.get("CI") === "true";
if (!BUN && !inCI) console.log("SKIP pusher-js end to end on Bun: no bun binary (bash scripts/ci_setup_matrix.sh)");
Deno.test({
  name: "pusher-js end to end: Bun.serve websocket (bundled serve_bun.ts)",
  ignore: !BUN && !inCI,
  sanitizeOps: false,
  sanitizeResources: false,
  fn(t) {
    assert.ok(BUN, "bun is required in CI (scripts/ci_setup_matrix.sh)");
    return runtimeSuite(t, BUN, "src/hono/serve_bun.ts", "browser");
  },
});
