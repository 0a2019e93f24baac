/**
 * The in-process {@linkcode ChannelBus}: what one process uses by default, and what the Redis bus keeps for the sockets
 * it holds itself.
 *
 * @module
 */
import { type BusHost, type ChannelBus, type JoinResult, type LeaveResult, watchlistFrame } from "./bus.ts";
import type { CachedEvent, ChannelInfo, Member } from "./types.ts";

// UTF-16 lengths: a cheap, conservative stand-in for bytes held.
const MAX_CACHE_BYTES = 16 * 1024 * 1024;
function cacheCost(channel: string, e: CachedEvent): number {
  return 2 * (channel.length + e.event.length + e.data.length) + 64;
}

interface LocalChannel {
  sockets: Set<string>;
  // presence: user id -> the sockets of that user in this channel, and the info of its first one
  users: Map<string, { sockets: Set<string>; info: unknown }>;
  userOf: Map<string, string>;
}

/** The in-process bus: plain maps, bounded by the connections that fill them. */
class LocalBus implements ChannelBus {
  #host: BusHost | undefined;
  readonly #channels = new Map<string, LocalChannel>();
  readonly #users = new Map<string, Set<string>>();
  readonly #userOfSocket = new Map<string, string>();
  readonly #watchers = new Map<string, Set<string>>();
  readonly #watching = new Map<string, readonly string[]>();
  readonly #cache = new Map<string, CachedEvent>();
  #cacheBytes = 0;
  readonly #claims = new Map<string, number>();
  readonly #holds = new Map<string, number>();

  attach(host: BusHost): void {
    this.#host = host;
  }

  join(channel: string, socketId: string, member?: Member, maxMembers = Infinity): JoinResult {
    let ch = this.#channels.get(channel);
    const first = !ch || ch.sockets.size === 0;
    if (member && ch && !ch.users.has(member.user_id) && ch.users.size >= maxMembers) {
      return { refused: "full", first: false, userAdded: false, subscriptionCount: ch.sockets.size };
    }
    if (!ch) this.#channels.set(channel, ch = { sockets: new Set(), users: new Map(), userOf: new Map() });
    ch.sockets.add(socketId);
    let userAdded = false;
    if (member) {
      let user = ch.users.get(member.user_id);
      if (!user) {
        ch.users.set(member.user_id, user = { sockets: new Set(), info: member.user_info });
        userAdded = true;
      }
      user.sockets.add(socketId);
      ch.userOf.set(socketId, member.user_id);
    }
    return { first, userAdded, subscriptionCount: ch.sockets.size };
  }

  leave(channel: string, socketId: string): LeaveResult {
    const ch = this.#channels.get(channel);
    if (!ch || !ch.sockets.delete(socketId)) {
      return { left: false, vacated: false, subscriptionCount: ch?.sockets.size ?? 0 };
    }
    let userRemoved: string | undefined;
    const userId = ch.userOf.get(socketId);
    if (userId !== undefined) {
      ch.userOf.delete(socketId);
      const user = ch.users.get(userId);
      user?.sockets.delete(socketId);
      if (user && user.sockets.size === 0) {
        ch.users.delete(userId);
        userRemoved = userId;
      }
    }
    const vacated = ch.sockets.size === 0;
    if (vacated) this.#channels.delete(channel);
    return { left: true, vacated, userRemoved, subscriptionCount: ch.sockets.size };
  }

