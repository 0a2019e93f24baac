/**
 * `PusherChannel`: one Durable Object per channel name. It counts subscribers per connection shard (not per socket,
 * so its state is O(shards + presence users)), keeps presence members, the cache channel's last event and the
 * channel's claims, and fans every event out to the shards that hold subscribers. It holds no sockets, so it may be
 * evicted when idle: counts, members and the cache live in its storage.
 *
 * @module
 */
import { call, Stubs } from "./_rpc.ts";
import { frame } from "../server/_frames.ts";
import { serve } from "./_rpc.ts";
import type { DurableObjectState, WorkerEnv } from "./_types.ts";
import type { CachedEvent, ChannelInfo, JoinResult, LeaveResult, Member } from "../server/mod.ts";

interface User {
  info?: unknown;
  /** connections of this user in the channel, over all shards */
  n: number;
}

/** The channel object; see the module documentation. */
export class PusherChannel {
  readonly #state: DurableObjectState;
  readonly #stubs: Stubs;
  #shards: Record<string, number> = {};
  readonly #users = new Map<string, User>();
  #cache: CachedEvent | undefined;
  readonly #claims = new Map<string, number>();

  /** Called by the runtime. */
  constructor(state: DurableObjectState, env: WorkerEnv) {
    this.#state = state;
    this.#stubs = new Stubs(env);
    void state.blockConcurrencyWhile(async () => {
      for (const [key, value] of await state.storage.list<unknown>()) {
        if (key === "n") this.#shards = value as Record<string, number>;
        else if (key === "c") this.#cache = value as CachedEvent;
        else if (key.startsWith("u:")) this.#users.set(key.slice(2), value as User);
      }
    });
  }

  #total(): number {
    let n = 0;
    for (const v of Object.values(this.#shards)) n += v;
    return n;
  }

  #info(channel: string): ChannelInfo {
    const n = this.#total();
    const out: ChannelInfo = { occupied: n > 0, subscription_count: n };
    if (channel.startsWith("presence-")) out.user_count = this.#users.size;
    return out;
  }

  #join(b: Record<string, unknown>): JoinResult {
    const shard = String(b.shard);
    const userId = b.userId as string | undefined;
    const before = this.#total();
    let user = userId === undefined ? undefined : this.#users.get(userId);
    if (userId !== undefined && !user && this.#users.size >= (b.max as number)) {
      return { refused: "full", first: false, userAdded: false, subscriptionCount: before };
    }
    this.#shards[shard] = (this.#shards[shard] ?? 0) + 1;
    const writes: Record<string, unknown> = { n: this.#shards };
    let userAdded = false;
    if (userId !== undefined) {
      if (!user) {
        user = { n: 0, ...(b.info !== undefined ? { info: b.info } : {}) };
        this.#users.set(userId, user);
        userAdded = true;
      }
      user.n++;
      writes[`u:${userId}`] = user;
    }
    void this.#state.storage.put(writes);
    return { first: before === 0, userAdded, subscriptionCount: before + 1 };
  }

  #leave(b: Record<string, unknown>): LeaveResult {
    const shard = String(b.shard);
    const userId = b.userId as string | undefined;
    if (!this.#shards[shard]) return { left: false, vacated: false, subscriptionCount: this.#total() };
    if (--this.#shards[shard] === 0) delete this.#shards[shard];
    void this.#state.storage.put("n", this.#shards);
    let userRemoved: string | undefined;
    const user = userId === undefined ? undefined : this.#users.get(userId);
    if (user && --user.n <= 0) {
      this.#users.delete(userId!);
      void this.#state.storage.delete(`u:${userId}`);
      userRemoved = userId;
    } else if (user) void this.#state.storage.put(`u:${userId}`, user);
    const n = this.#total();
    return { left: true, vacated: n === 0, userRemoved, subscriptionCount: n };
  }

  /** Sends the frame to every shard with subscribers but `skip` (the sender's shard delivered locally already). */
  async #broadcast(channel: string, frame: string, except?: string, skip?: string): Promise<void> {
    const targets = Object.keys(this.#shards).filter((s) => s !== skip);
    await Promise.all(
      targets.map((s) =>
        call(this.#stubs.shard(Number(s)), "deliver", { channel, frame, except }).catch(() => {
          /* a shard that failed is retried by nobody: its clients miss this event, as on a dropped socket */
        })
      ),
    );
  }

  /** Called by the runtime. */
  fetch(request: Request): Promise<Response> {
    return serve(request, {
      join: (b) => this.#join(b),
      leave: (b) => this.#leave(b),
      broadcast: (b) => this.#broadcast(b.channel as string, b.frame as string, b.except as string, b.skip as string),
      publish: async (b) => {
        if (b.cache) this.#setCache(b.cache as CachedEvent);
        await this.#broadcast(b.channel as string, b.frame as string, b.except as string);
      },
      count: async (b) => {
        const n = this.#total();
        if (n === 0) return;
        const channel = b.channel as string;
        await this.#broadcast(channel, frame("pusher_internal:subscription_count", { subscription_count: n }, channel));
      },
      members: (): Member[] =>
        [...this.#users].map(([user_id, u]) => u.info === undefined ? { user_id } : { user_id, user_info: u.info }),
      info: (b) => this.#info(b.channel as string),
      getCache: (b) => {
        if (this.#cache && this.#cache.expiresAt <= (b.now as number)) {
          this.#cache = undefined;
          void this.#state.storage.delete("c");
        }
        return this.#cache ?? null;
      },
      setCache: (b) => this.#setCache(b.event as CachedEvent),
      claim: (b) => {
        const now = b.now as number;
        const until = this.#claims.get(b.key as string);
        if (until !== undefined && until > now) return false;
        this.#claims.set(b.key as string, now + (b.ttl as number));
        if (this.#claims.size > 100) { for (const [k, t] of this.#claims) if (t <= now) this.#claims.delete(k); }
        return true;
      },
    });
  }

  #setCache(event: CachedEvent): void {
    this.#cache = event;
    void this.#state.storage.put("c", event);
  }
}
