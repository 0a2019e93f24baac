// Turns the raw outputs of scripts/bench_http.sh into Markdown tables (medians over rounds, ratios to the reference).
//   deno run -A bench/http/summarize.ts wrk <dir> <reference server name>
//   deno run -A bench/http/summarize.ts trigger <dir> <runtime>...
//   deno run -A bench/http/summarize.ts cold <dir>
const [mode, dir, ...rest] = Deno.args;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const int = (x: number) => Math.round(x).toLocaleString("en-US");

function ms(v: string): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(v.trim());
  if (!m) return NaN;
  return Number(m[1]) * (m[2] === "us" ? 0.001 : m[2] === "s" ? 1000 : 1);
}

function wrk(ref: string) {
  const runs = new Map<string, { rps: number[]; p50: number[]; p99: number[]; cpu: number[]; bad: number }>();
  for (const e of Deno.readDirSync(dir)) {
    const m = /^wrk\.(.+)\.c(\d+)\.r\d+\.txt$/.exec(e.name);
    if (!m) continue;
    const text = Deno.readTextFileSync(`${dir}/${e.name}`);
    const key = `${m[1]}|${m[2]}`;
    const r = runs.get(key) ?? { rps: [], p50: [], p99: [], cpu: [], bad: 0 };
    r.rps.push(Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? NaN));
    r.p50.push(ms(/^\s+50%\s+(\S+)/m.exec(text)?.[1] ?? ""));
    r.p99.push(ms(/^\s+99%\s+(\S+)/m.exec(text)?.[1] ?? ""));
    // The server's CPU time over the run (bench_http.sh appends it), per request.
    const ticks = /^cpu_ticks (\d+) (\d+)$/m.exec(text);
    const reqs = Number(/(\d+) requests in/.exec(text)?.[1] ?? NaN);
    r.cpu.push(ticks ? (Number(ticks[1]) / Number(ticks[2])) * 1e6 / reqs : NaN);
    r.bad += Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(text)?.[1] ?? 0);
    r.bad += (/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text)?.slice(1) ?? [])
      .reduce((a, b) => a + Number(b), 0);
    runs.set(key, r);
  }
  const conns = [...new Set([...runs.keys()].map((k) => Number(k.split("|")[1])))].sort((a, b) => a - b);
  const names = [...new Set([...runs.keys()].map((k) => k.split("|")[0]))];
  names.sort((a, b) => (a === ref ? -1 : b === ref ? 1 : a.localeCompare(b)));
  const rounds = runs.values().next().value?.rps.length ?? 0;
  console.log(`## Auth endpoint, POST /pusher/auth (wrk -t1, median of ${rounds} interleaved rounds)\n`);
  console.log(
    "| server | conns | req/s (median) | min–max | p50 ms | p99 ms | × reference | server CPU µs/req (median) | " +
      "reference CPU ÷ server CPU | errors |",
  );
  console.log("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
  for (const c of conns) {
    const refRps = median(runs.get(`${ref}|${c}`)?.rps ?? [NaN]);
    const refCpu = median(runs.get(`${ref}|${c}`)?.cpu ?? [NaN]);
    for (const n of names) {
      const r = runs.get(`${n}|${c}`);
      if (!r) continue;
      const rps = median(r.rps);
      console.log(
        `| ${n} | ${c} | ${int(rps)} | ${int(Math.min(...r.rps))}–${int(Math.max(...r.rps))} | ` +
          `${median(r.p50).toFixed(3)} | ${median(r.p99).toFixed(2)} | ${(rps / refRps).toFixed(2)} | ` +
          `${median(r.cpu).toFixed(1)} | ${(refCpu / median(r.cpu)).toFixed(2)} | ${r.bad} |`,
      );
    }
  }
}

