import type { HonoContext as Context, HonoHandler as Handler } from "./types.ts";
import { authorizeChannel } from "../channel_auth.ts";
import { authenticateUser } from "../user_auth.ts";
import { PusherError } from "../errors.ts";
import { isEncryptedChannel, isPresenceChannel, validateChannelName, validateSocketId } from "../validate.ts";
import { bodyReader, checkMaxBytes, DEFAULT_MAX_BODY_BYTES, jsonError, parseFields } from "./_http.ts";

// Signed auth responses are per socket: never cache them.
const NO_STORE = { "cache-control": "no-store" } as const;

/** A presence-channel member, as pusher-js and the Pusher server expect it in `channel_data`. */
export interface PresenceMember {
  /** The member's id; shown to the other members. */
  user_id: string;
  /** Anything JSON-serialisable shown to the other members. */
  user_info?: unknown;
}

/** A refusal with a reason that is sent back to the client (so do not put secrets in it). */
export interface Denial {
  /** Why the request is refused. */
  deny: string;
  /** The HTTP status; 403 by default. */
  status?: 401 | 403;
}

/**
 * What an `authorize` hook decides: `false` (or `undefined`) refuses with 403, `true` allows a private or encrypted
 * channel, a {@linkcode PresenceMember} allows a presence channel (and is required there), and a {@linkcode Denial}
 * refuses with its reason.
 */
export type ChannelDecision = boolean | undefined | null | PresenceMember | Denial;

/** What the channel-authorization hook is told about the request. */
export interface ChannelAuthRequest {
  /** The validated `socket_id` (`digits.digits`). */
  socketId: string;
  /** The validated `channel_name`. */
  channel: string;
  /** Every other field of the body (pusher-js `channelAuthorization.params`). */
  params: Record<string, string>;
}

/** Options of {@linkcode pusherChannelAuth}. */
export interface ChannelAuthOptions {
  /** The app key. */
  key: string;
  /** The app secret. */
  secret: string;
  /** Base64 of the 32-byte master key; needed to authorize `private-encrypted-*` channels. */
  encryptionMasterKey?: string | Uint8Array;
  /** Decides who may subscribe; called only for well-formed requests. */
  authorize: (c: Context, request: ChannelAuthRequest) => ChannelDecision | Promise<ChannelDecision>;
  /** Largest body accepted, in bytes (413 above); 64 KiB by default. */
  maxBodyBytes?: number;
}

/** What the user-authentication hook returns: the `user_data` object (`id` required), or a refusal. */
export type UserDecision = false | undefined | null | Denial | { id: string; [field: string]: unknown };

/** What the user-authentication hook is told about the request. */
export interface UserAuthRequest {
  /** The validated `socket_id`. */
  socketId: string;
  /** Every other field of the body (pusher-js `userAuthentication.params`). */
  params: Record<string, string>;
}

/** Options of {@linkcode pusherUserAuth}. */
export interface UserAuthOptions {
  /** The app key. */
  key: string;
  /** The app secret. */
  secret: string;
  /** Says who the connection belongs to. */
  authenticate: (c: Context, request: UserAuthRequest) => UserDecision | Promise<UserDecision>;
  /** Largest body accepted, in bytes (413 above); 64 KiB by default. */
  maxBodyBytes?: number;
}

function checkCredentials(options: { key?: unknown; secret?: unknown } | undefined, name: string): void {
  if (typeof options !== "object" || options === null) throw new TypeError(`${name}: options are required`);
  if (typeof options.key !== "string" || options.key === "") {
    throw new TypeError(`${name}: key must be a non-empty string`);
  }
  if (typeof options.secret !== "string" || options.secret === "") {
    throw new TypeError(`${name}: secret must be a non-empty string`);
  }
}

function isDenial(value: unknown): value is Denial {
  return typeof value === "object" && value !== null && typeof (value as Denial).deny === "string";
}

function isThenable<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

function refuse(decision: unknown, fallback: string): never {
  if (isDenial(decision)) throw jsonError(decision.status ?? 403, decision.deny);
  throw jsonError(403, fallback);
}

function inputError(err: unknown): never {
  if (err instanceof PusherError) throw jsonError(400, err.message, { code: err.code });
  throw err;
}

/**
 * Creates a Hono handler for pusher-js channel authorization (`channelAuthorization.endpoint`, by default
 * `/pusher/auth`). It reads `socket_id` and `channel_name` from a form-urlencoded body (what pusher-js sends) or a JSON
 * body, validates both (400 JSON otherwise), asks your `authorize` hook, and answers
 * `{ auth, channel_data?, shared_secret? }`. A refusal is a 403 JSON `{ error }`; an oversized body is a 413.
 *
 * Options are checked when the handler is created, not on the first request.
 *
 * @param options credentials and the `authorize` hook
 * @returns a named Hono handler, `pusherChannelAuth`
 * @throws {TypeError} when the options are incomplete
 *
 * @example Allow private channels for everyone and presence for a fixed user
 * ```ts
 * import { Hono } from "hono";
 * import { pusherChannelAuth } from "@pusher-edge/pusher-edge/hono";
 *
 * const app = new Hono();
 * app.post("/pusher/auth", pusherChannelAuth({
 *   key: "278d425bdf160c739803",
 *   secret: "7ad3773142a6692b25b8",
 *   authorize: (_c, { channel }) => channel.startsWith("presence-") ? { user_id: "42" } : true,
 * }));
 *
 * const res = await app.request("/pusher/auth", {
 *   method: "POST",
 *   headers: { "content-type": "application/x-www-form-urlencoded" },
 *   body: "socket_id=1234.1234&channel_name=private-foobar",
 * });
 * const { auth } = await res.json();
 * if (auth !== "278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4") {
 *   throw new Error("unexpected signature");
 * }
 * ```
 */
