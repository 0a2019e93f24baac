// Trigger throughput against the loopback echo server (echo_server.ts), for scripts/bench_http.sh: pusher-edge's
// fetch-based `Pusher#trigger` vs the official client (node-fetch; default agent and a keep-alive agent), awaiting each
// call and with `conc` calls in flight. Time-boxed rounds (bench/_harness.ts), so the request count is bounded.
//   args: <port> [reps=3] [repMs=1000] [warmMs=1000] [conc=32]
import http from "node:http";
import OfficialPusher from "pusher";
import { Pusher } from "../../mod.ts";
import { runSuite, type TimedCase } from "../_harness.ts";
import { APP_ID, KEY, SECRET } from "../_fixtures.ts";

// deno-lint-ignore no-explicit-any
const g = globalThis as any;
const args: string[] = g.Deno ? g.Deno.args : g.process.argv.slice(2);
const [port, reps = 3, repMs = 1000, warmMs = 1000, conc = 32] = args.map(Number);
const cfg = { appId: APP_ID, key: KEY, secret: SECRET, host: "127.0.0.1", port, useTLS: false };

const ours = new Pusher(cfg);
// deno-lint-ignore no-explicit-any
const Official = OfficialPusher as any;
const official = new Official(cfg);
const officialKA = new Official({ ...cfg, agent: new http.Agent({ keepAlive: true, maxSockets: 64 }) });
const data = { a: 1 };

const cases: TimedCase[] = [];
for (
  const [name, fn] of [
    ["pusher-edge trigger (fetch)", () => ours.trigger("my-channel", "my-event", data)],
    ["official trigger (default agent)", () => official.trigger("my-channel", "my-event", data)],
    ["official trigger (keep-alive agent)", () => officialKA.trigger("my-channel", "my-event", data)],
  ] as const
) {
  cases.push({ id: `${name}|seq`, kind: "async", fn });
  cases.push({ id: `${name}|${conc} in flight`, kind: "conc", fn, conc });
}
for (const c of cases) await c.fn(); // every client reaches the server before timing
const results = await runSuite(cases, { reps, repMs, warmMs });
for (const r of results) console.log(JSON.stringify(r));
// Node's keep-alive agents would hold the process open.
g.Deno ? g.Deno.exit(0) : g.process.exit(0);
