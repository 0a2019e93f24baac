/**
 * `conformance <url>`: runs the WebSocket protocol scenarios of `pusher-websocket-protocol.md` §13 against any
 * Pusher-compatible server with raw WebSocket clients (the global `WebSocket`) and signed REST calls, and reports per
 * scenario pass, fail, "differs" (a deviation the reference documents) or skip, with the reference section.
 *
 * @module
 */
import { Differs, Env, Fail, Skip, type Target } from "./_ws_env.ts";
import type { Scenario } from "./_ws_scenario.ts";
import { CLIENT_EVENTS } from "./_ws_scenarios_client.ts";
import { CONNECTION } from "./_ws_scenarios_connection.ts";
import { PRESENCE } from "./_ws_scenarios_presence.ts";
import { SUBSCRIBE } from "./_ws_scenarios_subscribe.ts";
import { USERS } from "./_ws_scenarios_users.ts";
import { WEBHOOKS } from "./_ws_scenarios_webhooks.ts";

/** Every scenario, in §13 order. */
export const WS_SCENARIOS: readonly Scenario[] = [
  ...CONNECTION,
  ...SUBSCRIBE,
  ...PRESENCE,
  ...CLIENT_EVENTS,
  ...USERS,
  ...WEBHOOKS,
]
  .sort((a, b) => a.id - b.id);

/** How a scenario came out. */
export type WsVerdict = "pass" | "fail" | "differs" | "skip";

/** One row of the report. */
export interface WsResult {
  id: number;
  title: string;
  ref: string;
  settled: boolean;
  verdict: WsVerdict;
  note: string;
  ms: number;
}

/** The whole report. */
export interface WsReport {
  target: string;
  appId: string;
  key: string;
  /** Whether every scenario the documentation settles passed (skipped ones aside): the exit code's basis. */
  ok: boolean;
  unreachable: boolean;
  counts: Record<WsVerdict, number>;
  scenarios: WsResult[];
}

/** Options of {@linkcode runWsConformance}. */
export interface WsOptions extends Omit<Target, "fetch"> {
  /** Only these scenario ids. */
  only?: readonly number[];
  /** Also run the scenarios that wait out server timers (11: about 2 minutes). */
  slow?: boolean;
  /** Progress lines (one per scenario). */
  progress?(line: string): void;
}

async function runOne(
  s: Scenario,
  target: Target,
  tag: string,
): Promise<Omit<WsResult, "id" | "title" | "ref" | "settled">> {
  const t0 = Date.now();
  const env = new Env(target, tag);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = s.timeoutMs ?? 20_000;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Fail(`did not finish within ${limit} ms`)), limit);
  });
  let verdict: WsVerdict;
  let note: string;
  try {
    note = (await Promise.race([s.run(env), timeout])) ?? "";
    verdict = env.deviations.length ? "differs" : "pass";
    if (env.deviations.length) note = env.deviations.join("; ") + (note ? `; ${note}` : "");
  } catch (err) {
    note = err instanceof Error ? err.message : String(err);
    if (err instanceof Differs) verdict = "differs";
    else if (err instanceof Skip) verdict = "skip";
    else if (err instanceof Fail) verdict = "fail";
    else {
      verdict = "fail";
      note = `error: ${err instanceof Error ? `${err.name}: ${err.message}` : note}`;
    }
    if (env.deviations.length) {
      note = verdict === "fail"
        ? `${note} (also differs: ${env.deviations.join("; ")})`
        : `${env.deviations.join("; ")}; ${note}`;
    }
  } finally {
    clearTimeout(timer);
    await env.cleanup();
  }
  return { verdict, note: note.replace(/\s+/g, " ").trim(), ms: Date.now() - t0 };
}

/**
 * Runs the scenarios one after the other (each bounded by its timeout, its sockets closed at the end).
 *
 * @param options the target, its credentials and what to run
 * @param fetchFn the fetch for REST calls and the reachability probe
 * @returns the report
 */
export async function runWsConformance(options: WsOptions, fetchFn: typeof fetch): Promise<WsReport> {
  const target: Target = { ...options, fetch: fetchFn };
  const report: WsReport = {
    target: options.baseUrl,
    appId: options.appId,
    key: options.key,
    ok: false,
    unreachable: false,
    counts: { pass: 0, fail: 0, differs: 0, skip: 0 },
    scenarios: [],
  };
  try {
    await (await fetchFn(options.baseUrl, { signal: AbortSignal.timeout(Math.max(options.waitMs, 3000)) })).body
      ?.cancel();
  } catch (err) {
    report.unreachable = true;
    report.scenarios.push({
      id: 0,
      title: "reachability",
      ref: "",
      settled: true,
      verdict: "fail",
      note: `${options.baseUrl} could not be reached: ${err instanceof Error ? err.message : String(err)}`,
      ms: 0,
    });
    report.counts.fail = 1;
    return report;
  }
  const tag = Math.floor(Math.random() * 36 ** 6).toString(36);
  const chosen = WS_SCENARIOS.filter((s) => !options.only || options.only.includes(s.id));
  for (const s of chosen) {
    const r: WsResult = s.slow && !options.slow
      ? {
        id: s.id,
        title: s.title,
        ref: s.ref,
        settled: s.settled,
        verdict: "skip",
        note: "slow: run with --slow",
        ms: 0,
      }
      : { id: s.id, title: s.title, ref: s.ref, settled: s.settled, ...await runOne(s, target, `${tag}${s.id}`) };
    report.scenarios.push(r);
    report.counts[r.verdict]++;
    options.progress?.(`[${s.id}] ${r.verdict.toUpperCase()} ${s.title} (${r.ms} ms)\n`);
  }
  report.ok = report.scenarios.every((r) => !r.settled || r.verdict === "pass" || r.verdict === "skip");
  return report;
}

/** The report as a Markdown table plus a summary line. */
export function formatWsReport(report: WsReport): string {
  const cell = (t: string) => t.replace(/\|/g, "\\|");
  const rows = report.scenarios.map((r) =>
    `| ${r.id} | ${r.verdict.toUpperCase()}${r.settled ? "" : "*"} | ${r.ref} | ` +
    `${cell(r.title)} | ${cell(r.note)} |`
  );
  const c = report.counts;
  return [
    `WebSocket protocol conformance of ${report.target} (app ${report.appId}, key ${report.key})`,
    "",
    "| # | result | ref | scenario | note |",
    "|---|---|---|---|---|",
    ...rows,
    "",
    `${c.pass} passed, ${c.fail} failed, ${c.differs} differ from the documentation, ${c.skip} skipped ` +
    `(of ${report.scenarios.length}; * = not settled by the documentation, not counted). ` +
    (report.ok
      ? "Every settled scenario that ran passed."
      : `Settled scenarios that did not pass: ${
        report.scenarios.filter((r) => r.settled && (r.verdict === "fail" || r.verdict === "differs"))
          .map((r) => r.id).join(", ")
      }.`),
    "",
  ].join("\n");
}
