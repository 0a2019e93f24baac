import { signerFor } from "../_hmac.ts";
import { createLocalBus } from "./local_bus.ts";
import { channelEvent, closeReason, errorFrame, PING } from "./_frames.ts";
import { intake } from "./_intake.ts";
import type { Conn, Ctx } from "./_context.ts";
import { checkHandshake } from "./_handshake.ts";
import { announceJoin, announceLeave, isCacheChannel, leaveChannel, USER_CHANNEL } from "./_subscribe.ts";
import { limitsFrom, randomId } from "./_limits.ts";
import { closeDue, deadline, fromSnapshot, newConn, pingDue, toSnapshot } from "./_conn.ts";
import type { Engine, EngineOptions, OutgoingWebhookEvent } from "./types.ts";

export type { Engine } from "./types.ts";

// A delayed webhook's cluster-wide mark outlives its due time by this much, so a slow tick still finds it.
const HOLD_MARGIN_MS = 10_000;

/**
 * Creates the Pusher Channels protocol 7 engine for one app: Web APIs only, no runtime, no timers. Hosts accept
 * WebSockets on `/app/{key}` and pass socket events in; the engine answers through each socket's {@linkcode SocketSink},
 * verifies every private/presence subscription and signin with the app secret (constant time), and hands webhook
 * events to `onWebhook` (occupied/vacated and member events are de-duplicated and delayed by the documented grace).
 * Channel state lives behind a {@linkcode ChannelBus} (in-process by default), so several processes or Durable
 * Objects can share it. Behaviour and codes follow `docs/websocket.md`.
 *
 * @param options the app credentials, limits and hooks
 * @returns the engine
 * @throws {TypeError} on missing credentials or a bad limit
 *
 * @example A public subscription on an in-memory socket
 * ```ts
 * import { createEngine } from "@pusher-edge/pusher-edge/server";
 *
 * const engine = createEngine({ appId: "1", key: "app-key", secret: "app-secret" });
 * const frames: string[] = [];
 * const id = engine.connect("/app/app-key?protocol=7", { send: (f) => frames.push(f), close() {} });
 * await engine.message(id!, JSON.stringify({ event: "pusher:subscribe", data: { channel: "news", auth: "" } }));
 * await engine.publish({ channels: ["news"], name: "story", data: '{"n":1}' });
 * if (!frames.at(-1)!.includes('"event":"story"')) throw new Error("event not delivered");
 * ```
 */
