// The emulated Channels REST API: every request is verified like production, then validated, recorded and answered.
import type { Context } from "hono";
import { utf8Encode } from "../../_bytes.ts";
import { decryptPayload } from "../../encryption/payload.ts";
import { PusherError } from "../../errors.ts";
import {
  isEncryptedChannel,
  isPresenceChannel,
  MAX_BATCH_EVENTS,
  MAX_CHANNELS_PER_TRIGGER,
  validateChannelName,
  validateEventName,
  validateSocketId,
  validateUserId,
} from "../../validate.ts";
import type { EmulatedEvent, EmulatorState } from "./state.ts";
import { channelCounts, occupiedChannels } from "./live.ts";

/** Thrown inside an operation to answer with a status and a message (JSON, or the production text for 401). */
export class ApiError extends Error {
  readonly status: number;
  readonly code?: string;
  constructor(status: number, message: string, code?: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export interface ApiConfig {
  appId: string;
  key: string;
  secret: string;
  masterKey?: Uint8Array;
  maxDataBytes: number;
  maxBodyBytes: number;
  now: () => number;
}

export interface OpContext {
  params: Record<string, string>;
  body: string;
  c: Context;
  events: EmulatedEvent[];
}

export type Operation = (ctx: OpContext) => Promise<Record<string, unknown>> | Record<string, unknown>;

function dataTooLarge(max: number): ApiError {
  return new ApiError(
    413,
    `The data content of this event exceeds the allowed maximum (${max} bytes). ` +
      "See http://pusher.com/docs/server_api_guide/server_publishing_events for more info",
    "ERR_PAYLOAD_TOO_LARGE",
  );
}

/** A user id taken from a path segment: non-empty, and nothing a URL would reinterpret or a log would hide. */
export function userIdParam(raw: string | undefined): string {
  const user = check(() => validateUserId(raw));
  if (!/^[^/?#%\\\s\p{Cc}]+$/u.test(user) || user === "." || user === "..") {
    throw new ApiError(
      400,
      "Invalid user id: not . or .., and no / \\ ? # %, whitespace or control characters in a path",
      "ERR_INVALID_USER_ID",
    );
  }
  return user;
}

function check<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof PusherError) throw new ApiError(400, err.message, err.code);
    throw err;
  }
}

const USER_CHANNEL_PREFIX = "#server-to-user-";

function checkTriggerChannel(name: unknown): string {
  if (typeof name === "string" && name.startsWith(USER_CHANNEL_PREFIX)) {
    const user = name.slice(USER_CHANNEL_PREFIX.length);
    check(() => validateChannelName(user));
    return name;
  }
  return check(() => validateChannelName(name));
}

function parseInfo(info: string | undefined, allowed: readonly string[]): Set<string> {
  const out = new Set<string>();
  if (info === undefined || info === "") return out;
  for (const attr of info.split(",")) {
    if (!allowed.includes(attr)) {
      throw new ApiError(400, `Unknown info attribute ${JSON.stringify(attr)}; allowed: ${allowed.join(", ")}`);
    }
    out.add(attr);
  }
  return out;
}

function checkUserCountAllowed(info: Set<string>, channel: string): void {
  if (info.has("user_count") && !isPresenceChannel(channel)) {
    throw new ApiError(400, "Cannot retrieve the user count unless the channel is a presence channel");
  }
}

