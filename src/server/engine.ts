import { signerFor } from "../_hmac.ts";
import { createLocalBus } from "./bus.ts";
import { byteLength, channelEvent, closeReason, dataObject, errorFrame, parseFrame, PING, PONG } from "./_frames.ts";
import type { Conn, Ctx, Limits } from "./_context.ts";
import { checkHandshake } from "./_handshake.ts";
import { isCacheChannel, leaveChannel, subscribe, unsubscribe, USER_CHANNEL } from "./_subscribe.ts";
import { clientEvent } from "./_client_event.ts";
import { signin } from "./_signin.ts";
import type {
  CachedEvent,
  ChannelInfo,
  ConnectionSnapshot,
  EngineOptions,
  OutgoingWebhookEvent,
  PublishInput,
  SocketSink,
} from "./types.ts";

/** A running protocol 7 engine for one app. Hosts feed it socket events and call {@linkcode Engine.tick}. */
export interface Engine {
  /** The app id. */
  readonly appId: string;
  /** The app key. */
  readonly key: string;
  /**
   * A WebSocket was accepted for `url`. Sends `pusher:connection_established` and returns the socket id, or sends
   * `pusher:error` and closes with the documented 4xxx code (unknown key 4001, bad path 4005, no protocol 4008,
   * unsupported protocol 4007, over quota 4004) and returns undefined.
   */
  connect(url: string | URL, sink: SocketSink): string | undefined;
  /** A frame arrived. Never throws or rejects; malformed frames get a `pusher:error`. */
  message(socketId: string, data: string | ArrayBuffer | Uint8Array): Promise<void>;
  /** The socket closed (cleanly or not): leave every channel, forget the user. Idempotent. */
  disconnect(socketId: string): Promise<void>;
  /** Runs what is due at `now` (ms): server pings, 4201 closes, delayed webhooks. Call about once a second. */
  tick(now?: number): void;
  /** The earliest time (ms) at which {@linkcode Engine.tick} has something to do, for alarm-driven hosts. */
  nextDeadline(): number | undefined;
  /** Delivers a REST event to current subscribers (minus `socketId`) and updates cache channels. */
  publish(input: PublishInput): Promise<void>;
  /** Live state of one channel. */
  channelInfo(channel: string): Promise<ChannelInfo>;
  /** Occupied channels with a prefix. */
  channels(prefix?: string): Promise<[string, ChannelInfo][]>;
  /** Distinct user ids of a presence channel. */
  users(channel: string): Promise<string[]>;
  /** The cached event of a cache channel. */
  cached(channel: string): Promise<CachedEvent | undefined>;
  /** Closes every socket signed in as the user with 4009 (pusher-js then stays disconnected). */
  terminateUser(userId: string): Promise<void>;
  /** Sends `pusher:error` and closes one socket with a code (4000–4999); false when the socket is not here. */
  closeSocket(socketId: string, code: number, reason: string): boolean;
  /** Closes every socket, e.g. 4200 on shutdown so pusher-js reconnects at once. */
  closeAll(code: number, reason: string): void;
  /** Connections held by this engine, as plain data (what a Durable Object keeps in each socket's attachment). */
  connections(): ConnectionSnapshot[];
  /**
   * Takes back a connection from its snapshot, e.g. after a Durable Object woke from hibernation with the same bus
   * state: nothing is sent, and the socket's channels are assumed to still be registered in the bus.
   */
  resume(snapshot: ConnectionSnapshot, sink: SocketSink): void;
  /** One connection's entry of {@linkcode Engine.connections}, for a host that saves it after each change. */
  snapshot(socketId: string): ConnectionSnapshot | undefined;
}

function snapshotOf(c: Conn): ConnectionSnapshot {
  const presence: Record<string, string> = {};
  for (const [ch, user] of c.channels) if (user !== undefined) presence[ch] = user;
  return {
    socketId: c.socketId,
    ...(c.userId !== undefined ? { userId: c.userId } : {}),
    ...(c.userInfo !== undefined ? { userInfo: c.userInfo } : {}),
    channels: [...c.channels.keys()],
    ...(Object.keys(presence).length > 0 ? { presence } : {}),
    connectedAt: c.connectedAt,
    lastSeen: c.lastSeen,
  };
}

function randomId(): number {
  const [v] = crypto.getRandomValues(new Uint32Array(1));
  return (v % 2147483646) + 1;
}

function limitsFrom(o: EngineOptions): Limits {
  const int = (name: keyof EngineOptions, value: unknown, fallback: number, min = 0): number => {
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !(Number.isSafeInteger(value) || value === Infinity) || value < min) {
      throw new TypeError(`createEngine: ${name} must be an integer >= ${min}`);
    }
    return value;
  };
  return {
    activityTimeout: int("activityTimeout", o.activityTimeout, 120, 1),
    pongTimeout: int("pongTimeout", o.pongTimeout, 30, 1),
    clientEvents: o.clientEvents ?? true,
    clientEventsPerSecond: int("clientEventsPerSecond", o.clientEventsPerSecond, 10),
    subscriptionCount: o.subscriptionCount ?? true,
    maxDataBytes: int("maxDataBytes", o.maxDataBytes, 10240, 1),
    maxFrameBytes: int("maxFrameBytes", o.maxFrameBytes, 65536, 256),
    maxChannelNameLength: int("maxChannelNameLength", o.maxChannelNameLength, 164, 1),
    maxPresenceMembers: int("maxPresenceMembers", o.maxPresenceMembers, 100, 1),
    maxUserInfoBytes: int("maxUserInfoBytes", o.maxUserInfoBytes, 1024, 2),
    maxChannelsPerConnection: int("maxChannelsPerConnection", o.maxChannelsPerConnection, 1000, 1),
    maxConnections: int("maxConnections", o.maxConnections, Infinity, 1),
    cacheTtl: int("cacheTtl", o.cacheTtl, 1800, 1),
    webhookDelayMs: int("webhookDelayMs", o.webhookDelayMs, 3000),
  };
}

