// Runs the WebSocket conformance runner (src/cli/ws_conformance.ts) against a live server, for tests. Any server that
// speaks protocol 7 on `origin` will do: soketi now (tests/cli_ws_conformance_test.ts), the emulator once it has its
// WebSocket half. An emulator test then reads:
//
//   const report = await conformanceAgainst({ origin, appId, key, secret });
//   assert.ok(report.ok, notPassed(report));
import { WebhookSink } from "../src/cli/_ws_webhooks.ts";
import { runWsConformance, type WsReport } from "../src/cli/ws_conformance.ts";

export interface Server {
  origin: string;
  appId: string;
  key: string;
  secret: string;
}

/** Runs `only` (default: every scenario), with waits generous enough for a loaded CI machine. */
export function conformanceAgainst(server: Server, only?: number[], webhooks?: WebhookSink): Promise<WsReport> {
  return runWsConformance({
    baseUrl: server.origin,
    appId: server.appId,
    key: server.key,
    secret: server.secret,
    waitMs: 5000,
    quietMs: 1000,
    only,
    webhooks,
  }, fetch);
}

/** A webhook receiver on a free loopback port: point the server's webhook URL at `sink.url`. */
export function webhookReceiver(server: Pick<Server, "key" | "secret">): { sink: WebhookSink; close(): Promise<void> } {
  const box: { sink?: WebhookSink } = {};
  const http = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => box.sink!.handle(req));
  const sink = new WebhookSink(`http://127.0.0.1:${http.addr.port}/`, { key: server.key, secret: server.secret });
  box.sink = sink;
  return { sink, close: () => http.shutdown() };
}

/** The scenarios that did not pass, one per line, for assertion messages. */
export function notPassed(report: WsReport): string {
  return report.scenarios.filter((s) => s.verdict !== "pass")
    .map((s) => `${s.id} ${s.verdict} (${s.ref}) ${s.title}: ${s.note}`).join("\n");
}

/** Scenario ids by verdict. */
export function byVerdict(report: WsReport): Record<string, number[]> {
  const out: Record<string, number[]> = { pass: [], fail: [], differs: [], skip: [] };
  for (const s of report.scenarios) out[s.verdict].push(s.id);
  return out;
}
