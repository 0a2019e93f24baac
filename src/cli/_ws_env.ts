/**
 * What a WebSocket conformance scenario can do: open raw sockets, subscribe and sign in with signatures from the
 * core, call the signed REST API, and end with a verdict. Every socket opened through an {@linkcode Env} is closed
 * when the scenario ends, whatever happens.
 *
 * @module
 */
import { signerFor } from "../_hmac.ts";
import { authorizeChannel } from "../channel_auth.ts";
import { signRequest } from "../sign_request.ts";
import { authenticateUser, type UserData } from "../user_auth.ts";
import { type Closed, decoded, ev, type Frame, Sock } from "./_ws_client.ts";
import type { WebhookSink } from "./_ws_webhooks.ts";

/** Thrown by {@linkcode Env.fail}: the server did something the reference does not allow. */
export class Fail extends Error {}

/** Thrown by {@linkcode Env.differs}: the server does what the reference lists as a known deviation. */
export class Differs extends Error {}

/** Thrown by {@linkcode Env.skip}: the scenario cannot run against this server as configured. */
export class Skip extends Error {}

/** A REST answer. */
export interface RestAnswer {
  status: number;
  text: string;
  /** The parsed body, when it is JSON. */
  json: unknown;
}

/** How a `pusher:subscribe` ended. */
export interface SubOutcome {
  kind: "succeeded" | "subscription_error" | "error" | "closed" | "none";
  frame?: Frame;
  closed?: Closed;
}

/** Where and how to reach the server. */
export interface Target {
  /** `http(s)://host:port[/prefix]` with no trailing slash. */
  baseUrl: string;
  appId: string;
  key: string;
  secret: string;
  /** Bound for a single wait (a frame that must arrive). */
  waitMs: number;
  /** How long "nothing arrives" is watched. */
  quietMs: number;
  /** fetch for REST calls. */
  fetch: typeof fetch;
  /** Where the server's webhooks arrive, when it was configured to send them to the runner. */
  webhooks?: WebhookSink;
  /** The key of a disabled app on the same server (scenario 4). */
  disabledKey?: string;
  /** The key of an app whose connection quota is 1 (scenario 5). */
  quotaKey?: string;
  /** An app with client events turned off (scenario 31). */
  noClientEvents?: { appId: string; key: string; secret: string };
}

/** The toolbox each scenario gets; one per scenario run. */
export class Env {
  readonly t: Target;
  readonly socks: Sock[] = [];
  /** Known deviations seen so far (see {@linkcode Env.deviate}). */
  readonly deviations: string[] = [];
  #n = 0;
  #ended = false;
  #others: Env[] = [];
  readonly #tag: string;

  constructor(target: Target, tag: string) {
    this.t = target;
    this.#tag = tag;
  }

  /** The WebSocket URL of `/app/{key}` with pusher-js's query (`query` replaces it when given). */
  wsUrl(key = this.t.key, query = "protocol=7&client=js&version=8.6.0&flash=false"): string {
    const u = new URL(this.t.baseUrl);
    return `${u.origin.replace(/^http/, "ws")}${u.pathname.replace(/\/+$/, "")}/app/${key}${query ? `?${query}` : ""}`;
  }

