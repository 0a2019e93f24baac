/**
 * The channel bus: where the engine keeps everything that must be shared when connections live in more than one
 * process or Durable Object (subscribers, presence members, cache entries, signed-in users, webhook de-duplication),
 * and how it fans frames out to sockets it does not hold. {@linkcode createLocalBus} is the in-process default; a
 * Redis or Durable Object bus implements the same interface (methods may return promises).
 *
 * @module
 */
import type { CachedEvent, ChannelInfo, Member } from "./types.ts";

/** The `pusher_internal:watchlist_events` frame (no channel; data a JSON string). */
export function watchlistFrame(name: "online" | "offline", userIds: readonly string[]): string {
  return JSON.stringify({
    event: "pusher_internal:watchlist_events",
    data: JSON.stringify({ events: [{ name, user_ids: userIds }] }),
  });
}

/** A value or a promise of it: the local bus answers synchronously, a remote one asynchronously. */
export type Awaitable<T> = T | Promise<T>;

/** What the engine gives the bus so it can reach the sockets held by this process. */
export interface BusHost {
  /** Sends a frame to a socket of this process (ignored if it is gone). */
  deliver(socketId: string, frame: string): void;
  /** Closes a socket of this process as `terminate_connections` asks. */
  terminate(socketId: string): void;
}

/** The outcome of {@linkcode ChannelBus.join}. */
export interface JoinResult {
  /** `full` when a new presence user would exceed the member limit; nothing was registered. */
  refused?: "full";
  /** The channel had no subscriber before (cluster-wide). */
  first: boolean;
  /** Presence: this is the user's first connection in the channel. */
  userAdded: boolean;
  /** Connections now subscribed. */
  subscriptionCount: number;
}

/** The outcome of {@linkcode ChannelBus.leave}. */
export interface LeaveResult {
  /** The socket was subscribed. */
  left: boolean;
  /** The channel has no subscriber left (cluster-wide). */
  vacated: boolean;
  /** Presence: the user whose last connection in the channel this was. */
  userRemoved?: string;
  /** Connections still subscribed. */
  subscriptionCount: number;
}

/** The engine's view of shared channel state. */
export interface ChannelBus {
  /** Called once by the engine that owns this bus. */
  attach(host: BusHost): void;
  /** Subscribes a socket; presence channels pass the member and the limit of distinct users. */
  join(channel: string, socketId: string, member?: Member, maxMembers?: number): Awaitable<JoinResult>;
  /** Unsubscribes a socket. */
  leave(channel: string, socketId: string): Awaitable<LeaveResult>;
  /** Sends a frame to every subscriber of the channel except one socket. */
  broadcast(channel: string, frame: string, exceptSocketId?: string): Awaitable<void>;
  /** Presence members: one entry per user, with the user_info of its first connection. */
  members(channel: string): Awaitable<Member[]>;
  /** Occupancy and counts of one channel. */
  info(channel: string): Awaitable<ChannelInfo>;
  /** Every occupied channel whose name starts with the prefix. */
  list(prefix: string): Awaitable<[string, ChannelInfo][]>;
  /**
   * Records (or forgets, with `undefined`) the user a socket signed in as. When a user goes from 0 to 1 signed-in
   * sockets (or back), the bus sends `pusher_internal:watchlist_events` `online` (`offline`) to the sockets watching it.
   */
  setUser(socketId: string, userId: string | undefined): Awaitable<void>;
  /** Registers the ids a signed-in socket watches; returns those online now. */
  watch(socketId: string, userIds: readonly string[]): Awaitable<string[]>;
  /** Sends a frame to every socket signed in as the user. */
  toUser(userId: string, frame: string): Awaitable<void>;
  /** Closes every socket signed in as the user. */
  terminateUser(userId: string): Awaitable<void>;
  /** The cached event of a cache channel, if still fresh at `now`. */
  getCache(channel: string, now: number): Awaitable<CachedEvent | undefined>;
  /** Stores the last event of a cache channel. */
  setCache(channel: string, event: CachedEvent): Awaitable<void>;
  /** True for the first caller of `key` within `ttlMs` (cluster-wide), false for repeats: webhook de-duplication. */
  claim(key: string, ttlMs: number, now: number): Awaitable<boolean>;
}

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
