/**
 * Credentials and target for the CLI: flags first, then the same environment `Pusher.fromEnv` reads
 * (`PUSHER_URL`, or `PUSHER_APP_ID`/`PUSHER_KEY`/`PUSHER_SECRET`/`PUSHER_CLUSTER`/`PUSHER_HOST`/`PUSHER_PORT`/
 * `PUSHER_USE_TLS`). With none of them, the local emulator (`http://127.0.0.1:8787`, or the port in `PORT`, demo
 * credentials) is used and a note says so on stderr. The secret is never printed.
 *
 * @module
 */
import { Pusher } from "../client/pusher.ts";
import { encryption } from "../encryption/mod.ts";
import { optionsFromURL } from "../client/_from.ts";
import type { PusherOptions } from "../client/options.ts";
import { PusherError } from "../errors.ts";
import { DEMO_CREDENTIALS } from "../hono/config.ts";
import type { Parsed } from "./_args.ts";
import { type Io, UsageError } from "./_io.ts";

/** The default emulator address (what `deno task start` listens on). */
export const EMULATOR_ORIGIN = "http://127.0.0.1:8787";

type ClientFields =
  | "key"
  | "secret"
  | "cluster"
  | "host"
  | "port"
  | "useTLS"
  | "pathPrefix"
  | "encryptionMasterKeyBase64";

/** Where the CLI sends requests and what it signs with: the client's options, each one possibly still missing. */
export interface Target extends Partial<Pick<PusherOptions, ClientFields>> {
  /** The app id, as text (flags and the environment are text). */
  appId?: string;
  /** `true` when nothing was configured and the emulator's demo credentials are used. */
  demo: boolean;
}

const CRED_ENV = ["PUSHER_URL", "PUSHER_APP_ID", "PUSHER_KEY", "PUSHER_SECRET"];
const CRED_FLAGS = ["url", "app-id", "key", "secret"];

