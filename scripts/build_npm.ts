// Builds the npm package into npm/ (the dnt replacement; dnt lives on JSR, which CI cannot reach).
//
//   npx -y deno@2.9.6 task build:npm
//
// 1. tsc 5.9.3 (run by Deno) compiles every subpath in deno.json `exports` (plus src/cli if it exists) to ESM + .d.ts
//    in npm/esm, using tsconfig.build.json (ES2022 target, ESNext modules for `with { type: "json" }`, Bundler
//    resolution, resolveJsonModule, DOM libs, `types: []`). The vector files (vectors/v1/*.json, manifest, schema,
//    policy, README) are copied byte for byte to npm/esm/vectors/: `vectors run` checks their sha256, and the
//    ./vectors subpath and its `./vectors/*.json` pattern serve them. The CLI bin gets its shebang checked and mode 755.
// 2. Rewrites module specifiers for Node: import-map aliases and `npm:pkg@x/sub` become `pkg/sub`; relative `.ts`
//    specifiers left in .d.ts files become `.js` (TypeScript 4.9 consumers reject `.ts`). `node:`/`jsr:` imports fail.
// 3. Writes npm/package.json: `type: module`, `exports` with `types` first, `typesVersions` for moduleResolution
//    node, `sideEffects: false`, `engines.node >=20`, `dependencies` = the packages the emitted JS really imports,
//    pinned exactly as in deno.json, and `hono` as an optional peer that only the ./hono subpath may reach.
// 4. Copies README.md, LICENSE and CHANGELOG.md, then runs publint (--strict) and `attw --pack --profile esm-only`.
// Any problem exits 1.
import ts from "typescript";
import { parseNpmTarget, readDenoJson, ROOT, run, subpaths, walk } from "./_exports.ts";

const TSC = "npm:typescript@5.9.3/tsc";
const PUBLINT = "npm:publint@0.3.25";
const ATTW = "npm:@arethetypeswrong/cli@0.18.5/attw";
/** Packages users bring themselves; each may only be reached from the listed subpaths. */
const OPTIONAL_PEERS: Record<string, string[]> = { hono: ["./hono"], ioredis: ["./redis"] };

const deno = readDenoJson();
const entries = subpaths(deno);
const OUT = `${ROOT}/npm`;
const problems: string[] = [];
const step = (s: string) => console.log(`\n== build:npm: ${s}`);
const denoBin = Deno.execPath();

// --- 1. compile --------------------------------------------------------------------------------------------------
// A `bin` only for a CLI entry that can run on Node: src/cli/main.ts that calls `Deno.*` cannot, so it is skipped.
const cliCandidates = ["src/cli/bin.ts", "src/cli/node.ts", "src/cli/main.ts", "src/cli/mod.ts"]
  .filter((p) => exists(`${ROOT}/${p}`));
const cliEntry = cliCandidates.find((p) => !/\bDeno\./.test(Deno.readTextFileSync(`${ROOT}/${p}`)));
if (cliCandidates.length && !cliEntry) {
  console.log(`build:npm: ${cliCandidates.join(", ")} use Deno APIs; no npm \`bin\` (add a Node entry src/cli/bin.ts)`);
}
step(`tsc for ${entries.map((e) => e.subpath).join(", ")}${cliEntry ? ` + ${cliEntry}` : ""}`);
await Deno.remove(OUT, { recursive: true }).catch(() => {});
Deno.mkdirSync(`${ROOT}/.cache`, { recursive: true });
// tsc resolves bare imports (@noble/ciphers, hono) from node_modules; make sure Deno has populated it.
await must([denoBin, "install", "--quiet"], "deno install");
const files = [...entries.map((e) => `../${e.source.slice(2)}`), ...(cliEntry ? [`../${cliEntry}`] : [])];
Deno.writeTextFileSync(
  `${ROOT}/.cache/tsconfig.npm.json`,
  JSON.stringify({ extends: "../tsconfig.build.json", include: [], files }, null, 2),
);
await must([denoBin, "run", "-A", TSC, "-p", ".cache/tsconfig.npm.json"], "tsc");
copyVectors();

// --- 2. rewrite specifiers -----------------------------------------------------------------------------------------
step("rewrite specifiers");
const importMap = deno.imports ?? {};
const pins = new Map<string, string>(); // npm package name -> exact version from deno.json
for (const target of Object.values(importMap)) {
  const t = parseNpmTarget(target);
  if (t) pins.set(t.name, t.version);
}
/** file (relative to npm/) -> bare packages it imports at runtime / in types */
const fileImports = new Map<string, { rel: string[]; pkgs: string[] }>();

