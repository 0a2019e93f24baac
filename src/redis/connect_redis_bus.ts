import { Redis } from "ioredis";
import type { ChannelBus } from "../server/bus.ts";
import { type Cmd, RedisChannelBus } from "./_bus.ts";
import { JOIN, LEAVE, USER } from "./_scripts.ts";

/** What {@linkcode connectRedisBus} takes. */
export interface RedisBusOptions {
  /** `redis://[user:password@]host:port[/db]` (`REDIS_URL`). */
  url: string;
  /** Prefix of every key and of the pub/sub channel; one per app. `pusher-edge:` by default. */
  prefix?: string;
  /** How long a process's lease lives without a heartbeat before the others remove its sockets; 5 000 ms. */
  leaseMs?: number;
  /** How long the first connection may take; 3 000 ms. */
  connectTimeoutMs?: number;
}

/** What `/health` reports about the bus. */
export interface RedisBusStatus {
  /** `connected`, or `degraded` while Redis is unreachable (the process serves its own sockets only). */
  redis: "connected" | "degraded";
  /** This process's node id. */
  node: string;
  /** When the current state began (ms). */
  since: number;
}

/** A {@linkcode ChannelBus} shared through Redis, with a status for `/health` and a graceful close. */
export interface RedisBus extends ChannelBus {
  /** This process's node id (random per start). */
  readonly node: string;
  /** Connected or degraded. */
  status(): RedisBusStatus;
  /** Removes this process's sockets from the shared state, drops its lease and closes both connections. */
  close(): Promise<void>;
}

/** Redacts the password of a Redis URL for messages. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparsable REDIS_URL)";
  }
}

/**
 * Connects a channel bus shared through Redis, so several server processes (on one machine or many) act as one
 * Pusher server: frames fan out over one pub/sub channel, subscribers, presence members, cache entries and webhook
 * marks live in Redis hashes changed by Lua scripts, and each process keeps a lease that the others use to remove its
 * sockets (with `member_removed` and `channel_vacated`) when it dies. While Redis is unreachable the process keeps
 * serving its own sockets and reports `degraded`; when Redis returns it re-registers them. See `docs/scaling.md`.
 *
 * @param options the Redis URL, key prefix and lease
 * @returns the bus, connected and subscribed; pass it to `createEngine({ bus })`
 * @throws {Error} with a one-line message when Redis cannot be reached within `connectTimeoutMs`
 * @throws {TypeError} on a bad URL or lease
 *
 * @example An unreachable Redis is a clear error, not a hang
 * ```ts
 * import { connectRedisBus } from "@pusher-edge/pusher-edge/redis";
 *
 * const failed = await connectRedisBus({ url: "redis://127.0.0.1:1", connectTimeoutMs: 500 }).catch((e) => e);
 * if (!(failed instanceof Error) || !failed.message.includes("unreachable")) throw new Error("expected an error");
 * ```
 */
export async function connectRedisBus(options: RedisBusOptions): Promise<RedisBus> {
  if (typeof options?.url !== "string" || !/^rediss?:\/\//.test(options.url)) {
    throw new TypeError("connectRedisBus: url must be redis://host:port (or rediss://)");
  }
  const leaseMs = options.leaseMs ?? 5000;
  if (!Number.isSafeInteger(leaseMs) || leaseMs < 300) throw new TypeError("connectRedisBus: leaseMs must be >= 300");
  const common = {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 3000,
    // Reconnect for ever, at most a second apart; while disconnected, commands fail at once (the bus answers locally).
    retryStrategy: (times: number) => Math.min(100 * times, 1000),
    maxRetriesPerRequest: 1,
  };
  const cmd = new Redis(options.url, { ...common, enableOfflineQueue: false }) as Cmd;
  const sub = new Redis(options.url, common);
  let lastError: string | undefined;
  for (const c of [cmd, sub]) c.on("error", (e: Error) => (lastError = (e as { code?: string }).code ?? e.message));
  cmd.defineCommand("peJoin", { numberOfKeys: 5, lua: JOIN });
  cmd.defineCommand("peLeave", { numberOfKeys: 5, lua: LEAVE });
  cmd.defineCommand("peUser", { numberOfKeys: 2, lua: USER });
  try {
    await cmd.connect();
    await sub.connect();
  } catch (err) {
    cmd.disconnect();
    sub.disconnect();
    const why = lastError ?? (err instanceof Error ? err.message : String(err));
    throw new Error(`Redis at ${safeUrl(options.url)} is unreachable (${why})`);
  }
  const bus = new RedisChannelBus(cmd, sub, options.prefix ?? "pusher-edge:", leaseMs);
  await bus.start();
  return bus;
}
