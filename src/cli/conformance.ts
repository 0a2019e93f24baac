/**
 * `vectors run --against <base-url>`: sends every check of {@linkcode CHECKS} to a Pusher-compatible server and
 * reports, per check, pass / warn / fail and what the server answered. A progress line goes to stderr while it runs.
 *
 * @module
 */
import { type Check, CHECKS, type Wire } from "./_conformance_cases.ts";
import type { Io } from "./_io.ts";

/**
 * How a check came out: `warn` is a rejection with another 4xx status than expected; `rejected-2xx` is a rejection
 * sent with a 2xx status and an error body (soketi does this), which SDKs read as success.
 */
export type Verdict = "pass" | "warn" | "fail" | "rejected-2xx";

/** One line of the report. */
export interface CheckResult {
  id: string;
  kind: Check["kind"];
  title: string;
  source: string;
  expected: string;
  verdict: Verdict;
  /** Only a production-grade server is expected to pass it (Pusher's own limits and info rules). */
  production: boolean;
  request: { method: string; path: string };
  /** What the server answered: status (0 when it could not be reached) and the first 200 characters of the body. */
  answer: { status: number; body: string };
  note?: string;
}

/** The whole report. */
export interface Report {
  target: string;
  appId: string;
  key: string;
  passed: number;
  warned: number;
  failed: number;
  /** Rejections answered with a 2xx status and an error body. */
  rejected2xx: number;
  /** Of the failed, warned and rejected-2xx checks, those only a production-grade server is expected to pass. */
  productionOnly: number;
  unreachable: boolean;
  checks: CheckResult[];
}