function rewrite(spec: string, file: string, isDts: boolean): string {
  if (spec.startsWith("./") || spec.startsWith("../")) {
    return isDts ? spec.replace(/\.tsx?$/, ".js") : spec;
  }
  if (spec.startsWith("node:") || spec.startsWith("jsr:") || /^https?:/.test(spec)) {
    problems.push(`${file}: imports "${spec}" (not allowed in the package)`);
    return spec;
  }
  let target = spec;
  if (!spec.startsWith("npm:")) {
    // longest import-map key that is the specifier or a "key/" prefix of it (Deno's own subpath rule)
    const key = Object.keys(importMap).filter((k) => spec === k || spec.startsWith(k.endsWith("/") ? k : `${k}/`))
      .sort((a, b) => b.length - a.length)[0];
    if (!key) {
      problems.push(`${file}: bare import "${spec}" is not in deno.json imports`);
      return spec;
    }
    target = importMap[key] + spec.slice(key.length);
  }
  const t = parseNpmTarget(target);
  if (!t) {
    problems.push(`${file}: cannot map "${spec}" (-> ${target}) to an npm package`);
    return spec;
  }
  if (t.version && !pins.has(t.name)) pins.set(t.name, t.version);
  return t.name + t.sub;
}

for (const abs of walk(`${OUT}/esm`)) {
  const isDts = abs.endsWith(".d.ts");
  if (!isDts && !abs.endsWith(".js")) continue;
  const rel = abs.slice(OUT.length + 1);
  const info = { rel: [] as string[], pkgs: [] as string[] };
  const src = Deno.readTextFileSync(abs);
  // TypeScript's own import scanner: real import/export/import() specifiers only, not text in comments or strings.
  const found = ts.preProcessFile(src, true, true).importedFiles.sort((a, b) => b.pos - a.pos);
  let out = src;
  for (const { fileName: spec, pos } of found) {
    // `pos` is the opening quote of the string literal
    const start = out[pos] === '"' || out[pos] === "'" ? pos + 1 : pos;
    if (out.slice(start, start + spec.length) !== spec) {
      problems.push(`${rel}: cannot locate specifier "${spec}" at ${pos}`);
      continue;
    }
    const next = rewrite(spec, rel, isDts);
    if (next.startsWith(".")) info.rel.push(next);
    else info.pkgs.push(next.startsWith("@") ? next.split("/").slice(0, 2).join("/") : next.split("/")[0]);
    out = out.slice(0, start) + next + out.slice(start + spec.length);
  }
  if (isDts && /["']\.{1,2}\/[^"']*\.tsx?["']/.test(out)) problems.push(`${rel}: still references a .ts path`);
  if (out !== src) Deno.writeTextFileSync(abs, out);
  fileImports.set(rel, info);
}

// Which packages does each subpath reach (transitively, through relative imports)?
function reach(startRel: string, ext: ".js" | ".d.ts"): Set<string> {
  const seen = new Set<string>();
  const pkgs = new Set<string>();
  const stack = [startRel];
  while (stack.length) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    const info = fileImports.get(f);
    if (!info) continue;
    info.pkgs.forEach((p) => pkgs.add(p));
    for (const r of info.rel) {
      const dir = f.split("/").slice(0, -1).join("/");
      const joined = new URL(r, `file:///${dir}/`).pathname.slice(1);
      stack.push(ext === ".d.ts" ? joined.replace(/\.js$/, ".d.ts") : joined);
    }
  }
  return pkgs;
}

const runtimeDeps = new Set<string>();
const peerUsers = new Map<string, Set<string>>();
for (const e of entries) {
  for (const [f, ext] of [[e.js.slice(2), ".js"], [e.dts.slice(2), ".d.ts"]] as const) {
    if (!fileImports.has(f)) problems.push(`${e.subpath}: ${f} was not emitted`);
    for (const p of reach(f, ext)) {
      if (p in OPTIONAL_PEERS) {
        if (!OPTIONAL_PEERS[p].includes(e.subpath)) problems.push(`${e.subpath} reaches optional peer "${p}" (bleed)`);
        (peerUsers.get(p) ?? peerUsers.set(p, new Set()).get(p)!).add(e.subpath);
      } else if (ext === ".js") runtimeDeps.add(p);
      else if (!runtimeDeps.has(p)) {
        // a type-only package import would need @types or a dependency; treat it as one
        runtimeDeps.add(p);
      }
    }
  }
}
if (cliEntry) {
  for (const p of reach(cliEntry.replace(/\.ts$/, ".js").replace(/^/, "esm/"), ".js")) {
    if (!(p in OPTIONAL_PEERS)) runtimeDeps.add(p);
  }
}

function pin(name: string): string {
  const v = pins.get(name);
  if (!v) problems.push(`dependency ${name} has no version in deno.json imports`);
  else if (!/^\d+\.\d+\.\d+$/.test(v)) problems.push(`dependency ${name}@${v} is not an exact pin`);
  return v ?? "*";
}

