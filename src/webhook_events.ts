import { utf8Decode } from "./_bytes.ts";
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

/** An event Pusher documents, but whose fields do not fit that type (soketi's object `data`, say); kept, with the reason. */
export interface IrregularWebhookEvent {
  /** The event exactly as sent (usually an object, but anything the `events` array held). */
  event: unknown;
  /** Why it is not in `events`, e.g. `"client_event.data is not a string"`. */
  reason: string;
}

/** A webhook body after the signature held: every event, sorted by how well it fits the documented types. */
export interface ParsedWebhookBody {
  /** `time_ms`: when the webhook was created, in Unix milliseconds. */
  timeMs: number;
  /** The events that fit their documented type. */
  events: WebhookEvent[];
  /** Events of a type this version does not know, as sent. */
  unknownEvents: UnknownWebhookEvent[];
  /** Events of a known type (or with no `name`) whose fields do not fit it, with the reason. */
  irregularEvents: IrregularWebhookEvent[];
  /** Every event of the `events` array, as sent and in order: nothing authentic is dropped. */
  allEvents: unknown[];
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

/**
 * A correctly signed webhook body that is not a webhook: not JSON, or no `events` array. The raw body stays
 * reachable as `body`, so an application can still log or store what was signed.
 *
 * @example Reach the raw body of an unparseable webhook
 * ```ts
 * import { WebhookBodyError } from "@pusher-edge/pusher-edge";
 * const err = new WebhookBodyError("not JSON", new TextEncoder().encode("hello"));
 * if (err.code !== "ERR_WEBHOOK_BODY_INVALID" || new TextDecoder().decode(err.body) !== "hello") throw new Error();
 * ```
 */
export class WebhookBodyError extends PusherError {
  /** The raw body exactly as received (its signature held). */
  declare readonly body: Uint8Array;

  /**
   * Creates the error for a signed body that is not a webhook.
   *
   * @param why what is wrong with the body
   * @param body the raw body
   */
  constructor(why: string, body: Uint8Array) {
    super("ERR_WEBHOOK_BODY_INVALID", `Webhook body is invalid: ${why}`);
    this.body = body;
  }
}

function misfit(event: unknown): string | undefined {
  if (typeof event !== "object" || event === null || Array.isArray(event)) return "an event is not an object";
  const { name } = event as { name?: unknown };
  if (typeof name !== "string") return "an event has no name";
  const fields = FIELDS[name as WebhookEvent["name"]];
  for (const [field, type] of Object.entries(fields)) {
    const value = (event as Record<string, unknown>)[field];
    const ok = type === "number"
      ? typeof value === "number" && Number.isFinite(value)
      : typeof value === "string" || (type === "string?" && value === undefined);
    if (!ok) return `${name}.${field} is not a ${type.replace("?", "")}`;
  }
  return undefined;
}

/**
 * Sorts an authenticated webhook body into events; the caller has already verified its signature. Only a body that is
 * not a JSON object with a numeric `time_ms` and an `events` array is refused; every event in it is kept somewhere.
 */
export function parseWebhookBody(bytes: Uint8Array): ParsedWebhookBody {
  let body: unknown;
  try {
    body = JSON.parse(utf8Decode(bytes));
  } catch {
    throw new WebhookBodyError("not UTF-8 JSON", bytes);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new WebhookBodyError("not a JSON object", bytes);
  }
  const { time_ms: timeMs, events } = body as { time_ms?: unknown; events?: unknown };
  if (typeof timeMs !== "number" || !Number.isFinite(timeMs)) {
    throw new WebhookBodyError("time_ms is not a number", bytes);
  }
  if (!Array.isArray(events)) throw new WebhookBodyError("events is not a list", bytes);
  const out: ParsedWebhookBody = { timeMs, events: [], unknownEvents: [], irregularEvents: [], allEvents: events };
  for (const event of events) {
    const name = (event as { name?: unknown } | null)?.name;
    if (typeof name === "string" && !Object.hasOwn(FIELDS, name)) {
      out.unknownEvents.push(event);
      continue;
    }
    const reason = misfit(event);
    if (reason === undefined) out.events.push(event);
    else out.irregularEvents.push({ event, reason });
  }
  return out;
}