  broadcast(channel: string, frame: string, exceptSocketId?: string): void {
    const ch = this.#channels.get(channel);
    if (!ch || !this.#host) return;
    for (const sid of ch.sockets) if (sid !== exceptSocketId) this.#host.deliver(sid, frame);
  }

  members(channel: string): Member[] {
    const ch = this.#channels.get(channel);
    if (!ch) return [];
    return [...ch.users].map(([user_id, u]) => ({ user_id, user_info: u.info }));
  }

  info(channel: string): ChannelInfo {
    const ch = this.#channels.get(channel);
    const n = ch?.sockets.size ?? 0;
    const out: ChannelInfo = { occupied: n > 0, subscription_count: n };
    if (channel.startsWith("presence-")) out.user_count = ch?.users.size ?? 0;
    return out;
  }

  list(prefix: string): [string, ChannelInfo][] {
    const out: [string, ChannelInfo][] = [];
    for (const name of this.#channels.keys()) if (name.startsWith(prefix)) out.push([name, this.info(name)]);
    return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  setUser(socketId: string, userId: string | undefined): void {
    const previous = this.#userOfSocket.get(socketId);
    if (previous !== undefined) {
      const sockets = this.#users.get(previous);
      sockets?.delete(socketId);
      this.#userOfSocket.delete(socketId);
      if (sockets?.size === 0) {
        this.#users.delete(previous);
        this.#notify(previous, "offline");
      }
    }
    if (userId === undefined) {
      for (const id of this.#watching.get(socketId) ?? []) {
        const set = this.#watchers.get(id);
        set?.delete(socketId);
        if (set?.size === 0) this.#watchers.delete(id);
      }
      this.#watching.delete(socketId);
      return;
    }
    this.#userOfSocket.set(socketId, userId);
    let sockets = this.#users.get(userId);
    if (!sockets) this.#users.set(userId, sockets = new Set());
    sockets.add(socketId);
    if (sockets.size === 1) this.#notify(userId, "online");
  }

  #notify(userId: string, name: "online" | "offline"): void {
    const watchers = this.#watchers.get(userId);
    if (!watchers || !this.#host) return;
    const frame = watchlistFrame(name, [userId]);
    for (const sid of watchers) this.#host.deliver(sid, frame);
  }

  watch(socketId: string, userIds: readonly string[]): string[] {
    this.#watching.set(socketId, userIds);
    for (const id of userIds) {
      let set = this.#watchers.get(id);
      if (!set) this.#watchers.set(id, set = new Set());
      set.add(socketId);
    }
    return userIds.filter((id) => this.#users.has(id));
  }

  toUser(userId: string, frame: string): void {
    for (const sid of this.#users.get(userId) ?? []) this.#host?.deliver(sid, frame);
  }

  terminateUser(userId: string): void {
    for (const sid of [...(this.#users.get(userId) ?? [])]) this.#host?.terminate(sid);
  }

  getCache(channel: string, now: number): CachedEvent | undefined {
    const hit = this.#cache.get(channel);
    if (hit && hit.expiresAt <= now) {
      this.#dropCache(channel);
      return undefined;
    }
    return hit;
  }

  setCache(channel: string, event: CachedEvent): void {
    this.#dropCache(channel);
    this.#cache.set(channel, event);
    this.#cacheBytes += cacheCost(channel, event);
    // Triggers to many unoccupied cache channels must not grow memory without limit: oldest entries go first.
    while (this.#cacheBytes > MAX_CACHE_BYTES || this.#cache.size > 10_000) {
      this.#dropCache(this.#cache.keys().next().value!);
    }
  }

  #dropCache(channel: string): void {
    const old = this.#cache.get(channel);
    if (!old) return;
    this.#cache.delete(channel);
    this.#cacheBytes -= cacheCost(channel, old);
  }

  claim(key: string, ttlMs: number, now: number): boolean {
    const until = this.#claims.get(key);
    if (until !== undefined && until > now) return false;
    this.#claims.set(key, now + ttlMs);
    if (this.#claims.size > 10_000) {
      for (const [k, t] of this.#claims) if (t <= now) this.#claims.delete(k);
    }
    return true;
  }

  hold(key: string, ttlMs: number, now: number): void {
    this.#holds.set(key, now + ttlMs);
    if (this.#holds.size > 10_000) {
      for (const [k, t] of this.#holds) if (t <= now) this.#holds.delete(k);
    }
  }

  release(key: string, now: number): boolean {
    const until = this.#holds.get(key);
    this.#holds.delete(key);
    return until !== undefined && until > now;
  }
}

/**
 * Creates the in-process channel bus, the engine's default: every connection of the app lives in this process.
 *
 * @returns a bus for one engine
 *
 * @example
 * ```ts
 * import { createLocalBus } from "@pusher-edge/pusher-edge/server";
 *
 * const bus = createLocalBus();
 * bus.attach({ deliver() {}, terminate() {} });
 * const joined = await bus.join("presence-room", "1.1", { user_id: "u1" });
 * if (!joined.first || !joined.userAdded) throw new Error("expected a first subscriber");
 * ```
 */
export function createLocalBus(): ChannelBus {
  return new LocalBus();
}
