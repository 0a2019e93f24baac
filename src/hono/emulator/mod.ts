import { Hono } from "hono";
import type { HonoApp } from "../types.ts";
import { parseMasterKey } from "../../shared_secret.ts";
import { isPresenceChannel, MAX_DATA_BYTES } from "../../validate.ts";
import { jsonResponse } from "../_http.ts";
import { type ApiConfig, ApiError, operations } from "./api.ts";
import { handleApi } from "./handle.ts";
import { EmulatorState, type LogEntry } from "./state.ts";
import { checkHosts, emulatorGuard } from "./_guard.ts";
import { logPage, MAX_ANSWER_BYTES, streamRoute } from "./_stream.ts";
import { debugPage } from "./page.ts";
import type { LiveHooks } from "./live.ts";
import { liveRoutes } from "./live_routes.ts";
import { seedDemo, seedRoutes } from "./seed_routes.ts";

export type { EmulatedEvent, LogEntry } from "./state.ts";

/** Options of {@linkcode createEmulator}. */
export interface EmulatorOptions {
  /** The app id served under `/apps/{appId}`. */
  appId: string;
  /** The app key requests must be signed with. */
  key: string;
  /** The app secret requests must be signed with. */
  secret: string;
  /** Base64 of the 32-byte master key; lets the emulator decrypt `private-encrypted-*` payloads. */
  encryptionMasterKey?: string | Uint8Array;
  /** How many requests the log keeps (oldest dropped first); 500 by default. */
  maxEntries?: number;
  /** Largest event `data` in bytes before a 413; 10 240 by default (dedicated clusters allow more). */
  maxDataBytes?: number;
  /** Seed `presence-demo` with two members and `demo` with one subscriber at start and on reset; true by default. */
  seed?: boolean;
  /** Show the secret on the debug page and `GET /emulator/info` (for demo credentials only); false by default. */
  showSecret?: boolean;
  /** The emulator's clock in Unix seconds, for tests of the timestamp window. */
  now?: () => number;
  /**
   * Host names served besides loopback ones (`localhost`, `*.localhost`, `127.x.x.x`, `[::1]`); `"*"` allows any.
   * Other hosts get 403, which defeats DNS rebinding.
   */
  allowedHosts?: readonly string[];
  /**
   * Let the emulator hand out what its secret signs and its master key decrypts: the debug page's signed demo
   * trigger, `auth_signature`s in the log, decrypted payloads. On by default for `createEmulator` (the caller chose
   * the credentials); `createApp` turns it off for real credentials unless `PUSHER_EMULATOR_EXPOSE_SIGNED=1`.
   */
  exposeSigned?: boolean;
  /**
   * A running protocol engine (see `createLiveServer`): REST triggers reach its WebSocket subscribers, the channel
   * routes answer from its live state (plus anything seeded), and `GET /emulator/live` shows its connections.
   */
  live?: LiveHooks;
}

function checkOptions(options: EmulatorOptions): void {
  if (typeof options !== "object" || options === null) throw new TypeError("createEmulator: options are required");
  for (const name of ["appId", "key", "secret"] as const) {
    if (typeof options[name] !== "string" || options[name] === "") {
      throw new TypeError(`createEmulator: ${name} must be a non-empty string`);
    }
  }
  for (const name of ["maxEntries", "maxDataBytes"] as const) {
    const v = options[name];
    if (v !== undefined && !(Number.isSafeInteger(v) && v > 0)) {
      throw new TypeError(`createEmulator: ${name} must be a positive integer`);
    }
  }
}

/**
 * Creates a Pusher Channels REST API emulator as a Hono app. Every request to `/apps/{appId}/…` is verified like
 * production (the 401 text `Invalid signature: you should have sent HmacSHA256Hex("…", your_secret_key), but you sent "…"`,
 * timestamp window, `body_md5`), validated (400 for >100 channels, >10 batch events, bad names, `info` rules; 413 for
 * `data` over 10 240 bytes), recorded in a bounded log and answered in the API's JSON shape.
 *
 * Besides the API it serves the debug page at `/` (live over server-sent events) and these helper routes:
 * `GET /emulator/info`, `GET /emulator/log`, `GET /emulator/events`, `GET /emulator/stream`, `GET /emulator/channels`,
 * `POST /emulator/channels/{channel}/occupancy` `{"subscription_count":n}`, `POST /emulator/channels/{channel}/members`
 * `{"user_id","user_info"}`, `DELETE /emulator/channels/{channel}/members/{user_id}`, `POST /emulator/reset`, and
 * `POST /emulator/demo/trigger` `{"tamper":bool}` (the debug page's buttons).
 *
 * @param options the credentials it accepts, and limits
 * @returns a Hono app; mount it with `app.route("/", emulator)` or serve it directly
 * @throws {TypeError} when the options are incomplete
 *
 * @example Point a signed request at the emulator
 * ```ts
 * import { createEmulator } from "@pusher-edge/pusher-edge/hono";
 * import { signRequest } from "@pusher-edge/pusher-edge";
 *
 * const emulator = createEmulator({ appId: "1", key: "emulator-key", secret: "emulator-secret" });
 * const body = JSON.stringify({ name: "greet", channels: ["demo"], data: '{"hello":"world"}' });
 * const signed = await signRequest({
 *   key: "emulator-key", secret: "emulator-secret", method: "POST", path: "/apps/1/events", body,
 * });
 * const res = await emulator.request(`/apps/1/events?${signed.query}`, {
 *   method: "POST", headers: { "content-type": "application/json" }, body,
 * });
 * if (res.status !== 200) throw new Error(await res.text());
 * const log = await (await emulator.request("/emulator/events")).json();
 * if (log.events[0].name !== "greet") throw new Error("event not recorded");
 * ```
 */
