/** The Pusher app the standalone server works for. */
export interface AppCredentials {
  /** The app id. */
  appId: string;
  /** The app key. */
  key: string;
  /** The app secret. */
  secret: string;
  /** The cluster, e.g. `eu` (informational here). */
  cluster?: string;
  /** Base64 of the 32-byte end-to-end encryption master key. */
  encryptionMasterKey?: string;
}

/** What {@linkcode appOptionsFromEnv} reads, and {@linkcode createApp} takes. */
export interface AppOptions {
  /** Real credentials. Without them the app runs the emulator with demo credentials. */
  credentials?: AppCredentials;
  /** Run the REST API emulator and debug page; the default when no credentials are given. */
  emulator?: boolean;
  /** HS256 secret for the bearer-JWT auth policy; without it the auth endpoints refuse to authorize. */
  jwtSecret?: string;
  /** The JWT claim listing allowed channel patterns; `"channels"` by default. */
  jwtChannelsClaim?: string;
  /** Largest request body accepted by the auth and webhook endpoints, in bytes. */
  maxBodyBytes?: number;
  /**
   * Replay window for `POST /pusher/webhook`: refuse webhooks whose `time_ms` is further than this from now, and
   * answer a repeat of a webhook seen by this process inside the window as a duplicate (503 when 50,000 live deliveries
   * fill the memory). Off by default.
   */
  webhookMaxAgeMs?: number;
  /** Host names the emulator serves besides loopback ones (`"*"` for any); see `createEmulator`'s `allowedHosts`. */
  emulatorHosts?: readonly string[];
  /** Let an emulator with real credentials hand out signed requests and decrypted payloads (off by default). */
  emulatorExposeSigned?: boolean;
  /** WebSocket server: URLs that receive the server's webhooks (`PUSHER_WEBHOOK_URLS`, comma-separated). */
  webhookUrls?: string[];
  /** WebSocket server: `activity_timeout` in seconds (`PUSHER_ACTIVITY_TIMEOUT`); 120 by default. */
  activityTimeout?: number;
  /** WebSocket server: grace before `channel_vacated`/`member_removed` webhooks (`PUSHER_WEBHOOK_DELAY_MS`); 3 000. */
  webhookDelayMs?: number;
  /** WebSocket server: client events per connection per second (`PUSHER_CLIENT_EVENTS_PER_SECOND`); 10 by default. */
  clientEventsPerSecond?: number;
  /** WebSocket server: several events per webhook body (`PUSHER_WEBHOOK_BATCH=1`); one per body by default. */
  webhookBatch?: boolean;
  /**
   * WebSocket server: the webhook event types to send (`PUSHER_WEBHOOK_EVENTS`, comma-separated). By default every
   * documented type except `subscription_count`, which, like its dashboard setting, is opt-in.
   */
  webhookEvents?: string[];
}

/** The credentials the emulator uses when none are configured. Printed at start; never use them in production. */
export const DEMO_CREDENTIALS: Readonly<Required<Omit<AppCredentials, "cluster">>> = Object.freeze({
  appId: "1",
  key: "emulator-key",
  secret: "emulator-secret",
  // base64 of the 32 ASCII bytes "pusher-edge-emulator-master-key!"
  encryptionMasterKey: "cHVzaGVyLWVkZ2UtZW11bGF0b3ItbWFzdGVyLWtleSE=",
});

function truthy(v: string | undefined): boolean | undefined {
  if (v === undefined || v === "") return undefined;
  return /^(1|true|yes|on)$/i.test(v);
}

/**
 * Reads the standalone app's configuration from an environment record (a Workers `env`, `Deno.env.toObject()` or
 * `process.env`): `PUSHER_URL` (`https://KEY:SECRET@api-CLUSTER.pusher.com/apps/APP_ID`) or `PUSHER_APP_ID`,
 * `PUSHER_KEY`, `PUSHER_SECRET` and optional `PUSHER_CLUSTER`; `PUSHER_ENCRYPTION_MASTER_KEY_BASE64`;
 * `PUSHER_AUTH_JWT_SECRET` and `PUSHER_AUTH_JWT_CHANNELS_CLAIM`; `PUSHER_WEBHOOK_MAX_AGE_MS`; `PUSHER_EMULATOR` (`1` forces the emulator with the
 * given credentials, `0` turns it off); `PUSHER_EMULATOR_HOSTS` (comma-separated host names the emulator serves besides
 * loopback ones) and `PUSHER_EMULATOR_EXPOSE_SIGNED` (`1` lets an emulator with real credentials hand out signed
 * requests and decrypted payloads); for the WebSocket server `PUSHER_WEBHOOK_URLS`, `PUSHER_ACTIVITY_TIMEOUT`,
 * `PUSHER_WEBHOOK_DELAY_MS`, `PUSHER_WEBHOOK_BATCH`, `PUSHER_WEBHOOK_EVENTS` and `PUSHER_CLIENT_EVENTS_PER_SECOND`.
 *
 * @param env the environment variables
 * @returns options for {@linkcode createApp}
 * @throws {TypeError} listing every missing variable when the credentials are only partly given, or on a bad `PUSHER_URL`
 *
 * @example
 * ```ts
 * import { appOptionsFromEnv } from "@pusher-edge/pusher-edge/hono";
 *
 * const options = appOptionsFromEnv({ PUSHER_URL: "https://key:secret@api-eu.pusher.com/apps/123" });
 * if (options.credentials?.appId !== "123" || options.credentials.cluster !== "eu") throw new Error("parse failed");
 * if (appOptionsFromEnv({}).credentials !== undefined) throw new Error("no credentials means the emulator");
 * ```
 */