function fromUrl(url: string, where: string): Partial<Target> {
  try {
    const o = optionsFromURL(url);
    return {
      appId: String(o.appId),
      key: o.key,
      secret: o.secret,
      host: o.host,
      port: o.port,
      useTLS: o.useTLS,
      pathPrefix: o.pathPrefix,
    };
  } catch (err) {
    throw new UsageError(`${where}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function parsePort(value: string, where: string): number {
  if (!/^[0-9]{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 65535) {
    throw new UsageError(`${where} must be a port number (1-65535)`);
  }
  return Number(value);
}

/** Resolves the target from flags and environment; nothing is checked for completeness yet. */
export function resolveTarget(parsed: Parsed, env: Io["env"]): Target {
  const get = (name: string) => (env[name] === "" ? undefined : env[name]);
  const flag = (name: string) => parsed.strings.get(name);
  const anyCred = CRED_FLAGS.some((f) => flag(f) !== undefined) || CRED_ENV.some((n) => get(n) !== undefined);
  let t: Target = { demo: false };
  if (!anyCred) {
    // The emulator `task start` runs: it listens on PORT, so a PORT that moved it moves the CLI too.
    const origin = new URL(EMULATOR_ORIGIN);
    t = {
      demo: true,
      appId: DEMO_CREDENTIALS.appId,
      key: DEMO_CREDENTIALS.key,
      secret: DEMO_CREDENTIALS.secret,
      encryptionMasterKeyBase64: DEMO_CREDENTIALS.encryptionMasterKey,
      host: origin.hostname,
      port: get("PORT") === undefined ? Number(origin.port) : parsePort(get("PORT")!, "PORT"),
      useTLS: false,
    };
  } else if (flag("url") !== undefined) {
    t = { demo: false, ...fromUrl(flag("url")!, "--url") };
  } else if (get("PUSHER_URL") !== undefined) {
    t = { demo: false, ...fromUrl(get("PUSHER_URL")!, "PUSHER_URL") };
  } else {
    t = {
      demo: false,
      appId: get("PUSHER_APP_ID"),
      key: get("PUSHER_KEY"),
      secret: get("PUSHER_SECRET"),
      cluster: get("PUSHER_CLUSTER"),
      host: get("PUSHER_HOST"),
    };
    if (get("PUSHER_PORT") !== undefined) t.port = parsePort(get("PUSHER_PORT")!, "PUSHER_PORT");
    const tls = get("PUSHER_USE_TLS");
    if (tls !== undefined) {
      if (!/^(true|false|1|0)$/i.test(tls)) throw new UsageError("PUSHER_USE_TLS must be true, false, 1 or 0");
      t.useTLS = /^(true|1)$/i.test(tls);
    }
    if (get("PUSHER_PATH_PREFIX") !== undefined) t.pathPrefix = get("PUSHER_PATH_PREFIX");
  }
  if (!t.demo && get("PUSHER_ENCRYPTION_MASTER_KEY_BASE64") !== undefined) {
    t.encryptionMasterKeyBase64 = get("PUSHER_ENCRYPTION_MASTER_KEY_BASE64");
  }
  if (flag("app-id") !== undefined) t.appId = flag("app-id");
  if (flag("key") !== undefined) t.key = flag("key");
  if (flag("secret") !== undefined) t.secret = flag("secret");
  if (flag("cluster") !== undefined) {
    t.cluster = flag("cluster");
    if (flag("host") === undefined) t.host = undefined;
  }
  if (flag("host") !== undefined) t.host = flag("host");
  if (flag("port") !== undefined) t.port = parsePort(flag("port")!, "--port");
  if (parsed.booleans.has("no-tls")) t.useTLS = false;
  if (flag("encryption-master-key") !== undefined) t.encryptionMasterKeyBase64 = flag("encryption-master-key");
  return t;
}

/** Prints the "using the emulator" note once, when the demo credentials are in use. */
export function noteDemo(io: Io, t: Target): void {
  if (!t.demo) return;
  const scheme = t.useTLS === false ? "http" : "https";
  io.stderr(
    `note: no credentials given (flags, PUSHER_URL or PUSHER_APP_ID/KEY/SECRET); using the local emulator at ` +
      `${scheme}://${t.host}:${t.port}, app ${t.appId}, key ${t.key}\n`,
  );
}

/** The key and secret, or a usage error naming what is missing. */
export function needKeySecret(t: Target): { key: string; secret: string } {
  const missing = [];
  if (!t.key) missing.push("--key (or PUSHER_KEY)");
  if (!t.secret) missing.push("--secret (or PUSHER_SECRET)");
  if (missing.length > 0) throw new UsageError(`missing credentials: ${missing.join(", ")}, or set --url / PUSHER_URL`);
  return { key: t.key!, secret: t.secret! };
}

/** A REST client for the target, or a usage error naming every missing setting. */
export function needClient(t: Target, io: Io, timeout?: string): Pusher {
  const missing = [];
  if (!t.appId) missing.push("--app-id (or PUSHER_APP_ID)");
  if (!t.key) missing.push("--key (or PUSHER_KEY)");
  if (!t.secret) missing.push("--secret (or PUSHER_SECRET)");
  if (!t.host && !t.cluster) missing.push("--cluster or --host (or PUSHER_CLUSTER / PUSHER_HOST)");
  if (missing.length > 0) throw new UsageError(`missing settings: ${missing.join(", ")}; or set --url / PUSHER_URL`);
  let ms: number | undefined;
  if (timeout !== undefined) {
    if (!/^[0-9]+$/.test(timeout)) throw new UsageError("--timeout must be milliseconds");
    ms = Number(timeout);
  }
  const options: PusherOptions = {
    appId: t.appId!,
    key: t.key!,
    secret: t.secret!,
    cluster: t.cluster,
    host: t.host,
    port: t.port,
    useTLS: t.useTLS,
    pathPrefix: t.pathPrefix,
    encryptionMasterKeyBase64: t.encryptionMasterKeyBase64,
    // The CLI carries the cipher, so `trigger --encryption-master-key` works on private-encrypted-* channels.
    encryption,
    fetch: io.fetch,
    timeout: ms,
  };
  try {
    return new Pusher(options);
  } catch (err) {
    if (err instanceof PusherError) throw new UsageError(err.message);
    throw err;
  }
}

/** `scheme://host[:port]` of the target, for messages. */
export function originOf(t: Target): string {
  const host = t.host ?? (t.cluster ? `api-${t.cluster}.pusher.com` : "api.pusherapp.com");
  return `${t.useTLS === false ? "http" : "https"}://${host}${t.port ? `:${t.port}` : ""}`;
}
