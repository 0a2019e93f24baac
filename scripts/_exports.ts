// Shared by the packaging scripts (build_npm, size, matrix): the package's subpaths, read from deno.json `exports`,
// so a new subpath (./encryption, ./hono, …) is picked up without touching any script.
import { fileURLToPath } from "node:url";

/** Absolute path of the repository root. */
export const ROOT: string = fileURLToPath(new URL("../", import.meta.url)).replace(/\/$/, "");

/** deno.json, the parts the scripts read. */
export interface DenoJson {
  name: string;
  version: string;
  license?: string;
  exports: string | Record<string, string>;
  imports?: Record<string, string>;
}

/** Reads and parses deno.json. */
export function readDenoJson(): DenoJson {
  return JSON.parse(Deno.readTextFileSync(`${ROOT}/deno.json`));
}

/** One subpath: `"."`/`"./encryption"`, its source (`./mod.ts`) and its compiled path in the npm build. */
export interface Subpath {
  subpath: string;
  /** Source path relative to the root, with a leading `./`. */
  source: string;
  /** Compiled JS relative to `npm/`, e.g. `./esm/mod.js`. */
  js: string;
  /** Declarations relative to `npm/`, e.g. `./esm/mod.d.ts`. */
  dts: string;
}

/** Every subpath from deno.json `exports`, `"."` first. */
export function subpaths(deno: DenoJson = readDenoJson()): Subpath[] {
  const map = typeof deno.exports === "string" ? { ".": deno.exports } : deno.exports;
  return Object.entries(map)
    .sort(([a], [b]) => a === "." ? -1 : b === "." ? 1 : a.localeCompare(b))
    .map(([subpath, source]) => {
      const rel = source.replace(/^\.\//, "").replace(/\.tsx?$/, "");
      return { subpath, source: `./${source.replace(/^\.\//, "")}`, js: `./esm/${rel}.js`, dts: `./esm/${rel}.d.ts` };
    });
}

/** Package name and exact version for an import-map target such as `npm:@noble/hashes@2.4.0`. */
export function parseNpmTarget(target: string): { name: string; version: string; sub: string } | null {
  const m = /^npm:\/?(@[^/@]+\/[^/@]+|[^/@]+)(?:@([^/]+))?(\/.*)?$/.exec(target);
  return m ? { name: m[1], version: m[2] ?? "", sub: m[3] ?? "" } : null;
}

/** Runs a command, inheriting stdio unless `quiet`; returns its exit code and (when quiet) output. */
export async function run(
  cmd: string[],
  opts: { cwd?: string; quiet?: boolean; env?: Record<string, string> } = {},
): Promise<{ code: number; out: string }> {
  const c = new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    cwd: opts.cwd ?? ROOT,
    env: opts.env,
    stdout: opts.quiet ? "piped" : "inherit",
    stderr: opts.quiet ? "piped" : "inherit",
  });
  const r = await c.output();
  const dec = new TextDecoder();
  return { code: r.code, out: opts.quiet ? dec.decode(r.stdout) + dec.decode(r.stderr) : "" };
}

/** All files below `dir` (absolute paths). */
export function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory) out.push(...walk(p));
    else if (e.isFile) out.push(p);
  }
  return out.sort();
}

/** Newest modification time (ms) of deno.json, mod.ts and everything under src/ and vectors/ (both are built). */
function newestSource(): number {
  const files = [
    `${ROOT}/deno.json`,
    `${ROOT}/mod.ts`,
    `${ROOT}/tsconfig.build.json`,
    ...walk(`${ROOT}/src`),
    ...walk(`${ROOT}/vectors`),
  ];
  return Math.max(...files.map((f) => Deno.statSync(f).mtime?.getTime() ?? 0));
}

/** Runs scripts/build_npm.ts when npm/ is missing or older than the sources; exits on failure. */
export async function ensureNpmBuild(): Promise<void> {
  let built = 0;
  try {
    built = Deno.statSync(`${ROOT}/npm/package.json`).mtime?.getTime() ?? 0;
  } catch { /* not built */ }
  if (built && built >= newestSource()) return;
  console.log("npm/ is missing or stale: running scripts/build_npm.ts");
  const r = await run([Deno.execPath(), "run", "--node-modules-dir=auto", "-A", `${ROOT}/scripts/build_npm.ts`], {
    quiet: true,
  });
  if (r.code !== 0) {
    console.error(r.out);
    Deno.exit(1);
  }
}
