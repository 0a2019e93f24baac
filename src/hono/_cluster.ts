// REDIS_URL for the runtime entry points: connects the Redis channel bus (loaded only then, so the ioredis client
// stays out of every module graph that does not ask for it) and shapes it for createLiveServer.
import type { LiveCluster } from "./live_server.ts";
import type { AppOptions } from "./config.ts";
import { DEMO_CREDENTIALS } from "./config.ts";

/** A cluster made from the environment, with a line for the start-up banner. */
export type EnvCluster = LiveCluster & { describe: string };

/** The cluster from `REDIS_URL` (and `PUSHER_REDIS_LEASE_MS`), or undefined when it is not set. Rejects on failure. */
export async function clusterFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  options: AppOptions,
): Promise<EnvCluster | undefined> {
  const url = env.REDIS_URL;
  if (!url) return undefined;
  const leaseMs = env.PUSHER_REDIS_LEASE_MS ? Number(env.PUSHER_REDIS_LEASE_MS) : undefined;
  const { connectRedisBus } = await import("../redis/mod.ts");
  const appId = options.credentials?.appId ?? DEMO_CREDENTIALS.appId;
  const bus = await connectRedisBus({ url, prefix: `pusher-edge:${appId}:`, leaseMs });
  return {
    bus,
    health() {
      const s = bus.status();
      return { ok: s.redis === "connected", redis: s.redis, node: s.node, since: s.since };
    },
    close: () => bus.close(),
    describe: `cluster: Redis channel bus, node ${bus.node}`,
  };
}
