/**
 * Typed answers of the Channels HTTP API, as the client's helpers return them.
 *
 * @module
 */

/** Attributes the API can report for a channel when asked with `info`. */
export interface ChannelAttributes {
  /** Distinct users on a presence channel (`info: "user_count"`). */
  user_count?: number;
  /** Connections subscribed (`info: "subscription_count"`, when enabled for the app). */
  subscription_count?: number;
}

/** What `trigger()` resolves to: per-channel attributes when `info` was given, otherwise `{}`. */
export interface TriggerResult {
  /** The attributes of each channel triggered to; empty unless `info` was asked for. */
  channels: Record<string, ChannelAttributes>;
}

/** What `triggerBatch()` resolves to: per-event attributes, index-aligned with the batch, when `info` was given. */
export interface BatchResult {
  /** One entry per event (all batches concatenated when split); empty unless `info` was asked for. */
  batch: ChannelAttributes[];
}

/** What `channels()` resolves to (`GET /apps/{id}/channels`): the occupied channels. */
export interface ChannelsResult {
  /** Occupied channel names, each with `user_count` when asked for on presence channels. */
  channels: Record<string, ChannelAttributes>;
}

/** What `channel()` resolves to (`GET /apps/{id}/channels/{name}`). */
export interface ChannelResult extends ChannelAttributes {
  /** Whether the channel has at least one subscriber. */
  occupied: boolean;
  /** For cache channels with `info: "cache"`: the cached event, or absent. */
  cache?: { data: string; ttl: number };
}

/** A member of a presence channel. */
export interface PresenceUser {
  /** The user id given at channel authorization. */
  id: string;
}

/** What `users()` resolves to (`GET /apps/{id}/channels/{name}/users`). */
export interface UsersResult {
  /** The members currently on the presence channel. */
  users: PresenceUser[];
}
