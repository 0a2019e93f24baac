// deno task bench:compare [--runtimes=deno,node,bun] [--reps=5] [--ms=300] [--warm=200] [--conc=64]
//                         [--only=auth-private,webhook] [--no-pin] [--save=path.jsonl]
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
    "@noble/hashes",
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
  for (const f of ["auth_server", "ref_server", "echo_server", "trigger_client", "cold_official", "cold_empty"]) {
    await bundle(`bench/http/${f}.ts`, f);
  }
  await bundle("bench/http/cold_ours.ts", "cold_ours", true);
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

function table(header: Header, rows: Map<string, Row>): string {
  const rt = header.runtime;
  const out: string[] = [];
  out.push(`### ${rt.name} ${rt.version} (${rt.engine})${pin ? ", pinned to 1 CPU" : ""}`);
  out.push("");
  out.push(
    "| operation | pusher-edge ops/s | µs/op | spread | raw Web Crypto ops/s | cost ÷ raw | official ops/s | " +
      "× official | pusher-http-edge ops/s | × edge | pusher-edge, " + conc + " in flight | cost ÷ raw (in flight) | " +
      "× edge (in flight) |",
  );
  out.push("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
  for (const g of header.groups) {
    const r = (impl: string, mode = "seq") => rows.get(`${g.id}/${impl}/${mode}`);
    const ours = r("ours"), raw = r("raw"), off = r("official"), edge = r("edge");
    const oursC = r("ours", "conc"), rawC = r("raw", "conc"), edgeC = r("edge", "conc");
    const ratio = (a?: Row, b?: Row) => (a && b ? a.opsPerSec / b.opsPerSec : undefined);
    out.push(
      `| ${g.title} | ${fmtOps(ours?.opsPerSec)} | ${ours ? (ours.nsPerOp / 1000).toFixed(1) : "–"} | ` +
        `${fmtPct(ours?.spread)} | ${fmtOps(raw?.opsPerSec)} | ${fmtX(ratio(raw, ours))} | ` +
        `${fmtOps(off?.opsPerSec)} | ${fmtX(ratio(ours, off))} | ${fmtOps(edge?.opsPerSec)} | ` +
        `${fmtX(ratio(ours, edge))} | ${fmtOps(oursC?.opsPerSec)} | ${fmtX(ratio(rawC, oursC))} | ` +
        `${fmtX(ratio(oursC, edgeC))} |`,
    );
  }
  return out.join("\n");
}

if (import.meta.main && setupOnly) {
  await setupHttp();
} else if (import.meta.main) {
  await ensureCache();
  const bundled = runtimes.some((r) => r !== "deno") ? await bundle("bench/_compare_entry.ts", "compare") : "";
  const sections: string[] = [];
  let notes: Header["groups"] = [];
  for (const rt of runtimes) {
    const { header, rows } = await runtimeRun(rt, bundled);
    notes = header.groups;
    sections.push(table(header, rows));
    console.error(`# ${rt}: done`);
  }
  console.log(
    `## Per-operation cost, same process (median of ${reps} interleaved rounds of ${repMs} ms after ${warmMs} ms ` +
      `warm-up)\n\n` +
      "cost ÷ raw = pusher-edge time per op ÷ raw Web Crypto time per op (target ≤ 1.30); × official and × edge = " +
      "pusher-edge ops/s ÷ that package's ops/s (above 1 = pusher-edge is faster; target ≥ 1.5 × edge on Node and " +
      "Deno). spread = (max − min) ÷ median of pusher-edge's rounds. The official package is synchronous " +
      "(node:crypto), so it has no in-flight column.\n",
  );
  console.log(sections.join("\n\n"));
  console.log("\nWhat the raw baseline does per operation:\n");
  for (const g of notes) console.log(`- ${g.title}: ${g.note}`);
}