// --- 3. package.json -------------------------------------------------------------------------------------------------
step("package.json");
const exportsField: Record<string, unknown> = {};
for (const e of entries) exportsField[e.subpath] = { types: e.dts, default: e.js };
// The raw vector files for readers that want bytes, not modules (other languages, sha256 pinning, require.resolve).
if (entries.some((e) => e.subpath === "./vectors")) exportsField["./vectors/*.json"] = "./esm/vectors/*.json";
exportsField["./package.json"] = "./package.json";
const root = entries.find((e) => e.subpath === ".");
const sorted = (s: Iterable<string>) => [...s].sort();
const pkg: Record<string, unknown> = {
  name: deno.name,
  version: deno.version,
  description:
    "The Pusher Channels HTTP API on Web Crypto: sign and verify REST requests, channel/user auth, webhooks, end-to-end encryption. Runs on Deno, Cloudflare Workers, Bun, Node and browsers.",
  keywords: ["pusher", "pusher-channels", "websocket", "webhook", "web-crypto", "cloudflare-workers", "deno", "bun"],
  license: deno.license ?? "MIT",
  type: "module",
  ...(root ? { main: root.js, types: root.dts } : {}),
  exports: exportsField,
  // moduleResolution "node" (node10, still Next.js's default tsconfig) ignores `exports`: this maps the subpaths' types.
  typesVersions: {
    "*": Object.fromEntries(entries.filter((e) => e.subpath !== ".").map((e) => [e.subpath.slice(2), [e.dts]])),
  },
  ...(cliEntry ? { bin: { "pusher-edge": `./esm/${cliEntry.replace(/\.ts$/, ".js")}` } } : {}),
  files: ["esm", "README.md", "LICENSE", ...(exists(`${ROOT}/CHANGELOG.md`) ? ["CHANGELOG.md"] : [])],
  sideEffects: false,
  engines: { node: ">=20" },
  dependencies: Object.fromEntries(sorted(runtimeDeps).map((n) => [n, pin(n)])),
};
if (peerUsers.size) {
  pkg.peerDependencies = Object.fromEntries(sorted(peerUsers.keys()).map((n) => [n, `^${pin(n)}`]));
  pkg.peerDependenciesMeta = Object.fromEntries(sorted(peerUsers.keys()).map((n) => [n, { optional: true }]));
}
if (!Object.keys(pkg.dependencies as object).length) delete pkg.dependencies;
Deno.writeTextFileSync(`${OUT}/package.json`, JSON.stringify(pkg, null, 2) + "\n");
console.log(
  `exports: ${Object.keys(exportsField).join(", ")}\ndependencies: ${JSON.stringify(pkg.dependencies ?? {})}\n` +
    `peerDependencies: ${JSON.stringify(pkg.peerDependencies ?? {})}`,
);

// --- 4. docs, lint ---------------------------------------------------------------------------------------------------
for (const f of ["README.md", "LICENSE", "CHANGELOG.md"]) {
  if (exists(`${ROOT}/${f}`)) Deno.copyFileSync(`${ROOT}/${f}`, `${OUT}/${f}`);
  else if (f === "README.md") {
    console.warn("build:npm: no README.md at the root yet; writing a stub");
    Deno.writeTextFileSync(`${OUT}/README.md`, `# ${deno.name}\n\n${pkg.description}\n`);
  } else if (f === "LICENSE") problems.push("LICENSE is missing");
}
if (cliEntry) checkBin(`${OUT}/esm/${cliEntry.replace(/\.ts$/, ".js")}`);
if (problems.length) fail();

step("publint --strict");
await must([denoBin, "run", "-A", PUBLINT, "--strict", "./npm"], "publint");
step("attw --pack --profile esm-only");
await must([denoBin, "run", "-A", ATTW, "--pack", "./npm", "--profile", "esm-only"], "attw");
console.log(`\nbuild:npm: ok (${deno.name}@${deno.version}, ${entries.length} subpaths) -> npm/`);

// ---------------------------------------------------------------------------------------------------------------------
function exists(p: string): boolean {
  try {
    Deno.statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** The vector files (not only the ones tsc saw imported), unchanged, so their bytes match manifest.json. */
function copyVectors(): void {
  const src = `${ROOT}/vectors`;
  if (!exists(src)) return;
  const data = walk(src).filter((f) => /\.json$/.test(f) || f === `${src}/README.md`);
  for (const f of data) {
    const to = `${OUT}/esm/vectors/${f.slice(src.length + 1)}`;
    Deno.mkdirSync(to.slice(0, to.lastIndexOf("/")), { recursive: true });
    Deno.copyFileSync(f, to);
  }
  console.log(`copied ${data.length} vector files to npm/esm/vectors/`);
}

/** npm links `bin` files as they are: the emitted JS must start with the shebang (tsc keeps it) and be executable. */
function checkBin(path: string): void {
  if (!exists(path)) return void problems.push(`bin ${path} was not emitted`);
  if (!Deno.readTextFileSync(path).startsWith("#!/usr/bin/env node\n")) {
    problems.push(`bin ${path} does not start with #!/usr/bin/env node`);
  }
  Deno.chmodSync(path, 0o755);
}

async function must(cmd: string[], what: string): Promise<void> {
  const { code } = await run(cmd);
  if (code !== 0) {
    problems.push(`${what} exited ${code}`);
    fail();
  }
}

function fail(): never {
  console.error(`\nbuild:npm: FAILED\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  Deno.exit(1);
}
