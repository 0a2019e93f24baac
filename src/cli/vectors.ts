/**
 * `vectors run`: the conformance vectors against this library, or (`--against URL`) the conformance checks against a
 * Pusher-compatible server.
 *
 * @module
 */
import { DEMO_CREDENTIALS } from "../hono/config.ts";
import { positionals } from "./_args.ts";
import type { Command } from "./_command.ts";
import { formatReport, runConformance } from "./conformance.ts";
import { runLocalVectors } from "./_vectors_local.ts";
import { EXIT, printJson, UsageError } from "./_io.ts";

const vectorsRun: Command = {
  name: "vectors run",
  summary: "run the conformance vectors on this library, or --against a Pusher-compatible server",
  help: `Usage: pusher-edge vectors run [--strict] [--vectors DIR]
       cli vectors run --against <base-url> [--app-id ID --key KEY --secret SECRET] [--only id,…]
Without --against: runs every vector file of vectors/manifest.json (sha256 checked) through vectors/run.ts on this
library (vectors/impl.ts); exit 1 when a vector fails.
With --against: sends correctly signed requests built from the vectors (trigger, batch, channels, channel, users,
terminate), which must be accepted, and each negative case (bad signature, expired and future timestamps, wrong
body_md5, unknown key, duplicate params, >100 channels, >10 batch events, 10,241-byte data, 201-character event
name, user_count without presence-, users on a non-presence channel), which must be rejected with the right
status; prints a conformance report. A rejection sent with a 2xx status and an error body (soketi does this) is
its own outcome, REJECTED-2XX. Checks marked * test Pusher's own limits and info rules: only a production-grade
server is expected to pass them. Credentials default to the emulator's demo app (app 1, key emulator-key);
the environment is not read. Exit 0 when every check passes, 1 when one fails (or warns or is rejected with a 2xx,
with --strict), 3 when the server cannot be reached.
  --against URL        the server's base URL, e.g. http://127.0.0.1:8787 (a path is a prefix before /apps/)
  --app-id ID --key KEY --secret SECRET   the app on that server
  --vectors DIR        the vectors directory (default: the one next to this CLI)
  --only IDS           run only these checks (comma-separated ids, as in the report)
  --strict             vectors: error codes must match; --against: a rejection with another 4xx or a 2xx fails
  --timeout MS         per-request timeout (default 15000)
  --json               the report as JSON on stdout`,
  flags: { strings: ["against", "only", "vectors"], booleans: ["strict"] },
  async run(ctx) {
    positionals(ctx.parsed, [], "Usage: pusher-edge vectors run [--against URL]");
    const against = ctx.flag("against");
    if (against === undefined) return await runLocalVectors(ctx);
    let url: URL;
    try {
      url = new URL(against);
    } catch {
      throw new UsageError(`--against ${JSON.stringify(against)} is not a URL`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError("--against must be http(s)://");
    const timeout = ctx.flag("timeout") ?? "15000";
    if (!/^[0-9]+$/.test(timeout)) throw new UsageError("--timeout must be milliseconds");
    const report = await runConformance({
      baseUrl: against.replace(/\/+$/, ""),
      appId: ctx.flag("app-id") ?? DEMO_CREDENTIALS.appId,
      key: ctx.flag("key") ?? DEMO_CREDENTIALS.key,
      secret: ctx.flag("secret") ?? DEMO_CREDENTIALS.secret,
      timeoutMs: Number(timeout),
      only: ctx.flag("only")?.split(","),
    }, ctx.io);
    // A 2xx rejection keeps unauthenticated requests out but misleads clients: like a warning, fatal with --strict.
    const ok = report.failed === 0 && (!ctx.has("strict") || (report.warned === 0 && report.rejected2xx === 0));
    if (ctx.json) printJson(ctx.io, { ok, ...report });
    else ctx.out(formatReport(report));
    if (report.unreachable) {
      ctx.io.stderr(`error: ${against} could not be reached: ${report.checks[0]?.note ?? ""}\n`);
      return EXIT.REQUEST_FAILED;
    }
    return ok ? EXIT.OK : EXIT.CHECK_FAILED;
  },
};

/** `vectors run`. */
export const VECTORS_COMMANDS: readonly Command[] = [vectorsRun];
