/**
 * The channel bus: where the engine keeps everything that must be shared when connections live in more than one
 * process or Durable Object (subscribers, presence members, cache entries, signed-in users, webhook de-duplication),
 * and how it fans frames out to sockets it does not hold. `createLocalBus` (`local_bus.ts`) is the in-process default; a
 * Redis or Durable Object bus implements the same interface (methods may return promises).
 *
 * @module
 */
import type { CachedEvent, ChannelInfo, Member } from "./types.ts";

/** The `pusher_internal:watchlist_events` frame (no channel; data a JSON string). */
export function watchlistFrame(name: "online" | "offline", userIds: readonly string[]): string {
  return JSON.stringify({
    event: "pusher_internal:watchlist_events",
    data: JSON.stringify({ events: [{ name, user_ids: userIds }] }),
  });
}

/** A value or a promise of it: the local bus answers synchronously, a remote one asynchronously. */
export type Awaitable<T> = T | Promise<T>;

/** What the engine gives the bus so it can reach the sockets held by this process. */
export interface BusHost {
  /** Sends a frame to a socket of this process (ignored if it is gone). */
  deliver(socketId: string, frame: string): void;
  /** Closes a socket of this process as `terminate_connections` asks. */
  terminate(socketId: string): void;
  /**
   * A remote bus removed a socket this engine does not hold (its process died, or came back from an outage without
   * it): the engine announces the result as for its own sockets (`member_removed`, delayed webhooks, counts).
   */
  left?(channel: string, result: LeaveResult): void;
  /** A remote bus re-registered one of this engine's sockets after an outage: the engine announces what it changed. */
  joined?(channel: string, socketId: string, member: Member | undefined, result: JoinResult): void;
}

/** The outcome of {@linkcode ChannelBus.join}. */
export interface JoinResult {
  /** `full` when a new presence user would exceed the member limit; nothing was registered. */
  refused?: "full";
  /** The channel had no subscriber before (cluster-wide). */
  first: boolean;
  /** Presence: this is the user's first connection in the channel. */
  userAdded: boolean;
  /** Connections now subscribed. */
  subscriptionCount: number;
}

/** The outcome of {@linkcode ChannelBus.leave}. */
export interface LeaveResult {
  /** The socket was subscribed. */
  left: boolean;
  /** The channel has no subscriber left (cluster-wide). */
  vacated: boolean;
  /** Presence: the user whose last connection in the channel this was. */
  userRemoved?: string;
  /** Connections still subscribed. */
  subscriptionCount: number;
}

/** The engine's view of shared channel state. */
export interface ChannelBus {
  /** Called once by the engine that owns this bus. */
  attach(host: BusHost): void;
  /** Subscribes a socket; presence channels pass the member and the limit of distinct users. */
  join(channel: string, socketId: string, member?: Member, maxMembers?: number): Awaitable<JoinResult>;
  /** Unsubscribes a socket. */
  leave(channel: string, socketId: string): Awaitable<LeaveResult>;
  /** Sends a frame to every subscriber of the channel except one socket. */
  broadcast(channel: string, frame: string, exceptSocketId?: string): Awaitable<void>;
  /** Presence members: one entry per user, with the user_info of its first connection. */
  members(channel: string): Awaitable<Member[]>;
  /** Occupancy and counts of one channel. */
  info(channel: string): Awaitable<ChannelInfo>;
  /** Every occupied channel whose name starts with the prefix. */
  list(prefix: string): Awaitable<[string, ChannelInfo][]>;
  /**
   * Records (or forgets, with `undefined`) the user a socket signed in as. When a user goes from 0 to 1 signed-in
   * sockets (or back), the bus sends `pusher_internal:watchlist_events` `online` (`offline`) to the sockets watching it.
   */
  setUser(socketId: string, userId: string | undefined): Awaitable<void>;
  /** Registers the ids a signed-in socket watches; returns those online now. */
  watch(socketId: string, userIds: readonly string[]): Awaitable<string[]>;
  /** Sends a frame to every socket signed in as the user. */
  toUser(userId: string, frame: string): Awaitable<void>;
  /** Closes every socket signed in as the user. */
  terminateUser(userId: string): Awaitable<void>;
  /** The cached event of a cache channel, if still fresh at `now`. */
  getCache(channel: string, now: number): Awaitable<CachedEvent | undefined>;
  /** Stores the last event of a cache channel. */
  setCache(channel: string, event: CachedEvent): Awaitable<void>;
  /** True for the first caller of `key` within `ttlMs` (cluster-wide), false for repeats: webhook de-duplication. */
  claim(key: string, ttlMs: number, now: number): Awaitable<boolean>;
  /**
   * Marks a delayed webhook (`channel_vacated`, `member_removed`) as pending for `ttlMs`, so another process can cancel
   * it. Optional: without it (and `release`) the grace period is kept per engine.
   */
  hold?(key: string, ttlMs: number, now: number): Awaitable<void>;
  /** Removes a pending mark: true if it was still there (the caller sends or cancels it), false if another did. */
  release?(key: string, now: number): Awaitable<boolean>;
}
