/**
 * Bun entry point: `bun run src/hono/serve_bun.ts`. Same configuration and start-up errors as the Deno entry point.
 *
 * @module
 */
import { appOptionsFromEnv, createApp } from "./mod.ts";
import { banner } from "./_banner.ts";
import { listenPort, startupFailure } from "./_startup.ts";

declare const Bun: {
  env: Record<string, string | undefined>;
  serve(options: {
    hostname: string;
    port: number;
    idleTimeout?: number;
    fetch: (request: Request) => Response | Promise<Response>;
  }): { hostname: string; port: number };
};
declare const process: { exit(code: number): never };

const hostname = Bun.env.HOST || "127.0.0.1";
let port = 8787;
try {
  port = listenPort(Bun.env.PORT);
  const options = appOptionsFromEnv(Bun.env);
  const app = createApp(options);
  // idleTimeout above the debug stream's 15 s keep-alive, so Bun does not cut server-sent events.
  const server = Bun.serve({ hostname, port, idleTimeout: 120, fetch: app.fetch });
  console.log(banner(options, `http://${server.hostname}:${server.port}`));
} catch (error) {
  const failure = startupFailure(error, hostname, port);
  if (!failure) throw error;
  console.error(failure.message);
  process.exit(failure.exitCode);
}
