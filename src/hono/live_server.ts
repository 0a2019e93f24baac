import { createApp } from "./app.ts";
import { type AppOptions, DEMO_CREDENTIALS } from "./config.ts";
import { LiveLog } from "./emulator/live.ts";
import type { HonoApp } from "./types.ts";
import { createEngine, type Engine } from "../server/engine.ts";
import { createWebhookSender, type WebhookSender } from "../server/webhook_sender.ts";
import type { SocketSink } from "../server/types.ts";
import type { ChannelBus } from "../server/bus.ts";

/** A shared channel bus and what goes with it, for a server that is one of several processes (see `./redis`). */
export interface LiveCluster {
  /** Where channel state lives instead of this process. */
  bus: ChannelBus;
  /** Its state for `GET /health`; `ok: false` answers 503 with `status: "degraded"`. */
  health?: () => { ok: boolean; [detail: string]: unknown };
  /** Called at the end of {@linkcode LiveServer.shutdown}, e.g. to leave the shared state and disconnect. */
  close?: () => Promise<void>;
}

/** One accepted WebSocket, as an adapter drives it. */
export interface LiveSocket {
  /** A frame arrived (text, or binary as bytes). */
  message(data: string | ArrayBuffer | Uint8Array): void;
  /** The socket closed, for whatever reason. */
  closed(): void;
}

/** The standalone app plus the protocol 7 engine behind its WebSockets. */
export interface LiveServer {
  /** The Hono app: REST API emulator, auth endpoints, webhook receiver, debug page. */
  app: HonoApp;
  /** The engine; undefined when the emulator is off (production credentials without `PUSHER_EMULATOR=1`). */
  engine: Engine | undefined;
  /** Outgoing webhooks to `webhookUrls`. */
  webhooks: WebhookSender;
  /** Whether a request asks for a WebSocket this server serves. */
  isUpgrade(request: Request): boolean;
  /** Registers an accepted WebSocket for `url`; call once it is open. */
  open(url: string, sink: SocketSink): LiveSocket;
  /** Starts the once-a-second tick (pings, 4201 closes, delayed and retried webhooks); returns a stop function. */
  start(): () => void;
  /** Closes every socket with 4200 (pusher-js reconnects at once), stops the tick and waits for webhooks in flight. */
  shutdown(): Promise<void>;
}

/** Webhook types sent when `webhookEvents` is not set: subscription_count is opt-in, like its dashboard setting. */
export const DEFAULT_WEBHOOK_EVENTS: readonly string[] = [
  "channel_occupied",
  "channel_vacated",
  "member_added",
  "member_removed",
  "client_event",
  "cache_miss",
];

/**
 * Builds what `deno task start` (and the Bun and Node entry points) serve on one port: the app of
 * {@linkcode createApp}, and, in emulator mode, a Pusher protocol 7 WebSocket server on `/app/{key}` whose live state
 * the REST API reads and writes, with webhooks sent to `webhookUrls`. Runtime adapters call `isUpgrade`, accept the
 * WebSocket, then `open(url, sink)`; this module itself uses only Web APIs and timers.
 *
 * @param options the same options as {@linkcode createApp}
 * @param cluster a shared channel bus (e.g. Redis) when this process is one of several; in-process by default
 * @returns the server parts
 * @throws {TypeError} on inconsistent options
 *
 * @example A socket driven by hand
 * ```ts
 * import { createLiveServer } from "@pusher-edge/pusher-edge/hono";
 *
 * const server = createLiveServer({});
 * const frames: string[] = [];
 * const socket = server.open("/app/emulator-key?protocol=7", { send: (f) => frames.push(f), close() {} });
 * socket.message('{"event":"pusher:ping","data":{}}');
 * await new Promise((r) => setTimeout(r, 0));
 * if (!frames.some((f) => f.includes("pusher:pong"))) throw new Error("no pong");
 * socket.closed();
 * await server.shutdown();
 * ```
 */
export function createLiveServer(options: AppOptions = {}, cluster?: LiveCluster): LiveServer {
  const emulator = options.emulator ?? options.credentials === undefined;
  const creds = options.credentials ?? DEMO_CREDENTIALS;
  const log = new LiveLog();
  const kinds = new Set(options.webhookEvents ?? DEFAULT_WEBHOOK_EVENTS);
  const webhooks = createWebhookSender({
    key: creds.key,
    secret: creds.secret,
    urls: options.webhookUrls ?? [],
    batch: options.webhookBatch,
    onAttempt: (a) => log.attempt(a),
  });
  const engine = emulator
    ? createEngine({
      appId: creds.appId,
      key: creds.key,
      secret: creds.secret,
      activityTimeout: options.activityTimeout,
      webhookDelayMs: options.webhookDelayMs,
      clientEventsPerSecond: options.clientEventsPerSecond,
      onWebhook: (e) => kinds.has(e.name) && webhooks.enqueue(e),
      onFrame: (f) => log.frame(f),
      bus: cluster?.bus,
    })
    : undefined;
  const app = createApp(options, engine ? { engine, log, health: cluster?.health } : undefined);
  let timer: ReturnType<typeof setInterval> | undefined;
  const tick = () => {
    engine?.tick();
    webhooks.tick();
  };

  return {
    app,
    engine,
    webhooks,
    isUpgrade(request) {
      return engine !== undefined && request.headers.get("upgrade")?.toLowerCase() === "websocket";
    },
    open(url, sink) {
      if (!engine) throw new TypeError("createLiveServer: no WebSocket engine (the emulator is off)");
      const id = engine.connect(url, sink);
      return {
        message(data) {
          if (id !== undefined) void engine.message(id, data);
        },
        closed() {
          if (id !== undefined) void engine.disconnect(id);
        },
      };
    },
    start() {
      timer ??= setInterval(tick, 500);
      // Deno and Node: the tick alone must not keep the process alive.
      (timer as { unref?: () => void }).unref?.();
      return () => {
        clearInterval(timer);
        timer = undefined;
      };
    },
    async shutdown() {
      engine?.closeAll(4200, "Server is restarting. Please reconnect immediately");
      clearInterval(timer);
      timer = undefined;
      tick();
      await webhooks.idle();
      await cluster?.close?.();
    },
  };
}
