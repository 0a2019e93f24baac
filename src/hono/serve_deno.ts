/**
 * Deno entry point: `deno task start` (or `deno run -A src/hono/serve_deno.ts`). Reads the configuration from the
 * environment (see {@linkcode appOptionsFromEnv}), listens on `HOST` (127.0.0.1) and `PORT` (8787), and prints the URL,
 * the demo credentials and a sample command.
 *
 * @module
 */
import { appOptionsFromEnv, createApp } from "./mod.ts";
import { banner } from "./_banner.ts";

if (import.meta.main) {
  const env = Deno.env.toObject();
  const options = appOptionsFromEnv(env);
  const app = createApp(options);
  Deno.serve({
    hostname: env.HOST || "127.0.0.1",
    port: Number(env.PORT || 8787),
    onListen({ hostname, port }) {
      const host = hostname.includes(":") ? `[${hostname}]` : hostname;
      console.log(banner(options, `http://${host}:${port}`));
    },
  }, app.fetch);
}
