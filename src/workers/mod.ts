/**
 * The Pusher protocol 7 server on Cloudflare Workers and Durable Objects, sharded past one object (see
 * `docs/scaling.md`). The Worker routes WebSocket upgrades on `/app/{key}` round-robin over `PUSHER_SHARDS` connection
 * shards ({@linkcode PusherShard}, hibernating), and everything else to the same Hono app as `deno task start`, whose
 * REST API publishes through the channel objects ({@linkcode PusherChannel}); users and webhooks go through one
 * {@linkcode PusherHub}. `wrangler.jsonc` declares the three classes and their migration.
 *
 * A bare deploy (no `PUSHER_*` credentials and no `PUSHER_EMULATOR=1`) answers 503 with setup instructions: demo
 * credentials never reach the internet. With credentials and no `PUSHER_EMULATOR=1`, only the auth and webhook
 * endpoints are served, as with `deno task start`.
 *
 * Run it locally inside workerd with `npx -y deno@2.9.6 task start:workers` (scripts/start_workers.ts).
 *
 * @module
 */
import { appOptionsFromEnv, createApp, DEMO_CREDENTIALS, LiveLog } from "../hono/mod.ts";
import type { HonoApp } from "../hono/types.ts";
import { durableEngine } from "./_facade.ts";
import { call, shardCount, Stubs } from "./_rpc.ts";
import type { WorkerEnv } from "./_types.ts";

export { PusherShard } from "./shard.ts";
export { PusherChannel } from "./channel.ts";
export { PusherHub } from "./hub.ts";

const SETUP = `pusher-edge is deployed but not configured.

Set your Pusher app (wrangler.jsonc "vars" for PUSHER_APP_ID, PUSHER_KEY, PUSHER_CLUSTER, and
\`npx wrangler secret put PUSHER_SECRET\`), then deploy again. To serve the emulator and its WebSocket server
instead (for local development), set PUSHER_EMULATOR=1: \`wrangler dev\` reads it from .dev.vars.
`;

let app: HonoApp | undefined;
let emulator = false;
let next = 0;

/** The Worker: `fetch(request, env, ctx)`. */
const worker: {
  fetch: (request: Request, env: WorkerEnv, ctx?: unknown) => Response | Promise<Response>;
} = {
  fetch(request, env, ctx) {
    if (!app) {
      const options = appOptionsFromEnv(env);
      if (options.credentials === undefined && options.emulator !== true) {
        return new Response(SETUP, {
          status: 503,
          headers: { "content-type": "text/plain; charset=UTF-8", "cache-control": "no-store" },
        });
      }
      emulator = options.emulator ?? false;
      const creds = options.credentials ?? DEMO_CREDENTIALS;
      app = createApp(
        options,
        emulator ? { engine: durableEngine(env, creds.appId, creds.key), log: new LiveLog() } : undefined,
      );
    }
    if (emulator && request.headers.get("upgrade")?.toLowerCase() === "websocket") {
      const shard = next++ % shardCount(env);
      next %= 1 << 30;
      const headers = new Headers(request.headers);
      headers.set("x-pusher-shard", String(shard));
      return new Stubs(env).shard(shard).fetch(new Request(request.url, { headers }));
    }
    if (emulator) {
      const path = new URL(request.url).pathname;
      if (request.method === "GET" && path === "/emulator/shards") return shardsReport(env);
      const close = request.method === "POST" && /^\/emulator\/connections\/(\d+\.\d+)\/close$/.exec(path);
      if (close) return closeSocket(env, close[1], request);
    }
    return app.fetch(request, env, ctx as Parameters<HonoApp["fetch"]>[2]);
  },
};
export default worker;

/** `GET /emulator/shards`: each connection shard's incarnation, sockets and channels (emulator mode only). */
async function shardsReport(env: WorkerEnv): Promise<Response> {
  const stubs = new Stubs(env);
  const shards = await Promise.all(
    Array.from(
      { length: shardCount(env) },
      (_, i) => call(stubs.shard(i), "state", {}).catch((e) => ({ error: String(e) })),
    ),
  );
  return Response.json({ shards }, { headers: { "cache-control": "no-store" } });
}

/**
 * `POST /emulator/connections/{id}/close` (the emulator's close-code test hook, same body and answers as
 * `deno task start`): the Worker does not know which shard holds the socket, so it asks each.
 */
async function closeSocket(env: WorkerEnv, socketId: string, request: Request): Promise<Response> {
  let body: { code?: unknown; reason?: unknown } = {};
  try {
    body = JSON.parse((await request.text()).slice(0, 4096) || "{}");
  } catch {
    return Response.json({ error: "Body must be JSON", status: 400 }, { status: 400 });
  }
  const code = body.code ?? 4200;
  if (typeof code !== "number" || !Number.isInteger(code) || code < 4000 || code > 4999) {
    return Response.json({ error: "code must be an integer from 4000 to 4999", status: 400 }, { status: 400 });
  }
  const reason = typeof body.reason === "string" ? body.reason : "Closed by the emulator";
  const stubs = new Stubs(env);
  const answers = await Promise.all(
    Array.from(
      { length: shardCount(env) },
      (_, i) => call<boolean>(stubs.shard(i), "close", { sockets: [socketId], code, reason }).catch(() => false),
    ),
  );
  return answers.some(Boolean)
    ? Response.json({ closed: true })
    : Response.json({ error: "No such socket", status: 404 }, { status: 404 });
}
