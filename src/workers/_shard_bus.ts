// The ChannelBus of one connection shard. Channel state that must be shared lives in the channel objects (counts,
// members, cache, claims) and the hub (users); this shard keeps only which of its own sockets joined which channel,
// so a fan-out from a channel object costs one call per shard, not per socket.
import type { BusHost, ChannelBus, JoinResult, LeaveResult } from "../server/bus.ts";
import type { CachedEvent, ChannelInfo, Member } from "../server/types.ts";
import { call, type Stubs } from "./_rpc.ts";

const COUNT_FRAME = '{"event":"pusher_internal:subscription_count"';

export class ShardBus implements ChannelBus {
  #host: BusHost | undefined;
  readonly #stubs: Stubs;
  readonly #shard: () => number;
  /** channel -> socket id -> the presence user id it joined as */
  readonly #local = new Map<string, Map<string, string | undefined>>();

  constructor(stubs: Stubs, shard: () => number) {
    this.#stubs = stubs;
    this.#shard = shard;
  }

  attach(host: BusHost): void {
    this.#host = host;
  }

  /** Puts back a subscription restored from a socket attachment after hibernation. */
  restore(channel: string, socketId: string, userId: string | undefined): void {
    let m = this.#local.get(channel);
    if (!m) this.#local.set(channel, m = new Map());
    m.set(socketId, userId);
  }

  /** Sends a frame to this shard's subscribers of the channel. */
  deliverLocal(channel: string, frame: string, except?: string): void {
    const m = this.#local.get(channel);
    if (!m || !this.#host) return;
    for (const sid of m.keys()) if (sid !== except) this.#host.deliver(sid, frame);
  }

  /** This shard's channels and how many of its sockets joined each. */
  localCounts(): [string, number][] {
    return [...this.#local].map(([name, m]) => [name, m.size]);
  }

  host(): BusHost | undefined {
    return this.#host;
  }

  async join(channel: string, socketId: string, member?: Member, maxMembers?: number): Promise<JoinResult> {
    const r = await call<JoinResult>(this.#stubs.channel(channel), "join", {
      channel,
      shard: this.#shard(),
      userId: member?.user_id,
      info: member?.user_info,
      max: maxMembers ?? Number.MAX_SAFE_INTEGER,
    });
    if (!r.refused) this.restore(channel, socketId, member?.user_id);
    return r;
  }

  async leave(channel: string, socketId: string): Promise<LeaveResult> {
    const m = this.#local.get(channel);
    if (!m?.has(socketId)) return { left: false, vacated: false, subscriptionCount: 0 };
    const userId = m.get(socketId);
    m.delete(socketId);
    if (m.size === 0) this.#local.delete(channel);
    return await call<LeaveResult>(this.#stubs.channel(channel), "leave", { channel, shard: this.#shard(), userId });
  }

  async broadcast(channel: string, frame: string, exceptSocketId?: string): Promise<void> {
    if (frame.startsWith(COUNT_FRAME)) {
      // Counts from two shards can cross on the way; the channel object sends its count as of now to every shard,
      // so the last count each client sees is the true one.
      return void await call(this.#stubs.channel(channel), "count", { channel });
    }
    this.deliverLocal(channel, frame, exceptSocketId);
    await call(this.#stubs.channel(channel), "broadcast", {
      channel,
      frame,
      except: exceptSocketId,
      skip: String(this.#shard()),
    });
  }

  async members(channel: string): Promise<Member[]> {
    return await call<Member[]>(this.#stubs.channel(channel), "members", { channel });
  }

  async info(channel: string): Promise<ChannelInfo> {
    return await call<ChannelInfo>(this.#stubs.channel(channel), "info", { channel });
  }

  list(prefix: string): [string, ChannelInfo][] {
    // Only this shard's view; the Worker sums the shards (see _facade.ts).
    return this.localCounts().filter(([name]) => name.startsWith(prefix)).map((
      [name, n],
    ) => [name, { occupied: n > 0, subscription_count: n }]);
  }

  async setUser(socketId: string, userId: string | undefined): Promise<void> {
    await call(this.#stubs.hub(), "setUser", { socketId, userId, shard: this.#shard() });
  }

  async watch(socketId: string, userIds: readonly string[]): Promise<string[]> {
    return await call<string[]>(this.#stubs.hub(), "watch", { socketId, userIds, shard: this.#shard() });
  }

  async toUser(userId: string, frame: string): Promise<void> {
    await call(this.#stubs.hub(), "toUser", { userId, frame });
  }

  async terminateUser(userId: string): Promise<void> {
    await call(this.#stubs.hub(), "terminateUser", { userId });
  }

  async getCache(channel: string, now: number): Promise<CachedEvent | undefined> {
    return await call<CachedEvent | null>(this.#stubs.channel(channel), "getCache", { channel, now }) ?? undefined;
  }

  async setCache(channel: string, event: CachedEvent): Promise<void> {
    await call(this.#stubs.channel(channel), "setCache", { channel, event });
  }

  async claim(key: string, ttlMs: number, now: number): Promise<boolean> {
    // The engine's claim keys are `{what}\0{channel}`: those go to the channel's object, anything else to the hub.
    const sep = key.indexOf("\0");
    const stub = sep >= 0 ? this.#stubs.channel(key.slice(sep + 1)) : this.#stubs.hub();
    return await call<boolean>(stub, "claim", { key, ttl: ttlMs, now });
  }
}
