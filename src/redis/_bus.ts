// The Redis channel bus: the ChannelBus operations, each answered from Redis, or from this process's own state while
// Redis is away. Leases, reaping, the resync after an outage and the graceful close are in _lease.ts.
import type { Redis } from "ioredis";
import type { BusHost, JoinResult, LeaveResult } from "../server/bus.ts";
import { createLocalBus } from "../server/local_bus.ts";
import type { CachedEvent, ChannelInfo, Member } from "../server/types.ts";
import { Users } from "./_users.ts";
import { beat, closeBus, recover } from "./_lease.ts";
import type { RedisBus, RedisBusStatus } from "./connect_redis_bus.ts";

export type Cmd = Redis & {
  peJoin(...args: (string | number)[]): Promise<[number, number, number, number]>;
  peLeave(...args: string[]): Promise<[number, number, string, number]>;
  peUser(...args: string[]): Promise<number>;
};

const MAX_LISTED = 10_000;

// Fields are plain (not #private) because _lease.ts works on them; the class itself is not exported from ./redis.
export class RedisChannelBus implements RedisBus {
  readonly node: string = crypto.randomUUID().slice(0, 13);
  readonly cmd: Cmd;
  readonly sub: Redis;
  readonly p: string;
  readonly leaseMs: number;
  // This process's own sockets: delivery, answers while Redis is away, and the resync when it is back.
  readonly local = createLocalBus();
  readonly own = new Map<string, Member | null>();
  /** Delayed-webhook marks made by this process: true when made while Redis was away. */
  readonly holds = new Map<string, boolean>();
  readonly users: Users;
  host: BusHost | undefined;
  up = true;
  subUp = true;
  since = Date.now();
  timer: ReturnType<typeof setInterval> | undefined;
  closed = false;

