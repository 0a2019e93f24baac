// Bundle-size budget and bleed check (issue 5):
//
//   npx -y deno@2.9.6 task size            # prints the table, exits 1 if a budget or bleed rule is broken
//   npx -y deno@2.9.6 task size --markdown # the same table as Markdown (for the README)
//
// Every bundle in size-budget.json, and every deno.json export not covered there, is bundled from the npm build
// (npm/esm, rebuilt when stale; its package.json says `sideEffects: false`, as a user's bundler sees it) with esbuild
// (--bundle --minify --format=esm --platform=browser) and gzipped at level 9. Bleed: esbuild's metafile lists each
// input file, so "cipher" (@noble/ciphers, salsa, poly1305) and "hono" (node_modules/hono) are checked on the inputs,
// and the output text is also searched for the Salsa20 constant and poly1305 names.
import * as esbuild from "esbuild";
import { gzipSync } from "node:zlib";
import { ensureNpmBuild, readDenoJson, ROOT, subpaths } from "./_exports.ts";

interface Budget {
  name: string;
  entries: Record<string, string[] | "*">;
  maxGzip?: number;
  forbid?: ("cipher" | "hono")[];
}
interface Row {
  name: string;
  min: number;
  gzip: number;
  maxGzip?: number;
  problems: string[];
}

const markdown = Deno.args.includes("--markdown");
await ensureNpmBuild();
const deno = readDenoJson();
const subs = subpaths(deno);
const budgets: Budget[] = JSON.parse(Deno.readTextFileSync(`${ROOT}/size-budget.json`)).bundles;
const known = new Set(subs.map((s) => s.subpath));
for (const s of subs) {
  if (!budgets.some((b) => Object.keys(b.entries).length === 1 && s.subpath in b.entries)) {
    budgets.push({ name: `${s.subpath} (no budget)`, entries: { [s.subpath]: "*" } });
  }
}

const CIPHER_INPUT = /@noble[/+]ciphers|salsa|poly1305/i;
const CIPHER_TEXT = /expand 32-byte k|poly1305|xsalsa/i;
const HONO_INPUT = /node_modules\/(\.deno\/hono@[^/]+\/node_modules\/)?hono\//;

async function measure(b: Budget): Promise<Row> {
  const problems: string[] = [];
  const lines: string[] = [];
  for (const [sub, names] of Object.entries(b.entries)) {
    const s = subs.find((x) => x.subpath === sub);
    if (!s || !known.has(sub)) {
      problems.push(`${sub} is not in deno.json exports`);
      continue;
    }
    // The npm build, so npm/package.json's `sideEffects: false` lets esbuild drop unused modules, as in a user's bundle.
    const from = JSON.stringify(`${ROOT}/npm/${s.js.slice(2)}`);
    lines.push(names === "*" ? `export * from ${from};` : `export { ${names.join(", ")} } from ${from};`);
  }
  if (problems.length) return { name: b.name, min: 0, gzip: 0, maxGzip: b.maxGzip, problems };
  const r = await esbuild.build({
    stdin: { contents: lines.join("\n"), resolveDir: ROOT, loader: "js", sourcefile: "entry.js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    // ./redis is a server-side subpath whose Redis client (Node built-ins) is an optional peer: measure our code only.
    external: ["ioredis"],
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const code = r.outputFiles[0].contents;
  const text = new TextDecoder().decode(code);
  const inputs = Object.keys(r.metafile.inputs);
  const gzip = gzipSync(code, { level: 9 }).length;
  const includesHono = "./hono" in b.entries;
  if ((b.forbid ?? []).includes("cipher") || false) {
    const hit = inputs.filter((i) => CIPHER_INPUT.test(i));
    if (hit.length) problems.push(`cipher code bled in: ${hit.join(", ")}`);
    if (CIPHER_TEXT.test(text)) problems.push(`cipher code bled in: output matches ${CIPHER_TEXT}`);
  }
  if ((b.forbid ?? []).includes("hono") || !includesHono) {
    const hit = inputs.filter((i) => HONO_INPUT.test(i));
    if (hit.length) problems.push(`hono bled in: ${hit.slice(0, 3).join(", ")}${hit.length > 3 ? ", …" : ""}`);
  }
  if (b.maxGzip !== undefined && gzip > b.maxGzip) problems.push(`gzip ${gzip} B > budget ${b.maxGzip} B`);
  return { name: b.name, min: code.length, gzip, maxGzip: b.maxGzip, problems };
}

const rows: Row[] = [];
try {
  for (const b of budgets) rows.push(await measure(b));
} finally {
  await esbuild.stop();
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const table = [
  ["bundle", "min", "min+gzip", "budget (gzip)", "status"],
  ...rows.map((r) => [
    r.name,
    `${r.min} B`,
    `${r.gzip} B (${kb(r.gzip)})`,
    r.maxGzip === undefined ? "—" : kb(r.maxGzip),
    r.problems.length ? "FAIL" : "ok",
  ]),
];
if (markdown) {
  console.log(`| ${table[0].join(" | ")} |\n|${table[0].map(() => " --- ").join("|")}|`);
  for (const row of table.slice(1)) console.log(`| ${row.join(" | ")} |`);
} else {
  const w = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  for (const row of table) console.log(row.map((c, i) => c.padEnd(w[i])).join("  "));
}
const bad = rows.filter((r) => r.problems.length);
for (const r of bad) for (const p of r.problems) console.error(`size: ${r.name}: ${p}`);
console.log(`\n${rows.length - bad.length} passed, ${bad.length} failed`);
Deno.exit(bad.length ? 1 : 0);
