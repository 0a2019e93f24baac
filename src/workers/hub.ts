/**
 * `PusherHub`: one Durable Object per app for what is keyed by user or needs one sender: the index of signed-in users
 * (user id to socket ids and their shards, in storage), claims that name no channel, and the webhook sender. Shards
 * forward every webhook event here at once; the hub applies Pusher's grace delay to `channel_vacated` and
 * `member_removed` (cancelled when the state flips back inside it, and checked against the channel object when due,
 * so events from two shards arriving out of order cannot leave a wrong final state), then signs and sends them.
 *
 * @module
 */
import { appOptionsFromEnv, DEMO_CREDENTIALS } from "../hono/mod.ts";
import { createWebhookSender, type OutgoingWebhookEvent, type WebhookSender } from "../server/mod.ts";
import { call, serve, Stubs } from "./_rpc.ts";
import { watchlistFrame } from "../server/bus.ts";
import type { DurableObjectState, WorkerEnv } from "./_types.ts";

type Sockets = Record<string, number>;

/** The hub object; see the module documentation. */
export class PusherHub {
  readonly #state: DurableObjectState;
  readonly #stubs: Stubs;
  readonly #sender: WebhookSender;
  readonly #delayMs: number;
  readonly #pending = new Map<string, { event: OutgoingWebhookEvent; due: number }>();
  readonly #claims = new Map<string, number>();

