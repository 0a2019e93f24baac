// Fan-out across processes (issue 17), one bounded run: S raw WebSocket subscribers on one public channel, split
// round-robin over the server ports given, and one REST publisher (signed by our Pusher client) with C requests in
// flight for D seconds against the first port. Reports messages delivered/s, p50/p99 delivery latency (send time in
// the event data) and, with --redis-port, Redis commands per published event from `INFO commandstats` deltas.
//
//   deno run -A bench/fanout_cluster.ts --ports 8801,8802 --subs 200 --duration 5 --inflight 8 [--redis-port 6390]
//     [--app-id 1 --key emulator-key --secret emulator-secret] [--label name]
// Prints one JSON line. Loopback only; every loop stops after --duration seconds (+ a 5 s drain at most).
import { parseArgs } from "node:util";
import { Pusher } from "../mod.ts";

const { values: o } = parseArgs({
  options: {
    ports: { type: "string", default: "8787" },
    subs: { type: "string", default: "200" },
    duration: { type: "string", default: "5" },
    inflight: { type: "string", default: "8" },
    "redis-port": { type: "string" },
    "app-id": { type: "string", default: "1" },
    key: { type: "string", default: "emulator-key" },
    secret: { type: "string", default: "emulator-secret" },
    label: { type: "string", default: "" },
  },
});
const ports = o.ports.split(",").map(Number);
const S = Number(o.subs), D = Number(o.duration) * 1000, C = Number(o.inflight);
const channel = `fanout-${crypto.randomUUID().slice(0, 8)}`;
const clock = () => performance.timeOrigin + performance.now();

async function redisStats(port: number): Promise<Record<string, number>> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(new TextEncoder().encode("INFO commandstats\r\n"));
  // A bulk string: `$<length>\r\n<text>\r\n`.
  let bytes = new Uint8Array(0);
  const buf = new Uint8Array(65536);
  for (;;) {
    const n = await conn.read(buf);
    if (n === null) break;
    const next = new Uint8Array(bytes.length + n);
    next.set(bytes);
    next.set(buf.subarray(0, n), bytes.length);
    bytes = next;
    const head = new TextDecoder().decode(bytes.subarray(0, 16));
    const len = Number(/^\$(\d+)\r\n/.exec(head)?.[1]);
    if (Number.isFinite(len) && bytes.length >= head.indexOf("\n") + 1 + len + 2) break;
  }
  conn.close();
  const out: Record<string, number> = {};
  for (const m of new TextDecoder().decode(bytes).matchAll(/cmdstat_([a-z|]+):calls=(\d+)/g)) out[m[1]] = Number(m[2]);
  return out;
}

let received = 0;
let windowStart = Infinity;
const latencies: number[] = [];
const sockets: WebSocket[] = [];
let ready = 0;
for (let i = 0; i < S; i++) {
  const ws = new WebSocket(`ws://127.0.0.1:${ports[i % ports.length]}/app/${o.key}?protocol=7&client=bench`);
  sockets.push(ws);
  ws.onmessage = (e) => {
    const text = e.data as string;
    if (text.includes('"pusher:connection_established"')) {
      ws.send(JSON.stringify({ event: "pusher:subscribe", data: { channel } }));
    } else if (text.includes('"pusher_internal:subscription_succeeded"')) ready++;
    else if (text.includes('"event":"tick"')) {
      const t = Number(/\\"t\\":([0-9.]+)/.exec(text)?.[1]);
      if (t >= windowStart) {
        received++;
        latencies.push(clock() - t);
      }
    }
  };
}
const deadline = Date.now() + 30_000;
while (ready < S) {
  if (Date.now() > deadline) throw new Error(`only ${ready}/${S} subscribed`);
  await new Promise((r) => setTimeout(r, 20));
}

const pusher = new Pusher({
  appId: o["app-id"],
  key: o.key,
  secret: o.secret,
  host: "127.0.0.1",
  port: ports[0],
  useTLS: false,
});
const before = o["redis-port"] ? await redisStats(Number(o["redis-port"])) : undefined;
windowStart = clock();
const end = Date.now() + D;
let accepted = 0, failed = 0;
await Promise.all(Array.from({ length: C }, async () => {
  while (Date.now() < end) {
    try {
      await pusher.trigger(channel, "tick", { t: clock() });
      accepted++;
    } catch {
      failed++;
    }
  }
}));
const publishedFor = clock() - windowStart;
const drainUntil = Date.now() + 5000;
while (received < accepted * S && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 20));
const after = o["redis-port"] ? await redisStats(Number(o["redis-port"])) : undefined;
for (const ws of sockets) ws.close();

latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies.length ? Math.round(latencies[Math.floor((latencies.length - 1) * p)] * 10) / 10 : 0;
const redis: Record<string, number> = {};
if (before && after) {
  for (const [k, v] of Object.entries(after)) if (v - (before[k] ?? 0) > 0) redis[k] = v - (before[k] ?? 0);
  delete redis.info;
}
const redisTotal = Object.values(redis).reduce((a, b) => a + b, 0);
console.log(JSON.stringify({
  label: o.label,
  ports,
  subs: S,
  inflight: C,
  events: accepted,
  failed,
  eventsPerSec: Math.round(accepted / (publishedFor / 1000)),
  deliveredPerSec: Math.round(received / (publishedFor / 1000)),
  complete: accepted ? Math.round((received / (accepted * S)) * 1000) / 1000 : 0,
  p50ms: pct(0.5),
  p99ms: pct(0.99),
  ...(before ? { redisCmdsPerEvent: accepted ? Math.round((redisTotal / accepted) * 100) / 100 : 0, redis } : {}),
}));
Deno.exit(0);
