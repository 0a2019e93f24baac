// The five-runtime matrix (issue 5):
//
//   bash scripts/ci_setup_matrix.sh      # once: bun 1.4.4, miniflare, edge-runtime into .cache/matrix (run for you if missing)
//   npx -y deno@2.9.6 task matrix        # table runtime × suite, exit 1 on any failure
//   npx -y deno@2.9.6 task matrix --markdown
//
// One loopback verifier (Deno.serve on 127.0.0.1, every request checked with the core's verifyRequest) serves all
// runtimes. The suites (scripts/matrix/suite.ts, plus the vector runner once vectors/run.ts and vectors/impl.ts exist)
// get the library passed in:
//   deno          — from source (mod.ts and the deno.json exports)
//   node, bun     — from the npm build (npm/esm, loaded by the runtime itself; rebuilt when stale)
//   workerd       — the npm build bundled with esbuild, run by Miniflare (cf: false)
//   edge-runtime  — the npm build bundled with esbuild (IIFE), evaluated in Vercel's EdgeVM
// Subpaths come from deno.json `exports`, so ./encryption is tested wherever it exists.
import * as esbuild from "esbuild";
import { RequestVerificationError, verifyRequest } from "../src/verify_request.ts";
import { ensureNpmBuild, readDenoJson, ROOT, run, subpaths } from "./_exports.ts";
import { APP_ID, KEY, SECRET, type SuiteResult } from "./matrix/suite.ts";

const markdown = Deno.args.includes("--markdown");
const only = Deno.args.find((a) => a.startsWith("--only="))?.slice(7).split(",");
const TOOLS = `${ROOT}/.cache/matrix`;
const GEN = `${TOOLS}/gen`;
const TIMEOUT_MS = 120_000;

// --- tools, build ----------------------------------------------------------------------------------------------------
const haveTools = () =>
  ["node_modules/.bin/bun", "node_modules/miniflare/package.json", "node_modules/edge-runtime/package.json"]
    .every((p) => exists(`${TOOLS}/${p}`));
if (!haveTools()) {
  console.log("matrix: tools missing, running scripts/ci_setup_matrix.sh");
  if ((await run(["bash", `${ROOT}/scripts/ci_setup_matrix.sh`])).code !== 0) Deno.exit(1);
}
await ensureNpmBuild();

// --- loopback verifier -----------------------------------------------------------------------------------------------
let verified = 0;
let rejected = 0;
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
  const url = new URL(req.url);
  const body = await req.text();
  try {
    await verifyRequest({
      credentials: { key: KEY, secret: SECRET },
      method: req.method,
      path: url.pathname,
      query: url.search,
      body,
    });
  } catch (e) {
    rejected++;
    const msg = e instanceof RequestVerificationError ? `Invalid signature: ${e.message}` : String(e);
    return new Response(msg, { status: 401 });
  }
  verified++;
  if (url.pathname === `/apps/${APP_ID}/events`) {
    const { channels, info } = JSON.parse(body);
    if (!info) return Response.json({});
    return Response.json({ channels: Object.fromEntries(channels.map((c: string) => [c, { user_count: 1 }])) });
  }
  return Response.json({});
});
const verifierOrigin = `http://127.0.0.1:${server.addr.port}`;

// --- entries ---------------------------------------------------------------------------------------------------------
const deno = readDenoJson();
const subs = subpaths(deno);
const enc = subs.find((s) => s.subpath === "./encryption");
const vectorRunner = exists(`${ROOT}/vectors/run.ts`) && exists(`${ROOT}/vectors/impl.ts`);
Deno.mkdirSync(GEN, { recursive: true });

