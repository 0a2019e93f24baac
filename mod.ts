/**
 * pusher-edge: the Pusher Channels HTTP API on Web Crypto, for Deno, Cloudflare Workers, Bun, Node and browsers.
 *
 * The core signs and verifies REST requests, authorizes private, presence and encrypted channels, authenticates
 * users and verifies webhooks. It uses only Web APIs; end-to-end encryption lives in `./encryption` and the Hono
 * app in `./hono`, so importing this module never loads them.
 *
 * @example Authorize a private channel for pusher-js
 * ```ts
 * import { authorizeChannel } from "@pusher-edge/pusher-edge";
 *
 * const body = await authorizeChannel({
 *   key: "278d425bdf160c739803",
 *   secret: "7ad3773142a6692b25b8",
 *   socketId: "1234.1234",
 *   channel: "private-foobar",
 * });
 * console.log(JSON.stringify(body));
 * ```
 *
 * @module
 */
export { PusherError, type PusherErrorCode, type PusherErrorStage } from "./src/errors.ts";
export {
  isEncryptedChannel,
  isPresenceChannel,
  MAX_BATCH_EVENTS,
  MAX_CHANNEL_NAME_LENGTH,
  MAX_CHANNELS_PER_TRIGGER,
  MAX_DATA_BYTES,
  MAX_EVENT_NAME_LENGTH,
  validateChannelName,
  validateEventName,
  validateSocketId,
  validateUserId,
} from "./src/validate.ts";
export {
  type Params,
  type ParamValue,
  type SignedRequest,
  signRequest,
  type SignRequestOptions,
} from "./src/sign_request.ts";
export {
  type Credentials,
  RequestVerificationError,
  type VerifiedRequest,
  verifyRequest,
  type VerifyRequestOptions,
} from "./src/verify_request.ts";
export { channelSharedSecret, parseMasterKey } from "./src/shared_secret.ts";
export {
  authorizeChannel,
  type AuthorizeChannelOptions,
  type ChannelAuthResponse,
  type PresenceMember,
} from "./src/channel_auth.ts";
export {
  authenticateUser,
  type AuthenticateUserOptions,
  type UserAuthResponse,
  type UserData,
} from "./src/user_auth.ts";
export {
  type HeadersLike,
  type VerifiedWebhook,
  verifyWebhook,
  type VerifyWebhookOptions,
  type WebhookInput,
} from "./src/webhook.ts";
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
} from "./src/webhook_events.ts";
export { WebhookBodyError } from "./src/webhook_events.ts";

// Client exports (REST client) go below this line.
export { Pusher } from "./src/client/pusher.ts";
export { MAX_ERROR_BODY_CHARS, PusherRequestError, type PusherRequestErrorCode } from "./src/client/errors.ts";
export type { CallOptions, PusherOptions, RequestEvent, ResponseEvent, RetryOptions } from "./src/client/options.ts";
export type { BatchEvent, TriggerParams } from "./src/client/_events.ts";
export type { EnvSource, ExtraOptions } from "./src/client/_from.ts";
export type { EncryptionProvider } from "./src/client/_encryption.ts";
export type {
  BatchResult,
  ChannelAttributes,
  ChannelResult,
  ChannelsResult,
  PresenceUser,
  TriggerResult,
  UsersResult,
} from "./src/client/types.ts";
export { PusherWebhook, type WebhookData, type WebhookRequest } from "./src/client/webhook.ts";
