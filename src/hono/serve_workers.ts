/**
 * Cloudflare Workers entry point (see `wrangler.jsonc`). Reads `PUSHER_*` from the Worker's bindings (vars and
 * secrets); with none it serves the emulator with demo credentials. The app is built once per isolate, so the
 * emulator's log lives as long as the isolate does.
 *
 * @module
 */
import type { Hono } from "hono";
import { appOptionsFromEnv, createApp } from "./mod.ts";

let app: Hono | undefined;

/** The Worker: `fetch(request, env, ctx)`. */
const worker: {
  fetch: (request: Request, env: Record<string, unknown>, ctx?: unknown) => Response | Promise<Response>;
} = {
  fetch(request, env, ctx) {
    app ??= createApp(appOptionsFromEnv(env ?? {}));
    return app.fetch(request, env, ctx as Parameters<Hono["fetch"]>[2]);
  },
};
export default worker;
