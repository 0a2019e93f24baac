/**
 * Cloudflare Workers entry point (see `wrangler.jsonc`). Reads `PUSHER_*` from the Worker's bindings (vars and
 * secrets). With no credentials it serves the emulator only when `PUSHER_EMULATOR=1` is set (`.dev.vars` sets it for
 * `wrangler dev`); a bare `wrangler deploy` answers 503 with setup instructions instead of publishing a demo emulator
 * to the internet. The app is built once per isolate, so the emulator's log lives as long as the isolate does.
 *
 * @module
 */
import type { Hono } from "hono";
import { appOptionsFromEnv, createApp } from "./mod.ts";

const SETUP = `pusher-edge is deployed but not configured.

Set your Pusher app (wrangler.jsonc "vars" for PUSHER_APP_ID, PUSHER_KEY, PUSHER_CLUSTER, and
\`npx wrangler secret put PUSHER_SECRET\`), then deploy again. To serve the signature-checking emulator instead (for
local development), set PUSHER_EMULATOR=1: \`wrangler dev\` reads it from .dev.vars.
`;

let app: Hono | undefined;

/** The Worker: `fetch(request, env, ctx)`. */
const worker: {
  fetch: (request: Request, env: Record<string, unknown>, ctx?: unknown) => Response | Promise<Response>;
} = {
  fetch(request, env, ctx) {
    if (!app) {
      const options = appOptionsFromEnv(env ?? {});
      if (options.credentials === undefined && options.emulator !== true) {
        return new Response(SETUP, {
          status: 503,
          headers: { "content-type": "text/plain; charset=UTF-8", "cache-control": "no-store" },
        });
      }
      app = createApp(options);
    }
    return app.fetch(request, env, ctx as Parameters<Hono["fetch"]>[2]);
  },
};
export default worker;
