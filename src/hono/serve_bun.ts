/**
 * Bun entry point: `bun run src/hono/serve_bun.ts`. Same configuration and start-up errors as the Deno entry point. In
 * emulator mode the same port serves pusher-js WebSockets on `/app/{key}` through `Bun.serve`'s `websocket` handlers.
 *
 * @module
 */
import { type AppOptions, appOptionsFromEnv, createLiveServer } from "./mod.ts";
import { banner } from "./_banner.ts";
import { clusterFromEnv, type EnvCluster } from "./_cluster.ts";
import { listenPort, startupFailure } from "./_startup.ts";
import type { LiveSocket } from "./live_server.ts";

interface BunSocket {
  data: { url: string; live?: LiveSocket };
  send(data: string): number;
  close(code?: number, reason?: string): void;
}

declare const Bun: {
  env: Record<string, string | undefined>;
  serve(options: {
    hostname: string;
    port: number;
    idleTimeout?: number;
    fetch: (
      request: Request,
      server: { upgrade(req: Request, o: { data: unknown; headers?: Record<string, string> }): boolean },
    ) => Response | undefined | Promise<Response | undefined>;
    websocket: {
      maxPayloadLength?: number;
      idleTimeout?: number;
      open(ws: BunSocket): void;
      message(ws: BunSocket, message: string | Uint8Array): void;
      close(ws: BunSocket): void;
    };
  }): { hostname: string; port: number };
};
declare const process: { on(signal: string, fn: () => void): void; exit(code: number): never };

function serve(options: AppOptions, cluster: EnvCluster | undefined, hostname: string, port: number) {
  const live = createLiveServer(options, cluster);
  live.start();
  // idleTimeout above the debug stream's 15 s keep-alive, so Bun does not cut server-sent events.
  const server = Bun.serve({
    hostname,
    port,
    idleTimeout: 120,
    fetch(request, srv) {
      if (!live.isUpgrade(request)) return live.app.fetch(request);
      const protocol = request.headers.get("sec-websocket-protocol")?.split(",").map((p) => p.trim())
        .find((p) => p.startsWith("pusher-channels-protocol-"));
      const headers: Record<string, string> = protocol ? { "Sec-WebSocket-Protocol": protocol } : {};
      if (srv.upgrade(request, { data: { url: request.url }, headers })) return undefined;
      return new Response("WebSocket upgrade failed", { status: 400 });
    },
    websocket: {
      maxPayloadLength: 256 * 1024,
      // The engine pings idle clients and closes them with 4201; Bun's own idle cut would come without a code.
      idleTimeout: 960,
      open(ws) {
        ws.data.live = live.open(ws.data.url, { send: (f) => void ws.send(f), close: (c, r) => ws.close(c, r) });
      },
      message(ws, message) {
        ws.data.live?.message(message);
      },
      close(ws) {
        ws.data.live?.closed();
      },
    },
  });
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => void live.shutdown().finally(() => process.exit(0)));
  }
  console.log(banner(options, `http://${server.hostname}:${server.port}`));
  if (cluster) console.log(cluster.describe);
}

const hostname = Bun.env.HOST || "127.0.0.1";
let port = 8787;
try {
  port = listenPort(Bun.env.PORT);
  const options = appOptionsFromEnv(Bun.env);
  const cluster = await clusterFromEnv(Bun.env, options).catch((err): never => {
    console.error(`pusher-edge: ${err instanceof Error ? err.message : err}`);
    return process.exit(2);
  });
  serve(options, cluster, hostname, port);
} catch (error) {
  const failure = startupFailure(error, hostname, port);
  if (!failure) throw error;
  console.error(failure.message);
  process.exit(failure.exitCode);
}
