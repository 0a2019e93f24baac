// The Engine the Worker's Hono app (REST emulator, debug page) talks to: each operation goes to the object that owns
// the answer, so a REST trigger costs one call to the channel's object plus one per shard holding subscribers.
import type { Engine } from "../server/engine.ts";
import { channelEvent } from "../server/_frames.ts";
import type { CachedEvent, ChannelInfo, ConnectionSnapshot, Member } from "../server/types.ts";
import { call, shardCount, Stubs } from "./_rpc.ts";
import type { WorkerEnv } from "./_types.ts";

const USER_CHANNEL = "#server-to-user-";
const CACHE_CHANNEL = /^(private-encrypted-|private-|presence-)?cache-/;
const CACHE_TTL_MS = 1800 * 1000;

function notHere(): never {
  throw new TypeError("the Workers deployment accepts WebSockets in its connection shards, not in the Worker");
}

export function durableEngine(env: WorkerEnv, appId: string, key: string): Engine {
  let lastConnections: ConnectionSnapshot[] = [];
  return {
    appId,
    key,
    connect: notHere,
    message: () => Promise.resolve(),
    disconnect: () => Promise.resolve(),
    tick() {},
    nextDeadline: () => undefined,
    async publish({ channels, name, data, socketId }) {
      await Promise.all(channels.map((channel) => {
        const frame = channelEvent(channel, name, data);
        if (channel.startsWith(USER_CHANNEL)) {
          return call(new Stubs(env).hub(), "toUser", { userId: channel.slice(USER_CHANNEL.length), frame });
        }
        const cache: CachedEvent | undefined = CACHE_CHANNEL.test(channel)
          ? { event: name, data, expiresAt: Date.now() + CACHE_TTL_MS }
          : undefined;
        return call(new Stubs(env).channel(channel), "publish", { channel, frame, except: socketId, cache });
      }));
    },
    channelInfo: (channel) => call<ChannelInfo>(new Stubs(env).channel(channel), "info", { channel }),
    async channels(prefix = "") {
      const stubs = new Stubs(env);
      const states = await Promise.all(
        Array.from(
          { length: shardCount(env) },
          (_, i) =>
            call<{ channels: [string, number][]; connections: ConnectionSnapshot[] }>(stubs.shard(i), "state", {})
              .catch(() => ({ channels: [], connections: [] })),
        ),
      );
      lastConnections = states.flatMap((s) => s.connections);
      const counts = new Map<string, number>();
      for (const s of states) {
        for (const [name, n] of s.channels) if (name.startsWith(prefix)) counts.set(name, (counts.get(name) ?? 0) + n);
      }
      const out: [string, ChannelInfo][] = [];
      for (const [name, n] of counts) {
        const info: ChannelInfo = { occupied: n > 0, subscription_count: n };
        if (name.startsWith("presence-")) info.user_count = (await this.channelInfo(name)).user_count ?? 0;
        out.push([name, info]);
      }
      return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    },
    async users(channel) {
      return (await call<Member[]>(new Stubs(env).channel(channel), "members", { channel })).map((m) => m.user_id);
    },
    async cached(channel) {
      return await call<CachedEvent | null>(new Stubs(env).channel(channel), "getCache", {
        channel,
        now: Date.now(),
      }) ??
        undefined;
    },
    async terminateUser(userId) {
      await call(new Stubs(env).hub(), "terminateUser", { userId });
    },
    // The Worker answers POST /emulator/connections/{id}/close itself (it must ask every shard, asynchronously).
    closeSocket: () => false,
    closeAll() {},
    // Synchronous in the Engine interface: the shards' connections as of the last channels() call.
    connections: () => lastConnections,
    snapshot: () => undefined,
    resume: notHere,
  };
}
