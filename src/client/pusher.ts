/**
 * The `Pusher` REST client: the official `pusher` package's call shapes on `fetch` and Web Crypto.
 *
 * @module
 */

import { authorizeChannel, type ChannelAuthResponse } from "../channel_auth.ts";
import { PusherError } from "../errors.ts";
import { channelSharedSecret } from "../shared_secret.ts";
import { type Params, signRequest } from "../sign_request.ts";
import { authenticateUser, type UserAuthResponse, type UserData } from "../user_auth.ts";
import { resolveConfig, type ResolvedConfig } from "./_config.ts";
import {
  type BatchEvent,
  buildBatchBodies,
  buildTriggerBody,
  buildUserEventBody,
  type TriggerParams,
} from "./_events.ts";
import { type EnvSource, type ExtraOptions, optionsFromEnv, optionsFromURL } from "./_from.ts";
import { channelInfo, channelUsers, checkPath, json, listChannels, terminatePath } from "./_queries.ts";
import { send } from "./_transport.ts";
import type { CallOptions, PusherOptions } from "./options.ts";
import type { BatchResult, ChannelResult, ChannelsResult, TriggerResult, UsersResult } from "./types.ts";
import { Token } from "./token.ts";
import { PusherWebhook, type WebhookRequest } from "./webhook.ts";

/**
 * A client for the Pusher Channels HTTP API. Same methods as the official `pusher` package, but every call is
 * `async` (Web Crypto), input is validated before anything is sent, HTTPS is the default, and failures are typed.
 *
 * @example Trigger an event (with a stand-in `fetch`, so this example stays offline)
 * ```ts
 * import { Pusher } from "@pusher-edge/pusher-edge";
 * const pusher = new Pusher({
 *   appId: "123",
 *   key: "key",
 *   secret: "secret",
 *   cluster: "eu",
 *   fetch: async () => Response.json({}),
 * });
 * await pusher.trigger("my-channel", "my-event", { message: "hello world" });
 * ```
 */
export class Pusher {
  #cfg: ResolvedConfig;

  /**
   * Creates a client. Nothing is sent until a method is called.
   *
   * @param options credentials, host and transport settings; checked here, so a bad option fails early
   * @throws {PusherError} `ERR_INVALID_CONFIG` or `ERR_ENCRYPTION_KEY_INVALID`, naming the option (never its value)
   */
  constructor(options: PusherOptions) {
    this.#cfg = resolveConfig(options);
  }

  /**
   * A client from `https://KEY:SECRET@HOST[:PORT][/PREFIX]/apps/APP_ID`; a path before `/apps/` becomes `pathPrefix`.
   *
   * @example
   * ```ts
   * import { Pusher } from "@pusher-edge/pusher-edge";
   * const pusher = Pusher.forURL("https://key:secret@api-eu.pusher.com/apps/123");
   * ```
   *
   * @param url the app URL
   * @param options any other option (`fetch`, `retry`, `encryption`, …)
   * @returns the client
   */
  static forURL(url: string | URL, options?: ExtraOptions): Pusher {
    return new Pusher(optionsFromURL(url, options));
  }

  /**
   * A client from `PUSHER_URL`, or `PUSHER_APP_ID`, `PUSHER_KEY`, `PUSHER_SECRET` and `PUSHER_CLUSTER` (or
   * `PUSHER_HOST`), read from `env` (a Workers `env`, `Deno.env`, `process.env`) or the ambient environment.
   *
   * @example With a Workers-style env object
   * ```ts
   * import { Pusher } from "@pusher-edge/pusher-edge";
   * const pusher = Pusher.fromEnv({ PUSHER_APP_ID: "1", PUSHER_KEY: "k", PUSHER_SECRET: "s", PUSHER_CLUSTER: "eu" });
   * ```
   *
   * @param env where to read the variables; defaults to `Deno.env` or `process.env`
   * @param options any other option
   * @returns the client
   * @throws {PusherError} `ERR_INVALID_CONFIG` naming every missing variable
   */
  static fromEnv(env?: EnvSource, options?: ExtraOptions): Pusher {
    return new Pusher(optionsFromEnv(env, options));
  }

  /**
   * A client for a cluster, as the official `Pusher.forCluster(cluster, options)`: the host becomes
   * `api-<cluster>.pusher.com` (a `host` in `options` is replaced).
   *
   * @example
   * ```ts
   * import { Pusher } from "@pusher-edge/pusher-edge";
   * const pusher = Pusher.forCluster("eu", { appId: "123", key: "key", secret: "secret" });
   * ```
   *
   * @param cluster the cluster, e.g. `eu`
   * @param options the other options
   * @returns the client
   */
  static forCluster(cluster: string, options: Omit<PusherOptions, "cluster" | "host">): Pusher {
    return new Pusher({ ...options, host: undefined, cluster });
  }

