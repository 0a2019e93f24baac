// Frame fuzzer for the WebSocket server: opens real sockets to a Deno server on loopback and sends malformed and
// hostile frames (wrong types, huge frames, unknown events, bad auth, deep JSON, binary, subscribe and client-event
// floods, abrupt closes). Prints one JSON line: frames sent, unhandled errors, engine state left after every socket
// closed, heap before and after (run with --v8-flags=--expose-gc for a meaningful heap figure).
//   deno run -A --v8-flags=--expose-gc scripts/fuzz_ws.ts [frames=2000] [seed=1]
import { createLiveServer } from "../src/hono/mod.ts";
import { serveDeno } from "../src/hono/serve_deno.ts";
import { DEMO_CREDENTIALS } from "../src/hono/config.ts";

const FRAMES = Number(Deno.args[0] ?? 2000);
let seed = Number(Deno.args[1] ?? 1) >>> 0 || 1;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const gc = (globalThis as { gc?: () => void }).gc;

let unhandled = 0;
globalThis.addEventListener("unhandledrejection", (e) => {
  unhandled++;
  e.preventDefault();
});
globalThis.addEventListener("error", (e) => {
  unhandled++;
  e.preventDefault();
});

const KEY = DEMO_CREDENTIALS.key;
const live = createLiveServer({ webhookDelayMs: 0 });
const ac = new AbortController();
const http = serveDeno(live, { hostname: "127.0.0.1", port: 0, signal: ac.signal });
const url = `ws://127.0.0.1:${http.addr.port}/app/${KEY}?protocol=7`;
const engine = live.engine!;

function open(path = url): Promise<{ ws: WebSocket; id: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(path);
    ws.onmessage = (e) => {
      const f = JSON.parse(e.data);
      if (f.event === "pusher:connection_established") resolve({ ws, id: JSON.parse(f.data).socket_id });
    };
    ws.onerror = () => reject(new Error("socket error"));
    ws.onclose = () => resolve({ ws, id: "" });
  });
}

const huge = (n: number) => "x".repeat(n);
const generators: (() => string | Uint8Array)[] = [
  () => huge(Math.floor(rand() * 50)),
  () => String.fromCharCode(...Array.from({ length: 40 }, () => Math.floor(rand() * 0xd7ff))),
  () => pick(["null", "1", "[]", '"str"', "true", "{}", '{"event":null}', '{"event":{}}', '{"event":[1]}']),
  () => JSON.stringify({ event: pick(["pusher:foo", "pusher_internal:member_added", "", "client", "x"]), data: {} }),
  () =>
    JSON.stringify({ event: "pusher:subscribe", data: pick([null, 1, "x", [], { channel: 5 }, { channel: null }]) }),
  () => JSON.stringify({ event: "pusher:subscribe", data: { channel: huge(Math.floor(rand() * 400)) } }),
  () => JSON.stringify({ event: "pusher:subscribe", data: { channel: pick(["#server-to-user-1", "#x", "a b", "é"]) } }),
  () =>
    JSON.stringify({
      event: "pusher:subscribe",
      data: { channel: `private-${Math.floor(rand() * 5)}`, auth: pick(["", ":", `${KEY}:`, `${KEY}:zz`, "k:v"]) },
    }),
  () =>
    JSON.stringify({
      event: "pusher:subscribe",
      data: {
        channel: "presence-f",
        auth: `${KEY}:${"0".repeat(64)}`,
        channel_data: pick(["", "{", "[]", '{"user_id":""}', JSON.stringify({ user_id: huge(200) }), '{"user_id":1}']),
      },
    }),
  () => JSON.stringify({ event: "pusher:subscribe", data: { channel: `flood-${Math.floor(rand() * 2000)}` } }),
  () => JSON.stringify({ event: "pusher:unsubscribe", data: { channel: pick(["nope", 3, null, "flood-1"]) } }),
  () => JSON.stringify({ event: "client-x", channel: pick(["flood-1", "private-0", 7, null]), data: huge(100) }),
  () => JSON.stringify({ event: "client-big", channel: "private-0", data: huge(20_000) }),
  () => JSON.stringify({ event: "pusher:signin", data: pick([{}, { auth: 1 }, { user_data: "{" }, { auth: "a:b" }]) }),
  () => JSON.stringify({ event: "pusher:signin", data: { auth: `${KEY}:${"a".repeat(64)}`, user_data: '{"id":"1"}' } }),
  () => "[".repeat(20_000) + "]".repeat(20_000),
  () => huge(70_000 + Math.floor(rand() * 200_000)),
  () => new Uint8Array(Array.from({ length: 64 }, () => Math.floor(rand() * 256))),
  () => JSON.stringify({ event: "pusher:ping", data: pick([{}, "{}", null, huge(10)]) }),
  () => JSON.stringify({ event: "pusher:subscribe", data: '{"channel":"string-data"}' }),
];

const baselineConns = engine.connections().length;
// Warm-up so the baseline includes JIT and lazily created structures.
for (let i = 0; i < 5; i++) {
  const { ws } = await open();
  ws.send(JSON.stringify({ event: "pusher:subscribe", data: { channel: "warm" } }));
  ws.close();
}
await settle();
gc?.();
const heapBefore = Deno.memoryUsage().heapUsed;

let sent = 0;
while (sent < FRAMES) {
  const sockets = await Promise.all(Array.from({ length: 10 }, () => open()));
  for (const { ws } of sockets) {
    const n = 10 + Math.floor(rand() * 40);
    for (let i = 0; i < n && sent < FRAMES; i++, sent++) {
      if (ws.readyState !== WebSocket.OPEN) break;
      ws.send(pick(generators)());
    }
  }
  // A third are dropped mid-stream, the rest closed after their frames were read.
  await new Promise((r) => setTimeout(r, 20));
  for (const { ws } of sockets) ws.close();
}
// Hostile handshakes too.
for (const path of [`ws://127.0.0.1:${http.addr.port}/app/nope?protocol=7`, url.replace("protocol=7", "protocol=99")]) {
  await open(path).catch(() => undefined);
}
await settle();

// A well-behaved client still works afterwards.
const check = await open();
const ok = await new Promise<boolean>((resolve) => {
  check.ws.onmessage = (e) => {
    const f = JSON.parse(e.data);
    if (f.event === "pusher_internal:subscription_succeeded") {
      void engine.publish({ channels: ["after"], name: "e", data: "1" });
    }
    if (f.event === "e") resolve(true);
  };
  check.ws.send(JSON.stringify({ event: "pusher:subscribe", data: { channel: "after" } }));
  setTimeout(() => resolve(false), 5000);
});
check.ws.close();
await settle();
engine.tick(Date.now() + 10_000);
gc?.();
const heapAfter = Deno.memoryUsage().heapUsed;
const result = {
  frames: sent,
  unhandled,
  healthyAfter: ok,
  connectionsLeft: engine.connections().length - baselineConns,
  channelsLeft: (await engine.channels("")).length,
  heapBefore,
  heapAfter,
  heapGrowthBytes: heapAfter - heapBefore,
  gc: gc !== undefined,
};
console.log(JSON.stringify(result));
ac.abort();
await http.finished;
await live.shutdown();

async function settle(): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (engine.connections().length > baselineConns && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 100));
}