function parseJsonObject(body: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ApiError(400, "Request body is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ApiError(400, "Request body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

/** One event to one or more channels, checked like production; appends to `events`. */
async function acceptEvent(
  cfg: ApiConfig,
  ev: { name: unknown; data: unknown; channels: string[]; socket_id: unknown },
  events: EmulatedEvent[],
): Promise<void> {
  if (typeof ev.name !== "string") throw new ApiError(400, "Expected name parameter to be a string");
  check(() => validateEventName(ev.name));
  if (typeof ev.data !== "string") throw new ApiError(400, "Expected data parameter to be a string");
  if (ev.socket_id !== undefined) {
    if (typeof ev.socket_id !== "string") throw new ApiError(400, "Expected socket_id parameter to be a string");
    check(() => validateSocketId(ev.socket_id));
  }
  if (utf8Encode(ev.data).length > cfg.maxDataBytes) throw dataTooLarge(cfg.maxDataBytes);
  for (const channel of ev.channels) {
    const out: EmulatedEvent = { channel, name: ev.name, data: ev.data };
    if (typeof ev.socket_id === "string") out.socket_id = ev.socket_id;
    if (isEncryptedChannel(channel)) {
      if (!cfg.masterKey) out.decryptError = "the emulator has no encryption master key";
      else {
        try {
          out.decrypted = await decryptPayload(channel, ev.data, cfg.masterKey);
        } catch (err) {
          out.decryptError = err instanceof Error ? err.message : String(err);
        }
      }
    }
    events.push(out);
  }
}

async function channelInfo(state: EmulatorState, channel: string, info: Set<string>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  if (info.size === 0) return out;
  const counts = await channelCounts(state, channel);
  if (info.has("user_count")) out.user_count = counts.users.size;
  if (info.has("subscription_count")) out.subscription_count = counts.subscriptionCount;
  return out;
}

/** Hands accepted events to the live engine: delivery to subscribers, cache channels, server-to-user. */
async function deliver(state: EmulatorState, events: EmulatedEvent[]): Promise<void> {
  const engine = state.live?.engine;
  if (!engine) return;
  for (const e of events) {
    await engine.publish({ channels: [e.channel], name: e.name, data: e.data, socketId: e.socket_id });
  }
}

const EVENT_INFO = ["user_count", "subscription_count"] as const;

/** The REST operations, by route. */
export function operations(cfg: ApiConfig, state: EmulatorState): Record<string, Operation> {
  return {
    async trigger({ body, events }) {
      const b = parseJsonObject(body);
      let channels: string[];
      if (b.channels !== undefined) {
        if (!Array.isArray(b.channels)) {
          throw new ApiError(400, "Expected channels parameter to be an array of strings");
        }
        channels = b.channels as string[];
      } else if (b.channel !== undefined) {
        channels = [b.channel as string];
      } else {
        throw new ApiError(400, "Missing channels parameter");
      }
      if (channels.length === 0) throw new ApiError(400, "Expected at least one channel");
      if (channels.length > MAX_CHANNELS_PER_TRIGGER) {
        throw new ApiError(
          400,
          `Too many channels: ${channels.length} (maximum ${MAX_CHANNELS_PER_TRIGGER} per request)`,
          "ERR_TOO_MANY_CHANNELS",
        );
      }
      channels = channels.map(checkTriggerChannel);
      if (b.info !== undefined && typeof b.info !== "string") throw new ApiError(400, "Expected info to be a string");
      const info = parseInfo(b.info as string | undefined, EVENT_INFO);
      for (const ch of channels) checkUserCountAllowed(info, ch);
      await acceptEvent(cfg, { name: b.name, data: b.data, channels, socket_id: b.socket_id }, events);
      await deliver(state, events);
      if (info.size === 0) return {};
      const out: Record<string, Record<string, number>> = {};
      for (const ch of new Set(channels)) out[ch] = await channelInfo(state, ch, info);
      return { channels: out };
    },

    async batch({ body, events }) {
      const b = parseJsonObject(body);
      if (!Array.isArray(b.batch)) throw new ApiError(400, "Expected batch parameter to be an array of events");
      if (b.batch.length > MAX_BATCH_EVENTS) {
        throw new ApiError(
          400,
          `Batch too large: ${b.batch.length} events (maximum ${MAX_BATCH_EVENTS} per request)`,
          "ERR_BATCH_TOO_LARGE",
        );
      }
      const infos: Set<string>[] = [];
      for (const [i, item] of b.batch.entries()) {
        if (typeof item !== "object" || item === null || Array.isArray(item)) {
          throw new ApiError(400, `batch[${i}] must be an object`);
        }
        const e = item as Record<string, unknown>;
        if (typeof e.channel !== "string") throw new ApiError(400, `batch[${i}]: expected channel to be a string`);
        const channel = checkTriggerChannel(e.channel);
        if (e.info !== undefined && typeof e.info !== "string") throw new ApiError(400, `batch[${i}]: bad info`);
        const info = parseInfo(e.info as string | undefined, EVENT_INFO);
        checkUserCountAllowed(info, channel);
        infos.push(info);
        await acceptEvent(cfg, { name: e.name, data: e.data, channels: [channel], socket_id: e.socket_id }, events);
      }
      await deliver(state, events);
      if (infos.every((i) => i.size === 0)) return {};
      return { batch: await Promise.all(infos.map((info, i) => channelInfo(state, events[i].channel, info))) };
    },

    async channels({ params }) {
      const prefix = params.filter_by_prefix ?? "";
      const info = parseInfo(params.info, ["user_count"]);
      if (info.has("user_count") && !prefix.startsWith("presence-")) {
        throw new ApiError(400, "user_count may only be requested when filter_by_prefix starts with presence-");
      }
      const out: Record<string, Record<string, number>> = {};
      for (const name of await occupiedChannels(state, prefix)) out[name] = await channelInfo(state, name, info);
      return { channels: out };
    },

    async channel({ params, c }) {
      const name = check(() => validateChannelName(c.req.param("channel")));
      const info = parseInfo(params.info, ["user_count", "subscription_count", "cache"]);
      checkUserCountAllowed(info, name);
      if (info.has("cache") && !/^(private-|presence-|private-encrypted-)?cache-/.test(name)) {
        throw new ApiError(400, "Cannot retrieve the cache unless the channel is a cache channel");
      }
      const cached = info.has("cache") ? await state.live?.engine.cached(name) : undefined;
      const cache = cached
        ? { data: cached.data, ttl: Math.max(0, Math.ceil((cached.expiresAt - Date.now()) / 1000)) }
        : null;
      return {
        occupied: (await channelCounts(state, name)).subscriptionCount > 0,
        ...await channelInfo(state, name, info),
        ...(info.has("cache") ? { cache } : {}),
      };
    },

    async users({ c, params }) {
      const name = check(() => validateChannelName(c.req.param("channel")));
      if (Object.keys(params).length > 0) throw new ApiError(400, "This endpoint takes no parameters");
      if (!isPresenceChannel(name)) {
        throw new ApiError(400, "Cannot retrieve the users unless the channel is a presence channel");
      }
      return { users: [...(await channelCounts(state, name)).users.keys()].map((id) => ({ id })) };
    },

    async terminate({ c }) {
      const user = userIdParam(c.req.param("user"));
      state.terminate(user);
      await state.live?.engine.terminateUser(user);
      return {};
    },
  };
}
