/**
 * Deno entry point: `deno task start` (or `deno run -A --node-modules-dir=none src/hono/serve_deno.ts`). Reads the
 * configuration from the environment (see {@linkcode appOptionsFromEnv}), listens on `HOST` (127.0.0.1) and `PORT`
 * (8787), and prints the URL, the demo credentials and a sample command. A configuration mistake prints one line naming
 * the variables and exits 2; a port in use prints one line naming `PORT` and exits 1.
 *
 * @module
 */
import { appOptionsFromEnv, createApp } from "./mod.ts";
import { banner } from "./_banner.ts";
import { listenPort, startupFailure } from "./_startup.ts";

if (import.meta.main) {
  const env = Deno.env.toObject();
  const hostname = env.HOST || "127.0.0.1";
  let port = 8787;
  try {
    port = listenPort(env.PORT);
    const options = appOptionsFromEnv(env);
    const app = createApp(options);
    Deno.serve({
      hostname,
      port,
      onListen({ hostname, port }) {
        const host = hostname.includes(":") ? `[${hostname}]` : hostname;
        console.log(banner(options, `http://${host}:${port}`));
      },
    }, app.fetch);
  } catch (error) {
    const failure = startupFailure(error, hostname, port);
    if (!failure) throw error;
    console.error(failure.message);
    Deno.exit(failure.exitCode);
  }
}
