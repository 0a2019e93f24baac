// MD5 and signRequest in workerd (Miniflare 4.20260426.0, cf: false), issue 16:
//   deno run -A bench/workerd_md5.ts [rounds=7]
// Bundles bench/_workerd_worker.ts with esbuild, then times each operation from outside (workerd freezes its clocks
// during CPU work): per-op = (t(op, n) - t(noop, n)) / n, n calibrated to ~100 ms over the no-op, rounds interleaved,
// median. t is the workerd process's on-CPU time (sum of /proc/<pid>/task/*/schedstat, ns) where /proc has it, so
// other jobs on the machine do not count; wall time otherwise.
// Prints a Markdown table with ratios to spark-md5 and to raw subtle.sign measured in the same worker.
import * as esbuild from "esbuild";
import { Miniflare } from "miniflare";

const ROOT = new URL("../", import.meta.url).pathname;

/** The workerd process Miniflare started (a descendant of this process), or undefined without /proc. */
function findWorkerd(): number | undefined {
  try {
    const parent = new Map<number, number>();
    const names = new Map<number, string>();
    for (const e of Deno.readDirSync("/proc")) {
      if (!/^\d+$/.test(e.name)) continue;
      try {
        const stat = Deno.readTextFileSync(`/proc/${e.name}/stat`);
        const close = stat.lastIndexOf(")");
        names.set(Number(e.name), stat.slice(stat.indexOf("(") + 1, close));
        parent.set(Number(e.name), Number(stat.slice(close + 2).split(" ")[1]));
      } catch { /* exited */ }
    }
    const mine = (pid: number): boolean => {
      for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === Deno.pid) return true;
      return false;
    };
    return [...names].find(([pid, name]) => name.startsWith("workerd") && mine(pid))?.[0];
  } catch {
    return undefined;
  }
}

/** On-CPU time of every thread of `pid`, in ms. */
function cpuMs(pid: number): number {
  let ns = 0;
  for (const t of Deno.readDirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(Deno.readTextFileSync(`/proc/${pid}/task/${t.name}/schedstat`).split(" ")[0]);
    } catch { /* thread exited */ }
  }
  return ns / 1e6;
}
const rounds = Number(Deno.args[0] ?? 7);
const out = await esbuild.build({
  entryPoints: [`${ROOT}bench/_workerd_worker.ts`],
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  write: false,
  logLevel: "warning",
});
await esbuild.stop();
const mf = new Miniflare({
  modules: [{ type: "ESModule", path: "worker.mjs", contents: out.outputFiles[0].text }],
  compatibilityDate: "2026-04-01",
  cf: false,
});
try {
  await mf.ready;
  const workerd = findWorkerd();
  const clock = () => (workerd ? cpuMs(workerd) : performance.now());
  const call = async (op: string, n: number) => {
    const t0 = clock();
    const res = await mf.dispatchFetch(`http://bench.local/?op=${encodeURIComponent(op)}&n=${n}`);
    const text = await res.text();
    if (!res.ok) throw new Error(`${op}: ${res.status} ${text}`);
    return { ms: clock() - t0, text };
  };
  const names: string[] = JSON.parse((await call("", 1)).text).filter((x: string) => x !== "noop");
  // Same digest from every MD5, checked before timing.
  for (const size of ["200", "10k"]) {
    const digests = new Set<string>();
    for (const nm of names.filter((x) => x.startsWith(`md5-${size} `))) digests.add((await call(nm, 1)).text);
    if (digests.size !== 1) throw new Error(`md5-${size}: implementations disagree: ${[...digests]}`);
  }
  const n = new Map<string, number>();
  for (const nm of names) {
    // n grows until the operation's own time (over the no-op request) is ~100 ms: a request costs several ms.
    let k = 16;
    while ((await call(nm, k)).ms - (await call("noop", k)).ms < 100 && k < 1e6) k *= 4;
    n.set(nm, k);
  }
  const samples = new Map<string, number[]>(names.map((x) => [x, []]));
  for (let r = 0; r < rounds; r++) {
    for (const nm of names) {
      const k = n.get(nm)!;
      const noop = (await call("noop", k)).ms;
      const t = (await call(nm, k)).ms;
      samples.get(nm)!.push(Math.max(0, t - noop) * 1000 / k);
    }
  }
  const med = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
  const us = (nm: string) => med(samples.get(nm)!);
  const version = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`)).imports.miniflare;
  console.log(
    `### workerd (${version}), ${workerd ? "CPU" : "wall"} µs per operation, median of ${rounds} interleaved rounds\n`,
  );
  console.log("| operation | µs/op | × spark-md5 (speed) | cost ÷ raw subtle.sign |");
  console.log("|---|--:|--:|--:|");
  for (const nm of names) {
    const size = nm.startsWith("md5-") ? nm.slice(0, nm.indexOf(" ")) : "";
    const spark = size ? us(`${size} spark-md5`) : NaN;
    console.log(
      `| ${nm} | ${us(nm).toFixed(2)} | ${size ? (spark / us(nm)).toFixed(2) : "–"} | ${
        (us(nm) / us("raw subtle.sign (cached key)")).toFixed(2)
      } |`,
    );
  }
} finally {
  await mf.dispose();
}
