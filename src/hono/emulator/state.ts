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

/** Bounded log plus channel occupancy; one per emulator. */
export class EmulatorState {
  #entries: LogEntry[] = [];
  #nextId = 1;
  #listeners = new Set<(entry: LogEntry) => void>();
  readonly capacity: number;
  readonly channels: Map<string, ChannelState> = new Map();
  readonly terminated: string[] = [];
  /** The protocol engine behind the emulator's WebSockets, when one is attached. */
  live: LiveHooks | undefined;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get entries(): readonly LogEntry[] {
    return this.#entries;
  }

  record(entry: Omit<LogEntry, "id" | "time">): LogEntry {
    const full: LogEntry = { id: this.#nextId++, time: new Date().toISOString(), ...entry };
    this.#entries.push(full);
    if (this.#entries.length > this.capacity) this.#entries.splice(0, this.#entries.length - this.capacity);
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
    if (!state) this.channels.set(name, state = { subscriptionCount: 0, members: new Map() });
    return state;
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
  }

  reset(): void {
    this.#entries = [];
    this.channels.clear();
    this.terminated.length = 0;
  }
}
