/**
 * A raw protocol client for the WebSocket conformance runner, on the global `WebSocket` only (Deno, Bun, browsers,
 * workerd; the Node bin installs one first). It records every frame with its arrival time and lets a scenario wait
 * for a frame or a close with a bound, so no scenario can hang.
 *
 * @module
 */

/** One frame received from the server. */
export interface Frame {
  /** `event` of a JSON object frame, `""` otherwise. */
  event: string;
  channel?: string;
  /** `data` as sent: a string (double-encoded JSON), an object (`pusher:error`) or absent. */
  data?: unknown;
  /** The parsed frame, when it was a JSON object. */
  json?: Record<string, unknown>;
  /** The frame text (binary frames: `<binary N bytes>`). */
  raw: string;
  /** Milliseconds since the socket was created. */
  at: number;
}

/** How a socket closed. */
export interface Closed {
  code: number;
  reason: string;
  /** Milliseconds since the socket was created. */
  at: number;
}

/** A frame predicate. */
export type Match = (f: Frame) => boolean;

/** Matches `event` (and `channel` when given). */
export function ev(event: string, channel?: string): Match {
  return (f) => f.event === event && (channel === undefined || f.channel === channel);
}

/** `data` of a frame, JSON-decoded when it is a string holding JSON (as pusher-js does). */
export function decoded(f: Frame | undefined): unknown {
  if (!f || typeof f.data !== "string") return f?.data;
  try {
    return JSON.parse(f.data);
  } catch {
    return f.data;
  }
}

function parse(raw: string, at: number): Frame {
  try {
    const json = JSON.parse(raw);
    if (typeof json === "object" && json !== null && !Array.isArray(json)) {
      return {
        event: typeof json.event === "string" ? json.event : "",
        channel: typeof json.channel === "string" ? json.channel : undefined,
        data: json.data,
        json,
        raw,
        at,
      };
    }
  } catch {
    // kept below as a non-JSON frame: the report shows it
  }
  return { event: "", raw, at };
}

/** A recorded WebSocket connection. */
export class Sock {
  readonly url: string;
  readonly frames: Frame[] = [];
  closed: Closed | undefined;
  /** Whether the upgrade succeeded (`open` fired). */
  opened = false;
  /** The subprotocol the server selected (`""` for none). */
  protocol = "";
  #ws: WebSocket;
  #t0 = Date.now();
  #waiters = new Set<() => void>();

  constructor(url: string, protocols?: string[]) {
    this.url = url;
    this.#ws = protocols ? new WebSocket(url, protocols) : new WebSocket(url);
    this.#ws.binaryType = "arraybuffer";
    this.#ws.onopen = () => {
      this.opened = true;
      this.protocol = this.#ws.protocol;
      this.#wake();
    };
    this.#ws.onmessage = (e: MessageEvent) => {
      const at = Date.now() - this.#t0;
      const raw = typeof e.data === "string" ? e.data : `<binary ${(e.data as ArrayBuffer).byteLength} bytes>`;
      this.frames.push(parse(raw, at));
      this.#wake();
    };
    this.#ws.onclose = (e: CloseEvent) => {
      this.closed = { code: e.code, reason: e.reason, at: Date.now() - this.#t0 };
      this.#wake();
    };
    // An error is always followed by close; the close event carries what the report needs.
    this.#ws.onerror = () => {};
  }

  #wake(): void {
    for (const w of [...this.#waiters]) w();
  }

  /** Resolves once `ready()` is truthy or `ms` have passed, with its last value. */
  until<T>(ready: () => T | undefined, ms: number): Promise<T | undefined> {
    const now = ready();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve) => {
      const check = () => {
        const v = ready();
        if (v !== undefined) done(v);
      };
      const done = (v: T | undefined) => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(v);
      };
      const timer = setTimeout(() => done(undefined), ms);
      this.#waiters.add(check);
    });
  }

  /** The first frame at index ≥ `from` that matches, waiting up to `ms` for it (undefined if none; also on close). */
  wait(match: Match, ms: number, from = 0): Promise<Frame | undefined> {
    return this.until(() => {
      const f = this.frames.slice(from).find(match);
      if (f) return f;
      return this.closed ? null : undefined;
    }, ms).then((f) => f ?? undefined);
  }

  /** The close, waiting up to `ms`. */
  waitClose(ms: number): Promise<Closed | undefined> {
    return this.until(() => this.closed, ms);
  }

  /** Frames at index ≥ `from` that match. */
  all(match: Match, from = 0): Frame[] {
    return this.frames.slice(from).filter(match);
  }

  /** Sends an object as JSON, a string as is, bytes as a binary frame; does nothing once closed. */
  send(message: unknown): void {
    if (this.#ws.readyState !== WebSocket.OPEN) return;
    if (typeof message === "string" || message instanceof Uint8Array) this.#ws.send(message);
    else this.#ws.send(JSON.stringify(message));
  }

  /** Closes (1000) and forgets the socket; safe to call twice. */
  close(): void {
    if (this.#ws.readyState === WebSocket.CONNECTING || this.#ws.readyState === WebSocket.OPEN) {
      try {
        this.#ws.close(1000);
      } catch {
        // already closing
      }
    }
  }

  /** Resolves once closed (or after `ms`). */
  async closeAndWait(ms = 1000): Promise<void> {
    this.close();
    await this.waitClose(ms);
  }
}
