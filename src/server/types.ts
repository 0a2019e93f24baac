// Shapes shared by the protocol engine, its channel bus and the hosts (adapters) that drive it. Plain data only, so a
// Durable Object can keep them in an attachment or storage.
import type { ChannelBus } from "./bus.ts";

/** How the host hands frames and closes to one WebSocket. Calls must not throw; a dead socket is ignored. */
export interface SocketSink {
  /** Sends one text frame. */
  send(frame: string): void;
  /** Closes the socket with a code and a reason of at most 123 UTF-8 bytes. */
  close(code: number, reason: string): void;
}

/** A webhook event as Pusher documents it (`client_event.data` is a string). */
export interface OutgoingWebhookEvent {
  /** `channel_occupied`, `channel_vacated`, `member_added`, `member_removed`, `client_event`, `cache_miss`, `subscription_count`. */
  name: string;
  /** The channel. */
  channel: string;
  /** Presence events and presence client events: the user. */
  user_id?: string;
  /** `client_event`: the event name. */
  event?: string;
  /** `client_event`: the data as a string. */
  data?: string;
  /** `client_event`: the sender. */
  socket_id?: string;
  /** `subscription_count`: the number of connections. */
  subscription_count?: number;
}

/** What {@linkcode createEngine} takes. Limits default to Pusher's documented values. */
export interface EngineOptions {
  /** The app id (REST side). */
  appId: string;
  /** The app key: `/app/{key}` must name it, and every auth string starts with it. */
  key: string;
  /** The app secret that signs subscription and signin auth strings. */
  secret: string;
  /** `activity_timeout` sent in the handshake, in seconds; 120 by default. */
  activityTimeout?: number;
  /** How long the server waits for any frame after its own `pusher:ping`, in seconds, before closing 4201; 30. */
  pongTimeout?: number;
  /** Client events on private and presence channels; true by default. */
  clientEvents?: boolean;
  /** Client events per connection per second; 10 by default (more get `pusher:error` 4301). */
  clientEventsPerSecond?: number;
  /** `pusher_internal:subscription_count` and its webhook; true by default. */
  subscriptionCount?: boolean;
  /** Largest event data in UTF-8 bytes; 10 240 by default. */
  maxDataBytes?: number;
  /** Largest incoming frame in UTF-8 bytes; 64 KiB by default. */
  maxFrameBytes?: number;
  /** Longest channel name a client may subscribe to; 164 by default (the documented limit). */
  maxChannelNameLength?: number;
  /** Distinct users per presence channel; 100 by default. */
  maxPresenceMembers?: number;
  /** Largest presence `user_info`, as JSON, in bytes; 1 024 by default. */
  maxUserInfoBytes?: number;
  /** Most channels one connection may join; 1 000 by default (bounds memory per socket). */
  maxChannelsPerConnection?: number;
  /** Most concurrent connections; unlimited by default. Over it: close 4004. */
  maxConnections?: number;
  /** Seconds a cache channel keeps its last event; 1 800 by default. */
  cacheTtl?: number;
  /** Milliseconds `channel_vacated` and `member_removed` webhooks wait, cancelled if the state flips back; 3 000. */
  webhookDelayMs?: number;
  /** Receives webhook events as they become due (after the grace delay); hand them to a {@linkcode WebhookSender}. */
  onWebhook?: (event: OutgoingWebhookEvent) => void;
  /** Observes every frame in and out, for the debug page. Must not throw. */
  onFrame?: (record: FrameRecord) => void;
  /** Where channel state lives; an in-process bus by default. */
  bus?: ChannelBus;
  /** The clock in milliseconds; `Date.now` by default. */
  now?: () => number;
}

/** One frame seen by the engine, for observers. */
export interface FrameRecord {
  /** `in` from a client, `out` to a client, `close` when the server closed it, `open`/`gone` for the socket. */
  direction: "in" | "out" | "close" | "open" | "gone";
  /** The socket. */
  socketId: string;
  /** The frame text (or the close code and reason). */
  text: string;
  /** When, in milliseconds. */
  time: number;
  /** Set by logs that fold a fan-out: how many sockets got this frame in a row (the first one's id is kept). */
  count?: number;
}

