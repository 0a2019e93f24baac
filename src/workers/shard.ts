/**
 * `PusherShard`: a connection shard, one of `PUSHER_SHARDS` Durable Objects that hold the app's WebSockets through the
 * hibernation API. Each runs the protocol engine with a {@linkcode ShardBus}; each socket's connection state (socket
 * id, user, channels) is in its attachment, so when the runtime rebuilds the object after hibernation the engine takes
 * the sockets back without a handshake. `pusher:ping` is answered by the runtime itself (auto-response), so a client
 * keeping its socket alive does not wake the object.
 *
 * @module
 */
import { appOptionsFromEnv, DEMO_CREDENTIALS } from "../hono/mod.ts";
import { DEFAULT_WEBHOOK_EVENTS } from "../hono/live_server.ts";
import { type ConnectionSnapshot, createEngine, type Engine } from "../server/mod.ts";
import { call, serve, Stubs } from "./_rpc.ts";
import { ShardBus } from "./_shard_bus.ts";
import {
  autoResponse,
  type DurableObjectState,
  type HibernatableWebSocket,
  upgradeResponse,
  webSocketPair,
  type WorkerEnv,
} from "./_types.ts";

interface Attachment {
  shard: number;
  id: string;
  /** The connection, or absent when it outgrew the attachment and sits in storage under `c:{id}`. */
  conn?: ConnectionSnapshot;
}

