// The engine's private state, shared by the per-command modules. Connection records are plain data apart from the
// sink, so a host can rebuild them (e.g. a Durable Object from its socket attachments).
import { hexDecode } from "../_bytes.ts";
import type { Signer } from "../_hmac.ts";
import type { ChannelBus } from "./bus.ts";
import { errorFrame } from "./_frames.ts";
import type { FrameRecord, OutgoingWebhookEvent, SocketSink } from "./types.ts";

export interface Conn {
  socketId: string;
  sink: SocketSink;
  connectedAt: number;
  lastSeen: number;
  pingSentAt?: number;
  userId?: string;
  userInfo?: unknown;
  /** channel -> the presence user id this socket joined as (undefined for other kinds) */
  channels: Map<string, string | undefined>;
  rateWindowStart: number;
  rateCount: number;
  queue: Promise<void>;
  /** UTF-16 length of the frames waiting in `queue`. */
  queued: number;
  closed: boolean;
}

export interface Limits {
  activityTimeout: number;
  pongTimeout: number;
  clientEvents: boolean;
  clientEventsPerSecond: number;
  subscriptionCount: boolean;
  maxDataBytes: number;
  maxFrameBytes: number;
  maxChannelNameLength: number;
  maxPresenceMembers: number;
  maxUserInfoBytes: number;
  maxChannelsPerConnection: number;
  maxConnections: number;
  cacheTtl: number;
  webhookDelayMs: number;
}

export interface Ctx {
  appId: string;
  key: string;
  signer: Signer;
  limits: Limits;
  bus: ChannelBus;
  conns: Map<string, Conn>;
  now(): number;
  send(conn: Conn, frame: string): void;
  closeConn(conn: Conn, code: number, reason: string): void;
  webhook(event: OutgoingWebhookEvent): void;
  webhookLater(key: string, event: OutgoingWebhookEvent): void;
  cancelWebhook(key: string): boolean;
  /** Runs `job` at the first tick after `due`, once per key (a later call with a pending key is ignored). */
  later(key: string, due: number, job: () => Promise<void>): void;
  observe?: (record: FrameRecord) => void;
}

export function sendError(ctx: Ctx, conn: Conn, code: number | null, message: string, channel?: string): void {
  ctx.send(conn, errorFrame(code, message, channel));
}

/**
 * Checks `key:hex` against HMAC-SHA256(secret, stringToSign) in constant time (crypto.subtle.verify). Returns the
 * production error text, or undefined when the signature holds.
 */
export async function checkAuth(
  ctx: Ctx,
  auth: unknown,
  stringToSign: string,
  what: string,
): Promise<string | undefined> {
  if (typeof auth !== "string" || auth === "") return `Auth info required to subscribe to ${what}`;
  const colon = auth.indexOf(":");
  if (colon < 0) return `Auth value for subscription to ${what} is invalid: should be of format 'key:signature'`;
  const key = auth.slice(0, colon);
  const hex = auth.slice(colon + 1);
  // The key is public; only the MAC needs a constant-time comparison.
  if (key !== ctx.key) return `Invalid key in subscription auth data: '${key.slice(0, 64)}'`;
  let mac: Uint8Array<ArrayBuffer> | undefined;
  if (hex.length === 64) {
    try {
      mac = hexDecode(hex);
    } catch {
      mac = undefined;
    }
  }
  const ok = mac !== undefined && await ctx.signer.verify(mac, stringToSign);
  if (ok) return undefined;
  return `Invalid signature: Expected HMAC SHA256 hex digest of ${stringToSign}, but got ${hex.slice(0, 128)}`;
}