/** Options of {@linkcode runConformance}. */
export interface ConformanceOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:8787` (a path becomes the prefix before `/apps/`). */
  baseUrl: string;
  appId: string;
  key: string;
  secret: string;
  /** Per-request timeout in ms. */
  timeoutMs: number;
  /** Only these check ids. */
  only?: readonly string[];
}

function expectedText(c: Check): string {
  return c.kind === "accept" ? "2xx" : c.expect.join("|");
}

function verdictOf(c: Check, status: number, errorBody: boolean): Verdict {
  const ok = status >= 200 && status < 300;
  if (c.kind === "accept") return ok && !errorBody ? "pass" : "fail";
  if (c.expect.includes(status)) return "pass";
  if (ok && errorBody) return "rejected-2xx";
  return status >= 400 && status < 500 ? "warn" : "fail";
}

/** An error answer in a 2xx response: a JSON object with an `error` member or an error `code` (soketi's shape). */
function isErrorBody(text: string): boolean {
  try {
    const v = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v) &&
      (typeof v.error === "string" || (typeof v.code === "number" && v.code >= 400));
  } catch {
    return false;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, 200);
}

async function send(
  io: Io,
  origin: string,
  w: Wire,
  timeoutMs: number,
): Promise<{ status: number; body: string; errorBody: boolean }> {
  const headers: Record<string, string> = {};
  if (w.body !== undefined) headers["content-type"] = "application/json";
  const res = await io.fetch(`${origin}${w.path}?${w.query}`, {
    method: w.method,
    headers,
    body: w.body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  return { status: res.status, body: oneLine(text), errorBody: isErrorBody(text) };
}

class Progress {
  #io: Io;
  #total: number;
  constructor(io: Io, total: number) {
    this.#io = io;
    this.#total = total;
  }
  start(i: number, c: Check): void {
    if (this.#io.stderrIsTTY) this.#io.stderr(`\r\x1b[2K[${i + 1}/${this.#total}] ${c.kind} ${c.title}…`);
  }
  end(i: number, r: CheckResult): void {
    if (!this.#io.stderrIsTTY) {
      this.#io.stderr(
        `[${i + 1}/${this.#total}] ${r.verdict.toUpperCase()} ${r.kind} ${r.title} -> ${r.answer.status}\n`,
      );
    }
  }
  finish(): void {
    if (this.#io.stderrIsTTY) this.#io.stderr("\r\x1b[2K");
  }
}

/**
 * Runs the checks one after the other (a remote server may rate-limit), printing progress to stderr.
 *
 * @param options the target and its credentials
 * @param io where to send requests and progress
 * @returns the report
 */
export async function runConformance(options: ConformanceOptions, io: Io): Promise<Report> {
  const base = new URL(options.baseUrl);
  const prefix = base.pathname.replace(/\/+$/, "");
  const origin = base.origin;
  const appPath = `${prefix}/apps/${options.appId}`;
  const checks = options.only ? CHECKS.filter((c) => options.only!.includes(c.id)) : CHECKS;
  const progress = new Progress(io, checks.length);
  const results: CheckResult[] = [];
  for (const [i, c] of checks.entries()) {
    progress.start(i, c);
    const env = { appPath, key: options.key, secret: options.secret, now: Math.floor(io.now() / 1000) };
    const wire = await c.build(env);
    const r: CheckResult = {
      id: c.id,
      kind: c.kind,
      title: c.title,
      source: c.source,
      expected: expectedText(c),
      verdict: "fail",
      production: c.production === true,
      request: { method: wire.method, path: wire.path },
      answer: { status: 0, body: "" },
    };
    try {
      const { errorBody, ...answer } = await send(io, origin, wire, options.timeoutMs);
      r.answer = answer;
      r.verdict = verdictOf(c, answer.status, errorBody);
      if (r.verdict === "warn") r.note = `rejected, but with ${answer.status} instead of ${r.expected}`;
      else if (r.verdict === "rejected-2xx") {
        r.note = `rejected with a ${answer.status} status and an error body: SDKs read a 2xx as success`;
      } else if (r.verdict === "fail") {
        r.note = c.kind === "accept"
          ? errorBody
            ? "a correct request was refused (an error body with a 2xx status)"
            : "a correct request was refused"
          : "not rejected";
      }
      if (r.production && r.verdict !== "pass") r.note += "; production-grade check (Pusher's own limits)";
    } catch (err) {
      r.note = `no answer: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`.slice(0, 200);
    }
    results.push(r);
    progress.end(i, r);
  }
  progress.finish();
  const count = (v: Verdict) => results.filter((r) => r.verdict === v).length;
  return {
    target: options.baseUrl,
    appId: options.appId,
    key: options.key,
    passed: count("pass"),
    warned: count("warn"),
    failed: count("fail"),
    rejected2xx: count("rejected-2xx"),
    productionOnly: results.filter((r) => r.production && r.verdict !== "pass").length,
    unreachable: results.length > 0 && results.every((r) => r.answer.status === 0),
    checks: results,
  };
}

/** The human-readable report: one row per check, details of what did not pass, and the summary. */
export function formatReport(report: Report): string {
  const rows = report.checks.map((r, i) => [
    String(i + 1),
    r.verdict.toUpperCase(),
    r.production ? `${r.kind}*` : r.kind,
    r.id,
    r.expected,
    r.answer.status === 0 ? "-" : String(r.answer.status),
    r.answer.body.slice(0, 60),
  ]);
  const head = ["#", "result", "kind", "check", "expected", "got", "server answered (first 60 chars)"];
  const widths = head.map((h, col) => Math.max(h.length, ...rows.map((row) => row[col].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  const out = [
    `conformance of ${report.target} (app ${report.appId}, key ${report.key}): ${report.checks.length} checks`,
    "",
    line(head),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
  ];
  const notPassed = report.checks.filter((r) => r.verdict !== "pass");
  if (notPassed.length > 0) {
    out.push("", "not passed:");
    for (const r of notPassed) {
      out.push(
        `  ${r.verdict.toUpperCase()} ${r.id}: ${r.title} (${r.source})`,
        `    sent ${r.request.method} ${r.request.path}; expected ${r.expected}; ${r.note ?? ""}`,
        `    server answered ${r.answer.status || "nothing"}: ${r.answer.body}`,
      );
    }
  }
  const clean = report.failed === 0 && report.warned === 0 && report.rejected2xx === 0;
  out.push(
    "",
    "* production-grade: Pusher's own limits and info rules; a compatible self-hosted server may differ.",
    `summary: ${report.passed} passed, ${report.failed} failed, ${report.warned} warnings, ` +
      `${report.rejected2xx} rejected with a 2xx status (of ${report.checks.length})` +
      (clean ? ": every check passed" : "") +
      (report.productionOnly > 0 ? `; ${report.productionOnly} of those not passed are production-grade checks` : ""),
  );
  return out.join("\n") + "\n";
}
