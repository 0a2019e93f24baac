/**
 * Validation rules shared by the signer, the client and the emulator. Pure and synchronous.
 *
 * @module
 */
import { PusherError } from "./errors.ts";

/** Longest channel name accepted (pusher-http-node, Go and Python agree on 200). */
export const MAX_CHANNEL_NAME_LENGTH = 200;
/** Longest event name accepted. */
export const MAX_EVENT_NAME_LENGTH = 200;
/** Most channels one trigger may name. */
export const MAX_CHANNELS_PER_TRIGGER = 100;
/** Most events one batch request may carry. */
export const MAX_BATCH_EVENTS = 10;
/** Largest event `data`, in UTF-8 bytes, that Pusher accepts (it answers 413 above). */
export const MAX_DATA_BYTES = 10240;

const CHANNEL_RE = /^[A-Za-z0-9_\-=@,.;]+$/;
// ASCII digits only: \d would be ASCII in JS too, but spelling it out keeps ports to Python honest.
const SOCKET_ID_RE = /^[0-9]+\.[0-9]+$/;

function quote(value: unknown): string {
  const s = typeof value === "string" ? value : String(value);
  return JSON.stringify(s.length > 40 ? s.slice(0, 40) + "…" : s);
}

/**
 * Checks a channel name: 1 to 200 characters from `A-Z a-z 0-9 _ - = @ , . ;`.
 *
 * @param name the channel name
 * @returns the name, unchanged
 * @throws {PusherError} `ERR_INVALID_CHANNEL_NAME` or `ERR_CHANNEL_NAME_TOO_LONG`
 *
 * @example
 * ```ts
 * import { validateChannelName } from "@pusher-edge/pusher-edge";
 * validateChannelName("private-chat");
 * ```
 */
export function validateChannelName(name: unknown): string {
  if (typeof name !== "string" || !CHANNEL_RE.test(name)) {
    throw new PusherError("ERR_INVALID_CHANNEL_NAME", `Invalid channel name: ${quote(name)}`);
  }
  if (name.length > MAX_CHANNEL_NAME_LENGTH) {
    throw new PusherError(
      "ERR_CHANNEL_NAME_TOO_LONG",
      `Channel name too long (${name.length} > ${MAX_CHANNEL_NAME_LENGTH}): ${quote(name)}`,
    );
  }
  return name;
}

/**
 * Checks a socket id: ASCII digits, a dot, ASCII digits. Rejects `:` injection (GHSA-7v7m-pcw5-h3cg),
 * surrounding whitespace, and non-ASCII digits.
 *
 * @param id the socket id sent by pusher-js
 * @returns the id, unchanged
 * @throws {PusherError} `ERR_INVALID_SOCKET_ID`
 *
 * @example
 * ```ts
 * import { validateSocketId } from "@pusher-edge/pusher-edge";
 * validateSocketId("1234.5678");
 * ```
 */
export function validateSocketId(id: unknown): string {
  if (typeof id !== "string" || !SOCKET_ID_RE.test(id)) {
    throw new PusherError("ERR_INVALID_SOCKET_ID", `Invalid socket id: ${quote(id)}`);
  }
  return id;
}

/**
 * Checks an event name: a non-empty string of at most 200 characters.
 *
 * @param name the event name
 * @returns the name, unchanged
 * @throws {PusherError} `ERR_INVALID_EVENT_NAME` or `ERR_EVENT_NAME_TOO_LONG`
 *
 * @example
 * ```ts
 * import { validateEventName } from "@pusher-edge/pusher-edge";
 * validateEventName("new-message");
 * ```
 */
export function validateEventName(name: unknown): string {
  if (typeof name !== "string" || name.length === 0) {
    throw new PusherError("ERR_INVALID_EVENT_NAME", `Invalid event name: ${quote(name)}`);
  }
  if (name.length > MAX_EVENT_NAME_LENGTH) {
    throw new PusherError("ERR_EVENT_NAME_TOO_LONG", `Event name too long (${name.length} > ${MAX_EVENT_NAME_LENGTH})`);
  }
  return name;
}

/**
 * Checks a user id (sign-in, send-to-user, terminate): a non-empty string.
 *
 * @param id the user id
 * @returns the id, unchanged
 * @throws {PusherError} `ERR_INVALID_USER_ID`
 *
 * @example
 * ```ts
 * import { validateUserId } from "@pusher-edge/pusher-edge";
 * validateUserId("user-1");
 * ```
 */
export function validateUserId(id: unknown): string {
  if (typeof id !== "string" || id.length === 0) {
    throw new PusherError("ERR_INVALID_USER_ID", `Invalid user id: ${quote(id)}`);
  }
  return id;
}

/**
 * Whether a channel is end-to-end encrypted (`private-encrypted-` prefix, case-sensitive).
 *
 * @param name the channel name
 * @returns true for `private-encrypted-*`
 *
 * @example
 * ```ts
 * import { isEncryptedChannel } from "@pusher-edge/pusher-edge";
 * if (!isEncryptedChannel("private-encrypted-a")) throw new Error();
 * ```
 */
export function isEncryptedChannel(name: string): boolean {
  return name.startsWith("private-encrypted-");
}

/**
 * Whether a channel is a presence channel (`presence-` prefix).
 *
 * @param name the channel name
 * @returns true for `presence-*`
 *
 * @example
 * ```ts
 * import { isPresenceChannel } from "@pusher-edge/pusher-edge";
 * if (!isPresenceChannel("presence-room")) throw new Error();
 * ```
 */
export function isPresenceChannel(name: string): boolean {
  return name.startsWith("presence-");
}
