/**
 * Hono building blocks for Pusher Channels, and a standalone app that runs anywhere Hono runs (Deno, Cloudflare
 * Workers, Bun, Node):
 *
 * - {@linkcode pusherChannelAuth} and {@linkcode pusherUserAuth}: pusher-js auth endpoints with your own hook;
 * - {@linkcode pusherWebhook}: webhook verification on the raw body, typed events on `c.get("pusherWebhook")`;
 * - {@linkcode jwtAuthPolicy}: a bearer-JWT policy for the auth endpoints;
 * - {@linkcode createEmulator}: a signature-verifying stand-in for the Channels REST API, with a live debug page;
 * - {@linkcode createApp} and {@linkcode appOptionsFromEnv}: all of the above, configured from the environment;
 * - {@linkcode createLiveServer}: the app plus a Pusher protocol 7 WebSocket server on the same port.
 *
 * Hono is imported only by this subpath.
 *
 * @example A complete auth + webhook server
 * ```ts
 * import { Hono } from "hono";
 * import { pusherChannelAuth, pusherWebhook } from "@pusher-edge/pusher-edge/hono";
 *
 * const credentials = { key: "app-key", secret: "app-secret" };
 * const app = new Hono();
 * app.post("/pusher/auth", pusherChannelAuth({ ...credentials, authorize: (_c, { channel }) => channel === "private-ok" }));
 * app.post("/pusher/webhook", pusherWebhook({ credentials }), (c) => c.json({ n: c.get("pusherWebhook").events.length }));
 * const res = await app.request("/pusher/auth", {
 *   method: "POST",
 *   headers: { "content-type": "application/x-www-form-urlencoded" },
 *   body: "socket_id=1.1&channel_name=private-nope",
 * });
 * if (res.status !== 403) throw new Error("expected a refusal");
 * ```
 *
 * @module
 */
export {
  type ChannelAuthOptions,
  type ChannelAuthRequest,
  type ChannelDecision,
  type Denial,
  type PresenceMember,
  pusherChannelAuth,
  pusherUserAuth,
  type UserAuthOptions,
  type UserAuthRequest,
  type UserDecision,
} from "./auth.ts";
export {
  pusherWebhook,
  type PusherWebhookVariables,
  type ReceivedWebhook,
  type WebhookMiddlewareOptions,
} from "./webhook.ts";
export { type AuthPolicy, jwtAuthPolicy, type JwtPolicyOptions } from "./policy.ts";
export { createEmulator, type EmulatedEvent, type EmulatorOptions, type LogEntry } from "./emulator/mod.ts";
export { type AppCredentials, type AppOptions, appOptionsFromEnv, DEMO_CREDENTIALS } from "./config.ts";
export { createApp } from "./app.ts";
export { createLiveServer, type LiveCluster, type LiveServer, type LiveSocket } from "./live_server.ts";
export { type LiveHooks, LiveLog } from "./emulator/live.ts";
export type {
  CacheMissEvent,
  ChannelOccupiedEvent,
  ChannelVacatedEvent,
  ClientEvent,
  IrregularWebhookEvent,
  MemberAddedEvent,
  MemberRemovedEvent,
  ParsedWebhookBody,
  SubscriptionCountEvent,
  UnknownWebhookEvent,
  WebhookEvent,
} from "../webhook_events.ts";
export type { Credentials } from "../verify_request.ts";
export type { HonoApp, HonoContext, HonoHandler, HonoMiddleware } from "./types.ts";