export function createEmulator(options: EmulatorOptions): HonoApp {
  checkOptions(options);
  const masterKey = options.encryptionMasterKey === undefined ? undefined : parseMasterKey(options.encryptionMasterKey);
  const cfg: ApiConfig = {
    appId: options.appId,
    key: options.key,
    secret: options.secret,
    masterKey,
    maxDataBytes: options.maxDataBytes ?? MAX_DATA_BYTES,
    maxBodyBytes: Math.max(256 * 1024, (options.maxDataBytes ?? MAX_DATA_BYTES) * 12),
    now: options.now ?? (() => Math.floor(Date.now() / 1000)),
  };
  const seed = options.seed ?? true;
  const allowedHosts = checkHosts(options.allowedHosts);
  const expose = options.exposeSigned ?? true;
  const state = new EmulatorState(options.maxEntries ?? 500, undefined, !expose);
  if (seed) seedDemo(state);
  if (options.live) {
    state.live = options.live;
    options.live.log.onAttempt = (a) =>
      state.record({
        kind: "webhook_out",
        method: "POST",
        path: a.url,
        query: "",
        verdict: a.ok ? "accepted" : "rejected",
        status: a.status ?? 0,
        reason: a.ok
          ? undefined
          : `attempt ${a.attempt}: ${a.error ?? `HTTP ${a.status}`}${a.willRetry ? ", will retry" : ""}`,
        body: `time_ms ${a.timeMs}: ${a.events.join(", ")}`,
      });
  }
  const ops = operations(cfg, state);
  const app = new Hono();

  const info = () => ({
    appId: cfg.appId,
    key: cfg.key,
    ...(options.showSecret ? { secret: cfg.secret } : {}),
    encryption: masterKey !== undefined,
    maxDataBytes: cfg.maxDataBytes,
    maxEntries: state.capacity,
  });

  const hostOnly = emulatorGuard(allowedHosts, false);
  const browser = emulatorGuard(allowedHosts, true);
  app.use("/apps/*", hostOnly);
  app.use("/emulator/*", browser);
  app.get("/", browser, (c) => {
    c.header(
      "content-security-policy",
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:",
    );
    return c.html(debugPage(info()));
  });

  app.post("/apps/:appId/events", (c) => handleApi(c, cfg, state, ops.trigger));
  app.post("/apps/:appId/batch_events", (c) => handleApi(c, cfg, state, ops.batch));
  app.get("/apps/:appId/channels", (c) => handleApi(c, cfg, state, ops.channels));
  app.get("/apps/:appId/channels/:channel", (c) => handleApi(c, cfg, state, ops.channel));
  app.get("/apps/:appId/channels/:channel/users", (c) => handleApi(c, cfg, state, ops.users));
  app.post("/apps/:appId/users/:user/terminate_connections", (c) => handleApi(c, cfg, state, ops.terminate));
  app.all("/apps/*", (c) => {
    const entry: Omit<LogEntry, "id" | "time"> = {
      kind: "rest",
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      query: new URL(c.req.url).search.slice(1),
      verdict: "rejected",
      status: 404,
      reason: "No such endpoint in the Channels REST API",
    };
    state.record(entry);
    return jsonResponse(404, { error: entry.reason, status: 404 });
  });

  app.get("/emulator/info", (c) => c.json(info()));
  liveRoutes(app, state);
  // Both answers are bounded in bytes (the newest first), so reading them never stalls the process.
  app.get("/emulator/log", (c) => c.json(logPage(state, c.req.query("after"), c.req.query("limit"))));
  app.get("/emulator/events", (c) => {
    const channel = c.req.query("channel");
    const events = [];
    let bytes = 0;
    outer: for (let i = state.entries.length - 1; i >= 0; i--) {
      const list = state.entries[i].events ?? [];
      for (let j = list.length - 1; j >= 0; j--) {
        if (channel && list[j].channel !== channel) continue;
        bytes += list[j].data.length + (list[j].decrypted?.length ?? 0) + 100;
        if (bytes > MAX_ANSWER_BYTES && events.length > 0) break outer;
        events.push(list[j]);
      }
    }
    return c.json({ events: events.reverse() });
  });
  app.get("/emulator/channels", (c) => {
    const channels: Record<string, unknown> = {};
    for (const [name, ch] of state.channels) {
      channels[name] = {
        occupied: state.occupied(name),
        subscription_count: state.subscriptionCount(name),
        ...(isPresenceChannel(name) ? { members: Object.fromEntries(ch.members) } : {}),
      };
    }
    return c.json({ channels, terminated: state.terminated });
  });

  seedRoutes(app, cfg, state, { seed, expose });
  app.get("/emulator/stream", streamRoute(state, info));

  app.onError((err, c) => {
    if (err instanceof ApiError) return jsonResponse(err.status, { error: err.message, status: err.status });
    if ("getResponse" in err && typeof err.getResponse === "function") return err.getResponse();
    console.error("emulator: unexpected error", err instanceof Error ? err.name : typeof err);
    return jsonResponse(500, { error: "Internal error", status: 500, path: new URL(c.req.url).pathname });
  });
  return app;
}
