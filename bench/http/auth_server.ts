// The auth endpoint under load, for scripts/bench_http.sh: the app's `pusherChannelAuth` handler (src/hono/auth.ts,
// what `createApp` mounts at POST /pusher/auth) with an allow-all `authorize` hook, so the request does the same work
// as the node:http + official reference (parse the form, validate, sign, answer JSON). Served with Deno.serve,
// Bun.serve or @hono/node-server depending on the runtime; `plain` serves the core without Hono (Deno.serve floor).
//   args: <port> [hono|plain] [seconds to live, default 900]
import { Hono } from "hono";
import { pusherChannelAuth } from "../../src/hono/auth.ts";
import { authorizeChannel } from "../../mod.ts";
import { KEY, SECRET } from "../_fixtures.ts";

// deno-lint-ignore no-explicit-any
const g = globalThis as any;
const args: string[] = g.Deno ? g.Deno.args : g.process.argv.slice(2);
const port = Number(args[0]);
const variant = args[1] ?? "hono";
const ttl = Number(args[2] ?? 900);

const app = new Hono();
app.post("/pusher/auth", pusherChannelAuth({ key: KEY, secret: SECRET, authorize: () => true }));

async function plain(req: Request): Promise<Response> {
  const form = new URLSearchParams(await req.text());
  try {
    const body = await authorizeChannel({
      key: KEY,
      secret: SECRET,
      socketId: form.get("socket_id") ?? "",
      channel: form.get("channel_name") ?? "",
    });
    return Response.json(body);
  } catch {
    return Response.json({ error: "bad request" }, { status: 400 });
  }
}

const fetch = variant === "plain" ? plain : app.fetch;
const hostname = "127.0.0.1";
if (g.Bun) g.Bun.serve({ hostname, port, fetch });
else if (g.Deno) g.Deno.serve({ hostname, port, onListen() {} }, fetch);
else {
  const { serve } = await import("@hono/node-server");
  serve({ fetch, hostname, port });
}
// Bounded: the server goes away by itself even if the script driving it dies.
setTimeout(() => (g.Deno ? g.Deno.exit(0) : g.process.exit(0)), ttl * 1000);
