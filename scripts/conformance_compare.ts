// Our server and soketi 1.6.1 through the WebSocket conformance runner in one run, side by side (not part of CI:
// soketi's first install takes about a minute):
//
//   npx -y deno@2.9.6 task conformance:compare [--slow] [--json]
//
// Starts soketi (../shared/reference-servers/soketi/start.sh, scripts/_soketi.ts) and our server as `task start` runs
// it (src/hono/serve_deno.ts in its own Deno process), each on a free loopback port with its webhooks sent to a
// receiver of this script, runs every scenario against one then the other, and prints one table: our verdict,
// soketi's, and where they differ which of the two follows the documentation, with the other's note (the runner's
// known-deviation text, or what it saw). Exits 0 when every settled scenario that ran passed on our server, 1
// otherwise; soketi's failures and deviations are expected (docs/conformance.md explains each).
import { freePort, startSoketi } from "./_soketi.ts";
import { ROOT } from "./_exports.ts";
import { WebhookSink } from "../src/cli/_ws_webhooks.ts";
import { runWsConformance, type WsReport, type WsResult } from "../src/cli/ws_conformance.ts";
import { DEMO_CREDENTIALS } from "../src/hono/config.ts";

const slow = Deno.args.includes("--slow");
const json = Deno.args.includes("--json");

function receiver(key: string, secret: string): { sink: WebhookSink; close(): Promise<void> } {
  const box: { sink?: WebhookSink } = {};
  const http = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => box.sink!.handle(req));
  box.sink = new WebhookSink(`http://127.0.0.1:${http.addr.port}/`, { key, secret });
  return { sink: box.sink, close: () => http.shutdown() };
}

/** Our server as `task start` runs it, in its own process; resolves once it answers HTTP. */
async function startOurs(webhookUrl: string) {
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--node-modules-dir=none", "--no-lock", `${ROOT}/src/hono/serve_deno.ts`],
    env: { PORT: String(port), HOST: "127.0.0.1", PUSHER_WEBHOOK_URLS: webhookUrl },
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      await (await fetch(origin, { signal: AbortSignal.timeout(1000) })).body?.cancel();
      return { origin, stop: () => stop(child) };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await stop(child);
  throw new Error(`our server did not answer on ${origin} within 30 s`);
}

async function stop(child: Deno.ChildProcess) {
  try {
    child.kill("SIGTERM");
  } catch {
    // already gone
  }
  await child.status;
}

function run(name: string, target: { origin: string; appId: string; key: string; secret: string }, sink: WebhookSink) {
  console.error(`${name}: ${target.origin}`);
  return runWsConformance({
    baseUrl: target.origin,
    appId: target.appId,
    key: target.key,
    secret: target.secret,
    waitMs: 3000,
    quietMs: 600,
    slow,
    webhooks: sink,
    progress: (line) => console.error(`  ${name} ${line.trimEnd()}`),
  }, fetch);
}

function verdict(r: WsResult | undefined): string {
  return r ? `${r.verdict.toUpperCase()}${r.settled ? "" : "*"}` : "-";
}

/** Which of the two follows the documentation, and the other's note, where their verdicts differ. */
function judge(ours: WsResult, theirs: WsResult): string {
  if (ours.verdict === theirs.verdict) return "";
  if (ours.verdict === "skip" || theirs.verdict === "skip") {
    const skipped = ours.verdict === "skip" ? ours : theirs;
    return `not compared: ${ours.verdict === "skip" ? "ours" : "soketi"} skipped (${skipped.note})`;
  }
  const prefix = ours.settled ? "" : "not settled; ";
  if (ours.verdict === "pass") return `${prefix}ours; soketi: ${theirs.note}`;
  if (theirs.verdict === "pass") return `${prefix}soketi; ours: ${ours.note}`;
  return `${prefix}neither; ours: ${ours.note}; soketi: ${theirs.note}`;
}

function table(ours: WsReport, theirs: WsReport): string {
  const cell = (t: string) => t.replace(/\|/g, "\\|").replace(/\s+/g, " ").trim();
  const rows = ours.scenarios.map((o) => {
    const s = theirs.scenarios.find((x) => x.id === o.id)!;
    return `| ${o.id} | ${cell(o.title)} | ${o.ref} | ${verdict(o)} | ${verdict(s)} | ${cell(judge(o, s))} |`;
  });
  const sum = (r: WsReport) =>
    `${r.counts.pass} pass, ${r.counts.fail} fail, ${r.counts.differs} differ, ${r.counts.skip} skip`;
  return [
    `| # | scenario | ref | pusher-edge | soketi 1.6.1 | where they differ: which follows the documentation |`,
    `|---|---|---|---|---|---|`,
    ...rows,
    "",
    `pusher-edge (${ours.target}): ${sum(ours)}. soketi (${theirs.target}): ${sum(theirs)}. ` +
    `* = not settled by the documentation, not counted.`,
    "",
  ].join("\n");
}

const ourHooks = receiver(DEMO_CREDENTIALS.key, DEMO_CREDENTIALS.secret);
const soketiHooks = receiver("app-key", "app-secret");
const soketi = await startSoketi({ webhookUrl: soketiHooks.sink.url });
let ours: Awaited<ReturnType<typeof startOurs>> | undefined;
let code = 4;
try {
  ours = await startOurs(ourHooks.sink.url);
  const a = await run("pusher-edge", { origin: ours.origin, ...DEMO_CREDENTIALS }, ourHooks.sink);
  const b = await run("soketi", soketi, soketiHooks.sink);
  if (a.unreachable || b.unreachable) {
    console.error(`unreachable: ${[a, b].filter((r) => r.unreachable).map((r) => r.target).join(", ")}`);
    code = 3;
  } else {
    console.log(json ? JSON.stringify({ ours: a, soketi: b }, null, 2) : table(a, b));
    code = a.ok ? 0 : 1;
  }
} finally {
  await ours?.stop();
  await soketi.stop();
  await ourHooks.close();
  await soketiHooks.close();
}
Deno.exit(code);