  /** The official package's `Pusher.Token`: a key/secret pair that signs and verifies strings. */
  static Token: typeof Token = Token;

  /**
   * Triggers `event` on one channel or up to 100. Data that is not a string is sent as `JSON.stringify(data)`;
   * on a `private-encrypted-*` channel it is encrypted (needs `encryptionMasterKeyBase64` and `encryption`).
   *
   * @param channels a channel name, or a list of at most 100
   * @param event the event name (at most 200 characters)
   * @param data the payload; at most `maxPayloadBytes` UTF-8 bytes once encoded (and encrypted)
   * @param params `socket_id` to exclude a connection, `info` to get channel attributes back
   * @param call a per-call `signal`
   * @returns the channels' attributes when `info` was given
   * @throws {PusherError} input codes before sending; {@linkcode PusherRequestError} after
   */
  async trigger(
    channels: string | readonly string[],
    event: string,
    data: unknown,
    params?: TriggerParams,
    call?: CallOptions,
  ): Promise<TriggerResult> {
    const body = await buildTriggerBody(this.#cfg, channels, event, data, params);
    return { channels: (await json<TriggerResult>(this.#cfg, "/events", {}, body, call)).channels ?? {} };
  }

  /**
   * Triggers up to 10 events in one request. The caller's objects are never modified. With `split: true`, a
   * longer list is sent as several requests of 10, one after the other (a failure stops the rest).
   *
   * @param batch the events
   * @param options `split` to allow more than 10 events, and a `signal`
   * @returns per-event attributes when `info` was given
   * @throws {PusherError} `ERR_BATCH_TOO_LARGE` and the input codes before sending
   */
  async triggerBatch(
    batch: readonly BatchEvent[],
    options?: CallOptions & { split?: boolean },
  ): Promise<BatchResult> {
    const bodies = await buildBatchBodies(this.#cfg, batch, options?.split === true);
    const out: BatchResult = { batch: [] };
    for (const body of bodies) {
      const { batch } = await json<BatchResult>(this.#cfg, "/batch_events", {}, body, options);
      if (Array.isArray(batch)) out.batch.push(...batch);
    }
    return out;
  }

  /**
   * Sends an event to every connection of a signed-in user (channel `#server-to-user-<userId>`).
   *
   * @param userId the user id given at sign-in
   * @param event the event name
   * @param data the payload
   * @param call a per-call `signal`
   */
  async sendToUser(userId: string, event: string, data: unknown, call?: CallOptions): Promise<void> {
    await json(this.#cfg, "/events", {}, await buildUserEventBody(this.#cfg, userId, event, data), call);
  }

  /**
   * Disconnects every connection of a signed-in user.
   *
   * @param userId the user id given at sign-in (no `/`, `?`, `#`, `%` or whitespace)
   * @param call a per-call `signal`
   */
  async terminateUserConnections(userId: string, call?: CallOptions): Promise<void> {
    await json(this.#cfg, terminatePath(userId), {}, "{}", call);
  }

  /**
   * `GET /apps/{appId}{path}`, signed. Resolves to the `Response` (2xx only), as in `pusher`.
   *
   * @param options the path below `/apps/{appId}` and the query params
   * @param call a per-call `signal`
   * @returns the response, body unread
   */
  async get(options: { path: string; params?: Params }, call?: CallOptions): Promise<Response> {
    return await this.#raw("GET", options, undefined, call);
  }

  /**
   * `POST /apps/{appId}{path}` with `JSON.stringify(body)`, signed. Resolves to the `Response` (2xx only).
   *
   * @param options the path below `/apps/{appId}`, the body (serialised as in `pusher`) and query params
   * @param call a per-call `signal`
   * @returns the response, body unread
   */
  async post(options: { path: string; body?: unknown; params?: Params }, call?: CallOptions): Promise<Response> {
    // The official package's serialisation: a truthy body is JSON.stringify-ed, anything else means no body.
    const body = options.body ? JSON.stringify(options.body) : undefined;
    return await this.#raw("POST", options, body, call);
  }

  /**
   * Lists occupied channels, optionally by prefix; `info: "user_count"` needs a `presence-` prefix.
   *
   * @param options `prefix` (sent as `filter_by_prefix`) and `info`
   * @param call a per-call `signal`
   * @returns the occupied channels
   */
  async channels(
    options?: { prefix?: string; info?: string | readonly string[] },
    call?: CallOptions,
  ): Promise<ChannelsResult> {
    return await listChannels(this.#cfg, options, call);
  }

  /**
   * One channel's state: `occupied`, plus `user_count`, `subscription_count` or `cache` when asked for.
   *
   * @param name the channel name
   * @param options `info`
   * @param call a per-call `signal`
   * @returns the channel's state
   */
  async channel(
    name: string,
    options?: { info?: string | readonly string[] },
    call?: CallOptions,
  ): Promise<ChannelResult> {
    return await channelInfo(this.#cfg, name, options, call);
  }

  /**
   * The members of a presence channel.
   *
   * @param channel a `presence-*` channel
   * @param call a per-call `signal`
   * @returns `{ users: [{ id }] }`
   */
  async users(channel: string, call?: CallOptions): Promise<UsersResult> {
    return await channelUsers(this.#cfg, channel, call);
  }

  /**
   * The body pusher-js expects from your channel auth endpoint. Presence data is `JSON.stringify`-ed, as in
   * `pusher`; an encrypted channel also gets its `shared_secret` (needs `encryptionMasterKeyBase64`).
   *
   * @param socketId the socket id pusher-js sent
   * @param channel the channel name
   * @param presenceData presence channels only: `{ user_id, user_info? }`
   * @returns `{ auth, channel_data?, shared_secret? }`
   */
  async authorizeChannel(socketId: string, channel: string, presenceData?: unknown): Promise<ChannelAuthResponse> {
    // Presence data is JSON.stringify-ed when given, as the official package does.
    const channelData = presenceData ? JSON.stringify(presenceData) : undefined;
    return await authorizeChannel({
      ...this.#cfg,
      socketId,
      channel,
      channelData,
      encryptionMasterKey: this.#cfg.masterKey,
    });
  }

  /**
   * The official package's deprecated name for {@linkcode Pusher.authorizeChannel}.
   *
   * @deprecated Use `authorizeChannel`.
   * @param socketId the socket id pusher-js sent
   * @param channel the channel name
   * @param presenceData presence channels only: `{ user_id, user_info? }`
   * @returns `{ auth, channel_data?, shared_secret? }`
   */
  authenticate(socketId: string, channel: string, presenceData?: unknown): Promise<ChannelAuthResponse> {
    return this.authorizeChannel(socketId, channel, presenceData);
  }

  /**
   * The body pusher-js expects from your user authentication endpoint (`pusher:signin`).
   *
   * @param socketId the socket id pusher-js sent
   * @param userData `{ id, user_info?, watchlist? }`
   * @returns `{ auth, user_data }`
   */
  async authenticateUser(socketId: string, userData: UserData): Promise<UserAuthResponse> {
    return await authenticateUser({ ...this.#cfg, socketId, userData });
  }

  /**
   * Wraps a received webhook; `await webhook.isValid()` before trusting it.
   *
   * @param request a Fetch `Request`, or `{ headers, rawBody }` as in `pusher`
   * @returns the webhook
   */
  webhook(request: WebhookRequest): PusherWebhook {
    return new PusherWebhook(this.#cfg, request);
  }

  /**
   * The 32-byte key of an encrypted channel: SHA-256(channel ‖ master key).
   *
   * @param channel a `private-encrypted-*` channel
   * @returns the shared secret
   */
  async channelSharedSecret(channel: string): Promise<Uint8Array> {
    const { masterKey } = this.#cfg;
    if (!masterKey) throw new PusherError("ERR_ENCRYPTION_KEY_MISSING", "set encryptionMasterKeyBase64 first");
    return await channelSharedSecret(channel, masterKey);
  }

  /**
   * A signed query string for a request you send yourself, as `pusher`'s method of the same name (`path` is
   * signed as given, without the `/apps/{appId}` prefix).
   *
   * @param options method, full path, params and the exact body
   * @returns the query string (no leading `?`), ending with `auth_signature`
   */
  async createSignedQueryString(
    options: { method: string; path: string; params?: Params; body?: string },
  ): Promise<string> {
    // The path is signed as given; an empty body means no body_md5.
    const { key, secret } = this.#cfg;
    return (await signRequest({ key, secret, ...options, body: options.body || null })).query;
  }

  async #raw(
    method: "GET" | "POST",
    options: { path: string; params?: Params },
    body: string | undefined,
    call: CallOptions | undefined,
  ): Promise<Response> {
    const res = await send(this.#cfg, method, this.#cfg.appPath + checkPath(options), options.params, body, call);
    return new Response(res.text, res);
  }

  /** What `JSON.stringify(pusher)` shows: no secret. */
  toJSON(): Record<string, unknown> {
    const { appId, key, host, useTLS, pathPrefix } = this.#cfg;
    return { appId, key, host, useTLS, pathPrefix, secret: "[redacted]" };
  }

  /** What `console.log(pusher)` shows in Deno: no secret. */
  [Symbol.for("Deno.customInspect")](): string {
    return `Pusher ${JSON.stringify(this.toJSON())}`;
  }

  /** What `console.log(pusher)` shows in Node and Bun: no secret. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `Pusher ${JSON.stringify(this.toJSON())}`;
  }
}
