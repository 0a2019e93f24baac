// `deno task start:workers`: the Workers deployment (src/workers/mod.ts) inside workerd through Miniflare, with its
// Durable Objects (connection shards, channel objects, hub) on one port: the same emulator as `deno task start`.
// Reads PORT (8787), HOST (127.0.0.1), PUSHER_SHARDS (2 here) and every other PUSHER_* variable from the environment;
// with no credentials it sets PUSHER_EMULATOR=1 for the local run (a bare deploy answers 503 instead).
import { Miniflare } from "miniflare";
import { appOptionsFromEnv } from "../src/hono/config.ts";
import { banner } from "../src/hono/_banner.ts";

const ROOT = new URL("../", import.meta.url).pathname;

/** Bundles the Worker for workerd (one ES module, npm packages included). */
export async function bundleWorker(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "pusher-edge-workers-" });
  const out = `${dir}/worker.mjs`;
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--quiet", "--platform=browser", "--format=esm", "-o", out, `${ROOT}src/workers/mod.ts`],
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (code !== 0) throw new Error(`bundling src/workers/mod.ts failed: ${new TextDecoder().decode(stderr)}`);
  const script = await Deno.readTextFile(out);
  await Deno.remove(dir, { recursive: true });
  return script;
}

export interface WorkersServer {
  /** The origin, e.g. `http://127.0.0.1:8787`. */
  url: string;
  port: number;
  /** Stops workerd. */
  dispose(): Promise<void>;
}

/** Starts the Worker and its objects in workerd; `env` are the Worker's vars (strings). */
export async function startWorkers(
  env: Record<string, string>,
  options: { host?: string; port?: number; script?: string } = {},
): Promise<WorkersServer> {
  const bindings: Record<string, string> = { PUSHER_SHARDS: "2", ...env };
  if (appOptionsFromEnv(bindings).credentials === undefined && bindings.PUSHER_EMULATOR === undefined) {
    bindings.PUSHER_EMULATOR = "1";
  }
  const mf = new Miniflare({
    modules: [{ type: "ESModule", path: "worker.mjs", contents: options.script ?? await bundleWorker() }],
    compatibilityDate: "2026-04-01",
    cf: false,
    logRequests: false,
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
    bindings,
    durableObjects: {
      PUSHER_SHARDS_NS: { className: "PusherShard", useSQLite: true },
      PUSHER_CHANNELS_NS: { className: "PusherChannel", useSQLite: true },
      PUSHER_HUB_NS: { className: "PusherHub", useSQLite: true },
    },
  });
  const ready = await mf.ready;
  const port = Number(ready.port);
  return { url: `http://${ready.hostname}:${port}`, port, dispose: () => mf.dispose() };
}

if (import.meta.main) {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(Deno.env.toObject())) if (k.startsWith("PUSHER_")) env[k] = v;
  const host = Deno.env.get("HOST") || "127.0.0.1";
  const server = await startWorkers(env, { host, port: Number(Deno.env.get("PORT") || 8787) });
  const options = appOptionsFromEnv({ PUSHER_EMULATOR: "1", ...env });
  console.log(banner(options, `http://${host.includes(":") ? `[${host}]` : host}:${server.port}`));
  console.log(`  workerd (Miniflare), ${env.PUSHER_SHARDS ?? 2} connection shards: Durable Objects with hibernation`);
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(sig, () => void server.dispose().finally(() => Deno.exit(0)));
  }
}
