/**
 * Validates trigger and batch input and builds the request bodies byte for byte as the official `pusher`
 * package does (`name`, `data`, `channels`, then params; string data raw, anything else `JSON.stringify`-ed),
 * without touching the caller's objects.
 *
 * @module
 */

import { stringifyData } from "../_json.ts";
import { PusherError } from "../errors.ts";
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
const BODY_KEYS = new Set(["name", "data", "channels", "channel"]);

/** `info` as the string the API wants; `undefined` stays `undefined`. */
export function normalizeInfo(info: unknown): string | undefined {
  if (info === undefined) return undefined;
  const joined = Array.isArray(info) ? info.join(",") : info;
  if (typeof joined !== "string" || !INFO.test(joined)) {
    throw new PusherError("ERR_INVALID_PARAM", "info must be attribute names such as user_count,subscription_count");
  }
  return joined;
}

/** The official package's `ensureJSON`: strings raw, anything else JSON. `undefined` and functions are refused. */
export function encodeData(data: unknown): string {
  return typeof data === "string" ? data : stringifyData(data);
}

const encoder = new TextEncoder();

/** Throws `ERR_PAYLOAD_TOO_LARGE` when the final `data` string exceeds `max` UTF-8 bytes. */
export function checkPayloadSize(data: string, max: number, where: string): void {
  if (data.length * 3 <= max) return; // cannot exceed: at most 3 UTF-8 bytes per UTF-16 unit
  const bytes = encoder.encode(data).length;
  if (bytes > max) {
    throw new PusherError(
      "ERR_PAYLOAD_TOO_LARGE",
      `${where}: data is ${bytes} bytes (UTF-8, after encryption); the limit is ${max}`,
    );
  }
}

async function finalData(cfg: ResolvedConfig, channel: string, data: unknown): Promise<string> {
  if (!isEncryptedChannel(channel)) return encodeData(data);
  if (cfg.masterKey === undefined) {
    throw new PusherError(
      "ERR_ENCRYPTION_KEY_MISSING",
      `set encryptionMasterKeyBase64 before triggering on ${channel}`,
    );
  }
  if (cfg.encryption === undefined) {
    throw new PusherError(
      "ERR_INVALID_CONFIG",
      `triggering on ${channel} needs the encryption plug-in: ` +
        `import { encryption } from "@pusher-edge/pusher-edge/encryption" and pass new Pusher({ …, encryption })`,
    );
  }
  if (data === undefined) throw new PusherError("ERR_INVALID_PARAM", "event data must not be undefined");
  return await cfg.encryption.encrypt(channel, data, cfg.masterKey);
}

/** Validates a trigger and returns its JSON body. Nothing is sent when this throws. */
export async function buildTriggerBody(
  cfg: ResolvedConfig,
  channelOrChannels: string | readonly string[],
  event: string,
  data: unknown,
  params: TriggerParams | undefined,
): Promise<string> {
  const channels: readonly string[] = Array.isArray(channelOrChannels)
    ? [...channelOrChannels]
    : [channelOrChannels as string];
  if (channels.length === 0) throw new PusherError("ERR_INVALID_CHANNEL_NAME", "trigger needs at least one channel");
  if (channels.length > MAX_CHANNELS_PER_TRIGGER) {
    throw new PusherError(
      "ERR_TOO_MANY_CHANNELS",
      `a trigger can address at most ${MAX_CHANNELS_PER_TRIGGER} channels, not ${channels.length}`,
    );
  }
  for (const channel of channels) validateChannelName(channel);
  validateEventName(event);
  if (channels.length > 1 && channels.some(isEncryptedChannel)) {
    throw new PusherError(
      "ERR_ENCRYPTED_MULTI_CHANNEL",
      "an event for a private-encrypted- channel must be triggered to that channel alone",
    );
  }
  const extra = copyParams(params);
  const encoded = await finalData(cfg, channels[0], data);
  checkPayloadSize(encoded, cfg.maxPayloadBytes, "trigger");
  return JSON.stringify({ name: event, data: encoded, channels, ...extra });
}

function copyParams(params: TriggerParams | undefined): Record<string, unknown> {
  if (params === undefined || params === null) return {};
  if (typeof params !== "object") throw new PusherError("ERR_INVALID_PARAM", "trigger params must be an object");
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (BODY_KEYS.has(key)) {
      throw new PusherError("ERR_RESERVED_PARAM", `trigger params must not set "${key}"`);
    }
    if (key === "socket_id") out[key] = validateSocketId(value);
    else if (key === "info") out[key] = normalizeInfo(value);
    else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") out[key] = value;
    else throw new PusherError("ERR_INVALID_PARAM", `trigger param "${key}" must be a string, number or boolean`);
  }
  return out;
}

/** Validates one batch item and returns a copy with its final `data`, keys in the caller's order. */
async function prepareBatchEvent(cfg: ResolvedConfig, item: BatchEvent, index: number): Promise<object> {
  if (item === null || typeof item !== "object") {
    throw new PusherError("ERR_INVALID_PARAM", `batch[${index}] must be an object`);
  }
  validateChannelName(item.channel);
  validateEventName(item.name);
  if (item.socket_id !== undefined) validateSocketId(item.socket_id);
  const data = await finalData(cfg, item.channel, item.data);
  checkPayloadSize(data, cfg.maxPayloadBytes, `batch[${index}]`);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    if (key === "channels") throw new PusherError("ERR_RESERVED_PARAM", `batch[${index}] must use "channel"`);
    out[key] = key === "data" ? data : key === "info" ? normalizeInfo(value) : value;
  }
  if (!("data" in out)) out.data = data;
  return out;
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
  if (!Array.isArray(batch)) throw new PusherError("ERR_INVALID_PARAM", "triggerBatch takes an array of events");
  if (batch.length === 0) throw new PusherError("ERR_INVALID_PARAM", "triggerBatch needs at least one event");
  if (batch.length > MAX_BATCH_EVENTS && !split) {
    throw new PusherError(
      "ERR_BATCH_TOO_LARGE",
      `a batch holds at most ${MAX_BATCH_EVENTS} events, not ${batch.length}; pass { split: true } to send several`,
    );
  }
  const prepared: object[] = [];
  for (let i = 0; i < batch.length; i++) prepared.push(await prepareBatchEvent(cfg, batch[i], i));
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
export function buildUserEventBody(cfg: ResolvedConfig, userId: string, event: string, data: unknown): string {
  validateUserId(userId);
  validateEventName(event);
  const encoded = encodeData(data);
  checkPayloadSize(encoded, cfg.maxPayloadBytes, "sendToUser");
  return JSON.stringify({ name: event, data: encoded, channels: [`#server-to-user-${userId}`] });
}
