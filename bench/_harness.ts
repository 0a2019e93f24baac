// A runtime-neutral timing harness (Deno, Node, Bun), the method of /work/shared/perf-baselines.md: every case gets a
// warm-up, then `reps` time-boxed rounds; the rounds are interleaved (round 1 of every case, then round 2, ...) so
// noise from other processes hits all cases alike. Reports the median ops/s and the spread (max-min)/median.
// Async cases are measured twice: awaiting each call, and with `conc` calls in flight.

/** What one timed case looks like to the harness. */
export interface TimedCase {
  /** Stable id: `group/impl/mode`. */
  id: string;
  kind: "sync" | "async" | "conc";
  fn: () => unknown;
  conc?: number;
}

/** The result for one case. */
export interface CaseResult {
  id: string;
  kind: TimedCase["kind"];
  opsPerSec: number;
  nsPerOp: number;
  spread: number;
  samples: number[];
}

let sink: unknown;
/** Keeps results alive so the engine cannot drop the work. */
function consume(v: unknown): void {
  if (v === sink) sink = undefined;
  else sink = v;
}

async function measure(c: TimedCase, ms: number): Promise<number> {
  const t0 = performance.now();
  let ops = 0;
  let t = t0;
  if (c.kind === "sync") {
    do {
      for (let i = 0; i < 200; i++) consume(c.fn());
      ops += 200;
      t = performance.now();
    } while (t - t0 < ms);
  } else if (c.kind === "async") {
    do {
      for (let i = 0; i < 50; i++) consume(await c.fn());
      ops += 50;
      t = performance.now();
    } while (t - t0 < ms);
  } else {
    const n = c.conc ?? 64;
    const inFlight = new Array<unknown>(n);
    do {
      for (let i = 0; i < n; i++) inFlight[i] = c.fn();
      consume((await Promise.all(inFlight))[0]);
      ops += n;
      t = performance.now();
    } while (t - t0 < ms);
  }
  return (ops * 1000) / (t - t0);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs the cases with interleaved rounds; `onRound` is called after each full round (progress). */
export async function runSuite(
  cases: TimedCase[],
  opts: { reps?: number; repMs?: number; warmMs?: number; onRound?: (r: number) => void } = {},
): Promise<CaseResult[]> {
  const { reps = 5, repMs = 300, warmMs = 200 } = opts;
  for (const c of cases) await measure(c, warmMs);
  const samples: number[][] = cases.map(() => []);
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < cases.length; i++) samples[i].push(await measure(cases[i], repMs));
    opts.onRound?.(r + 1);
  }
  return cases.map((c, i) => {
    const med = median(samples[i]);
    return {
      id: c.id,
      kind: c.kind,
      opsPerSec: med,
      nsPerOp: 1e9 / med,
      spread: (Math.max(...samples[i]) - Math.min(...samples[i])) / med,
      samples: samples[i].map((x) => Math.round(x)),
    };
  });
}
