// Server→client frames in the exact shapes of the protocol reference (§4.2): `data` is a JSON string, except on
// `pusher:error`, whose `data` is an object.

export function frame(event: string, data: unknown, channel?: string): string {
  const out: Record<string, unknown> = { event };
  if (channel !== undefined) out.channel = channel;
  out.data = typeof data === "string" ? data : JSON.stringify(data);
  return JSON.stringify(out);
}

/** A channel event whose data string is passed through untouched. */
export function channelEvent(channel: string, event: string, data: string, userId?: string): string {
  const out: Record<string, unknown> = { event, channel, data };
  if (userId !== undefined) out.user_id = userId;
  return JSON.stringify(out);
}

export function errorFrame(code: number | null, message: string, channel?: string): string {
  const out: Record<string, unknown> = { event: "pusher:error" };
  if (channel !== undefined) out.channel = channel;
  out.data = { code, message };
  return JSON.stringify(out);
}

export const PONG = '{"event":"pusher:pong","data":{}}';
export const PING = '{"event":"pusher:ping","data":{}}';

/** A parsed client frame: `event` is a string, `data` an object (a JSON-string `data` is decoded). */
export interface ClientFrame {
  event: string;
  channel?: unknown;
  data: Record<string, unknown> | unknown;
}

/** Parses one text frame; undefined for anything that is not `{"event": string, …}`. */
export function parseFrame(text: string): ClientFrame | undefined {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof msg !== "object" || msg === null || Array.isArray(msg)) return undefined;
  const { event, channel, data } = msg as Record<string, unknown>;
  if (typeof event !== "string" || event === "") return undefined;
  let decoded = data;
  // Third-party clients (and Reverb's reading of the protocol) send data as a JSON string; pusher-js sends an object.
  // Client events keep their data as sent, so only pusher: commands are decoded.
  if (typeof data === "string" && event.startsWith("pusher:")) {
    try {
      decoded = JSON.parse(data);
    } catch {
      decoded = data;
    }
  }
  return { event, channel, data: decoded };
}

/** The object `data` of a command, or an empty object. */
export function dataObject(f: ClientFrame): Record<string, unknown> {
  const d = f.data;
  return typeof d === "object" && d !== null && !Array.isArray(d) ? d as Record<string, unknown> : {};
}

const encoder = new TextEncoder();
export function byteLength(s: string): number {
  // Fast path: ASCII strings are as long in bytes as in UTF-16 units; only measure when something could be wider.
  // deno-lint-ignore no-control-regex
  return /^[\x00-\x7f]*$/.test(s) ? s.length : encoder.encode(s).length;
}

/** Truncates a close reason to the 123 UTF-8 bytes RFC 6455 allows. */
export function closeReason(reason: string): string {
  let r = reason;
  while (byteLength(r) > 123) r = r.slice(0, -1);
  return r;
}
