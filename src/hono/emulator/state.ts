// The emulator's in-memory state: a bounded log of requests and the channels it pretends are occupied.
import type { LiveHooks } from "./live.ts";

/** An event the emulator accepted, as it would have been delivered to one channel. */
export interface EmulatedEvent {
  /** The channel it was sent to. */
  channel: string;
  /** The event name. */
  name: string;
  /** The `data` string as received (ciphertext JSON for encrypted channels). */
  data: string;
  /** The connection excluded from delivery, if any. */
  socket_id?: string;
  /** Encrypted channels, when the emulator knows the master key: the decrypted plaintext. */
  decrypted?: string;
  /** Encrypted channels: why the payload could not be decrypted. */
  decryptError?: string;
}

/** One request the emulator received, as shown on the debug page and by `GET /emulator/log`. */
export interface LogEntry {
  /** Increasing id. */
  id: number;
  /** When it was received (ISO 8601). */
  time: string;
  /** `rest` for the Channels REST API, `webhook` for webhooks posted to the emulator, `auth` for auth endpoints. */
  kind: "rest" | "webhook" | "auth" | "webhook_out";
  /** HTTP method. */
  method: string;
  /** Path, without the query. */
  path: string;
  /** The raw query string. */
  query: string;
  /** Whether the request was accepted. */
  verdict: "accepted" | "rejected";
  /** The HTTP status of the answer. */
  status: number;
  /** Why it was rejected. */
  reason?: string;
  /** The error code, for rejections. */
  code?: string;
  /** The string to sign: what was signed (accepted) or what should have been signed (signature mismatch). */
  stringToSign?: string;
  /** The signature the caller sent, on a signature mismatch. */
  sentSignature?: string;
  /** The request body (truncated to 4 KiB). */
  body?: string;
  /** The response body (truncated to 4 KiB). */
  response?: string;
  /** Events accepted by a trigger or batch request, one per channel. */
  events?: EmulatedEvent[];
}

/** The emulated state of one channel. */
export interface ChannelState {
  /** Connections subscribed (non-presence channels; presence channels count their members unless seeded). */
  subscriptionCount: number;
  /** Presence members by user id. */
  members: Map<string, unknown>;
}

/** The longest any logged text field is kept (query, string to sign, body, response, reason…), in characters. */
export const MAX_LOGGED_FIELD = 2048;
/** The log's whole budget: the oldest entries go first once the entries' JSON exceeds it. */
export const MAX_LOG_BYTES = 8 * 1024 * 1024;
/** Channels the emulator tracks (seeded or occupied); a seeding request beyond this gets a 4xx. */
export const MAX_CHANNELS = 1000;
/** Presence members over all channels. */
export const MAX_MEMBERS = 10_000;

/** A seeding request that would grow the emulator's state past its bounds. */
export class StateFullError extends Error {}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// A real copy of (the start of) a logged string. Slicing in V8 makes a "sliced string" that keeps its whole parent
// alive: a 16-character path sliced from a 60 KB URL would pin the 60 KB for as long as the entry lives.
function clip(s: string): string {
  const kept = decoder.decode(encoder.encode(s.length > MAX_LOGGED_FIELD ? s.slice(0, MAX_LOGGED_FIELD) : s));
  return s.length > MAX_LOGGED_FIELD ? `${kept}… (${s.length} characters)` : kept;
}

const TEXT_FIELDS = [
  "method",
  "path",
  "query",
  "reason",
  "code",
  "stringToSign",
  "sentSignature",
  "body",
  "response",
] as const;

/** Bounded log plus channel occupancy; one per emulator. Every part is bounded in bytes, not only in entries. */
export class EmulatorState {
  #entries: LogEntry[] = [];
  #sizes = new WeakMap<LogEntry, number>();
  #bytes = 0;
  #nextId = 1;
  #listeners = new Set<(entry: LogEntry) => void>();
  #members = 0;
  readonly capacity: number;
  readonly maxBytes: number;
  /** With real credentials: keep signatures and decrypted payloads out of the log. */
  readonly redact: boolean;
  readonly channels: Map<string, ChannelState> = new Map();
  readonly terminated: string[] = [];
  /** The protocol engine behind the emulator's WebSockets, when one is attached. */
  live: LiveHooks | undefined;

