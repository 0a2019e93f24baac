/**
 * The Pusher Channels protocol 7 server engine (the WebSocket half): runtime-agnostic, Web APIs only. Hosts (the
 * Deno, Bun and Node adapters in `./hono`, or a Durable Object) accept WebSockets and pass socket events in; the
 * engine answers with frames and close codes and emits webhook events. See `docs/websocket.md`.
 *
 * @example
 * ```ts
 * import { createEngine } from "@pusher-edge/pusher-edge/server";
 *
 * const engine = createEngine({ appId: "1", key: "k", secret: "s" });
 * const id = engine.connect("/app/k?protocol=7", { send() {}, close() {} });
 * if (!id || !/^\d+\.\d+$/.test(id)) throw new Error("no socket id");
 * ```
 *
 * @module
 */
export { createEngine, type Engine } from "./engine.ts";
export { type Awaitable, type BusHost, type ChannelBus, type JoinResult, type LeaveResult } from "./bus.ts";
export { createLocalBus } from "./local_bus.ts";
export {
  createWebhookSender,
  type WebhookAttempt,
  type WebhookSender,
  type WebhookSenderOptions,
} from "./webhook_sender.ts";
export type {
  CachedEvent,
  ChannelInfo,
  ConnectionSnapshot,
  EngineOptions,
  FrameRecord,
  Member,
  OutgoingWebhookEvent,
  PublishInput,
  SocketSink,
} from "./types.ts";