/** A presence member as the bus stores it. */
export interface Member {
  /** The user id. */
  user_id: string;
  /** What other members see. */
  user_info?: unknown;
}

/** The live state of one channel. */
export interface ChannelInfo {
  /** Whether at least one connection is subscribed. */
  occupied: boolean;
  /** Connections subscribed. */
  subscription_count: number;
  /** Distinct presence users (presence channels). */
  user_count?: number;
}

/** A cached event of a cache channel. */
export interface CachedEvent {
  /** Event name. */
  event: string;
  /** Data string, as triggered. */
  data: string;
  /** When it expires, in milliseconds. */
  expiresAt: number;
}

/** A REST event to publish through the engine. */
export interface PublishInput {
  /** Channels (up to 100). */
  channels: readonly string[];
  /** Event name. */
  name: string;
  /** Data string, delivered byte for byte. */
  data: string;
  /** A connection to leave out. */
  socketId?: string;
}

/** A connection as the engine and the debug page see it; plain data. */
export interface ConnectionSnapshot {
  /** The socket id. */
  socketId: string;
  /** The signed-in user. */
  userId?: string;
  /** Channels joined. */
  channels: string[];
  /** Presence channels joined, with the user id this socket joined as. */
  presence?: Record<string, string>;
  /** The signed-in user's `user_info`. */
  userInfo?: unknown;
  /** When it connected (ms). */
  connectedAt: number;
  /** When the last frame arrived (ms). */
  lastSeen: number;
}

/** A running protocol 7 engine for one app. Hosts feed it socket events and call {@linkcode Engine.tick}. */
export interface Engine {
  /** The app id. */
  readonly appId: string;
  /** The app key. */
  readonly key: string;
  /**
   * A WebSocket was accepted for `url`. Sends `pusher:connection_established` and returns the socket id, or sends
   * `pusher:error` and closes with the documented 4xxx code (unknown key 4001, bad path 4005, no protocol 4008,
   * unsupported protocol 4007, over quota 4004) and returns undefined.
   */
  connect(url: string | URL, sink: SocketSink): string | undefined;
  /** A frame arrived. Never throws or rejects; malformed frames get a `pusher:error`. */
  message(socketId: string, data: string | ArrayBuffer | Uint8Array): Promise<void>;
  /** The socket closed (cleanly or not): leave every channel, forget the user. Idempotent. */
  disconnect(socketId: string): Promise<void>;
  /** Runs what is due at `now` (ms): server pings, 4201 closes, delayed webhooks. Call about once a second. */
  tick(now?: number): void;
  /** The earliest time (ms) at which {@linkcode Engine.tick} has something to do, for alarm-driven hosts. */
  nextDeadline(): number | undefined;
  /** Delivers a REST event to current subscribers (minus `socketId`) and updates cache channels. */
  publish(input: PublishInput): Promise<void>;
  /** Live state of one channel. */
  channelInfo(channel: string): Promise<ChannelInfo>;
  /** Occupied channels with a prefix. */
  channels(prefix?: string): Promise<[string, ChannelInfo][]>;
  /** Distinct user ids of a presence channel. */
  users(channel: string): Promise<string[]>;
  /** The cached event of a cache channel. */
  cached(channel: string): Promise<CachedEvent | undefined>;
  /** Closes every socket signed in as the user with 4009 (pusher-js then stays disconnected). */
  terminateUser(userId: string): Promise<void>;
  /** Sends `pusher:error` and closes one socket with a code (4000–4999); false when the socket is not here. */
  closeSocket(socketId: string, code: number, reason: string): boolean;
  /** Closes every socket, e.g. 4200 on shutdown so pusher-js reconnects at once. */
  closeAll(code: number, reason: string): void;
  /** Connections held by this engine, as plain data (what a Durable Object keeps in each socket's attachment). */
  connections(): ConnectionSnapshot[];
  /**
   * Takes back a connection from its snapshot, e.g. after a Durable Object woke from hibernation with the same bus
   * state: nothing is sent, and the socket's channels are assumed to still be registered in the bus.
   */
  resume(snapshot: ConnectionSnapshot, sink: SocketSink): void;
  /** One connection's entry of {@linkcode Engine.connections}, for a host that saves it after each change. */
  snapshot(socketId: string): ConnectionSnapshot | undefined;
}