function entry(kind: "src" | "npm"): string {
  const lib = (s: { source: string; js: string }) =>
    JSON.stringify(kind === "src" ? `${ROOT}/${s.source.slice(2)}` : `${ROOT}/npm/${s.js.slice(2)}`);
  const root = subs.find((s) => s.subpath === ".")!;
  const lines = [
    `import * as core from ${lib(root)};`,
    enc ? `import * as encryption from ${lib(enc)};` : `const encryption = undefined;`,
    `import { runAll } from ${JSON.stringify(`${ROOT}/scripts/matrix/suite.ts`)};`,
    `const env = { verifierOrigin: ${JSON.stringify(verifierOrigin)} };`,
  ];
  if (!vectorRunner) {
    lines.push(`export default (runtime) => runAll({ core, encryption }, { ...env, runtime });`);
    return lines.join("\n");
  }
  // The vector runner and adapter import ../mod.ts; for the npm runtimes the npmBuild plugin swaps that for npm/esm.
  const manifest = JSON.parse(Deno.readTextFileSync(`${ROOT}/vectors/manifest.json`)) as { files: { path: string }[] };
  lines.push(
    `import { runVectors } from ${JSON.stringify(`${ROOT}/vectors/run.ts`)};`,
    `import { impl } from ${JSON.stringify(`${ROOT}/vectors/impl.ts`)};`,
    ...manifest.files.map((f, i) =>
      `import doc${i} from ${JSON.stringify(`${ROOT}/vectors/${f.path}`)} with { type: "json" };`
    ),
    `const docs = [${manifest.files.map((_, i) => `doc${i}`).join(", ")}];`,
    `async function vectors() {
  const rs = await runVectors(docs, impl, { strict: true });
  const fails = rs.filter((r) => r.status === "fail");
  return { suite: "vectors", passed: rs.filter((r) => r.status === "pass").length, failed: fails.length,
    skipped: rs.filter((r) => r.status === "skip").length,
    failures: fails.map((r) => r.suite + " #" + r.tcId + " " + r.comment + ": " + r.reason) };
}`,
    `export default async (runtime) => [await vectors(), ...await runAll({ core, encryption }, { ...env, runtime })];`,
  );
  return lines.join("\n");
}
Deno.writeTextFileSync(`${GEN}/entry_src.ts`, entry("src").replace("(runtime)", "(runtime: string)"));
Deno.writeTextFileSync(`${GEN}/entry_npm.js`, entry("npm"));
Deno.writeTextFileSync(
  `${GEN}/run_deno.ts`,
  `import run from "./entry_src.ts";\nconsole.log("MATRIX_RESULT " + JSON.stringify({ version: "deno " + Deno.version.deno, results: await run("deno") }));\n`,
);
Deno.writeTextFileSync(
  `${GEN}/wrap_node.js`,
  `import run from "./entry_npm.js";
const name = typeof Bun !== "undefined" ? "bun" : "node";
const version = typeof Bun !== "undefined" ? "bun " + Bun.version : "node " + process.version;
console.log("MATRIX_RESULT " + JSON.stringify({ version, results: await run(name) }));\n`,
);
Deno.writeTextFileSync(
  `${GEN}/wrap_worker.js`,
  `import run from "./entry_npm.js";\nexport default { async fetch() { return Response.json(await run("workerd")); } };\n`,
);
Deno.writeTextFileSync(
  `${GEN}/wrap_edge.js`,
  `import run from "./entry_npm.js";\nglobalThis.__matrix = () => run("edge-runtime");\n`,
);

// The npm runtimes test the npm build: a relative import of an export's source (vectors/impl.ts -> ../mod.ts) is
// swapped for its npm/esm file. Node and Bun load npm/esm themselves (external, by absolute path); the bundles for
// workerd and edge-runtime include it.
const sourceToNpm = new Map(subs.map((s) => [`${ROOT}/${s.source.slice(2)}`, `${ROOT}/npm/${s.js.slice(2)}`]));
const npmBuild = (external: boolean): esbuild.Plugin => ({
  name: "npm-build",
  setup(b) {
    b.onResolve({ filter: /^(\.\.?\/|\/).*\.(ts|js)$/ }, (a) => {
      const abs = a.path.startsWith("/") ? a.path : new URL(a.path, `file://${a.resolveDir}/`).pathname;
      const path = sourceToNpm.get(abs) ?? (abs.startsWith(`${ROOT}/npm/esm/`) ? abs : undefined);
      return path ? { path, external } : undefined;
    });
  },
});
const common = { bundle: true, write: true, logLevel: "error" as const, target: "es2022" };
try {
  await esbuild.build({
    ...common,
    entryPoints: [`${GEN}/wrap_node.js`],
    outfile: `${GEN}/node.mjs`,
    format: "esm",
    platform: "node",
    plugins: [npmBuild(true)],
  });
  await esbuild.build({
    ...common,
    entryPoints: [`${GEN}/wrap_worker.js`],
    outfile: `${GEN}/worker.js`,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    plugins: [npmBuild(false)],
  });
  await esbuild.build({
    ...common,
    entryPoints: [`${GEN}/wrap_edge.js`],
    outfile: `${GEN}/edge.js`,
    format: "iife",
    platform: "browser",
    conditions: ["edge-light", "worker", "browser"],
    plugins: [npmBuild(false)],
  });
} finally {
  await esbuild.stop();
}