function trigger(runtimes: string[]) {
  console.log("## trigger() over loopback (median req/s of 5 rounds of 1 s; echo server: node:http on CPU 1)\n");
  console.log("| client | mode | " + runtimes.map((r) => `${r} req/s | spread`).join(" | ") + " |");
  console.log("|---|---|" + runtimes.map(() => "--:|--:").join("|") + "|");
  const data = runtimes.map((rt) =>
    new Map(
      Deno.readTextFileSync(`${dir}/trigger.${rt}.jsonl`).trim().split("\n").filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l)).map((r) => [r.id, r]),
    )
  );
  const ids = [...data[0].keys()];
  for (const id of ids) {
    const [client, m] = id.split("|");
    const cells = data.map((d) => {
      const r = d.get(id);
      return r ? `${int(r.opsPerSec)} | ${Math.round(r.spread * 100)}%` : "– | –";
    });
    console.log(`| ${client} | ${m} | ${cells.join(" | ")} |`);
  }
  console.log("\npusher-edge ÷ official (keep-alive agent), same process:\n");
  for (const m of [...new Set(ids.map((i) => i.split("|")[1]))]) {
    const ratios = data.map((d, i) => {
      const a = d.get(`pusher-edge trigger (fetch)|${m}`), b = d.get(`official trigger (keep-alive agent)|${m}`);
      return `${runtimes[i]} ${a && b ? (a.opsPerSec / b.opsPerSec).toFixed(2) : "–"}`;
    });
    console.log(`- ${m}: ${ratios.join(", ")}`);
  }
}

function cold() {
  const { results } = JSON.parse(Deno.readTextFileSync(`${dir}/cold.json`)) as {
    results: { command: string; median: number; min: number; max: number; user: number; system: number }[];
  };
  const runtimeOf = (cmd: string) => (/deno/.test(cmd.split(" ")[0]) ? "deno" : /bun/.test(cmd) ? "bun" : "node");
  const whatOf = (cmd: string) => /cold_(\w+)\./.exec(cmd)?.[1] ?? "?";
  const byRt = new Map<
    string,
    Map<string, { median: number; min: number; max: number; user: number; system: number }>
  >();
  for (const r of results) {
    const m = byRt.get(runtimeOf(r.command)) ?? new Map();
    m.set(whatOf(r.command), r);
    byRt.set(runtimeOf(r.command), m);
  }
  console.log("## Cold start: process start → first channel signature (hyperfine, median)\n");
  console.log(
    "| runtime | empty script ms | pusher-edge ms | official ms | pusher-edge over empty | official over empty | " +
      "ratio over empty (target ≤ 0.2) | ratio of whole process | core alone over empty | ratio, core alone | " +
      "ratio of CPU time (user+sys) over empty | ratio of CPU time, core alone | " +
      "ratio, bundled from the npm package (wall / CPU) |",
  );
  console.log("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
  for (const [rt, m] of byRt) {
    const ms = (w: string) => (m.get(w)?.median ?? NaN) * 1000;
    // CPU time (mean user + system) moves much less than wall time when other jobs share the machine.
    const cpu = (w: string) => ((m.get(w)?.user ?? NaN) + (m.get(w)?.system ?? NaN)) * 1000;
    const e = ms("empty"), o = ms("ours"), f = ms("official"), k = ms("core");
    const ratio = (x: number, base: number, of: number) => ((x - base) / (of - base)).toFixed(2);
    console.log(
      `| ${rt} | ${e.toFixed(1)} | ${o.toFixed(1)} | ${f.toFixed(1)} | +${(o - e).toFixed(1)} ms | ` +
        `+${(f - e).toFixed(1)} ms | ${ratio(o, e, f)} | ${(o / f).toFixed(2)} | +${(k - e).toFixed(1)} ms | ` +
        `${ratio(k, e, f)} | ${ratio(cpu("ours"), cpu("empty"), cpu("official"))} | ` +
        `${ratio(cpu("core"), cpu("empty"), cpu("official"))} | ` +
        (m.has("pkg") ? `${ratio(ms("pkg"), e, f)} / ${ratio(cpu("pkg"), cpu("empty"), cpu("official"))} |` : "– |"),
    );
  }
}

if (mode === "wrk") wrk(rest[0]);
else if (mode === "trigger") trigger(rest);
else if (mode === "cold") cold();
else throw new Error(`unknown mode ${mode}`);
