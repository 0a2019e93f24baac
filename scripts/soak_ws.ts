// Bounded soak of the WebSocket server (not in CI): SOCKETS raw WebSockets on CHANNELS channels (a tenth of them
// presence, signed with the core's authorizeChannel) for SECONDS, with subscribe/unsubscribe churn, client events and
// REST-style publishes, then every socket closes and the engine must hold zero sockets and zero channels.
//   deno run -A --v8-flags=--expose-gc scripts/soak_ws.ts [sockets=1000] [channels=100] [seconds=60]
import { createLiveServer } from "../src/hono/mod.ts";
import { serveDeno } from "../src/hono/serve_deno.ts";
import { DEMO_CREDENTIALS } from "../src/hono/config.ts";
import { authorizeChannel } from "../src/channel_auth.ts";

const SOCKETS = Number(Deno.args[0] ?? 1000);
const CHANNELS = Number(Deno.args[1] ?? 100);
const SECONDS = Number(Deno.args[2] ?? 60);
const { key, secret } = DEMO_CREDENTIALS;
const gc = (globalThis as { gc?: () => void }).gc;

const live = createLiveServer({ webhookDelayMs: 0 });
const ac = new AbortController();
const http = serveDeno(live, { hostname: "127.0.0.1", port: 0, signal: ac.signal });
const engine = live.engine!;
const url = `ws://127.0.0.1:${http.addr.port}/app/${key}?protocol=7`;
const channelName = (i: number) => (i % 10 === 0 ? `presence-soak-${i}` : `private-soak-${i}`);

interface Sock {
  ws: WebSocket;
  id: string;
  joined: Set<string>;
  received: number;
}

async function subscribe(s: Sock, channel: string): Promise<void> {
  const auth = await authorizeChannel({
    key,
    secret,
    socketId: s.id,
    channel,
    channelData: channel.startsWith("presence-") ? { user_id: `u${Math.floor(Math.random() * 150)}` } : undefined,
  });
  if (s.ws.readyState !== WebSocket.OPEN) return;
  s.ws.send(JSON.stringify({ event: "pusher:subscribe", data: { channel, ...auth } }));
  s.joined.add(channel);
}

function open(): Promise<Sock> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const s: Sock = { ws, id: "", joined: new Set(), received: 0 };
    ws.onmessage = (e) => {
      s.received++;
      const f = JSON.parse(e.data);
      if (f.event === "pusher:connection_established") {
        s.id = JSON.parse(f.data).socket_id;
        resolve(s);
      }
    };
    ws.onerror = () => reject(new Error("socket error"));
  });
}

gc?.();
const heapStart = Deno.memoryUsage().heapUsed;
const started = Date.now();
const socks: Sock[] = [];
for (let i = 0; i < SOCKETS; i += 50) {
  socks.push(...await Promise.all(Array.from({ length: Math.min(50, SOCKETS - i) }, open)));
}
for (const s of socks) {
  for (let k = 0; k < 3; k++) await subscribe(s, channelName(Math.floor(Math.random() * CHANNELS)));
}
console.error(`soak: ${socks.length} sockets open in ${Date.now() - started} ms`);

let churn = 0, published = 0, clientEvents = 0;
const end = Date.now() + SECONDS * 1000;
while (Date.now() < end) {
  for (let k = 0; k < SOCKETS / 10; k++) {
    const s = socks[Math.floor(Math.random() * socks.length)];
    const [first] = s.joined;
    if (first && Math.random() < 0.5) {
      s.ws.send(JSON.stringify({ event: "pusher:unsubscribe", data: { channel: first } }));
      s.joined.delete(first);
    } else {
      const c = channelName(Math.floor(Math.random() * CHANNELS));
      if (!s.joined.has(c)) await subscribe(s, c);
    }
    const [any] = s.joined;
    if (any) {
      s.ws.send(JSON.stringify({ event: "client-soak", channel: any, data: { t: Date.now() } }));
      clientEvents++;
    }
    churn++;
  }
  // Replace a few sockets outright (abrupt close + new connection).
  for (let k = 0; k < 5; k++) {
    const i = Math.floor(Math.random() * socks.length);
    socks[i].ws.close();
    socks[i] = await open();
  }
  for (let k = 0; k < 10; k++) {
    await engine.publish({ channels: [channelName(Math.floor(Math.random() * CHANNELS))], name: "tick", data: "{}" });
    published++;
  }
  await new Promise((r) => setTimeout(r, 1000));
}
const peak = { connections: engine.connections().length, channels: (await engine.channels("")).length };
for (const s of socks) s.ws.close();
const deadline = Date.now() + 30_000;
while (engine.connections().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
engine.tick(Date.now() + 10_000);
gc?.();
const result = {
  sockets: SOCKETS,
  channels: CHANNELS,
  seconds: SECONDS,
  churn,
  published,
  clientEvents,
  framesReceived: socks.reduce((n, s) => n + s.received, 0),
  peak,
  leakedSockets: engine.connections().length,
  leakedChannels: (await engine.channels("")).length,
  heapStart,
  heapEnd: Deno.memoryUsage().heapUsed,
};
console.log(JSON.stringify(result));
ac.abort();
await http.finished;
await live.shutdown();
if (result.leakedSockets !== 0 || result.leakedChannels !== 0) Deno.exit(1);