  /** Called by the runtime. */
  constructor(state: DurableObjectState, env: WorkerEnv) {
    this.#state = state;
    this.#stubs = new Stubs(env);
    const options = appOptionsFromEnv(env);
    const creds = options.credentials ?? DEMO_CREDENTIALS;
    this.#delayMs = options.webhookDelayMs ?? 3000;
    this.#sender = createWebhookSender({
      key: creds.key,
      secret: creds.secret,
      urls: options.webhookUrls ?? [],
      batch: options.webhookBatch,
    });
  }

  async #setUser(b: Record<string, unknown>): Promise<void> {
    const socketId = b.socketId as string;
    const storage = this.#state.storage;
    const previous = await storage.get<string>(`s:${socketId}`);
    if (previous !== undefined) {
      const sockets = await storage.get<Sockets>(`u:${previous}`) ?? {};
      delete sockets[socketId];
      await storage.delete(`s:${socketId}`);
      if (Object.keys(sockets).length > 0) await storage.put(`u:${previous}`, sockets);
      else {
        await storage.delete(`u:${previous}`);
        await this.#notify(previous, "offline");
      }
    }
    const userId = b.userId as string | undefined;
    if (userId === undefined) {
      // The socket is gone: forget what it watched.
      for (const id of await storage.get<string[]>(`W:${socketId}`) ?? []) {
        const watchers = await storage.get<Sockets>(`w:${id}`) ?? {};
        delete watchers[socketId];
        if (Object.keys(watchers).length > 0) await storage.put(`w:${id}`, watchers);
        else await storage.delete(`w:${id}`);
      }
      await storage.delete(`W:${socketId}`);
      return;
    }
    const sockets = await storage.get<Sockets>(`u:${userId}`) ?? {};
    sockets[socketId] = b.shard as number;
    await storage.put({ [`u:${userId}`]: sockets, [`s:${socketId}`]: userId });
    if (Object.keys(sockets).length === 1) await this.#notify(userId, "online");
  }

  /** Watchlists: `online`/`offline` to the sockets watching the user. */
  async #notify(userId: string, name: "online" | "offline"): Promise<void> {
    const watchers = await this.#state.storage.get<Sockets>(`w:${userId}`);
    if (watchers) await this.#send(watchers, "to", watchlistFrame(name, [userId]));
  }

  async #watch(b: Record<string, unknown>): Promise<string[]> {
    const socketId = b.socketId as string;
    const ids = b.userIds as string[];
    const storage = this.#state.storage;
    await storage.put(`W:${socketId}`, ids);
    const online: string[] = [];
    for (const id of ids) {
      const watchers = await storage.get<Sockets>(`w:${id}`) ?? {};
      watchers[socketId] = b.shard as number;
      await storage.put(`w:${id}`, watchers);
      if (await storage.get(`u:${id}`) !== undefined) online.push(id);
    }
    return online;
  }

  /** Groups the user's sockets by shard and sends one call per shard. */
  async #toShards(userId: string, op: "to" | "terminate", frame?: string): Promise<void> {
    await this.#send(await this.#state.storage.get<Sockets>(`u:${userId}`) ?? {}, op, frame);
  }

  async #send(sockets: Sockets, op: "to" | "terminate", frame?: string): Promise<void> {
    const byShard = new Map<number, string[]>();
    for (const [sid, shard] of Object.entries(sockets)) {
      const list = byShard.get(shard) ?? [];
      list.push(sid);
      byShard.set(shard, list);
    }
    await Promise.all(
      [...byShard].map(([shard, ids]) => call(this.#stubs.shard(shard), op, { sockets: ids, frame }).catch(() => {})),
    );
  }

  async #webhook(event: OutgoingWebhookEvent): Promise<void> {
    const removedKey = `removed\0${event.channel}\0${event.user_id}`;
    switch (event.name) {
      case "channel_vacated":
      case "member_removed":
        if (this.#delayMs > 0) {
          const key = event.name === "channel_vacated" ? `vacated\0${event.channel}` : removedKey;
          this.#pending.set(key, { event, due: Date.now() + this.#delayMs });
          return await this.#schedule();
        }
        break;
      case "channel_occupied":
        if (this.#pending.delete(`vacated\0${event.channel}`)) return;
        break;
      case "member_added":
        if (this.#pending.delete(removedKey)) return;
        break;
    }
    this.#sender.enqueue(event);
    await this.#flush();
  }

  async #flush(): Promise<void> {
    this.#sender.tick();
    await this.#schedule();
    await this.#sender.idle();
  }

  async #schedule(): Promise<void> {
    if (this.#pending.size === 0 && this.#sender.queued === 0) return;
    const current = await this.#state.storage.getAlarm();
    if (current === null) await this.#state.storage.setAlarm(Date.now() + 500);
  }

  /** Called by the runtime: sends the delayed events that are still true, and retries. */
  async alarm(): Promise<void> {
    const now = Date.now();
    for (const [key, p] of [...this.#pending]) {
      if (p.due > now) continue;
      this.#pending.delete(key);
      const ch = this.#stubs.channel(p.event.channel);
      try {
        if (p.event.name === "channel_vacated") {
          const info = await call<{ occupied: boolean }>(ch, "info", { channel: p.event.channel });
          if (info.occupied) continue;
        } else {
          const members = await call<{ user_id: string }[]>(ch, "members", { channel: p.event.channel });
          if (members.some((m) => m.user_id === p.event.user_id)) continue;
        }
      } catch { /* the channel object did not answer: send what the shard reported */ }
      this.#sender.enqueue(p.event);
    }
    await this.#flush();
  }

  /** Called by the runtime. */
  fetch(request: Request): Promise<Response> {
    return serve(request, {
      setUser: (b) => this.#setUser(b),
      watch: (b) => this.#watch(b),
      toUser: (b) => this.#toShards(b.userId as string, "to", b.frame as string),
      terminateUser: (b) => this.#toShards(b.userId as string, "terminate"),
      webhook: (b) => this.#webhook(b.event as OutgoingWebhookEvent),
      claim: (b) => {
        const now = b.now as number;
        const until = this.#claims.get(b.key as string);
        if (until !== undefined && until > now) return false;
        this.#claims.set(b.key as string, now + (b.ttl as number));
        if (this.#claims.size > 1000) { for (const [k, t] of this.#claims) if (t <= now) this.#claims.delete(k); }
        return true;
      },
    });
  }
}
