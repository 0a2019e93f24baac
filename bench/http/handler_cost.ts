// CPU cost of POST /pusher/auth per request, in process (no sockets): the same Request through each fetch function,
// 32 in flight, interleaved rounds; prints the process CPU time (user+sys) per request and the difference to the first
// variant. In-process numbers leave out the runtime's HTTP server (the same for every variant), so the differences
// are the handler's and the framework's own cost, measurable on a busy machine where wrk's req/s are not.
//   deno run -A bench/http/handler_cost.ts [rounds, default 7] [requests per round, default 20000] [variants...]
//   OLD=/path/to/other/src/hono/auth.ts adds a variant "old-handler" (e.g. the main branch's handler, for A/B)
// Variants: plain (the plain Deno.serve handler of bench:http), hono-core (a bare Hono route on the core: c.req.text(),
// URLSearchParams, new Response), handler (the app's pusherChannelAuth on a bare Hono route), app (createApp's whole
// app with an allow-all policy hook replaced: the real route table), old-handler.
import process from "node:process";
import { Hono } from "hono";
import { pusherChannelAuth } from "../../src/hono/auth.ts";
import { authorizeChannel } from "../../mod.ts";
import { KEY, SECRET } from "../_fixtures.ts";

const [roundsArg, nArg, ...picked] = Deno.args;
const ROUNDS = Number(roundsArg ?? 7), N = Number(nArg ?? 20000), INFLIGHT = 32;
const BODY = "socket_id=123456.7654321&channel_name=private-foo";
const HEADERS = { "content-type": "application/x-www-form-urlencoded", "content-length": String(BODY.length) };

// The core call every variant but the app's handler makes: the form's two fields into authorizeChannel.
async function sign(text: string) {
  const form = new URLSearchParams(text);
  return await authorizeChannel({
    key: KEY,
    secret: SECRET,
    socketId: form.get("socket_id") ?? "",
    channel: form.get("channel_name") ?? "",
  });
}

async function plain(req: Request): Promise<Response> {
  return Response.json(await sign(await req.text()));
}
const JSON_HEADERS = { "content-type": "application/json", "cache-control": "no-store" };
const honoCore = new Hono().post("/pusher/auth", async (c) => {
  const body = await sign(await c.req.text());
  return new Response(JSON.stringify(body), { headers: JSON_HEADERS });
});
// The same with Hono's c.json and the handler's two headers instead of a prebuilt plain Response.
const honoCoreJson = new Hono().post("/pusher/auth", async (c) => {
  const body = await sign(await c.req.text());
  return c.json(body, 200, { "cache-control": "no-store" });
});
const handler = new Hono().post("/pusher/auth", pusherChannelAuth({ key: KEY, secret: SECRET, authorize: () => true }));

const variants: Record<string, (req: Request) => Response | Promise<Response>> = {
  plain,
  "hono-core": honoCore.fetch,
  "hono-core-json": honoCoreJson.fetch,
  handler: handler.fetch,
};
const old = Deno.env.get("OLD");
if (old) {
  const mod = await import(old);
  variants["old-handler"] = new Hono().post(
    "/pusher/auth",
    mod.pusherChannelAuth({ key: KEY, secret: SECRET, authorize: () => true }),
  ).fetch;
}
const names = picked.length ? picked : Object.keys(variants);
// STUB_SIGN=1: subtle.sign answers at once with a fixed MAC, leaving only the JS cost (less noise from the thread hop).
if (Deno.env.get("STUB_SIGN")) {
  const mac = new Uint8Array(32).fill(7).buffer;
  crypto.subtle.sign = () => Promise.resolve(mac.slice(0));
}

const expected =
  await (await plain(new Request("http://x/pusher/auth", { method: "POST", headers: HEADERS, body: BODY })))
    .json();
async function run(fetch: (req: Request) => Response | Promise<Response>, n: number): Promise<number> {
  const t0 = process.cpuUsage();
  let left = n;
  const worker = async () => {
    while (left-- > 0) {
      const res = await fetch(
        new Request("http://127.0.0.1/pusher/auth", { method: "POST", headers: HEADERS, body: BODY }),
      );
      const out = await res.json();
      if (out.auth !== expected.auth) throw new Error(`wrong answer ${JSON.stringify(out)}`);
    }
  };
  await Promise.all(Array.from({ length: INFLIGHT }, worker));
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / n;
}

for (const name of names) await run(variants[name], 2000); // warm-up
const results = new Map<string, number[]>(names.map((n) => [n, []]));
for (let r = 0; r < ROUNDS; r++) for (const name of names) results.get(name)!.push(await run(variants[name], N));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const base = median(results.get(names[0])!);
console.log(
  `# CPU µs per request, in process (${ROUNDS} rounds × ${N}, ${INFLIGHT} in flight; load ${Deno.loadavg()[0]})`,
);
console.log(
  `| variant | median µs | min–max | median − ${names[0]} | min − min of ${names[0]} |\n|---|--:|--:|--:|--:|`,
);
const baseMin = Math.min(...results.get(names[0])!);
for (const [name, xs] of results) {
  const m = median(xs);
  console.log(
    `| ${name} | ${m.toFixed(2)} | ${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)} | ${
      (m - base).toFixed(2)
    } | ${(Math.min(...xs) - baseMin).toFixed(2)} |`,
  );
}
