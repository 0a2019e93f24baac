// Option parsing for the engine: Pusher's documented limits as defaults, integers checked once at creation.
import type { Limits } from "./_context.ts";
import type { EngineOptions } from "./types.ts";

export function randomId(): number {
  const [v] = crypto.getRandomValues(new Uint32Array(1));
  return (v % 2147483646) + 1;
}

export function limitsFrom(o: EngineOptions): Limits {
  const int = (name: keyof EngineOptions, value: unknown, fallback: number, min = 0): number => {
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !(Number.isSafeInteger(value) || value === Infinity) || value < min) {
      throw new TypeError(`createEngine: ${name} must be an integer >= ${min}`);
    }
    return value;
  };
  return {
    activityTimeout: int("activityTimeout", o.activityTimeout, 120, 1),
    pongTimeout: int("pongTimeout", o.pongTimeout, 30, 1),
    clientEvents: o.clientEvents ?? true,
    clientEventsPerSecond: int("clientEventsPerSecond", o.clientEventsPerSecond, 10),
    subscriptionCount: o.subscriptionCount ?? true,
    maxDataBytes: int("maxDataBytes", o.maxDataBytes, 10240, 1),
    maxFrameBytes: int("maxFrameBytes", o.maxFrameBytes, 65536, 256),
    maxChannelNameLength: int("maxChannelNameLength", o.maxChannelNameLength, 164, 1),
    maxPresenceMembers: int("maxPresenceMembers", o.maxPresenceMembers, 100, 1),
    maxUserInfoBytes: int("maxUserInfoBytes", o.maxUserInfoBytes, 1024, 2),
    maxChannelsPerConnection: int("maxChannelsPerConnection", o.maxChannelsPerConnection, 1000, 1),
    maxConnections: int("maxConnections", o.maxConnections, Infinity, 1),
    cacheTtl: int("cacheTtl", o.cacheTtl, 1800, 1),
    webhookDelayMs: int("webhookDelayMs", o.webhookDelayMs, 3000),
  };
}
