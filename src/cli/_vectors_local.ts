/**
 * `vectors run` without `--against`: every file of `vectors/manifest.json` through `vectors/run.ts` on this library
 * (`vectors/impl.ts`), with the manifest's sha256 checked first.
 *
 * @module
 */
import { hexEncode, utf8Encode } from "../_bytes.ts";
import { impl } from "../../vectors/impl.ts";
import { runVectors, type TestResult, type VectorDocument } from "../../vectors/run.ts";
import type { Context } from "./_command.ts";
import { EXIT, printJson, UsageError } from "./_io.ts";

interface Manifest {
  schemaVersion: string;
  files: { path: string; suite: string; numberOfTests: number; sha256: string }[];
}

interface SuiteSummary {
  file: string;
  suite: string;
  pass: number;
  fail: number;
  skip: number;
  warnings: number;
  sha256: "ok" | "mismatch";
}

async function sha256Hex(text: string): Promise<string> {
  return hexEncode(new Uint8Array(await crypto.subtle.digest("SHA-256", utf8Encode(text))));
}

/** Runs the local vectors; resolves to the exit code. */
export async function runLocalVectors(ctx: Context): Promise<number> {
  const dirFlag = ctx.flag("vectors");
  const dir = dirFlag === undefined
    ? new URL("../../vectors/", import.meta.url)
    : dirFlag.endsWith("/")
    ? dirFlag
    : `${dirFlag}/`;
  const at = (p: string) => (typeof dir === "string" ? dir + p : new URL(p, dir));
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await ctx.io.readFile(at("manifest.json")));
  } catch (err) {
    throw new UsageError(`cannot read ${String(at("manifest.json"))}: ${err instanceof Error ? err.message : err}`);
  }
  const strict = ctx.has("strict");
  const summaries: SuiteSummary[] = [];
  const failures: TestResult[] = [];
  for (const [i, file] of manifest.files.entries()) {
    if (ctx.io.stderrIsTTY) ctx.io.stderr(`\r\x1b[2K[${i + 1}/${manifest.files.length}] ${file.path}…`);
    const text = await ctx.io.readFile(at(file.path));
    const sha = (await sha256Hex(text)) === file.sha256 ? "ok" : "mismatch";
    const results = await runVectors([JSON.parse(text) as VectorDocument], impl, { strict });
    const s: SuiteSummary = {
      file: file.path,
      suite: file.suite,
      pass: results.filter((r) => r.status === "pass").length,
      fail: results.filter((r) => r.status === "fail").length,
      skip: results.filter((r) => r.status === "skip").length,
      warnings: results.filter((r) => r.warning !== undefined).length,
      sha256: sha,
    };
    summaries.push(s);
    failures.push(...results.filter((r) => r.status === "fail"));
    if (!ctx.io.stderrIsTTY) {
      ctx.io.stderr(
        `[${i + 1}/${manifest.files.length}] ${file.path}: ${s.pass} passed, ${s.fail} failed, ${s.skip} skipped\n`,
      );
    }
  }
  if (ctx.io.stderrIsTTY) ctx.io.stderr("\r\x1b[2K");
  const total = (k: "pass" | "fail" | "skip" | "warnings") => summaries.reduce((n, s) => n + s[k], 0);
  const ok = total("fail") === 0 && summaries.every((s) => s.sha256 === "ok");
  if (ctx.json) {
    printJson(ctx.io, {
      ok,
      strict,
      passed: total("pass"),
      failed: total("fail"),
      skipped: total("skip"),
      warnings: total("warnings"),
      suites: summaries,
      failures,
    });
    return ok ? EXIT.OK : EXIT.CHECK_FAILED;
  }
  const head = ["file", "suite", "passed", "failed", "skipped", "warnings", "sha256"];
  const rows = summaries.map((s) => [s.file, s.suite, s.pass, s.fail, s.skip, s.warnings, s.sha256].map(String));
  rows.push(["total", "", total("pass"), total("fail"), total("skip"), total("warnings"), ""].map(String));
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  const out = [
    `vectors ${manifest.schemaVersion} on pusher-edge (${strict ? "strict" : "lenient"}: ${
      strict ? "error codes must match" : "stages must match"
    })`,
    "",
    line(head),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
  ];
  if (failures.length > 0) {
    out.push("", "failed:", ...failures.map((f) => `  ${f.suite} #${f.tcId} ${f.comment}: ${f.reason ?? ""}`));
  }
  out.push("", ok ? "every vector passed" : `${total("fail")} vector(s) failed`);
  ctx.out(out.join("\n") + "\n");
  return ok ? EXIT.OK : EXIT.CHECK_FAILED;
}
