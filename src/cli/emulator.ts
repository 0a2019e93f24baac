/**
 * `emulator`: runs the Hono app with the REST API emulator, as `deno task start` does.
 *
 * @module
 */
import { startupFailure } from "../hono/_startup.ts";
import { banner } from "../hono/_banner.ts";
import { appOptionsFromEnv } from "../hono/config.ts";
import { positionals } from "./_args.ts";
import type { Command } from "./_command.ts";
import { EXIT, UsageError } from "./_io.ts";

const emulator: Command = {
  name: "emulator",
  summary: "run the REST API emulator and debug page (same as deno task start)",
  help: `Usage: pusher-edge emulator [--hostname H] [--port P]
Runs the app of deno task start: the Channels REST API emulator (every request verified like production), its debug
page at /, and the auth and webhook endpoints. Configured from the environment like deno task start (PUSHER_URL or
PUSHER_APP_ID/KEY/SECRET for your own credentials; none for the demo credentials, which it prints).
  --hostname H         listen address (default HOST or 127.0.0.1)
  --port P             port (default PORT or 8787; 0 picks a free one)`,
  flags: { strings: ["hostname"] },
  async run(ctx) {
    positionals(ctx.parsed, [], "Usage: pusher-edge emulator [--hostname H] [--port P]");
    if (!ctx.io.serve) {
      throw new UsageError(
        "the emulator needs Deno: this build (the npm bin) cannot serve HTTP. From a clone of the repository run " +
          "`npx -y deno@2.9.6 task start`",
      );
    }
    const env = ctx.io.env;
    let options;
    try {
      options = appOptionsFromEnv(env as Record<string, unknown>);
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
    const port = ctx.flag("port") ?? env.PORT ?? "8787";
    if (!/^[0-9]{1,5}$/.test(port) || Number(port) > 65535) {
      throw new UsageError("--port (or PORT) must be a port number from 0 to 65535");
    }
    // Loaded only here: hono is an optional peer of the npm package, so the Node bin must start without it.
    const { createApp } = await import("../hono/app.ts");
    const app = createApp(options);
    const hostname = ctx.flag("hostname") ?? env.HOST ?? "127.0.0.1";
    let finished: Promise<void>;
    try {
      ({ finished } = await ctx.io.serve(app.fetch, {
        hostname,
        port: Number(port),
        onListen({ hostname, port }) {
          const host = hostname.includes(":") ? `[${hostname}]` : hostname;
          ctx.io.stdout(banner(options, `http://${host}:${port}`) + "\n");
        },
      }));
    } catch (err) {
      const failure = startupFailure(err, hostname, Number(port));
      if (!failure) throw err;
      throw new UsageError(`${failure.message.replace(/^pusher-edge: /, "")} (or pass --port)`);
    }
    await finished;
    return EXIT.OK;
  },
};

/** `emulator`. */
export const EMULATOR_COMMANDS: readonly Command[] = [emulator];
