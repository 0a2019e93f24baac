/**
 * Node entry point, with `@hono/node-server`. Node cannot run TypeScript from `src/` directly: bundle it first (the
 * tests do it with `deno bundle --platform=node`) or use the npm build. Same configuration as the Deno entry point.
 *
 * @module
 */
import { serve } from "@hono/node-server";
import { appOptionsFromEnv, createApp } from "./mod.ts";
import { banner } from "./_banner.ts";

const env = (globalThis as unknown as { process: { env: Record<string, string | undefined> } }).process.env;
const options = appOptionsFromEnv(env);
const app = createApp(options);
serve({ fetch: app.fetch, hostname: env.HOST || "127.0.0.1", port: Number(env.PORT || 8787) }, (info) => {
  console.log(banner(options, `http://${info.address}:${info.port}`));
});
