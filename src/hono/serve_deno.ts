/**
 * Deno entry point: `deno task start` (or `deno run -A --node-modules-dir=none src/hono/serve_deno.ts`). Reads the
 * configuration from the environment (see {@linkcode appOptionsFromEnv}), listens on `HOST` (127.0.0.1) and `PORT`
 * (8787), and prints the URL, the demo credentials and a sample command. In emulator mode the same port serves
 * pusher-js WebSockets on `/app/{key}` (`Deno.upgradeWebSocket`). A configuration mistake prints one line naming the
 * variables and exits 2; a port in use prints one line naming `PORT` and exits 1.
 *
 * @module
 */
import { appOptionsFromEnv, createLiveServer } from "./mod.ts";
import { banner } from "./_banner.ts";
import { listenPort, startupFailure } from "./_startup.ts";
import type { LiveServer } from "./live_server.ts";
import { clusterFromEnv } from "./_cluster.ts";

/** Serves a live server with Deno.serve; WebSocket upgrades go to the engine, everything else to the Hono app. */
export function serveDeno(
  server: LiveServer,
  options: { hostname: string; port: number; signal?: AbortSignal; onListen?: (addr: Deno.NetAddr) => void },
): Deno.HttpServer<Deno.NetAddr> {
  const stop = server.start();
  options.signal?.addEventListener("abort", () => {
    stop();
    void server.shutdown();
  });
  return Deno.serve({
    hostname: options.hostname,
    port: options.port,
    signal: options.signal,
    onListen: options.onListen ?? (() => {}),
  }, (request) => {
    if (!server.isUpgrade(request)) return server.app.fetch(request);
    const wanted = request.headers.get("sec-websocket-protocol")?.split(",").map((p) => p.trim()) ?? [];
    const protocol = wanted.find((p) => p.startsWith("pusher-channels-protocol-"));
    const { socket, response } = Deno.upgradeWebSocket(request, { protocol, idleTimeout: 0 });
    let live: ReturnType<LiveServer["open"]> | undefined;
    socket.onopen = () => {
      live = server.open(request.url, {
        send: (frame) => socket.readyState === WebSocket.OPEN && socket.send(frame),
        close: (code, reason) => socket.close(code, reason),
      });
    };
    socket.onmessage = (e) => live?.message(e.data);
    socket.onclose = () => live?.closed();
    socket.onerror = () => {};
    return response;
  });
}

if (import.meta.main) {
  const env = Deno.env.toObject();
  const hostname = env.HOST || "127.0.0.1";
  let port = 8787;
  try {
    port = listenPort(env.PORT);
    const options = appOptionsFromEnv(env);
    const cluster = await clusterFromEnv(env, options).catch((err): never => {
      console.error(`pusher-edge: ${err instanceof Error ? err.message : err}`);
      return Deno.exit(2);
    });
    const server = createLiveServer(options, cluster);
    for (const sig of ["SIGINT", "SIGTERM"] as const) {
      Deno.addSignalListener(sig, () => {
        void server.shutdown().finally(() => Deno.exit(0));
      });
    }
    serveDeno(server, {
      hostname,
      port,
      onListen({ hostname, port }) {
        const host = hostname.includes(":") ? `[${hostname}]` : hostname;
        console.log(banner(options, `http://${host}:${port}`));
        if (cluster) console.log(cluster.describe);
      },
    });
  } catch (error) {
    const failure = startupFailure(error, hostname, port);
    if (!failure) throw error;
    console.error(failure.message);
    Deno.exit(failure.exitCode);
  }
}
