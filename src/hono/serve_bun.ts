/**
 * Bun entry point: `bun run src/hono/serve_bun.ts`. Same configuration as the Deno entry point.
 *
 * @module
 */
import { appOptionsFromEnv, createApp } from "./mod.ts";
import { banner } from "./_banner.ts";

declare const Bun: {
  env: Record<string, string | undefined>;
  serve(options: {
    hostname: string;
    port: number;
    idleTimeout?: number;
    fetch: (request: Request) => Response | Promise<Response>;
  }): { hostname: string; port: number };
};

const options = appOptionsFromEnv(Bun.env);
const app = createApp(options);
// idleTimeout above the debug stream's 15 s keep-alive, so Bun does not cut server-sent events.
const server = Bun.serve({
  hostname: Bun.env.HOST || "127.0.0.1",
  port: Number(Bun.env.PORT || 8787),
  idleTimeout: 120,
  fetch: app.fetch,
});
console.log(banner(options, `http://${server.hostname}:${server.port}`));
