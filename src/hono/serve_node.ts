/**
 * Node entry point, with `@hono/node-server` and the `ws` package for pusher-js WebSockets on `/app/{key}` (same port).
 * Node cannot run TypeScript from `src/` directly: bundle it first (the tests do it with `deno bundle --platform=node`)
 * or use the npm build. Same configuration and start-up errors as the Deno entry point.
 *
 * @module
 */
import { serve } from "@hono/node-server";
import { WebSocketServer } from "ws";
import { appOptionsFromEnv, createLiveServer } from "./mod.ts";
import { banner } from "./_banner.ts";
import { clusterFromEnv } from "./_cluster.ts";
import { listenPort, startupFailure } from "./_startup.ts";

// `ws` ships no types; this is the part of its WebSocket the adapter uses.
interface WsSocket {
  readonly readyState: number;
  readonly OPEN: number;
  send(data: string): void;
  close(code: number, reason: string): void;
  on(event: "message", fn: (data: Uint8Array, isBinary: boolean) => void): void;
  on(event: "close" | "error", fn: () => void): void;
}

// Node globals, typed by hand: src/ imports nothing from node: (tests/core_purity_test.ts).
interface UpgradeRequest {
  url?: string;
  headers: { host?: string };
}
interface RawSocket {
  destroy(): void;
}
const process = (globalThis as unknown as {
  process: {
    env: Record<string, string | undefined>;
    on(signal: string, fn: () => void): void;
    exit(code: number): never;
  };
}).process;
const env = process.env;
const hostname = env.HOST || "127.0.0.1";
let port = 8787;
const fail = (error: unknown): never => {
  const failure = startupFailure(error, hostname, port);
  if (!failure) throw error;
  console.error(failure.message);
  return process.exit(failure.exitCode);
};
try {
  port = listenPort(env.PORT);
  const options = appOptionsFromEnv(env);
  const cluster = await clusterFromEnv(env, options).catch((err): never => {
    console.error(`pusher-edge: ${err instanceof Error ? err.message : err}`);
    return process.exit(2);
  });
  const live = createLiveServer(options, cluster);
  live.start();
  const server = serve({ fetch: live.app.fetch, hostname, port }, (info) => {
    console.log(banner(options, `http://${info.address}:${info.port}`));
    if (cluster) console.log(cluster.describe);
  });
  server.on("error", fail);
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 256 * 1024,
    handleProtocols: (protocols: Set<string>) =>
      [...protocols].find((p) => p.startsWith("pusher-channels-protocol-")) ?? false,
  });
  server.on("upgrade", (req: UpgradeRequest, socket: RawSocket, head: Uint8Array) => {
    if (!live.engine) return void socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws: WsSocket) => {
      const conn = live.open(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
        send: (frame) => ws.readyState === ws.OPEN && ws.send(frame),
        close: (code, reason) => ws.close(code, reason),
      });
      ws.on(
        "message",
        (data: Uint8Array, isBinary: boolean) => conn.message(isBinary ? data : new TextDecoder().decode(data)),
      );
      ws.on("close", () => conn.closed());
      ws.on("error", () => {});
    });
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => void live.shutdown().finally(() => process.exit(0)));
  }
} catch (error) {
  fail(error);
}
