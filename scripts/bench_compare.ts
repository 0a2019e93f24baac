// deno task bench:compare [--runtimes=deno,node,bun] [--reps=5] [--ms=300] [--warm=200] [--conc=64]
//                         [--only=auth-private,webhook] [--no-pin] [--save=path.jsonl] [--passes=1]
//       deno run -A scripts/bench_compare.ts --from=a.jsonl,b.jsonl   (re-render saved runs; passes = blocks)
//       deno run -A scripts/bench_compare.ts --setup-http   (used by scripts/bench_http.sh: cache + bundles only)
//
// Runs the same per-operation comparison (bench/_cases.ts) on Deno, Node and Bun and prints one Markdown table per
// runtime: ops/s of pusher-edge, raw Web Crypto with a cached key, the official `pusher` package and
// `pusher-http-edge`, and the ratios between them, measured in the same process.
// Node and Bun run an esbuild bundle of the TypeScript sources; the peers and esbuild/bun come from npm into the
// gitignored .bench-cache/ (installed on first use, versions taken from deno.json). Each runtime is pinned to CPU 0
// with taskset when it exists (one isolate on one core, as in /work/shared/perf-baselines.md).

const ROOT = new URL("../", import.meta.url).pathname;
const CACHE = `${ROOT}.bench-cache/`;
const BUN_VERSION = "1.4.4";
const ESBUILD_VERSION = "0.28.2";

function flag(name: string, dflt: string): string {
  const hit = Deno.args.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (!hit) return dflt;
  return hit.includes("=") ? hit.slice(hit.indexOf("=") + 1) : "true";
}
const runtimes = flag("runtimes", "deno,node,bun").split(",");
const reps = flag("reps", "5");
const repMs = flag("ms", "300");
const warmMs = flag("warm", "200");
const conc = flag("conc", "64");
const only = flag("only", "all");
const pin = flag("no-pin", "false") !== "true";
const save = flag("save", "");
const setupOnly = flag("setup-http", "false") === "true";
const passes = Number(flag("passes", "1"));
const from = flag("from", "");