export function appOptionsFromEnv(env: Readonly<Record<string, unknown>>): AppOptions {
  const get = (name: string): string | undefined => {
    const v = env?.[name];
    return typeof v === "string" && v !== "" ? v : undefined;
  };
  const options: AppOptions = {};
  let credentials: AppCredentials | undefined;
  const url = get("PUSHER_URL");
  if (url) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new TypeError("PUSHER_URL is not a URL (expected https://KEY:SECRET@api-CLUSTER.pusher.com/apps/APP_ID)");
    }
    const appId = /^\/apps\/([^/]+)\/?$/.exec(parsed.pathname)?.[1];
    if (!parsed.username || !parsed.password || !appId) {
      throw new TypeError("PUSHER_URL must look like https://KEY:SECRET@api-CLUSTER.pusher.com/apps/APP_ID");
    }
    credentials = {
      appId: decodeURIComponent(appId),
      key: decodeURIComponent(parsed.username),
      secret: decodeURIComponent(parsed.password),
    };
    const cluster = /^api-([a-z0-9-]+)\.pusher\.com$/.exec(parsed.hostname)?.[1];
    if (cluster) credentials.cluster = cluster;
  } else {
    const names = ["PUSHER_APP_ID", "PUSHER_KEY", "PUSHER_SECRET"];
    const given = names.filter((n) => get(n) !== undefined);
    if (given.length > 0 && given.length < names.length) {
      const missing = names.filter((n) => get(n) === undefined);
      throw new TypeError(`Incomplete Pusher credentials: set ${missing.join(", ")} (or PUSHER_URL)`);
    }
    if (given.length === names.length) {
      credentials = { appId: get("PUSHER_APP_ID")!, key: get("PUSHER_KEY")!, secret: get("PUSHER_SECRET")! };
      const cluster = get("PUSHER_CLUSTER");
      if (cluster) credentials.cluster = cluster;
    }
  }
  const masterKey = get("PUSHER_ENCRYPTION_MASTER_KEY_BASE64");
  if (masterKey) {
    if (!credentials) throw new TypeError("PUSHER_ENCRYPTION_MASTER_KEY_BASE64 is set but no Pusher credentials are");
    credentials.encryptionMasterKey = masterKey;
  }
  if (credentials) options.credentials = credentials;
  const emulator = truthy(get("PUSHER_EMULATOR"));
  if (emulator !== undefined) options.emulator = emulator;
  const hosts = get("PUSHER_EMULATOR_HOSTS");
  if (hosts) options.emulatorHosts = hosts.split(",").map((h) => h.trim()).filter((h) => h !== "");
  const expose = truthy(get("PUSHER_EMULATOR_EXPOSE_SIGNED"));
  if (expose !== undefined) options.emulatorExposeSigned = expose;
  const jwtSecret = get("PUSHER_AUTH_JWT_SECRET");
  if (jwtSecret) options.jwtSecret = jwtSecret;
  const claim = get("PUSHER_AUTH_JWT_CHANNELS_CLAIM");
  if (claim) options.jwtChannelsClaim = claim;
  const maxAge = get("PUSHER_WEBHOOK_MAX_AGE_MS");
  if (maxAge !== undefined) {
    if (!/^[1-9][0-9]{0,9}$/.test(maxAge)) throw new TypeError("PUSHER_WEBHOOK_MAX_AGE_MS must be a positive integer");
    options.webhookMaxAgeMs = Number(maxAge);
  }
  const hooks = get("PUSHER_WEBHOOK_URLS");
  if (hooks) {
    options.webhookUrls = hooks.split(",").map((u) => u.trim()).filter((u) => u !== "");
    for (const u of options.webhookUrls) {
      if (!/^https?:\/\//.test(u)) throw new TypeError(`PUSHER_WEBHOOK_URLS: not an http(s) URL: ${u.slice(0, 80)}`);
    }
  }
  for (
    const [name, field] of [["PUSHER_ACTIVITY_TIMEOUT", "activityTimeout"], [
      "PUSHER_WEBHOOK_DELAY_MS",
      "webhookDelayMs",
    ], ["PUSHER_CLIENT_EVENTS_PER_SECOND", "clientEventsPerSecond"]] as const
  ) {
    const v = get(name);
    if (v === undefined) continue;
    if (!/^[0-9]{1,9}$/.test(v)) throw new TypeError(`${name} must be a non-negative integer`);
    options[field] = Number(v);
  }
  const kinds = get("PUSHER_WEBHOOK_EVENTS");
  if (kinds) options.webhookEvents = kinds.split(",").map((k) => k.trim()).filter((k) => k !== "");
  const batch = truthy(get("PUSHER_WEBHOOK_BATCH"));
  if (batch !== undefined) options.webhookBatch = batch;
  if (credentials) hideSecrets(credentials, ["secret", "encryptionMasterKey"]);
  return hideSecrets(options, ["jwtSecret"]);
}

/**
 * Makes `console.log`, `Deno.inspect`, Node's `util.inspect` and `JSON.stringify` show `[redacted]` for the given
 * fields. The hooks are non-enumerable, so the data, spreads and deep-equality checks are unchanged.
 */
function hideSecrets<T extends object>(target: T, fields: readonly string[]): T {
  const view = () =>
    Object.fromEntries(Object.entries(target).map(([k, v]) => [k, fields.includes(k) ? "[redacted]" : v]));
  const show = () => JSON.stringify(view()); // nested objects redact themselves through their own toJSON
  for (const name of ["toJSON", Symbol.for("Deno.customInspect"), Symbol.for("nodejs.util.inspect.custom")]) {
    Object.defineProperty(target, name, { value: name === "toJSON" ? view : show, enumerable: false });
  }
  return target;
}
