import { PusherError } from "./errors.ts";

/** A channel got its first subscriber. */
export interface ChannelOccupiedEvent {
  /** Event type. */
  name: "channel_occupied";
  /** The channel. */
  channel: string;
}
/** A channel lost its last subscriber. */
export interface ChannelVacatedEvent {
  /** Event type. */
  name: "channel_vacated";
  /** The channel. */
  channel: string;
}
/** A user joined a presence channel. */
export interface MemberAddedEvent {
  /** Event type. */
  name: "member_added";
  /** The presence channel. */
  channel: string;
  /** The member's id. */
  user_id: string;
}
/** A user left a presence channel. */
export interface MemberRemovedEvent {
  /** Event type. */
  name: "member_removed";
  /** The presence channel. */
  channel: string;
  /** The member's id. */
  user_id: string;
}
/** A client sent a `client-*` event. */
export interface ClientEvent {
  /** Event type. */
  name: "client_event";
  /** The channel it was sent on. */
  channel: string;
  /** The client event's name. */
  event: string;
  /** Its data, as sent (for encrypted channels the `{"nonce","ciphertext"}` JSON text). */
  data: string;
  /** The sender's socket id. */
  socket_id: string;
  /** The sender's user id (presence channels only). */
  user_id?: string;
}
/** A client subscribed to a cache channel that had no cached event. */
export interface CacheMissEvent {
  /** Event type. */
  name: "cache_miss";
  /** The cache channel. */
  channel: string;
}
/** The subscriber count of a channel changed. */
export interface SubscriptionCountEvent {
  /** Event type. */
  name: "subscription_count";
  /** The channel. */
  channel: string;
  /** How many connections are subscribed. */
  subscription_count: number;
}

/** Every webhook event Pusher documents, discriminated by `name`. */
export type WebhookEvent =
  | ChannelOccupiedEvent
  | ChannelVacatedEvent
  | MemberAddedEvent
  | MemberRemovedEvent
  | ClientEvent
  | CacheMissEvent
  | SubscriptionCountEvent;

/** An event whose `name` this version does not know; kept rather than dropped. */
export interface UnknownWebhookEvent {
  /** Event type. */
  name: string;
  /** Its other fields, as sent. */
  [field: string]: unknown;
}

const FIELDS: Record<WebhookEvent["name"], Record<string, "string" | "number" | "string?">> = {
  channel_occupied: { channel: "string" },
  channel_vacated: { channel: "string" },
  member_added: { channel: "string", user_id: "string" },
  member_removed: { channel: "string", user_id: "string" },
  client_event: { channel: "string", event: "string", data: "string", socket_id: "string", user_id: "string?" },
  cache_miss: { channel: "string" },
  subscription_count: { channel: "string", subscription_count: "number" },
};

function invalid(why: string): PusherError {
  return new PusherError("ERR_WEBHOOK_BODY_INVALID", `Webhook body is invalid: ${why}`);
}

/** Checks the shape of an authenticated webhook body; the caller has already verified its signature. */
export function parseWebhookBody(
  text: string,
): { timeMs: number; events: WebhookEvent[]; unknownEvents: UnknownWebhookEvent[] } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalid("not JSON");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw invalid("not a JSON object");
  const { time_ms: timeMs, events } = body as { time_ms?: unknown; events?: unknown };
  if (typeof timeMs !== "number" || !Number.isFinite(timeMs)) throw invalid("time_ms is not a number");
  if (!Array.isArray(events)) throw invalid("events is not a list");
  const known: WebhookEvent[] = [];
  const unknownEvents: UnknownWebhookEvent[] = [];
  for (const event of events) {
    if (typeof event !== "object" || event === null || typeof event.name !== "string") {
      throw invalid("an event has no name");
    }
    const fields = FIELDS[event.name as WebhookEvent["name"]];
    if (!Object.hasOwn(FIELDS, event.name)) {
      unknownEvents.push(event);
      continue;
    }
    for (const [field, type] of Object.entries(fields)) {
      const value = event[field];
      const ok = type === "number"
        ? typeof value === "number" && Number.isFinite(value)
        : typeof value === "string" || (type === "string?" && value === undefined);
      if (!ok) {
        throw invalid(`${event.name}.${field} is not a ${type.replace("?", "")}`);
      }
    }
    known.push(event);
  }
  return { timeMs, events: known, unknownEvents };
}