  constructor(cmd: Cmd, sub: Redis, prefix: string, leaseMs: number) {
    this.cmd = cmd;
    this.sub = sub;
    this.p = prefix;
    this.leaseMs = leaseMs;
    cmd.on("close", () => this.#down());
    // Frames from the other processes arrive on the subscriber connection; without it this process is degraded too.
    sub.on("close", () => (this.subUp = false));
    sub.on("ready", () => (this.subUp = true));
    cmd.on("ready", () => void recover(this));
    sub.on("message", (_channel: string, message: string) => this.#onMessage(message));
    const p = prefix;
    this.users = new Users({
      change: (delta, userId, socketId, node = this.node) =>
        cmd.peUser(`${p}users`, `${p}nu:${node}`, String(delta), userId, socketId),
      counts: async (ids) => ids.length === 0 ? [] : (await cmd.hmget(`${p}users`, ...ids)).map(Number),
      registered: (node) => cmd.smembers(`${p}nu:${node}`),
      announce: (userId, name) => this.publish(["w", this.node, userId, name]),
      up: () => this.up,
    }, (err) => this.failed(err));
  }

  async start(): Promise<void> {
    await this.sub.subscribe(`${this.p}bus`);
    await beat(this);
    this.timer = setInterval(() => void beat(this), Math.max(100, Math.floor(this.leaseMs / 3)));
    (this.timer as { unref?: () => void }).unref?.();
  }

  attach(host: BusHost): void {
    this.host = host;
    this.local.attach(host);
    this.users.host = host;
  }

  status(): RedisBusStatus {
    return { redis: this.up && this.subUp ? "connected" : "degraded", node: this.node, since: this.since };
  }

  keys(channel: string, node = this.node): string[] {
    const p = this.p;
    return [`${p}s:${channel}`, `${p}u:${channel}`, `${p}i:${channel}`, `${p}chans`, `${p}ns:${node}`];
  }

  #down(): void {
    if (!this.up) return;
    this.up = false;
    this.since = Date.now();
  }

  // A failed command only means an outage when the connection is gone; anything else is reported as is.
  failed(err: unknown): void {
    if (this.cmd.status !== "ready") this.#down();
    else console.error("pusher-edge redis bus:", err instanceof Error ? err.message : String(err));
  }

  async publish(header: unknown[], frame = ""): Promise<void> {
    if (!this.up) return;
    try {
      await this.cmd.publish(`${this.p}bus`, `${JSON.stringify(header)}\n${frame}`);
    } catch (err) {
      this.failed(err);
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
    if (kind === "b") this.local.broadcast(target, frame, except || undefined);
    else if (kind === "u") { for (const sid of this.users.socketsOf(target)) this.host?.deliver(sid, frame); }
    else if (kind === "t") { for (const sid of this.users.socketsOf(target)) this.host?.terminate(sid); }
    else if (kind === "w" && (except === "online" || except === "offline")) this.users.notify(target, except);
  }

  async runJoin(channel: string, socketId: string, member: Member | undefined, max: number) {
    const info = member?.user_info === undefined ? "" : JSON.stringify(member.user_info);
    const limit = Number.isFinite(max) ? max : Number.MAX_SAFE_INTEGER;
    return await this.cmd.peJoin(
      ...this.keys(channel),
      socketId,
      this.node,
      member?.user_id ?? "",
      info,
      limit,
      channel,
    );
  }

  async runLeave(channel: string, socketId: string, node = this.node): Promise<LeaveResult> {
    const [left, vacated, removed, count] = await this.cmd.peLeave(...this.keys(channel, node), socketId, channel);
    return { left: left === 1, vacated: vacated === 1, userRemoved: removed || undefined, subscriptionCount: count };
  }

  async join(channel: string, socketId: string, member?: Member, maxMembers = Infinity): Promise<JoinResult> {
    if (this.up) {
      try {
        const [first, added, count] = await this.runJoin(channel, socketId, member, maxMembers);
        if (first === -1) return { refused: "full", first: false, userAdded: false, subscriptionCount: count };
        this.local.join(channel, socketId, member);
        this.own.set(`${channel}\n${socketId}`, member ?? null);
        return { first: first === 1, userAdded: added === 1, subscriptionCount: count };
      } catch (err) {
        this.failed(err);
      }
    }
    const local = this.local.join(channel, socketId, member, maxMembers) as JoinResult;
    if (!local.refused) this.own.set(`${channel}\n${socketId}`, member ?? null);
    return local;
  }

  async leave(channel: string, socketId: string): Promise<LeaveResult> {
    this.own.delete(`${channel}\n${socketId}`);
    const local = this.local.leave(channel, socketId) as LeaveResult;
    if (!this.up) return local;
    try {
      return await this.runLeave(channel, socketId);
    } catch (err) {
      this.failed(err);
      return local;
    }
  }

  async broadcast(channel: string, frame: string, exceptSocketId?: string): Promise<void> {
    this.local.broadcast(channel, frame, exceptSocketId);
    await this.publish(["b", this.node, channel, exceptSocketId ?? ""], frame);
  }

  async members(channel: string): Promise<Member[]> {
    if (this.up) {
      try {
        const all = await this.cmd.hgetall(`${this.p}i:${channel}`);
        return Object.entries(all).map((
          [user_id, info],
        ) => (info === "" ? { user_id } : { user_id, user_info: JSON.parse(info) }));
      } catch (err) {
        this.failed(err);
      }
    }
    return this.local.members(channel) as Member[];
  }

  async #infos(channels: string[]): Promise<ChannelInfo[]> {
    const pipe = this.cmd.pipeline();
    for (const ch of channels) pipe.hlen(`${this.p}s:${ch}`).hlen(`${this.p}u:${ch}`);
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
    if (this.up) {
      try {
        return (await this.#infos([channel]))[0];
      } catch (err) {
        this.failed(err);
      }
    }
    return this.local.info(channel) as ChannelInfo;
  }

  async list(prefix: string): Promise<[string, ChannelInfo][]> {
    if (this.up) {
      try {
        // Channel names are ASCII, so every name with the prefix sorts between `prefix` and `prefix` + DEL.
        const [lo, hi] = prefix === "" ? ["-", "+"] : [`[${prefix}`, `[${prefix}\x7f`];
        const names = await this.cmd.zrangebylex(`${this.p}chans`, lo, hi, "LIMIT", 0, MAX_LISTED);
        const infos = await this.#infos(names);
        return names.map((n, i) => [n, infos[i]] as [string, ChannelInfo]).filter(([, i]) => i.occupied);
      } catch (err) {
        this.failed(err);
      }
    }
    return this.local.list(prefix) as [string, ChannelInfo][];
  }

  async setUser(socketId: string, userId: string | undefined): Promise<void> {
    await this.users.set(socketId, userId);
  }

  async watch(socketId: string, userIds: readonly string[]): Promise<string[]> {
    return await this.users.watch(socketId, userIds);
  }

  async toUser(userId: string, frame: string): Promise<void> {
    for (const sid of this.users.socketsOf(userId)) this.host?.deliver(sid, frame);
    await this.publish(["u", this.node, userId], frame);
  }

  async terminateUser(userId: string): Promise<void> {
    for (const sid of this.users.socketsOf(userId)) this.host?.terminate(sid);
    await this.publish(["t", this.node, userId]);
  }

  async getCache(channel: string, now: number): Promise<CachedEvent | undefined> {
    if (this.up) {
      try {
        const raw = await this.cmd.get(`${this.p}cache:${channel}`);
        const hit = raw ? JSON.parse(raw) as CachedEvent : undefined;
        return hit && hit.expiresAt > now ? hit : undefined;
      } catch (err) {
        this.failed(err);
      }
    }
    return this.local.getCache(channel, now) as CachedEvent | undefined;
  }

  async setCache(channel: string, event: CachedEvent): Promise<void> {
    this.local.setCache(channel, event);
    if (!this.up) return;
    const ttl = Math.max(1, Math.ceil(event.expiresAt - Date.now()));
    try {
      await this.cmd.set(`${this.p}cache:${channel}`, JSON.stringify(event), "PX", ttl);
    } catch (err) {
      this.failed(err);
    }
  }

  async claim(key: string, ttlMs: number, now: number): Promise<boolean> {
    if (this.up) {
      try {
        return (await this.cmd.set(`${this.p}claim:${key}`, this.node, "PX", Math.max(1, ttlMs), "NX")) === "OK";
      } catch (err) {
        this.failed(err);
      }
    }
    return this.local.claim(key, ttlMs, now) as boolean;
  }

  async hold(key: string, ttlMs: number): Promise<void> {
    let offline = true;
    if (this.up) {
      try {
        await this.cmd.set(`${this.p}hold:${key}`, this.node, "PX", Math.max(1, ttlMs));
        offline = false;
      } catch (err) {
        this.failed(err);
      }
    }
    this.holds.set(key, offline);
    if (this.holds.size > 10_000) this.holds.delete(this.holds.keys().next().value!);
  }

  // While Redis is away, this process's own marks decide; a mark made while it was away is only known here.
  async release(key: string): Promise<boolean> {
    const mine = this.holds.get(key);
    this.holds.delete(key);
    if (!this.up) return mine !== undefined;
    try {
      return (await this.cmd.del(`${this.p}hold:${key}`)) > 0 || mine === true;
    } catch (err) {
      this.failed(err);
      return mine !== undefined;
    }
  }

  async close(): Promise<void> {
    await closeBus(this);
  }
}