  /** Opens a socket (not waiting for anything); refused once the scenario has ended (e.g. timed out). */
  open(url = this.wsUrl(), protocols?: string[]): Sock {
    if (this.#ended) throw new Fail("the scenario already ended");
    const s = new Sock(url, protocols);
    this.socks.push(s);
    return s;
  }

  /** The same toolbox for another app on the server; its sockets are closed with this scenario's. */
  forApp(app: { appId: string; key: string; secret: string }): Env {
    const other = new Env({ ...this.t, ...app }, `${this.#tag}b`);
    this.#others.push(other);
    return other;
  }

  /** Opens a socket and waits for `pusher:connection_established`; fails the scenario without one. */
  async connect(url?: string, protocols?: string[]): Promise<{ sock: Sock; socketId: string }> {
    const sock = this.open(url, protocols);
    const f = await sock.wait(ev("pusher:connection_established"), this.t.waitMs);
    const d = decoded(f) as { socket_id?: unknown } | undefined;
    if (!f || typeof d?.socket_id !== "string") {
      this.fail(
        `no pusher:connection_established within ${this.t.waitMs} ms` +
          (sock.closed
            ? ` (closed ${sock.closed.code} ${sock.closed.reason})`
            : ` (got ${sock.frames[0]?.raw ?? "nothing"})`),
      );
    }
    return { sock, socketId: d.socket_id };
  }

  /** A channel name unique to this run: `${prefix}cf${tag}-${n}`. */
  channel(prefix = ""): string {
    return `${prefix}cf${this.#tag}-${++this.#n}`;
  }

  /** A user id unique to this run. */
  user(name: string): string {
    return `${name}-${this.#tag}`;
  }

  /** The `auth` (and `channel_data`) for a private, presence or encrypted channel, from the core. */
  async auth(
    socketId: string,
    channel: string,
    channelData?: string,
  ): Promise<{ auth: string; channel_data?: string }> {
    // The master key only derives the shared_secret that pusher-js would keep; the server never sees it (§4.1).
    const encryptionMasterKey = channel.startsWith("private-encrypted-") ? "A".repeat(43) + "=" : undefined;
    const r = await authorizeChannel({
      key: this.t.key,
      secret: this.t.secret,
      socketId,
      channel,
      channelData,
      encryptionMasterKey,
    });
    return channelData === undefined ? { auth: r.auth } : { auth: r.auth, channel_data: r.channel_data };
  }

  /** `key:hex(HMAC-SHA256(secret, text))`, for signatures the core has no helper for (§6.1). */
  async sign(text: string): Promise<string> {
    return `${this.t.key}:${await signerFor(this.t.secret).signHex(text)}`;
  }

  /** Records a known deviation and carries on; the scenario ends as "differs" unless it fails. */
  deviate(message: string): void {
    this.deviations.push(message);
  }

  /** Fails the scenario with `message` unless `ok`. */
  check(ok: unknown, message: string): void {
    if (!ok) this.fail(message);
  }

  /** Sends `pusher:subscribe` and waits for how it ends. */
  async subscribe(sock: Sock, channel: string, data: Record<string, unknown> = { auth: "" }): Promise<SubOutcome> {
    const from = sock.frames.length;
    sock.send({ event: "pusher:subscribe", data: { ...data, channel } });
    const f = await sock.wait(
      (f) =>
        ((f.event === "pusher_internal:subscription_succeeded" || f.event === "pusher:subscription_error") &&
          f.channel === channel) || f.event === "pusher:error",
      this.t.waitMs,
      from,
    );
    if (!f) return sock.closed ? { kind: "closed", closed: sock.closed } : { kind: "none" };
    if (f.event === "pusher:error") return { kind: "error", frame: f };
    return { kind: f.event === "pusher:subscription_error" ? "subscription_error" : "succeeded", frame: f };
  }

  /** Subscribes with a correct signature (presence: `member` as channel_data); fails the scenario unless it succeeds. */
  async join(sock: Sock, socketId: string, channel: string, member?: { user_id: string; user_info?: unknown }) {
    const auth = /^(private-|presence-)/.test(channel)
      ? await this.auth(socketId, channel, member ? JSON.stringify(member) : undefined)
      : { auth: "" };
    const out = await this.subscribe(sock, channel, auth);
    if (out.kind !== "succeeded") this.fail(`subscribe to ${channel} with a valid auth: ${describe(out)}`);
    return out.frame!;
  }

  /** `pusher:signin` with a correct signature; resolves to the first reply (`signin_success`, an error or none). */
  async signin(sock: Sock, socketId: string, user: UserData | string): Promise<Frame | undefined> {
    const r = await authenticateUser({ key: this.t.key, secret: this.t.secret, socketId, userData: user });
    const from = sock.frames.length;
    sock.send({ event: "pusher:signin", data: { auth: r.auth, user_data: r.user_data } });
    return await sock.wait(
      (f) => f.event === "pusher:signin_success" || f.event === "pusher:error",
      this.t.waitMs,
      from,
    );
  }

  /** A signed REST request to `/apps/{id}{path}`. */
  async rest(method: string, path: string, opts: { params?: Record<string, string>; body?: unknown } = {}) {
    const prefix = new URL(this.t.baseUrl).pathname.replace(/\/+$/, "");
    const full = `${prefix}/apps/${this.t.appId}${path}`;
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const signed = await signRequest({
      key: this.t.key,
      secret: this.t.secret,
      method,
      path: full,
      params: opts.params,
      body,
    });
    const res = await this.t.fetch(`${new URL(this.t.baseUrl).origin}${full}?${signed.query}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body,
      signal: AbortSignal.timeout(Math.max(this.t.waitMs, 5000)),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json } satisfies RestAnswer;
  }

  /** `POST /events`; fails the scenario unless the server answers 2xx. */
  async trigger(channels: string[], name: string, data: string, extra: Record<string, unknown> = {}) {
    const r = await this.rest("POST", "/events", { body: { name, channels, data, ...extra } });
    if (r.status < 200 || r.status >= 300) this.fail(`trigger to ${channels.join(",")} answered ${r.status} ${r.text}`);
    return r;
  }

  /** Waits `ms` (default: the quiet window). */
  sleep(ms = this.t.quietMs): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }

  /** Ends the scenario as failed. */
  fail(message: string): never {
    throw new Fail(message);
  }

  /** Ends the scenario as a known deviation from the documentation. */
  differs(message: string): never {
    throw new Differs(message);
  }

  /** The webhook receiver, or skips the scenario when the runner has none. */
  sink(): WebhookSink {
    return this.t.webhooks ?? this.skip(
      "needs --webhooks PORT and the server configured to send its webhooks to that receiver",
    );
  }

  /** Ends the scenario as not run. */
  skip(message: string): never {
    throw new Skip(message);
  }

  /** Closes every socket this scenario opened and waits (bounded) for the closes. */
  async cleanup(): Promise<void> {
    this.#ended = true;
    await Promise.all(this.#others.map((o) => o.cleanup()));
    await Promise.all(this.socks.map((s) => s.closeAndWait(1000)));
  }
}

/** A short text for a subscribe outcome or a frame, for notes. */
export function describe(x: SubOutcome | Frame | undefined): string {
  if (!x) return "nothing";
  if ("raw" in x) return x.raw.length > 160 ? `${x.raw.slice(0, 160)}…` : x.raw;
  if (x.kind === "none") return "no answer";
  if (x.kind === "closed") return `socket closed ${x.closed?.code} ${x.closed?.reason}`;
  return describe(x.frame);
}
