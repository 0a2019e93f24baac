/**
 * A Redis {@linkcode ChannelBus} for the protocol 7 server, so several processes behind a load balancer act as one
 * Pusher server (as soketi and Reverb do on Redis). It uses the `ioredis` npm client, which is not a Web API, so it
 * lives in its own subpath: nothing in `.`, `./server` or `./hono` imports it; the runtime entry points load it when
 * `REDIS_URL` is set. Design, limits and failure behaviour: `docs/scaling.md`.
 *
 * @example
 * ```ts
 * import { connectRedisBus } from "@pusher-edge/pusher-edge/redis";
 *
 * const err = await connectRedisBus({ url: "redis://127.0.0.1:1", connectTimeoutMs: 300 }).catch((e) => e);
 * if (!(err instanceof Error)) throw new Error("nothing listens on port 1");
 * ```
 *
 * @module
 */
import type { ChannelBus } from "../server/bus.ts";
export type { ChannelBus };
export { connectRedisBus, type RedisBus, type RedisBusOptions, type RedisBusStatus } from "./connect_redis_bus.ts";
