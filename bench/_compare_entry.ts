// One runtime's side of scripts/bench_compare.ts: builds the case groups, times them with bench/_harness.ts and prints
// one JSON line per case (plus a header line) to stdout. Runs as-is on Deno, and bundled by esbuild on Node and Bun.
//   args: [reps] [repMs] [warmMs] [conc] [comma-separated group ids or "all"]
import { coreGroups, type Group } from "./_cases.ts";
import { runSuite, type TimedCase } from "./_harness.ts";

// deno-lint-ignore no-explicit-any
const g = globalThis as any;
const args: string[] = g.Deno ? g.Deno.args : g.process.argv.slice(2);
const [reps = 5, repMs = 300, warmMs = 200, conc = 64] = args.slice(0, 4).map(Number);
const only = args[4] && args[4] !== "all" ? args[4].split(",") : undefined;

function runtime(): { name: string; version: string; engine: string } {
  if (g.Bun) return { name: "bun", version: g.Bun.version, engine: `JavaScriptCore (Bun ${g.Bun.revision ?? ""})` };
  if (g.Deno) return { name: "deno", version: g.Deno.version.deno, engine: `V8 ${g.Deno.version.v8}` };
  return { name: "node", version: g.process.versions.node, engine: `V8 ${g.process.versions.v8}` };
}

const groups: Group[] = (await coreGroups()).filter((x) => !only || only.includes(x.id));
const cases: TimedCase[] = [];
for (const grp of groups) {
  for (const c of grp.cases) {
    cases.push({ id: `${grp.id}/${c.impl}/seq`, kind: c.sync ? "sync" : "async", fn: c.fn });
    if (!c.sync && c.impl !== "official") cases.push({ id: `${grp.id}/${c.impl}/conc`, kind: "conc", fn: c.fn, conc });
  }
}
console.log(JSON.stringify({
  header: true,
  runtime: runtime(),
  reps,
  repMs,
  warmMs,
  conc,
  groups: groups.map((x) => ({ id: x.id, title: x.title, note: x.note, names: x.cases.map((c) => [c.impl, c.name]) })),
}));
const results = await runSuite(cases, { reps, repMs, warmMs });
for (const r of results) console.log(JSON.stringify(r));
