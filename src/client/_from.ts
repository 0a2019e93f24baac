/**
 * Builds `PusherOptions` from a URL (`Pusher.forURL`) or an environment (`Pusher.fromEnv`).
 *
 * @module
 */

import { PusherError } from "../errors.ts";
import type { PusherOptions } from "./options.ts";

/** Anything `fromEnv` can read: a Workers `env` object, `Deno.env`, `process.env`, or a plain record. */
export type EnvSource =
  | { get(name: string): string | undefined }
  | Readonly<Record<string, unknown>>;

/** The options `forURL` and `fromEnv` take besides what the URL or the environment provides. */
export type ExtraOptions = Partial<Omit<PusherOptions, "appId" | "key" | "secret">>;

const bad = (message: string) => new PusherError("ERR_INVALID_CONFIG", message);

/**
 * Parses `SCHEME://KEY:SECRET@HOST[:PORT][/PREFIX]/apps/APP_ID` with the WHATWG URL parser. A path before
 * `/apps/` becomes `pathPrefix`; key and secret are percent-decoded. Messages never echo the URL.
 */
export function optionsFromURL(url: string | URL, extra: ExtraOptions = {}): PusherOptions {
  let u: URL, match: RegExpExecArray | null, key: string, secret: string;
  try {
    u = new URL(url);
    match = /^(.*)\/apps\/([^/]+)\/?$/.exec(u.pathname);
    key = decodeURIComponent(u.username);
    secret = decodeURIComponent(u.password);
  } catch {
    throw bad("the Pusher URL is not a valid URL");
  }
  if (!/^https?:$/.test(u.protocol) || !match || !key || !secret || u.search || u.hash) {
    throw bad(
      "the Pusher URL must be http(s)://KEY:SECRET@HOST/apps/APP_ID",
    );
  }
  return {
    ...extra,
    appId: match[2],
    key,
    secret,
    host: u.hostname,
    port: u.port ? +u.port : undefined,
    useTLS: u.protocol === "https:",
    pathPrefix: match[1] || undefined,
  };
}

/**
 * Reads `PUSHER_URL`, or `PUSHER_APP_ID` + `PUSHER_KEY` + `PUSHER_SECRET` + (`PUSHER_CLUSTER` or `PUSHER_HOST`),
 * plus optional `PUSHER_PORT`, `PUSHER_USE_TLS`, `PUSHER_PATH_PREFIX` and `PUSHER_ENCRYPTION_MASTER_KEY_BASE64`.
 * Throws one `ERR_INVALID_CONFIG` naming every missing variable.
 */
export function optionsFromEnv(env: EnvSource | undefined, extra: ExtraOptions = {}): PusherOptions {
  const g = globalThis as { Deno?: { env?: EnvSource }; process?: { env?: EnvSource } };
  // Deno.env.get throws without --allow-env; fall back to process.env (Node, Bun, Workers with nodejs_compat).
  const source = (env ?? g.Deno?.env ?? g.process?.env) as Record<string, unknown> & { get?: (n: string) => unknown };
  if (!source || typeof source !== "object") throw bad("Pusher.fromEnv() found no environment");
  const read = (name: string) => {
    const value = typeof source.get === "function" ? source.get(`PUSHER_${name}`) : source[`PUSHER_${name}`];
    return typeof value === "string" && value ? value : undefined;
  };
  const masterKey = read("ENCRYPTION_MASTER_KEY_BASE64");
  const withKey: ExtraOptions = masterKey ? { encryptionMasterKeyBase64: masterKey, ...extra } : extra;
  const url = read("URL");
  if (url) return optionsFromURL(url, withKey);

  const names = ["APP_ID", "KEY", "SECRET", "CLUSTER", "HOST", "PORT", "USE_TLS", "PATH_PREFIX"];
  const [appId, key, secret, cluster, host, port, useTLS, pathPrefix] = names.map(read);
  const missing = names.slice(0, 3).filter((n) => !read(n));
  if (!(cluster || host || extra.host || extra.cluster)) missing.push("CLUSTER (or PUSHER_HOST)");
  if (missing.length) throw bad(`Pusher.fromEnv() is missing PUSHER_${missing.join(", PUSHER_")} (or set PUSHER_URL)`);
  if (useTLS && !/^(true|false|1|0)$/i.test(useTLS)) throw bad("PUSHER_USE_TLS must be true, false, 1 or 0");
  return {
    cluster,
    host,
    port: port ? +port : undefined,
    useTLS: useTLS ? /^(true|1)$/i.test(useTLS) : undefined,
    pathPrefix,
    ...withKey,
    appId: appId!,
    key: key!,
    secret: secret!,
  };
}