// The runtime caps an attachment at 16 KiB; leave room for the envelope.
const MAX_ATTACHMENT = 15 * 1024;
const PING = '{"event":"pusher:ping","data":{}}';
const PONG = '{"event":"pusher:pong","data":{}}';
const CLIENT_EVENT = /^\s*\{\s*"event"\s*:\s*"client-/;

/** The connection shard object; see the module documentation. */
export class PusherShard {
  readonly #state: DurableObjectState;
  readonly #engine: Engine;
  readonly #bus: ShardBus;
  #index = -1;
  readonly #ids = new Map<HibernatableWebSocket, string>();
  readonly #inStorage = new Set<string>();
  /** Tells incarnations apart: a new value after each wake from hibernation. */
  readonly #instance = crypto.randomUUID();

  /** Called by the runtime, also when it wakes the object for a hibernated socket. */
  constructor(state: DurableObjectState, env: WorkerEnv) {
    this.#state = state;
    const options = appOptionsFromEnv(env);
    const creds = options.credentials ?? DEMO_CREDENTIALS;
    const kinds = new Set(options.webhookEvents ?? DEFAULT_WEBHOOK_EVENTS);
    const stubs = new Stubs(env);
    this.#bus = new ShardBus(stubs, () => this.#index);
    const hub = stubs.hub();
    this.#engine = createEngine({
      appId: creds.appId,
      key: creds.key,
      secret: creds.secret,
      activityTimeout: options.activityTimeout,
      clientEventsPerSecond: options.clientEventsPerSecond,
      // The hub delays and de-duplicates across shards; a shard forwards every event at once.
      webhookDelayMs: 0,
      // Without webhook URLs there is nothing to send: save the hub a request per event.
      onWebhook: options.webhookUrls?.length
        ? (event) => void (kinds.has(event.name) && call(hub, "webhook", { event }).catch(() => {}))
        : undefined,
      bus: this.#bus,
    });
    const pair = autoResponse(PING, PONG);
    if (pair) state.setWebSocketAutoResponse(pair);
    const stored: [HibernatableWebSocket, Attachment][] = [];
    for (const ws of state.getWebSockets()) {
      const att = ws.deserializeAttachment() as Attachment | null;
      if (!att) continue;
      this.#index = att.shard;
      if (att.conn) this.#restore(ws, att.conn);
      else stored.push([ws, att]);
    }
    if (stored.length > 0) {
      void state.blockConcurrencyWhile(async () => {
        for (const [ws, att] of stored) {
          const conn = await state.storage.get<ConnectionSnapshot>(`c:${att.id}`);
          if (conn) {
            this.#inStorage.add(att.id);
            this.#restore(ws, conn);
          } else ws.close(4200, "Connection state lost; please reconnect");
        }
      });
    }
  }

  #sink(ws: HibernatableWebSocket) {
    return {
      send(frame: string) {
        try {
          ws.send(frame);
        } catch { /* closed */ }
      },
      close(code: number, reason: string) {
        try {
          ws.close(code, reason);
        } catch { /* closed */ }
      },
    };
  }

  #restore(ws: HibernatableWebSocket, conn: ConnectionSnapshot): void {
    this.#ids.set(ws, conn.socketId);
    this.#engine.resume(conn, this.#sink(ws));
    for (const channel of conn.channels) {
      if (!channel.startsWith("#")) this.#bus.restore(channel, conn.socketId, conn.presence?.[channel]);
    }
  }

  /** Writes the connection's state where the next incarnation of this object will find it. */
  async #save(ws: HibernatableWebSocket, id: string): Promise<void> {
    const conn = this.#engine.snapshot(id);
    if (!conn) return;
    const att: Attachment = { shard: this.#index, id, conn };
    if (JSON.stringify(att).length <= MAX_ATTACHMENT) {
      ws.serializeAttachment(att);
      if (this.#inStorage.delete(id)) await this.#state.storage.delete(`c:${id}`);
      return;
    }
    await this.#state.storage.put(`c:${id}`, conn);
    this.#inStorage.add(id);
    ws.serializeAttachment({ shard: this.#index, id });
  }

  #accept(request: Request): Response {
    this.#index = Number(request.headers.get("x-pusher-shard") ?? 0);
    const [client, server] = webSocketPair();
    this.#state.acceptWebSocket(server);
    const id = this.#engine.connect(request.url, this.#sink(server));
    if (id !== undefined) {
      this.#ids.set(server, id);
      server.serializeAttachment({ shard: this.#index, id, conn: this.#engine.snapshot(id) } satisfies Attachment);
    }
    const wanted = request.headers.get("sec-websocket-protocol")?.split(",").map((p) => p.trim()) ?? [];
    const protocol = wanted.find((p) => p.startsWith("pusher-channels-protocol-"));
    return upgradeResponse(client, protocol ? { "sec-websocket-protocol": protocol } : undefined);
  }

  /** Called by the runtime: a WebSocket upgrade routed here by the Worker, or a call from a channel object or the hub. */
  fetch(request: Request): Response | Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() === "websocket") return this.#accept(request);
    const host = () => this.#bus.host();
    return serve(request, {
      deliver: (b) => this.#bus.deliverLocal(b.channel as string, b.frame as string, b.except as string | undefined),
      to: (b) => {
        for (const sid of b.sockets as string[]) host()?.deliver(sid, b.frame as string);
      },
      close: (b) => {
        for (const sid of b.sockets as string[]) {
          if (this.#engine.closeSocket(sid, b.code as number, b.reason as string)) return true;
        }
        return false;
      },
      terminate: (b) => {
        for (const sid of b.sockets as string[]) host()?.terminate(sid);
      },
      state: () => ({
        shard: this.#index,
        instance: this.#instance,
        channels: this.#bus.localCounts(),
        connections: this.#engine.connections(),
      }),
    });
  }

  /** Called by the runtime for each frame, waking the object if it hibernated. */
  async webSocketMessage(ws: HibernatableWebSocket, message: string | ArrayBuffer): Promise<void> {
    const id = this.#ids.get(ws);
    if (id === undefined) return;
    await this.#engine.message(id, message);
    // Client events change nothing a restart needs; subscribe, unsubscribe and signin do.
    if (typeof message === "string" && !CLIENT_EVENT.test(message)) await this.#save(ws, id);
  }

  /** Called by the runtime when the client closed; answers the close (1000 for the codes that cannot be sent). */
  async webSocketClose(ws: HibernatableWebSocket, code: number, reason: string): Promise<void> {
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch { /* already closed */ }
    await this.#gone(ws);
  }

  /** Called by the runtime when the socket failed. */
  async webSocketError(ws: HibernatableWebSocket): Promise<void> {
    await this.#gone(ws);
  }

  async #gone(ws: HibernatableWebSocket): Promise<void> {
    const id = this.#ids.get(ws);
    if (id === undefined) return;
    this.#ids.delete(ws);
    await this.#engine.disconnect(id);
    if (this.#inStorage.delete(id)) await this.#state.storage.delete(`c:${id}`);
  }
}