async function run(cmd: string, args: string[], opts: { cwd?: string; quiet?: boolean } = {}): Promise<string> {
  const out = await new Deno.Command(cmd, {
    args,
    cwd: opts.cwd ?? ROOT,
    stdout: "piped",
    stderr: opts.quiet ? "piped" : "inherit",
    env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(
      `${cmd} ${args.join(" ")} failed (${out.code}):\n${
        opts.quiet ? new TextDecoder().decode(out.stderr) : ""
      }${text}`,
    );
  }
  return text;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** npm packages for the Node/Bun bundle: the peers and libraries at the versions deno.json pins, plus the tools. */
async function ensureCache(): Promise<void> {
  const denoJson = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  const wanted = [
    "pusher",
    "pusher-http-edge",
    "@noble/ciphers",
    "hono",
    "@hono/node-server",
    "tweetnacl",
  ]
    .map((name) => String(denoJson.imports?.[name] ?? "").replace(/^npm:/, ""))
    .filter((spec) => spec !== "");
  wanted.push(`bun@${BUN_VERSION}`, `esbuild@${ESBUILD_VERSION}`);
  const stamp = `${CACHE}.installed`;
  if (await exists(stamp) && (await Deno.readTextFile(stamp)) === wanted.join(" ")) return;
  await Deno.mkdir(CACHE, { recursive: true });
  // bun and esbuild need their postinstall scripts (they link the native binary).
  await Deno.writeTextFile(
    `${CACHE}package.json`,
    JSON.stringify({ name: "bench-cache", private: true, allowScripts: { bun: true, esbuild: true } }, null, 2),
  );
  console.error(`# installing into .bench-cache/: ${wanted.join(" ")}`);
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefix", CACHE, ...wanted], { quiet: true });
  await Deno.writeTextFile(stamp, wanted.join(" "));
}

/**
 * Bundles a TypeScript entry for Node and Bun with esbuild. By default npm packages stay external and load from
 * .bench-cache/node_modules (the same versions deno.json pins); `inline` bundles them too (one file, as shipped).
 */
async function bundle(entry: string, name: string, inline = false): Promise<string> {
  const out = `${CACHE}out/${name}.mjs`;
  // esbuild's postinstall replaces bin/esbuild with the native binary.
  await run(`${CACHE}node_modules/esbuild/bin/esbuild`, [
    `${ROOT}${entry}`,
    "--bundle",
    "--format=esm",
    "--platform=node",
    "--target=node20",
    ...(inline ? [] : ["--packages=external"]),
    "--log-level=warning",
    `--outfile=${out}`,
  ]);
  return out;
}

/** For scripts/bench_http.sh: installs the cache and bundles the servers, the trigger client and cold-start files. */
async function setupHttp(): Promise<void> {
  await ensureCache();
  for (
    const f of [
      "auth_server",
      "ref_server",
      "echo_server",
      "trigger_client",
      "cold_official",
      "cold_empty",
      "hono_layers",
    ]
  ) {
    await bundle(`bench/http/${f}.ts`, f);
  }
  await bundle("bench/http/cold_ours.ts", "cold_ours", true);
  await bundle("bench/http/cold_core.ts", "cold_core", true);
}

interface Header {
  header: true;
  runtime: { name: string; version: string; engine: string };
  groups: { id: string; title: string; note: string; names: [string, string][] }[];
}
interface Row {
  id: string;
  kind: string;
  opsPerSec: number;
  nsPerOp: number;
  spread: number;
}

async function runtimeRun(rt: string, bundled: string): Promise<{ header: Header; rows: Map<string, Row> }> {
  const benchArgs = [reps, repMs, warmMs, conc, only];
  let cmd: string[];
  if (rt === "deno") cmd = [Deno.execPath(), "run", "-A", `${ROOT}bench/_compare_entry.ts`, ...benchArgs];
  else if (rt === "node") cmd = ["node", "--no-deprecation", bundled, ...benchArgs];
  else if (rt === "bun") cmd = [`${CACHE}node_modules/.bin/bun`, bundled, ...benchArgs];
  else throw new Error(`unknown runtime ${rt}`);
  if (pin && await exists("/usr/bin/taskset")) cmd = ["taskset", "-c", "0", ...cmd];
  console.error(`# ${rt}: ${cmd.join(" ")}`);
  const text = await run(cmd[0], cmd.slice(1));
  if (save) await Deno.writeTextFile(save, text, { append: true });
  const lines = text.trim().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
  const header = lines.find((l) => l.header) as Header;
  const rows = new Map<string, Row>(lines.filter((l) => !l.header).map((l) => [l.id, l as Row]));
  return { header, rows };
}

const fmtOps = (x: number | undefined) => (x === undefined ? "–" : Math.round(x).toLocaleString("en-US"));
const fmtX = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? "–" : x.toFixed(2));
const fmtPct = (x: number | undefined) => (x === undefined ? "–" : `${Math.round(x * 100)}%`);

function median(xs: number[]): number {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** One runtime's table. With several passes: median ops/s, and each ratio as median (min–max) of per-pass ratios. */
function table(header: Header, passes: Map<string, Row>[]): string {
  const rt = header.runtime;
  const out: string[] = [];
  const n = passes.length;
  out.push(
    `### ${rt.name} ${rt.version} (${rt.engine})${pin ? ", pinned to 1 CPU" : ""}${n > 1 ? `, ${n} passes` : ""}`,
  );
  out.push("");
  out.push(
    "| operation | pusher-edge ops/s | µs/op | spread | raw Web Crypto ops/s | cost ÷ raw | official ops/s | " +
      "× official | pusher-http-edge ops/s | × edge | pusher-edge, " + conc + " in flight | cost ÷ raw (in flight) | " +
      "× edge (in flight) |",
  );
  out.push("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
  for (const g of header.groups) {
    const ops = (impl: string, mode = "seq") =>
      median(passes.map((p) => p.get(`${g.id}/${impl}/${mode}`)?.opsPerSec ?? NaN));
    // A ratio a/b taken within each pass (same process), then summarised across passes.
    const ratio = (a: string, b: string) => {
      const [ia, ma] = a.split("/"), [ib, mb] = b.split("/");
      const xs = passes.map((p) =>
        (p.get(`${g.id}/${ia}/${ma}`)?.opsPerSec ?? NaN) / (p.get(`${g.id}/${ib}/${mb}`)?.opsPerSec ?? NaN)
      )
        .filter((x) => Number.isFinite(x));
      if (xs.length === 0) return "–";
      const m = fmtX(median(xs));
      return xs.length > 1 ? `${m} (${fmtX(Math.min(...xs))}–${fmtX(Math.max(...xs))})` : m;
    };
    const ours = ops("ours");
    const spread = median(passes.map((p) => p.get(`${g.id}/ours/seq`)?.spread ?? NaN));
    out.push(
      `| ${g.title} | ${fmtOps(ours)} | ${Number.isFinite(ours) ? (1e6 / ours).toFixed(1) : "–"} | ` +
        `${Number.isFinite(spread) ? fmtPct(spread) : "–"} | ${fmtOps(ops("raw"))} | ${
          ratio("raw/seq", "ours/seq")
        } | ` +
        `${fmtOps(ops("official"))} | ${ratio("ours/seq", "official/seq")} | ${fmtOps(ops("edge"))} | ` +
        `${ratio("ours/seq", "edge/seq")} | ${fmtOps(ops("ours", "conc"))} | ${ratio("raw/conc", "ours/conc")} | ` +
        `${ratio("ours/conc", "edge/conc")} |`,
    );
  }
  return out.join("\n");
}

/** Reads files written with --save: a header line starts each runtime's block. */
async function load(files: string[]): Promise<{ header: Header; rows: Map<string, Row> }[]> {
  const blocks: { header: Header; rows: Map<string, Row> }[] = [];
  for (const f of files) {
    for (const line of (await Deno.readTextFile(f)).split("\n")) {
      if (!line.startsWith("{")) continue;
      const o = JSON.parse(line);
      if (o.header) blocks.push({ header: o, rows: new Map() });
      else blocks.at(-1)?.rows.set(o.id, o);
    }
  }
  return blocks;
}

if (import.meta.main && setupOnly) {
  await setupHttp();
} else if (import.meta.main) {
  let blocks: { header: Header; rows: Map<string, Row> }[] = [];
  if (from) {
    blocks = await load(from.split(","));
  } else {
    await ensureCache();
    const bundled = runtimes.some((r) => r !== "deno") ? await bundle("bench/_compare_entry.ts", "compare") : "";
    for (let pass = 1; pass <= passes; pass++) {
      for (const rt of runtimes) {
        blocks.push(await runtimeRun(rt, bundled));
        console.error(`# ${rt}: pass ${pass} done`);
      }
    }
  }
  const byRuntime = new Map<string, { header: Header; rows: Map<string, Row> }[]>();
  for (const b of blocks) byRuntime.set(b.header.runtime.name, [...(byRuntime.get(b.header.runtime.name) ?? []), b]);
  const sections = [...byRuntime.values()].map((bs) => table(bs[0].header, bs.map((b) => b.rows)));
  const h = blocks[0].header as Header & { reps: number; repMs: number; warmMs: number };
  console.log(
    `## Per-operation cost, same process (median of ${h.reps} interleaved rounds of ${h.repMs} ms after ` +
      `${h.warmMs} ms warm-up${
        byRuntime.values().next().value!.length > 1
          ? "; with several passes, median ops/s and each ratio as median (min–max) over the passes"
          : ""
      })\n\n` +
      "cost ÷ raw = pusher-edge time per op ÷ raw Web Crypto time per op (target ≤ 1.30); × official and × edge = " +
      "pusher-edge ops/s ÷ that package's ops/s (above 1 = pusher-edge is faster; target ≥ 1.5 × edge on Node and " +
      "Deno). spread = (max − min) ÷ median of pusher-edge's rounds. The official package is synchronous " +
      "(node:crypto), so it has no in-flight column.\n",
  );
  console.log(sections.join("\n\n"));
  console.log("\nWhat the raw baseline does per operation:\n");
  for (const g of blocks[0].header.groups) console.log(`- ${g.title}: ${g.note}`);
}