// pusher-js sends every subscribe at once after (re)connecting, so the per-socket backlog is bounded in bytes, not
// frames: hundreds of small subscribes fit, a flood of large frames does not.
const MAX_QUEUED_BYTES = 1024 * 1024;

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
  const pending = new Map<string, { event: OutgoingWebhookEvent; due: number }>();
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
    webhookLater(key, event) {
      if (limits.webhookDelayMs === 0) return emit(event);
      pending.set(key, { event, due: now() + limits.webhookDelayMs });
    },
    cancelWebhook: (key) => pending.delete(key),
  };

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
  });

  async function handle(conn: Conn, text: string): Promise<void> {
    const f = parseFrame(text);
    if (!f) {
      return void ctx.send(conn, errorFrame(null, "Invalid message format: expected a JSON object with an event"));
    }
    switch (f.event) {
      case "pusher:subscribe":
        return await subscribe(ctx, conn, dataObject(f));
      case "pusher:unsubscribe":
        return await unsubscribe(ctx, conn, dataObject(f));
      case "pusher:signin":
        return await signin(ctx, conn, dataObject(f));
      case "pusher:ping":
        return ctx.send(conn, PONG);
      case "pusher:pong":
        return;
    }
    if (f.event.startsWith("client-")) return await clientEvent(ctx, conn, f.event, f.channel, f.data);
    ctx.send(conn, errorFrame(null, `Unsupported event: ${f.event.slice(0, 64)}`));
  }

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
      const conn: Conn = {
        socketId,
        sink,
        connectedAt: t,
        lastSeen: t,
        channels: new Map(),
        rateWindowStart: 0,
        rateCount: 0,
        queue: Promise.resolve(),
        queued: 0,
        closed: false,
      };
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
      if (!conn || conn.closed) return Promise.resolve();
      conn.lastSeen = now();
      conn.pingSentAt = undefined;
      if (typeof data !== "string") {
        ctx.send(conn, errorFrame(null, "Binary frames are not supported"));
        return Promise.resolve();
      }
      observe?.({
        direction: "in",
        socketId,
        text: data.length > 2048 ? data.slice(0, 2048) + "…" : data,
        time: now(),
      });
      if (data.length > limits.maxFrameBytes || byteLength(data) > limits.maxFrameBytes) {
        ctx.send(conn, errorFrame(null, `Frame larger than ${limits.maxFrameBytes} bytes`));
        return Promise.resolve();
      }
      // Keep-alive needs no ordering and is the most frequent frame: answer it without queueing.
      if (/^\s*\{\s*"event"\s*:\s*"pusher:ping"/.test(data)) return Promise.resolve(ctx.send(conn, PONG));
      if (/^\s*\{\s*"event"\s*:\s*"pusher:pong"/.test(data)) return Promise.resolve();
      if (conn.queued + data.length > MAX_QUEUED_BYTES) {
        ctx.send(conn, errorFrame(null, "Too many frames in flight; slow down"));
        return Promise.resolve();
      }
      conn.queued += data.length;
      const run = conn.queue.then(async () => {
        if (conn.closed) return;
        try {
          await handle(conn, data);
        } catch {
          ctx.send(conn, errorFrame(null, "Internal error while handling the frame"));
        }
      }).finally(() => (conn.queued -= data.length));
      conn.queue = run;
      return run;
    },

    async disconnect(socketId) {
      const conn = conns.get(socketId);
      if (conn) await cleanup(conn);
    },

    tick(at = now()) {
      for (const [key, p] of pending) {
        if (p.due > at) continue;
        pending.delete(key);
        emit(p.event);
      }
      const idle = limits.activityTimeout * 1000;
      const pong = limits.pongTimeout * 1000;
      for (const conn of conns.values()) {
        if (conn.pingSentAt !== undefined) {
          if (at - conn.pingSentAt >= pong) ctx.closeConn(conn, 4201, "Pong reply not received");
        } else if (at - conn.lastSeen >= idle) {
          conn.pingSentAt = at;
          ctx.send(conn, PING);
        }
      }
    },

    nextDeadline() {
      let next: number | undefined;
      const at = (t: number) => (next = next === undefined ? t : Math.min(next, t));
      for (const p of pending.values()) at(p.due);
      for (const c of conns.values()) {
        at(
          c.pingSentAt !== undefined
            ? c.pingSentAt + limits.pongTimeout * 1000
            : c.lastSeen + limits.activityTimeout * 1000,
        );
      }
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
      return [...conns.values()].map(snapshotOf);
    },
    snapshot(socketId) {
      const c = conns.get(socketId);
      return c && !c.closed ? snapshotOf(c) : undefined;
    },
    resume(snapshot, sink) {
      if (!/^\d+\.\d+$/.test(snapshot?.socketId) || conns.has(snapshot.socketId)) {
        throw new TypeError("resume: a snapshot with a socket id this engine does not hold is required");
      }
      const channels = new Map<string, string | undefined>();
      for (const ch of snapshot.channels) channels.set(ch, snapshot.presence?.[ch]);
      conns.set(snapshot.socketId, {
        socketId: snapshot.socketId,
        sink,
        connectedAt: snapshot.connectedAt,
        lastSeen: snapshot.lastSeen,
        userId: snapshot.userId,
        userInfo: snapshot.userInfo,
        channels,
        rateWindowStart: 0,
        rateCount: 0,
        queue: Promise.resolve(),
        queued: 0,
        closed: false,
      });
    },
  };
}
