/**
 * Validates trigger and batch input and builds the request bodies byte for byte as the official `pusher`
 * package does (`name`, `data`, `channels`, then params; string data raw, anything else `JSON.stringify`-ed),
 * without touching the caller's objects.
 *
 * @module
 */

import { stringifyData } from "../_json.ts";
import { PusherError, type PusherErrorCode } from "../errors.ts";
import {
  isEncryptedChannel,
  MAX_BATCH_EVENTS,
  MAX_CHANNELS_PER_TRIGGER,
  validateChannelName,
  validateEventName,
  validateSocketId,
  validateUserId,
} from "../validate.ts";
import type { ResolvedConfig } from "./_config.ts";

/** Optional trigger parameters (sent in the body after `name`, `data` and `channels`). */
export interface TriggerParams {
  /** Excludes this connection from receiving the event. */
  socket_id?: string;
  /** Attributes to return per channel: `user_count` (presence), `subscription_count`; a list is joined with `,`. */
  info?: string | readonly string[];
}

/** One event of a batch. Keys are sent in the caller's order, as the official package does. */
export interface BatchEvent {
  /** The channel (one per event). */
  channel: string;
  /** The event name. */
  name: string;
  /** The event data: a string is sent as is, anything else as `JSON.stringify(data)`. */
  data: unknown;
  /** Excludes this connection from receiving the event. */
  socket_id?: string;
  /** Attributes to return for this event's channel. */
  info?: string | readonly string[];
}

const INFO = /^[a-z_]+(?:,[a-z_]+)*$/;
const err = (code: PusherErrorCode, message: string) => new PusherError(code, message);

/** `info` as the string the API wants; `undefined` stays `undefined`. */
export function normalizeInfo(info: unknown): string | undefined {
  const joined = Array.isArray(info) ? info.join(",") : info;
  if (joined === undefined || (typeof joined === "string" && INFO.test(joined))) return joined;
  throw err("ERR_INVALID_PARAM", "info must be names such as user_count");
}

const encoder = new TextEncoder();

/**
 * Checks and copies one event (keys in the caller's order, `data` replaced by its final string, `socket_id` and
 * `info` checked) for `channel`; `where` names it in a message.
 */
async function prepare(
  cfg: ResolvedConfig,
  item: Record<string, unknown>,
  channel: string,
  where: string,
): Promise<Record<string, unknown>> {
  validateEventName(item.name);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    out[key] = value === undefined
      ? value
      : key === "socket_id"
      ? validateSocketId(value)
      : key === "info"
      ? normalizeInfo(value)
      : value;
  }
  let data = item.data;
  if (!isEncryptedChannel(channel)) data = typeof data === "string" ? data : stringifyData(data);
  else if (!cfg.masterKey) {
    throw err("ERR_ENCRYPTION_KEY_MISSING", `${channel} needs encryptionMasterKeyBase64`);
  } else if (!cfg.encryption) {
    throw err(
      "ERR_INVALID_CONFIG",
      `${channel} needs the encryption option (from ./encryption)`,
    );
  } else data = await cfg.encryption.encrypt(channel, data, cfg.masterKey);
  // At most 3 UTF-8 bytes per UTF-16 unit: a short string cannot exceed the limit, and is not encoded.
  const bytes = (data as string).length * 3 > cfg.maxPayloadBytes ? encoder.encode(data as string).length : 0;
  if (bytes > cfg.maxPayloadBytes) {
    throw err(
      "ERR_PAYLOAD_TOO_LARGE",
      `${where} data is ${bytes} bytes, over maxPayloadBytes (${cfg.maxPayloadBytes})`,
    );
  }
  out.data = data;
  return out;
}

/** Validates a trigger and returns its JSON body. Nothing is sent when this throws. */
export async function buildTriggerBody(
  cfg: ResolvedConfig,
  channelOrChannels: string | readonly string[],
  name: string,
  data: unknown,
  params: TriggerParams | undefined,
): Promise<string> {
  const channels = Array.isArray(channelOrChannels) ? [...channelOrChannels] : [channelOrChannels as string];
  if (!channels.length) throw err("ERR_INVALID_CHANNEL_NAME", "trigger needs at least one channel");
  if (channels.length > MAX_CHANNELS_PER_TRIGGER) {
    throw err("ERR_TOO_MANY_CHANNELS", `a trigger can address at most ${MAX_CHANNELS_PER_TRIGGER} channels`);
  }
  channels.forEach(validateChannelName);
  if (channels.length > 1 && channels.some(isEncryptedChannel)) {
    throw err("ERR_ENCRYPTED_MULTI_CHANNEL", "a private-encrypted- channel must be triggered alone");
  }
  if (typeof (params ?? {}) !== "object") throw err("ERR_INVALID_PARAM", "trigger params must be an object");
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value === undefined) continue;
    if (/^(name|data|channels?)$/.test(key)) throw err("ERR_RESERVED_PARAM", `trigger params must not set "${key}"`);
    if (key !== "info" && !/^(string|number|boolean)$/.test(typeof value)) {
      throw err("ERR_INVALID_PARAM", `trigger param "${key}" must be a string, number or boolean`);
    }
  }
  // Params come after name, data and channels, as in the official package; an undefined one cannot replace them.
  const body = Object.assign({ name, data, channels }, params, { name, data, channels });
  return JSON.stringify(await prepare(cfg, body as never, channels[0], "trigger"));
}

/**
 * Validates a batch and returns one JSON body per request: a single body for ≤10 events, or chunks of 10 when
 * `split` is set. More than 10 without `split` throws `ERR_BATCH_TOO_LARGE`.
 */
export async function buildBatchBodies(
  cfg: ResolvedConfig,
  batch: readonly BatchEvent[],
  split: boolean,
): Promise<string[]> {
  if (!Array.isArray(batch) || !batch.length) {
    throw err("ERR_INVALID_PARAM", "triggerBatch takes a non-empty array of events");
  }
  if (batch.length > MAX_BATCH_EVENTS && !split) {
    throw err(
      "ERR_BATCH_TOO_LARGE",
      `a batch holds at most ${MAX_BATCH_EVENTS} events; pass { split: true } to send several`,
    );
  }
  const prepared: object[] = [];
  for (const [i, item] of batch.entries()) {
    const where = `batch[${i}]`;
    if (!item || typeof item !== "object") throw err("ERR_INVALID_PARAM", `${where} must be an object`);
    if ("channels" in item) throw err("ERR_RESERVED_PARAM", `${where} must use "channel"`);
    prepared.push(await prepare(cfg, item as never, validateChannelName(item.channel), where));
  }
  const bodies: string[] = [];
  for (let i = 0; i < prepared.length; i += MAX_BATCH_EVENTS) {
    bodies.push(JSON.stringify({ batch: prepared.slice(i, i + MAX_BATCH_EVENTS) }));
  }
  return bodies;
}

/**
 * The body of `sendToUser`: a trigger to `#server-to-user-<userId>`. The `#` channel is reserved, so it skips the
 * channel-name rule (as the official package does) but keeps the event-name and payload checks.
 */
export async function buildUserEventBody(
  cfg: ResolvedConfig,
  userId: string,
  name: string,
  data: unknown,
): Promise<string> {
  const channel = `#server-to-user-${validateUserId(userId)}`;
  return JSON.stringify(await prepare(cfg, { name, data, channels: [channel] }, channel, "sendToUser"));
}