export function createEngine(options: EngineOptions): Engine {
  if (typeof options !== "object" || options === null) throw new TypeError("createEngine: options are required");
  for (const name of ["appId", "key", "secret"] as const) {
    if (typeof options[name] !== "string" || options[name] === "") {
      throw new TypeError(`createEngine: ${name} must be a non-empty string`);
    }
  }
  const limits = limitsFrom(options);
  const bus = options.bus ?? createLocalBus();
  const now = options.now ?? Date.now;
  const conns = new Map<string, Conn>();
  const pending = new Map<string, { event?: OutgoingWebhookEvent; job?: () => Promise<void>; due: number }>();
  const observe = options.onFrame;

  const emit = (event: OutgoingWebhookEvent) => {
    try {
      options.onWebhook?.(event);
    } catch { /* a broken hook must not break the socket that caused the event */ }
  };

  const ctx: Ctx = {
    appId: options.appId,
    key: options.key,
    signer: signerFor(options.secret),
    limits,
    bus,
    conns,
    now,
    observe,
    send(conn, text) {
      if (conn.closed) return;
      try {
        conn.sink.send(text);
      } catch { /* the socket died; its close event cleans up */ }
      observe?.({ direction: "out", socketId: conn.socketId, text, time: now() });
    },
    closeConn(conn, code, reason) {
      if (conn.closed) return;
      const r = closeReason(reason);
      conn.closed = true;
      try {
        conn.sink.close(code, r);
      } catch { /* already closed */ }
      observe?.({ direction: "close", socketId: conn.socketId, text: `${code} ${r}`, time: now() });
      void cleanup(conn);
    },
    webhook: emit,
    async webhookLater(key, event) {
      if (limits.webhookDelayMs === 0) return emit(event);
      pending.set(key, { event, due: now() + limits.webhookDelayMs });
      // The mark lets another process cancel it (a user who reconnects elsewhere within the grace).
      await bus.hold?.(key, limits.webhookDelayMs + HOLD_MARGIN_MS, now());
    },
    async cancelWebhook(key) {
      if (limits.webhookDelayMs === 0) return false;
      const local = pending.delete(key);
      return (bus.release ? await bus.release(key, now()) : false) || local;
    },
    later(key, due, job) {
      if (!pending.has(key)) pending.set(key, { job, due });
    },
  };

  // Due webhooks are sent only if no process cancelled them in the meantime (synchronously on the local bus).
  function sendIfHeld(key: string, event: OutgoingWebhookEvent, at: number): void {
    let held: boolean | Promise<boolean>;
    try {
      held = bus.release ? bus.release(key, at) : true;
    } catch {
      held = true;
    }
    if (typeof held === "boolean") return void (held && emit(event));
    held.then((ok) => ok && emit(event), () => emit(event));
  }

  async function cleanup(conn: Conn): Promise<void> {
    conn.closed = true;
    if (conns.get(conn.socketId) !== conn) return;
    conns.delete(conn.socketId);
    observe?.({ direction: "gone", socketId: conn.socketId, text: "", time: now() });
    // Waits for a subscribe in flight, so it cannot register after the socket is gone.
    await conn.queue.catch(() => {});
    try {
      for (const channel of [...conn.channels.keys()]) await leaveChannel(ctx, conn, channel);
      if (conn.userId !== undefined) await bus.setUser(conn.socketId, undefined);
    } catch { /* a failing remote bus must not surface as an unhandled rejection */ }
  }

  bus.attach({
    deliver(socketId, text) {
      const conn = conns.get(socketId);
      if (conn) ctx.send(conn, text);
    },
    terminate(socketId) {
      const conn = conns.get(socketId);
      if (!conn) return;
      ctx.send(conn, errorFrame(4009, "You got disconnected by the app."));
      ctx.closeConn(conn, 4009, "You got disconnected by the app.");
    },
    left(channel, result) {
      void announceLeave(ctx, channel, result).catch(() => {});
    },
    joined(channel, socketId, member, result) {
      void announceJoin(ctx, channel, socketId, member, result).catch(() => {});
    },
  });

  return {
    appId: options.appId,
    key: options.key,

    connect(url, sink) {
      const hs = checkHandshake(url, options.key);
      const refuse = (code: number, message: string) => {
        try {
          sink.send(errorFrame(code, message));
          sink.close(code, closeReason(message));
        } catch { /* gone already */ }
        return undefined;
      };
      if (!hs.ok) return refuse(hs.code, hs.message);
      if (conns.size >= limits.maxConnections) return refuse(4004, "Application is over connection quota");
      let socketId: string;
      do socketId = `${randomId()}.${randomId()}`; while (conns.has(socketId));
      const t = now();
      const conn = newConn(socketId, sink, t);
      conns.set(socketId, conn);
      observe?.({ direction: "open", socketId, text: String(url).slice(0, 256), time: t });
      ctx.send(
        conn,
        JSON.stringify({
          event: "pusher:connection_established",
          data: JSON.stringify({ socket_id: socketId, activity_timeout: limits.activityTimeout }),
        }),
      );
      return socketId;
    },

    message(socketId, data) {
      const conn = conns.get(socketId);
      return conn && !conn.closed ? intake(ctx, conn, data) : Promise.resolve();
    },

    async disconnect(socketId) {
      const conn = conns.get(socketId);
      if (conn) await cleanup(conn);
    },

    tick(at = now()) {
      for (const [key, p] of pending) {
        if (p.due > at) continue;
        pending.delete(key);
        if (p.event) sendIfHeld(key, p.event, at);
        else p.job?.().catch(() => {});
      }
      for (const conn of conns.values()) {
        if (conn.pingSentAt !== undefined) {
          if (at >= closeDue(conn, limits.pongTimeout)) ctx.closeConn(conn, 4201, "Pong reply not received");
        } else if (at >= pingDue(conn, limits.activityTimeout, limits.pongTimeout)) {
          conn.pingSentAt = at;
          ctx.send(conn, PING);
        }
      }
    },

    nextDeadline() {
      let next: number | undefined;
      const at = (t: number) => (next = next === undefined ? t : Math.min(next, t));
      for (const p of pending.values()) at(p.due);
      for (const c of conns.values()) at(deadline(c, limits.activityTimeout, limits.pongTimeout));
      return next;
    },

    async publish({ channels, name, data, socketId }) {
      for (const channel of channels) {
        const text = channelEvent(channel, name, data);
        if (channel.startsWith(USER_CHANNEL)) {
          await bus.toUser(channel.slice(USER_CHANNEL.length), text);
          continue;
        }
        if (isCacheChannel(channel)) {
          await bus.setCache(channel, { event: name, data, expiresAt: now() + limits.cacheTtl * 1000 });
        }
        await bus.broadcast(channel, text, socketId);
      }
    },

    async channelInfo(channel) {
      return await bus.info(channel);
    },
    async channels(prefix = "") {
      return await bus.list(prefix);
    },
    async users(channel) {
      return (await bus.members(channel)).map((m) => m.user_id);
    },
    async cached(channel) {
      return await bus.getCache(channel, now());
    },
    async terminateUser(userId) {
      await bus.terminateUser(userId);
    },
    closeSocket(socketId, code, reason) {
      const conn = conns.get(socketId);
      if (!conn) return false;
      if (!Number.isInteger(code) || code < 4000 || code > 4999) {
        throw new TypeError("closeSocket: code must be 4000-4999");
      }
      ctx.send(conn, errorFrame(code, reason));
      ctx.closeConn(conn, code, reason);
      return true;
    },
    closeAll(code, reason) {
      for (const conn of [...conns.values()]) {
        ctx.send(conn, errorFrame(code, reason));
        ctx.closeConn(conn, code, reason);
      }
    },
    connections() {
      return [...conns.values()].map(toSnapshot);
    },
    snapshot(socketId) {
      const conn = conns.get(socketId);
      return conn && !conn.closed ? toSnapshot(conn) : undefined;
    },
    resume(snapshot, sink) {
      if (!/^\d+\.\d+$/.test(snapshot?.socketId) || conns.has(snapshot.socketId)) {
        throw new TypeError("resume: a snapshot with a socket id this engine does not hold is required");
      }
      conns.set(snapshot.socketId, fromSnapshot(snapshot, sink));
    },
  };
}
