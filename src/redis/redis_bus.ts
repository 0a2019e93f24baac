import { Redis } from "ioredis";
import { type BusHost, type ChannelBus, createLocalBus, type JoinResult, type LeaveResult } from "../server/bus.ts";
import type { CachedEvent, ChannelInfo, Member } from "../server/types.ts";
import { JOIN, LEAVE, USER } from "./_scripts.ts";
import { Users } from "./_users.ts";

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

type Cmd = Redis & {
  peJoin(...args: (string | number)[]): Promise<[number, number, number, number]>;
  peLeave(...args: string[]): Promise<[number, number, string, number]>;
  peUser(...args: string[]): Promise<number>;
};

const MAX_LISTED = 10_000;

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

class RedisChannelBus implements RedisBus {
  readonly node: string = crypto.randomUUID().slice(0, 13);
  readonly #cmd: Cmd;
  readonly #sub: Redis;
  readonly #p: string;
  readonly #leaseMs: number;
  // This process's own sockets: delivery, answers while Redis is away, and the resync when it is back.
  readonly #local = createLocalBus();
  readonly #own = new Map<string, Member | null>();
  /** Delayed-webhook marks made by this process: true when made while Redis was away. */
  readonly #holds = new Map<string, boolean>();
  readonly #users: Users;
  #host: BusHost | undefined;
  #up = true;
  #since = Date.now();
  #timer: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(cmd: Cmd, sub: Redis, prefix: string, leaseMs: number) {
    this.#cmd = cmd;
    this.#sub = sub;
    this.#p = prefix;
    this.#leaseMs = leaseMs;
    cmd.on("close", () => this.#down());
    cmd.on("ready", () => void this.#recover());
    sub.on("message", (_channel: string, message: string) => this.#onMessage(message));
    const p = prefix;
    this.#users = new Users({
      change: (delta, userId, socketId, node = this.node) =>
        cmd.peUser(`${p}users`, `${p}nu:${node}`, String(delta), userId, socketId),
      counts: async (ids) => ids.length === 0 ? [] : (await cmd.hmget(`${p}users`, ...ids)).map(Number),
      registered: (node) => cmd.smembers(`${p}nu:${node}`),
      announce: (userId, name) => this.#publish(["w", this.node, userId, name]),
      up: () => this.#up,
    }, (err) => this.#failed(err));
  }

  async start(): Promise<void> {
    await this.#sub.subscribe(`${this.#p}bus`);
    await this.#beat();
    this.#timer = setInterval(() => void this.#beat(), Math.max(100, Math.floor(this.#leaseMs / 3)));
    (this.#timer as { unref?: () => void }).unref?.();
  }

  attach(host: BusHost): void {
    this.#host = host;
    this.#local.attach(host);
    this.#users.host = host;
  }

  status(): RedisBusStatus {
    return { redis: this.#up ? "connected" : "degraded", node: this.node, since: this.#since };
  }

  #keys(channel: string, node = this.node): string[] {
    const p = this.#p;
    return [`${p}s:${channel}`, `${p}u:${channel}`, `${p}i:${channel}`, `${p}chans`, `${p}ns:${node}`];
  }

  #down(): void {
    if (!this.#up) return;
    this.#up = false;
    this.#since = Date.now();
  }

  // A failed command only means an outage when the connection is gone; anything else is reported as is.
  #failed(err: unknown): void {
    if (this.#cmd.status !== "ready") this.#down();
    else console.error("pusher-edge redis bus:", err instanceof Error ? err.message : String(err));
  }

  async #publish(header: unknown[], frame = ""): Promise<void> {
    if (!this.#up) return;
    try {
      await this.#cmd.publish(`${this.#p}bus`, `${JSON.stringify(header)}\n${frame}`);
    } catch (err) {
      this.#failed(err);
    }
  }

  #onMessage(message: string): void {
    const nl = message.indexOf("\n");
    let header: unknown;
    try {
      header = JSON.parse(message.slice(0, nl));
    } catch {
      return;
    }
    if (!Array.isArray(header) || header[1] === this.node) return;
    const frame = message.slice(nl + 1);
    const [kind, , target, except] = header as string[];
    if (kind === "b") this.#local.broadcast(target, frame, except || undefined);
    else if (kind === "u") { for (const sid of this.#users.socketsOf(target)) this.#host?.deliver(sid, frame); }
    else if (kind === "t") { for (const sid of this.#users.socketsOf(target)) this.#host?.terminate(sid); }
    else if (kind === "w" && (except === "online" || except === "offline")) this.#users.notify(target, except);
  }

  async #runJoin(channel: string, socketId: string, member: Member | undefined, max: number) {
    const info = member?.user_info === undefined ? "" : JSON.stringify(member.user_info);
    const limit = Number.isFinite(max) ? max : Number.MAX_SAFE_INTEGER;
    return await this.#cmd.peJoin(
      ...this.#keys(channel),
      socketId,
      this.node,
      member?.user_id ?? "",
      info,
      limit,
      channel,
    );
  }

  async #runLeave(channel: string, socketId: string, node = this.node): Promise<LeaveResult> {
    const [left, vacated, removed, count] = await this.#cmd.peLeave(...this.#keys(channel, node), socketId, channel);
    return { left: left === 1, vacated: vacated === 1, userRemoved: removed || undefined, subscriptionCount: count };
  }

  async join(channel: string, socketId: string, member?: Member, maxMembers = Infinity): Promise<JoinResult> {
    if (this.#up) {
      try {
        const [first, added, count] = await this.#runJoin(channel, socketId, member, maxMembers);
        if (first === -1) return { refused: "full", first: false, userAdded: false, subscriptionCount: count };
        this.#local.join(channel, socketId, member);
        this.#own.set(`${channel}\n${socketId}`, member ?? null);
        return { first: first === 1, userAdded: added === 1, subscriptionCount: count };
      } catch (err) {
        this.#failed(err);
      }
    }
    const local = this.#local.join(channel, socketId, member, maxMembers) as JoinResult;
    if (!local.refused) this.#own.set(`${channel}\n${socketId}`, member ?? null);
    return local;
  }

  async leave(channel: string, socketId: string): Promise<LeaveResult> {
    this.#own.delete(`${channel}\n${socketId}`);
    const local = this.#local.leave(channel, socketId) as LeaveResult;
    if (!this.#up) return local;
    try {
      return await this.#runLeave(channel, socketId);
    } catch (err) {
      this.#failed(err);
      return local;
    }
  }

  async broadcast(channel: string, frame: string, exceptSocketId?: string): Promise<void> {
    this.#local.broadcast(channel, frame, exceptSocketId);
    await this.#publish(["b", this.node, channel, exceptSocketId ?? ""], frame);
  }

  async members(channel: string): Promise<Member[]> {
    if (this.#up) {
      try {
        const all = await this.#cmd.hgetall(`${this.#p}i:${channel}`);
        return Object.entries(all).map((
          [user_id, info],
        ) => (info === "" ? { user_id } : { user_id, user_info: JSON.parse(info) }));
      } catch (err) {
        this.#failed(err);
      }
    }
    return this.#local.members(channel) as Member[];
  }

  async #infos(channels: string[]): Promise<ChannelInfo[]> {
    const pipe = this.#cmd.pipeline();
    for (const ch of channels) pipe.hlen(`${this.#p}s:${ch}`).hlen(`${this.#p}u:${ch}`);
    const res = (await pipe.exec()) ?? [];
    return channels.map((ch, i) => {
      const [e1, n] = res[2 * i] ?? [];
      const [e2, users] = res[2 * i + 1] ?? [];
      if (e1 || e2) throw e1 ?? e2;
      const out: ChannelInfo = { occupied: Number(n) > 0, subscription_count: Number(n) };
      if (ch.startsWith("presence-")) out.user_count = Number(users);
      return out;
    });
  }

  async info(channel: string): Promise<ChannelInfo> {
    if (this.#up) {
      try {
        return (await this.#infos([channel]))[0];
      } catch (err) {
        this.#failed(err);
      }
    }
    return this.#local.info(channel) as ChannelInfo;
  }

  async list(prefix: string): Promise<[string, ChannelInfo][]> {
    if (this.#up) {
      try {
        // Channel names are ASCII, so every name with the prefix sorts between `prefix` and `prefix` + DEL.
        const [lo, hi] = prefix === "" ? ["-", "+"] : [`[${prefix}`, `[${prefix}\x7f`];
        const names = await this.#cmd.zrangebylex(`${this.#p}chans`, lo, hi, "LIMIT", 0, MAX_LISTED);
        const infos = await this.#infos(names);
        return names.map((n, i) => [n, infos[i]] as [string, ChannelInfo]).filter(([, i]) => i.occupied);
      } catch (err) {
        this.#failed(err);
      }
    }
    return this.#local.list(prefix) as [string, ChannelInfo][];
  }

  async setUser(socketId: string, userId: string | undefined): Promise<void> {
    await this.#users.set(socketId, userId);
  }

  async watch(socketId: string, userIds: readonly string[]): Promise<string[]> {
    return await this.#users.watch(socketId, userIds);
  }

  async toUser(userId: string, frame: string): Promise<void> {
    for (const sid of this.#users.socketsOf(userId)) this.#host?.deliver(sid, frame);
    await this.#publish(["u", this.node, userId], frame);
  }

  async terminateUser(userId: string): Promise<void> {
    for (const sid of this.#users.socketsOf(userId)) this.#host?.terminate(sid);
    await this.#publish(["t", this.node, userId]);
  }

  async getCache(channel: string, now: number): Promise<CachedEvent | undefined> {
    if (this.#up) {
      try {
        const raw = await this.#cmd.get(`${this.#p}cache:${channel}`);
        const hit = raw ? JSON.parse(raw) as CachedEvent : undefined;
        return hit && hit.expiresAt > now ? hit : undefined;
      } catch (err) {
        this.#failed(err);
      }
    }
    return this.#local.getCache(channel, now) as CachedEvent | undefined;
  }

  async setCache(channel: string, event: CachedEvent): Promise<void> {
    this.#local.setCache(channel, event);
    if (!this.#up) return;
    const ttl = Math.max(1, Math.ceil(event.expiresAt - Date.now()));
    try {
      await this.#cmd.set(`${this.#p}cache:${channel}`, JSON.stringify(event), "PX", ttl);
    } catch (err) {
      this.#failed(err);
    }
  }

  async claim(key: string, ttlMs: number, now: number): Promise<boolean> {
    if (this.#up) {
      try {
        return (await this.#cmd.set(`${this.#p}claim:${key}`, this.node, "PX", Math.max(1, ttlMs), "NX")) === "OK";
      } catch (err) {
        this.#failed(err);
      }
    }
    return this.#local.claim(key, ttlMs, now) as boolean;
  }

  async hold(key: string, ttlMs: number): Promise<void> {
    let offline = true;
    if (this.#up) {
      try {
        await this.#cmd.set(`${this.#p}hold:${key}`, this.node, "PX", Math.max(1, ttlMs));
        offline = false;
      } catch (err) {
        this.#failed(err);
      }
    }
    this.#holds.set(key, offline);
    if (this.#holds.size > 10_000) this.#holds.delete(this.#holds.keys().next().value!);
  }

  // While Redis is away, this process's own marks decide; a mark made while it was away is only known here.
  async release(key: string): Promise<boolean> {
    const mine = this.#holds.get(key);
    this.#holds.delete(key);
    if (!this.#up) return mine !== undefined;
    try {
      return (await this.#cmd.del(`${this.#p}hold:${key}`)) > 0 || mine === true;
    } catch (err) {
      this.#failed(err);
      return mine !== undefined;
    }
  }

  // Heartbeat: renew this process's lease, then remove the sockets of every process whose lease has expired.
  async #beat(): Promise<void> {
    if (!this.#up || this.#closed) return;
    const p = this.#p;
    try {
      const res = await this.#cmd.pipeline()
        .set(`${p}lease:${this.node}`, "1", "PX", this.#leaseMs)
        .sadd(`${p}nodes`, this.node)
        .smembers(`${p}nodes`)
        .exec();
      const others = ((res?.[2]?.[1] ?? []) as string[]).filter((n) => n !== this.node);
      if (others.length === 0) return;
      const check = this.#cmd.pipeline();
      for (const n of others) check.exists(`${p}lease:${n}`);
      const leases = (await check.exec()) ?? [];
      for (const [i, n] of others.entries()) {
        if (leases[i]?.[1] === 1) continue;
        // One process reaps a dead one; the lock outlives a slow reap so two never announce the same removals.
        if (await this.#cmd.set(`${p}reap:${n}`, this.node, "PX", 30_000, "NX") !== "OK") continue;
        await this.#reap(n);
      }
    } catch (err) {
      this.#failed(err);
    }
  }

  async #reap(dead: string): Promise<void> {
    const p = this.#p;
    for (const entry of await this.#cmd.smembers(`${p}ns:${dead}`)) {
      const nl = entry.indexOf("\n");
      const channel = entry.slice(0, nl);
      const left = await this.#runLeave(channel, entry.slice(nl + 1), dead);
      if (left.left) this.#host?.left?.(channel, left);
    }
    await this.#userEntries(await this.#users.redis.registered(dead), -1, dead);
    await this.#cmd.pipeline().del(`${p}ns:${dead}`, `${p}nu:${dead}`).srem(`${p}nodes`, dead).exec();
  }

  // Adds or removes signed-in sockets (`{socket id}\n{user id}`) in the cluster count, announcing transitions.
  async #userEntries(entries: Iterable<string>, delta: 1 | -1, node = this.node): Promise<void> {
    for (const entry of entries) {
      const nl = entry.indexOf("\n");
      const userId = entry.slice(nl + 1);
      const count = await this.#users.redis.change(delta, userId, entry.slice(0, nl), node);
      if (count >= 0) await this.#users.counted(userId, count, delta);
    }
  }

  // Back from an outage: register what this process holds now and remove what it held before (the others may have
  // reaped it meanwhile), announcing each difference as a live join or leave would have.
  async #recover(): Promise<void> {
    if (this.#up || this.#closed) return;
    try {
      await this.#cmd.set(`${this.#p}lease:${this.node}`, "1", "PX", this.#leaseMs);
      // Up from here on, so the announcements below reach the other processes.
      this.#up = true;
      const before = new Set(await this.#cmd.smembers(`${this.#p}ns:${this.node}`));
      for (const [entry, member] of this.#own) {
        if (before.delete(entry)) continue;
        const nl = entry.indexOf("\n");
        const channel = entry.slice(0, nl);
        const socketId = entry.slice(nl + 1);
        const [first, added, count, fresh] = await this.#runJoin(channel, socketId, member ?? undefined, Infinity);
        if (fresh !== 1) continue;
        const result = { first: first === 1, userAdded: added === 1, subscriptionCount: count };
        this.#host?.joined?.(channel, socketId, member ?? undefined, result);
      }
      for (const entry of before) {
        const nl = entry.indexOf("\n");
        const channel = entry.slice(0, nl);
        const left = await this.#runLeave(channel, entry.slice(nl + 1));
        if (left.left) this.#host?.left?.(channel, left);
      }
      const now = this.#users.entries();
      const had = new Set(await this.#users.redis.registered(this.node));
      await this.#userEntries([...now].filter((e) => !had.has(e)), 1);
      await this.#userEntries([...had].filter((e) => !now.has(e)), -1);
      this.#since = Date.now();
      await this.#beat();
    } catch (err) {
      this.#up = false;
      console.error("pusher-edge redis bus: resync failed:", err instanceof Error ? err.message : String(err));
      if (this.#cmd.status === "ready") setTimeout(() => void this.#recover(), 1000);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    clearInterval(this.#timer);
    if (this.#up) {
      try {
        for (const entry of [...this.#own.keys()]) {
          const nl = entry.indexOf("\n");
          const channel = entry.slice(0, nl);
          this.#own.delete(entry);
          const left = await this.#runLeave(channel, entry.slice(nl + 1));
          if (left.left) this.#host?.left?.(channel, left);
        }
        await this.#userEntries(this.#users.entries(), -1);
        await this.#cmd.pipeline().del(`${this.#p}lease:${this.node}`, `${this.#p}ns:${this.node}`)
          .srem(`${this.#p}nodes`, this.node).exec();
      } catch { /* the others reap what is left when the lease expires */ }
    }
    this.#closed = true;
    this.#cmd.disconnect();
    this.#sub.disconnect();
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
