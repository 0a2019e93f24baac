/**
 * Generates the conformance vectors under vectors/.
 *
 * Every module in scripts/gen/ whose name does not start with "_" is one suite: its default export returns
 * the document written to vectors/v1/<module name>.json. Modules are loaded in sorted order so the manifest
 * is stable. With `--check` nothing is written: the files are regenerated in memory and compared.
 *
 *   deno run -A scripts/gen_vectors.ts           # write vectors/
 *   deno run -A scripts/gen_vectors.ts --check   # exit 1 if vectors/ is stale
 *   deno run -A scripts/gen_vectors.ts --skip=rest_request   # leave out a work-in-progress module
 *
 * @module
 */
import { createHash } from "node:crypto";
import { divergences, GENERATOR, knownAnswers, SCHEMA_VERSION, type VectorFile } from "./gen/_common.ts";
import { POLICY } from "./gen/_flags.ts";
import { renderReadme } from "./gen/_readme.ts";

const GEN_DIR = new URL("./gen/", import.meta.url);
const OUT_DIR = new URL("../vectors/", import.meta.url);

/** One manifest row. */
export interface ManifestEntry {
  path: string;
  suite: string;
  numberOfTests: number;
  sha256: string;
  counts: { valid: number; invalid: number; acceptable: number };
}

// Pretty-printed with a trailing newline; key order is the insertion order the generators use.
const serialize = (value: unknown) => JSON.stringify(value, null, 2) + "\n";

function counts(doc: VectorFile): ManifestEntry["counts"] {
  const c = { valid: 0, invalid: 0, acceptable: 0 };
  for (const g of doc.testGroups) for (const t of g.tests) c[t.result]++;
  return c;
}

/** Builds every output file in memory: relative path under vectors/ -> contents. */
export async function generate(skip: readonly string[] = []): Promise<Map<string, string>> {
  const modules: string[] = [];
  for await (const e of Deno.readDir(GEN_DIR)) {
    if (e.isFile && e.name.endsWith(".ts") && !e.name.startsWith("_") && !skip.includes(e.name.slice(0, -3))) {
      modules.push(e.name);
    }
  }
  modules.sort();
  const out = new Map<string, string>();
  const docs: VectorFile[] = [];
  const files: ManifestEntry[] = [];
  for (const name of modules) {
    const mod = await import(new URL(name, GEN_DIR).href);
    const doc: VectorFile = await mod.default();
    const path = `v1/${name.replace(/\.ts$/, ".json")}`;
    const text = serialize(doc);
    out.set(path, text);
    docs.push(doc);
    files.push({
      path,
      suite: doc.suite,
      numberOfTests: doc.numberOfTests,
      sha256: createHash("sha256").update(text).digest("hex"),
      counts: counts(doc),
    });
  }
  out.set("manifest.json", serialize({ schemaVersion: SCHEMA_VERSION, generator: GENERATOR, files }));
  out.set("policy.json", serialize(POLICY));
  out.set("README.md", renderReadme(docs, files, knownAnswers));
  return out;
}

async function readOrNull(url: URL): Promise<string | null> {
  try {
    return await Deno.readTextFile(url);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

function firstDifference(a: string, b: string): string {
  const x = a.split("\n");
  const y = b.split("\n");
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) return `line ${i + 1}: on disk ${JSON.stringify(x[i])}, generated ${JSON.stringify(y[i])}`;
  }
  return "";
}

if (import.meta.main) {
  const check = Deno.args.includes("--check");
  const skip = Deno.args.filter((a) => a.startsWith("--skip=")).flatMap((a) => a.slice(7).split(","));
  const out = await generate(skip);
  if (divergences.length) {
    console.error(`${divergences.length} documented divergence(s) from pusher-http-node:`);
    for (const d of divergences) console.error(`  ${d}`);
  }
  let stale = 0;
  for (const [path, text] of out) {
    const url = new URL(path, OUT_DIR);
    if (check) {
      const disk = await readOrNull(url);
      if (disk === text) continue;
      stale++;
      console.error(
        disk === null ? `missing: vectors/${path}` : `differs: vectors/${path} (${firstDifference(disk, text)})`,
      );
    } else {
      await Deno.mkdir(new URL(".", url), { recursive: true });
      await Deno.writeTextFile(url, text);
      console.log(`wrote vectors/${path}`);
    }
  }
  if (check) {
    // A file left behind by a removed module is stale too.
    for await (const e of Deno.readDir(new URL("v1/", OUT_DIR))) {
      if (e.name.endsWith(".json") && !out.has(`v1/${e.name}`)) {
        stale++;
        console.error(`not generated: vectors/v1/${e.name}`);
      }
    }
    if (stale) {
      console.error(`${stale} file(s) out of date; run: deno task vectors`);
      Deno.exit(1);
    }
    console.log(`vectors up to date (${out.size} files)`);
  }
}
