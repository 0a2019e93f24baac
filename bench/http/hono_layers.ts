// Where the time of POST /pusher/auth goes on Hono, layer by layer (issue 16). One server per variant; the driver
// (bench/http/hono_layers.sh) loads each with wrk and reads the server's CPU time per request from /proc, which stays
// meaningful on a shared machine where req/s does not.
//   args: <port> <variant> [seconds to live, default 120]
// Variants: plain-empty, hono-empty (routing + context + c.text, no crypto); plain-core, hono-core (the same core call
// as the plain Deno.serve handler of bench:http); hono-core-json (with c.json and a no-store header instead of a
// prebuilt Response), hono-core-bytes (c.req.arrayBuffer() + a strict TextDecoder), hono-core-raw (c.req.raw.text()),
// hono-core-ct (reads Content-Type first, as the handler must); hono-handler (the app's pusherChannelAuth).
import { Hono } from "hono";
import { pusherChannelAuth } from "../../src/hono/auth.ts";
import { authorizeChannel } from "../../mod.ts";
import { KEY, SECRET } from "../_fixtures.ts";

// deno-lint-ignore no-explicit-any
const g = globalThis as any;
const args: string[] = g.Deno ? g.Deno.args : g.process.argv.slice(2);
const port = Number(args[0]);
const variant = args[1];
const ttl = Number(args[2] ?? 120);

function sign(text: string) {
  const form = new URLSearchParams(text);
  return authorizeChannel({
    key: KEY,
    secret: SECRET,
    socketId: form.get("socket_id") ?? "",
    channel: form.get("channel_name") ?? "",
  });
}
const JSON_HEADERS = { "content-type": "application/json", "cache-control": "no-store" };
async function core(text: string): Promise<Response> {
  return new Response(JSON.stringify(await sign(text)), { headers: JSON_HEADERS });
}

const app = new Hono();
let fetch: (req: Request) => Response | Promise<Response>;
if (variant === "plain-empty") fetch = async (req) => new Response(await req.text());
else if (variant === "plain-core") fetch = async (req) => core(await req.text());
else {
  if (variant === "hono-empty") app.post("/pusher/auth", async (c) => c.text(await c.req.text()));
  else if (variant === "hono-core") app.post("/pusher/auth", async (c) => core(await c.req.text()));
  // The same with Hono's c.json (two headers), or reading bytes with c.req.arrayBuffer() and decoding them.
  else if (variant === "hono-core-json") {
    app.post("/pusher/auth", async (c) => c.json(await sign(await c.req.text()), 200, { "cache-control": "no-store" }));
  } else if (variant === "hono-core-bytes") {
    const dec = new TextDecoder("utf-8", { fatal: true });
    app.post("/pusher/auth", async (c) => core(dec.decode(await c.req.arrayBuffer())));
  } else if (variant === "hono-core-raw") app.post("/pusher/auth", async (c) => core(await c.req.raw.text()));
  // The same, reading the Content-Type header first (the runtime builds the request's Headers).
  else if (variant === "hono-core-ct") {
    app.post("/pusher/auth", async (c) => {
      if (c.req.raw.headers.get("content-type") !== "application/x-www-form-urlencoded") return c.text("no", 415);
      return core(await c.req.text());
    });
  } else if (variant === "hono-handler") {
    app.post("/pusher/auth", pusherChannelAuth({ key: KEY, secret: SECRET, authorize: () => true }));
  } else throw new Error(`unknown variant ${variant}`);
  fetch = app.fetch;
}
const hostname = "127.0.0.1";
if (g.Bun) g.Bun.serve({ hostname, port, fetch });
else if (g.Deno) g.Deno.serve({ hostname, port, onListen() {} }, fetch);
else {
  const { serve } = await import("@hono/node-server");
  serve({ fetch, hostname, port });
}
setTimeout(() => (g.Deno ? g.Deno.exit(0) : g.process.exit(0)), ttl * 1000);
