/**
 * `conformance <url>`: the WebSocket protocol conformance runner as a CLI command (see ws_conformance.ts).
 *
 * @module
 */
import { positionals } from "./_args.ts";
import type { Command } from "./_command.ts";
import { EXIT, printJson, UsageError } from "./_io.ts";
import { WebhookSink } from "./_ws_webhooks.ts";
import { formatWsReport, runWsConformance, WS_SCENARIOS } from "./ws_conformance.ts";

const USAGE =
  "Usage: cli conformance <url> --app-id ID --key KEY --secret SECRET [--scenario N…] [--webhooks PORT] [--slow] [--json]";

function ms(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!/^[0-9]+$/.test(value) || Number(value) < 1) throw new UsageError(`--${name} must be milliseconds`, USAGE);
  return Number(value);
}

function appFlag(value: string | undefined): { appId: string; key: string; secret: string } | undefined {
  if (value === undefined) return undefined;
  const [appId, key, secret, ...rest] = value.split(":");
  if (!appId || !key || !secret || rest.length) {
    throw new UsageError("--no-client-events-app must be APP_ID:KEY:SECRET", USAGE);
  }
  return { appId, key, secret };
}

const conformance: Command = {
  name: "conformance",
  summary: "run the WebSocket protocol scenarios (§13) against a Pusher-compatible server",
  help: `${USAGE}
Runs the Pusher Channels protocol 7 scenarios of pusher-websocket-protocol.md §13 against the server at <url>
(http(s)://host:port; its WebSocket endpoint is ws(s)://host:port/app/KEY) with raw WebSocket clients, plus REST
calls signed with the app secret (triggers, live channel state, terminate). Each scenario is reported as PASS,
FAIL, differs (the server does what the reference lists as a known deviation from Pusher's documentation) or SKIP
(it needs a server setting or test hook this runner cannot reach), with the reference section.
The app needs client events and user authentication (signin) enabled.
Exit 0 when every scenario the documentation settles passed or was skipped, 1 otherwise, 3 when <url> cannot
be reached. See docs/conformance.md.
  --app-id ID --key KEY --secret SECRET   the app on that server (required)
  --scenario N         run only scenario N (repeatable; ${WS_SCENARIOS[0].id}–${WS_SCENARIOS.at(-1)!.id})
  --webhooks PORT      receive the server's webhooks on http://127.0.0.1:PORT/ (configure the server to send them
                       there) and run the webhook scenarios (43, 44, and the webhook parts of 26, 29 and 37); needs Deno
  --disabled-key KEY   a disabled app on the same server (runs scenario 4)
  --quota-key KEY      an app whose connection quota is 1 (runs scenario 5)
  --no-client-events-app ID:KEY:SECRET   an app with client events off (runs scenario 31)
  --slow               also run the scenarios that wait out server timers (11: about 2 minutes)
  --wait MS            bound for a frame that must arrive (default 3000)
  --quiet MS           how long "nothing arrives" is watched (default 600)
  --json               the report as JSON on stdout`,
  flags: {
    strings: ["wait", "quiet", "webhooks", "disabled-key", "quota-key", "no-client-events-app"],
    booleans: ["slow"],
    multi: ["scenario"],
  },
  async run(ctx) {
    const [url] = positionals(ctx.parsed, ["url"], USAGE);
    let base: URL;
    try {
      base = new URL(url);
    } catch {
      throw new UsageError(`${JSON.stringify(url)} is not a URL`, USAGE);
    }
    if (base.protocol !== "http:" && base.protocol !== "https:") {
      throw new UsageError("<url> must be http(s)://", USAGE);
    }
    const [appId, key, secret] = ["app-id", "key", "secret"].map((f) => ctx.flag(f));
    if (!appId || !key || !secret) throw new UsageError("--app-id, --key and --secret are required", USAGE);
    const only = ctx.parsed.multi.get("scenario")?.flatMap((v) => v.split(",")).map((v) => {
      const n = Number(v);
      if (!WS_SCENARIOS.some((s) => s.id === n)) throw new UsageError(`no scenario ${JSON.stringify(v)}`, USAGE);
      return n;
    });
    if (typeof WebSocket === "undefined") throw new UsageError("this runtime has no global WebSocket");
    let webhooks: WebhookSink | undefined;
    const hookPort = ctx.flag("webhooks");
    if (hookPort !== undefined) {
      if (!/^[0-9]+$/.test(hookPort) || Number(hookPort) > 65535) {
        throw new UsageError("--webhooks must be a port", USAGE);
      }
      if (!ctx.io.serve) throw new UsageError("--webhooks needs a runtime that can serve HTTP (the Deno CLI)", USAGE);
      webhooks = new WebhookSink(`http://127.0.0.1:${hookPort}/`, { key, secret });
      await ctx.io.serve(webhooks.handle, {
        hostname: "127.0.0.1",
        port: Number(hookPort),
        onListen: ({ port }) => ctx.io.stderr(`webhook receiver on http://127.0.0.1:${port}/\n`),
      });
    }
    const report = await runWsConformance({
      baseUrl: url.replace(/\/+$/, ""),
      appId,
      key,
      secret,
      waitMs: ms(ctx.flag("wait"), 3000, "wait"),
      quietMs: ms(ctx.flag("quiet"), 600, "quiet"),
      only,
      slow: ctx.has("slow"),
      webhooks,
      disabledKey: ctx.flag("disabled-key"),
      quotaKey: ctx.flag("quota-key"),
      noClientEvents: appFlag(ctx.flag("no-client-events-app")),
      progress: (line) => ctx.io.stderr(line),
    }, ctx.io.fetch);
    if (ctx.json) printJson(ctx.io, report);
    else ctx.out(formatWsReport(report));
    if (report.unreachable) {
      ctx.io.stderr(`error: ${report.scenarios[0].note}\n`);
      return EXIT.REQUEST_FAILED;
    }
    return report.ok ? EXIT.OK : EXIT.CHECK_FAILED;
  },
};

/** `conformance`. */
export const WS_COMMANDS: readonly Command[] = [conformance];
