/**
 * Node entry point, with `@hono/node-server`. Node cannot run TypeScript from `src/` directly: bundle it first (the
 * tests do it with `deno bundle --platform=node`) or use the npm build. Same configuration and start-up errors as the
 * Deno entry point.
 *
 * @module
 */
import { serve } from "@hono/node-server";
import { appOptionsFromEnv, createApp } from "./mod.ts";
import { banner } from "./_banner.ts";
import { listenPort, startupFailure } from "./_startup.ts";

const process = (globalThis as unknown as {
  process: { env: Record<string, string | undefined>; exit(code: number): never };
}).process;
const env = process.env;
const hostname = env.HOST || "127.0.0.1";
let port = 8787;
const fail = (error: unknown): never => {
  const failure = startupFailure(error, hostname, port);
  if (!failure) throw error;
  console.error(failure.message);
  return process.exit(failure.exitCode);
};
try {
  port = listenPort(env.PORT);
  const options = appOptionsFromEnv(env);
  const app = createApp(options);
  const server = serve({ fetch: app.fetch, hostname, port }, (info) => {
    console.log(banner(options, `http://${info.address}:${info.port}`));
  });
  server.on("error", fail);
} catch (error) {
  fail(error);
}
