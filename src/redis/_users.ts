// Signed-in users across processes: each process keeps the users of its own sockets (for server-to-user delivery and
// terminate, which reach the others over pub/sub) and the watchlists of its own sockets; Redis counts each user's
// signed-in sockets cluster-wide, so `online`/`offline` watchlist events fire on the 0 <-> 1 transitions of the whole
// cluster, once, and every process tells its own watchers.
import type { BusHost } from "../server/bus.ts";
import { watchlistFrame } from "../server/bus.ts";

export interface UsersRedis {
  /** Runs the USER script; returns the new count, -1 for a repeat, or throws when Redis is away. */
  change(delta: 1 | -1, userId: string, socketId: string, node?: string): Promise<number>;
  /** Counts of these users, cluster-wide. */
  counts(userIds: readonly string[]): Promise<number[]>;
  /** Entries `{socket id}\n{user id}` registered by a node. */
  registered(node: string): Promise<string[]>;
  /** Tells the other processes that a user came online or went offline. */
  announce(userId: string, name: "online" | "offline"): Promise<void>;
  /** Whether Redis answers now. */
  up(): boolean;
}

export class Users {
  readonly #userOf = new Map<string, string>();
  readonly #sockets = new Map<string, Set<string>>();
  readonly #watchers = new Map<string, Set<string>>();
  readonly #watching = new Map<string, readonly string[]>();
  host: BusHost | undefined;

  readonly redis: UsersRedis;
  readonly onError: (err: unknown) => void;

  constructor(redis: UsersRedis, onError: (err: unknown) => void) {
    this.redis = redis;
    this.onError = onError;
  }

  /** Sends a watchlist event to this process's sockets watching the user. */
  notify(userId: string, name: "online" | "offline"): void {
    const watchers = this.#watchers.get(userId);
    if (!watchers || !this.host) return;
    const frame = watchlistFrame(name, [userId]);
    for (const sid of watchers) this.host.deliver(sid, frame);
  }

  /** Applies a cluster count change: announce the 0 <-> 1 transitions here and to the others. */
  async counted(userId: string, count: number, delta: 1 | -1): Promise<void> {
    const name = delta === 1 && count === 1 ? "online" : delta === -1 && count === 0 ? "offline" : undefined;
    if (!name) return;
    this.notify(userId, name);
    await this.redis.announce(userId, name);
  }

  async #change(delta: 1 | -1, userId: string, socketId: string, localCount: number): Promise<void> {
    if (this.redis.up()) {
      try {
        return await this.counted(userId, await this.redis.change(delta, userId, socketId), delta);
      } catch (err) {
        this.onError(err);
      }
    }
    // Redis away: only this process's sockets are known.
    if ((delta === 1 && localCount === 1) || (delta === -1 && localCount === 0)) {
      this.notify(userId, delta === 1 ? "online" : "offline");
    }
  }

  async set(socketId: string, userId: string | undefined): Promise<void> {
    const previous = this.#userOf.get(socketId);
    if (previous !== undefined) {
      const sockets = this.#sockets.get(previous);
      sockets?.delete(socketId);
      this.#userOf.delete(socketId);
      if (sockets?.size === 0) this.#sockets.delete(previous);
      await this.#change(-1, previous, socketId, sockets?.size ?? 0);
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
    this.#userOf.set(socketId, userId);
    let sockets = this.#sockets.get(userId);
    if (!sockets) this.#sockets.set(userId, sockets = new Set());
    sockets.add(socketId);
    await this.#change(1, userId, socketId, sockets.size);
  }

  async watch(socketId: string, userIds: readonly string[]): Promise<string[]> {
    this.#watching.set(socketId, userIds);
    for (const id of userIds) {
      let set = this.#watchers.get(id);
      if (!set) this.#watchers.set(id, set = new Set());
      set.add(socketId);
    }
    if (this.redis.up()) {
      try {
        const counts = await this.redis.counts(userIds);
        return userIds.filter((_, i) => counts[i] > 0);
      } catch (err) {
        this.onError(err);
      }
    }
    return userIds.filter((id) => this.#sockets.has(id));
  }

  /** The sockets of this process signed in as the user. */
  socketsOf(userId: string): string[] {
    return [...(this.#sockets.get(userId) ?? [])];
  }

  /** Entries `{socket id}\n{user id}` of this process, for the resync after an outage. */
  entries(): Set<string> {
    return new Set([...this.#userOf].map(([sid, uid]) => `${sid}\n${uid}`));
  }
}