  constructor(capacity: number, maxBytes: number = MAX_LOG_BYTES, redact = false) {
    this.capacity = capacity;
    this.maxBytes = maxBytes;
    this.redact = redact;
  }

  get entries(): readonly LogEntry[] {
    return this.#entries;
  }

  /** The entry's size as JSON, in UTF-16 code units (what the log and the stream send of it). */
  sizeOf(entry: LogEntry): number {
    return this.#sizes.get(entry) ?? JSON.stringify(entry).length;
  }

  record(entry: Omit<LogEntry, "id" | "time">): LogEntry {
    const full: LogEntry = { id: this.#nextId++, time: new Date().toISOString(), ...entry };
    if (this.redact) {
      // A logged auth_signature made with the real secret could be replayed against the real API for 600 s.
      full.query = full.query.replace(/(^|&)(auth_signature=)[^&]*/gi, "$1$2[redacted]");
      delete full.sentSignature;
      for (const f of ["reason", "response"] as const) {
        full[f] = full[f]?.replace(/but you sent "[^"]*"/, 'but you sent "[redacted]"');
      }
      if (full.events) full.events = full.events.map(({ decrypted: _, ...e }) => e);
    }
    for (const field of TEXT_FIELDS) {
      const v = full[field];
      if (typeof v === "string") (full as unknown as Record<string, string>)[field] = clip(v);
    }
    const size = JSON.stringify(full).length;
    this.#sizes.set(full, size);
    this.#entries.push(full);
    this.#bytes += size;
    let drop = 0;
    let bytes = this.#bytes;
    while (
      drop < this.#entries.length - 1 && (this.#entries.length - drop > this.capacity || bytes > this.maxBytes)
    ) {
      bytes -= this.sizeOf(this.#entries[drop++]);
    }
    if (drop > 0) {
      this.#entries.splice(0, drop);
      this.#bytes = bytes;
    }
    for (const listener of this.#listeners) {
      try {
        listener(full);
      } catch {
        // a broken listener must not break the request that is being recorded
      }
    }
    return full;
  }

  subscribe(listener: (entry: LogEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  channel(name: string): ChannelState {
    let state = this.channels.get(name);
    if (!state) {
      if (this.channels.size >= MAX_CHANNELS) {
        throw new StateFullError(`The emulator tracks at most ${MAX_CHANNELS} channels: POST /emulator/reset first`);
      }
      this.channels.set(clip(name), state = { subscriptionCount: 0, members: new Map() });
    }
    return state;
  }

  /** Adds or replaces a presence member, within the global member budget. */
  setMember(name: string, userId: string, info: unknown): number {
    const members = this.channel(name).members;
    if (!members.has(userId)) {
      if (this.#members >= MAX_MEMBERS) {
        throw new StateFullError(`The emulator holds at most ${MAX_MEMBERS} members: POST /emulator/reset first`);
      }
      this.#members++;
    }
    members.set(members.has(userId) ? userId : clip(userId), info);
    return members.size;
  }

  /** Removes a member from one channel, or from every channel when `name` is undefined. */
  deleteMember(name: string | undefined, userId: string): boolean {
    let removed = false;
    for (const [n, ch] of this.channels) {
      if (name !== undefined && n !== name) continue;
      if (ch.members.delete(userId)) {
        this.#members--;
        removed = true;
      }
    }
    return removed;
  }

  /** Records a terminated user (the latest 100 are kept). */
  terminate(userId: string): void {
    this.terminated.push(clip(userId));
    if (this.terminated.length > 100) this.terminated.splice(0, this.terminated.length - 100);
    this.deleteMember(undefined, userId);
  }

  subscriptionCount(name: string): number {
    const state = this.channels.get(name);
    if (!state) return 0;
    return Math.max(state.subscriptionCount, state.members.size);
  }

  userCount(name: string): number {
    return this.channels.get(name)?.members.size ?? 0;
  }

  occupied(name: string): boolean {
    return this.subscriptionCount(name) > 0;
  }

  clearLog(): void {
    this.#entries = [];
    this.#bytes = 0;
  }

  reset(): void {
    this.clearLog();
    this.channels.clear();
    this.#members = 0;
    this.terminated.length = 0;
  }
}