// --- run -------------------------------------------------------------------------------------------------------------
interface RuntimeRow {
  runtime: string;
  version: string;
  results: SuiteResult[];
  crash?: string;
  ms: number;
}
const runtimes: [string, string[]][] = [
  ["Deno", [Deno.execPath(), "run", "-A", `--config=${ROOT}/deno.json`, `${GEN}/run_deno.ts`]],
  ["Node", ["node", `${GEN}/node.mjs`]],
  ["Bun", [`${TOOLS}/node_modules/.bin/bun`, `${GEN}/node.mjs`]],
  ["workerd", ["node", `${ROOT}/scripts/matrix/run_workerd.mjs`, `${GEN}/worker.js`, TOOLS]],
  ["edge-runtime", ["node", `${ROOT}/scripts/matrix/run_edge.mjs`, `${GEN}/edge.js`, TOOLS]],
];
const rows: RuntimeRow[] = [];
for (const [name, cmd] of runtimes) {
  if (only && !only.some((o) => name.toLowerCase().startsWith(o.toLowerCase()))) continue;
  const t0 = performance.now();
  const out = await runWithTimeout(cmd);
  const line = out.text.split("\n").reverse().find((l) => l.startsWith("MATRIX_RESULT "));
  const ms = Math.round(performance.now() - t0);
  if (out.code === 0 && line) {
    const r = JSON.parse(line.slice("MATRIX_RESULT ".length));
    rows.push({ runtime: name, version: r.version, results: r.results, ms });
  } else {
    rows.push({
      runtime: name,
      version: "?",
      results: [],
      crash: out.text.trim().split("\n").slice(-15).join("\n"),
      ms,
    });
  }
  const last = rows[rows.length - 1];
  console.log(
    `${name}: ${
      last.crash ? "CRASHED" : last.results.map((s) => `${s.suite} ${s.passed}/${s.passed + s.failed}`).join(", ")
    } (${ms} ms)`,
  );
}
await server.shutdown();

// --- report ----------------------------------------------------------------------------------------------------------
const suites = [...new Set(rows.flatMap((r) => r.results.map((s) => s.suite)))];
if (!suites.length) suites.push("core", "smoke");
const cell = (r: RuntimeRow, s: string) => {
  if (r.crash) return "CRASH";
  const x = r.results.find((y) => y.suite === s);
  const skipped = x?.skipped ? ` (${x.skipped} skipped)` : "";
  return x ? `${x.failed ? "FAIL" : "pass"} ${x.passed}/${x.passed + x.failed}${skipped}` : "—";
};
const table = [
  ["runtime", "version", ...suites],
  ...rows.map((r) => [r.runtime, r.version, ...suites.map((s) => cell(r, s))]),
];
console.log("");
if (markdown) {
  console.log(`| ${table[0].join(" | ")} |\n|${table[0].map(() => " --- ").join("|")}|`);
  for (const row of table.slice(1)) console.log(`| ${row.join(" | ")} |`);
} else {
  const w = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  for (const row of table) console.log(row.map((c, i) => c.padEnd(w[i])).join("  "));
}
let failed = 0;
let passed = 0;
for (const r of rows) {
  if (r.crash) {
    failed++;
    console.error(`\n${r.runtime} crashed:\n${r.crash}`);
  }
  for (const s of r.results) {
    passed += s.passed;
    failed += s.failed;
    for (const f of s.failures) console.error(`${r.runtime} / ${s.suite}: ${f}`);
  }
}
console.log(
  `\nloopback verifier: ${verified} verified, ${rejected} rejected${
    vectorRunner ? "" : " | vector runner not present yet (vectors/run.ts + impl.ts): core suite only"
  }`,
);
console.log(`${passed} passed, ${failed} failed`);
Deno.exit(failed || rows.length === 0 ? 1 : 0);

// ---------------------------------------------------------------------------------------------------------------------
async function runWithTimeout(cmd: string[]): Promise<{ code: number; text: string }> {
  const p = new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(TIMEOUT_MS),
    env: { NO_COLOR: "1", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" },
  });
  try {
    const r = await p.output();
    const dec = new TextDecoder();
    return { code: r.code, text: dec.decode(r.stdout) + dec.decode(r.stderr) };
  } catch (e) {
    return { code: 1, text: String(e) };
  }
}

function exists(p: string): boolean {
  try {
    Deno.statSync(p);
    return true;
  } catch {
    return false;
  }
}