export function pusherChannelAuth(options: ChannelAuthOptions): Handler {
  checkCredentials(options, "pusherChannelAuth");
  if (typeof options.authorize !== "function") throw new TypeError("pusherChannelAuth: authorize must be a function");
  const { key, secret, encryptionMasterKey, authorize } = options;
  const read = bodyReader(checkMaxBytes(options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES));

  return async function pusherChannelAuth(c) {
    const { socket_id, channel_name, ...params } = parseFields(c, await read(c));
    if (socket_id === undefined) throw jsonError(400, "Missing field: socket_id");
    if (channel_name === undefined) throw jsonError(400, "Missing field: channel_name");
    let socketId: string, channel: string;
    try {
      socketId = validateSocketId(socket_id);
      channel = validateChannelName(channel_name);
    } catch (err) {
      inputError(err);
    }
    const presence = isPresenceChannel(channel);
    if (!presence && !channel.startsWith("private-")) {
      throw jsonError(400, `Only private- and presence- channels need authorization, not ${JSON.stringify(channel)}`);
    }
    const encrypted = isEncryptedChannel(channel);
    if (encrypted && encryptionMasterKey === undefined) {
      throw jsonError(403, "This server has no encryption master key, so it cannot authorize encrypted channels");
    }

    // A synchronous hook's answer is used as is: one await less per request.
    let decision = authorize(c, { socketId, channel, params });
    if (isThenable(decision)) decision = await decision;
    if (decision === true) {
      if (presence) refuse(null, "Presence channels need a member: return { user_id, user_info }");
    } else if (typeof decision === "object" && decision !== null && !isDenial(decision)) {
      if (!presence) refuse(null, "A member was returned for a channel that is not a presence channel");
      if (typeof decision.user_id !== "string" || decision.user_id === "") {
        throw new TypeError("authorize returned a member without a non-empty string user_id");
      }
    } else {
      refuse(decision, `Not allowed to subscribe to ${JSON.stringify(channel)}`);
    }

    const member = decision === true ? undefined : decision as PresenceMember;
    let body;
    try {
      body = await authorizeChannel(
        member || encrypted
          ? {
            key,
            secret,
            socketId,
            channel,
            ...(member ? { channelData: { user_id: member.user_id, user_info: member.user_info } } : {}),
            ...(encrypted ? { encryptionMasterKey } : {}),
          }
          : { key, secret, socketId, channel },
      );
    } catch (err) {
      inputError(err);
    }
    // c.json, not a prebuilt `new Response`: that would be ~2–3 µs faster on Deno but would drop headers set earlier
    // with c.header() (e.g. hono/request-id's X-Request-Id), as for any handler returning its own Response.
    return c.json(body, 200, NO_STORE);
  };
}

/**
 * Creates a Hono handler for pusher-js user authentication (`userAuthentication.endpoint`, by default
 * `/pusher/user-auth`, used by `pusher.signin()`). It reads `socket_id` (form-urlencoded or JSON), asks your
 * `authenticate` hook for the user, and answers `{ auth, user_data }`. A refusal is a 403 JSON `{ error }`.
 *
 * @param options credentials and the `authenticate` hook
 * @returns a named Hono handler, `pusherUserAuth`
 * @throws {TypeError} when the options are incomplete
 *
 * @example Sign in every connection as user 12345
 * ```ts
 * import { Hono } from "hono";
 * import { pusherUserAuth } from "@pusher-edge/pusher-edge/hono";
 *
 * const app = new Hono();
 * app.post("/pusher/user-auth", pusherUserAuth({
 *   key: "278d425bdf160c739803",
 *   secret: "7ad3773142a6692b25b8",
 *   authenticate: () => ({ id: "12345" }),
 * }));
 *
 * const res = await app.request("/pusher/user-auth", {
 *   method: "POST",
 *   headers: { "content-type": "application/json" },
 *   body: JSON.stringify({ socket_id: "1234.1234" }),
 * });
 * const { auth, user_data } = await res.json();
 * if (user_data !== '{"id":"12345"}') throw new Error("unexpected user_data");
 * if (auth !== "278d425bdf160c739803:4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba") {
 *   throw new Error("unexpected signature");
 * }
 * ```
 */
export function pusherUserAuth(options: UserAuthOptions): Handler {
  checkCredentials(options, "pusherUserAuth");
  if (typeof options.authenticate !== "function") {
    throw new TypeError("pusherUserAuth: authenticate must be a function");
  }
  const { key, secret, authenticate } = options;
  const read = bodyReader(checkMaxBytes(options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES));

  return async function pusherUserAuth(c) {
    const { socket_id, ...params } = parseFields(c, await read(c));
    if (socket_id === undefined) throw jsonError(400, "Missing field: socket_id");
    let socketId: string;
    try {
      socketId = validateSocketId(socket_id);
    } catch (err) {
      inputError(err);
    }
    let decision = authenticate(c, { socketId, params });
    if (isThenable(decision)) decision = await decision;
    if (typeof decision !== "object" || decision === null || isDenial(decision)) {
      refuse(decision, "Not allowed to sign in");
    }
    if (typeof decision.id !== "string" || decision.id === "") {
      throw new TypeError("authenticate returned user data without a non-empty string id");
    }
    const body = await authenticateUser({ key, secret, socketId, userData: decision }).catch(inputError);
    return c.json(body, 200, NO_STORE);
  };
}
