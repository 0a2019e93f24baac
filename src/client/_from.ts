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

/**
 * Parses `SCHEME://KEY:SECRET@HOST[:PORT][/PREFIX]/apps/APP_ID` with the WHATWG URL parser. A path before
 * `/apps/` becomes `pathPrefix`; key and secret are percent-decoded. Messages never echo the URL.
 */
export function optionsFromURL(url: string | URL, extra: ExtraOptions = {}): PusherOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PusherError("ERR_INVALID_CONFIG", "the Pusher URL is not a valid URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new PusherError("ERR_INVALID_CONFIG", "the Pusher URL must start with http:// or https://");
  }
  const match = /^(.*)\/apps\/([^/]+)\/?$/.exec(parsed.pathname);
  if (!match) throw new PusherError("ERR_INVALID_CONFIG", "the Pusher URL path must end with /apps/<appId>");
  if (!parsed.username || !parsed.password) {
    throw new PusherError("ERR_INVALID_CONFIG", "the Pusher URL must carry KEY:SECRET@ before the host");
  }
  if (parsed.search || parsed.hash) {
    throw new PusherError("ERR_INVALID_CONFIG", "the Pusher URL must not have a query string or fragment");
  }
  let key: string, secret: string;
  try {
    key = decodeURIComponent(parsed.username);
    secret = decodeURIComponent(parsed.password);
  } catch {
    throw new PusherError("ERR_INVALID_CONFIG", "the Pusher URL's credentials are not valid percent-encoding");
  }
  return {
    ...extra,
    appId: match[2],
    key,
    secret,
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : undefined,
    useTLS: parsed.protocol === "https:",
    pathPrefix: match[1] || undefined,
  };
}

function ambientEnv(): EnvSource | undefined {
  const g = globalThis as { Deno?: { env?: EnvSource }; process?: { env?: EnvSource } };
  // Deno.env.get throws without --allow-env; fall back to process.env (Node, Bun, Workers with nodejs_compat).
  return g.Deno?.env ?? g.process?.env;
}

function reader(env: EnvSource): (name: string) => string | undefined {
  if (typeof (env as { get?: unknown }).get === "function") {
    const source = env as { get(name: string): string | undefined };
    return (name) => {
      const value = source.get(name);
      return typeof value === "string" && value !== "" ? value : undefined;
    };
  }
  const record = env as Readonly<Record<string, unknown>>;
  return (name) => {
    const value = record[name];
    return typeof value === "string" && value !== "" ? value : undefined;
  };
}

/**
 * Reads `PUSHER_URL`, or `PUSHER_APP_ID` + `PUSHER_KEY` + `PUSHER_SECRET` + (`PUSHER_CLUSTER` or `PUSHER_HOST`),
 * plus optional `PUSHER_PORT`, `PUSHER_USE_TLS`, `PUSHER_PATH_PREFIX` and `PUSHER_ENCRYPTION_MASTER_KEY_BASE64`.
 * Throws one `ERR_INVALID_CONFIG` naming every missing variable.
 */
export function optionsFromEnv(env: EnvSource | undefined, extra: ExtraOptions = {}): PusherOptions {
  const source = env ?? ambientEnv();
  if (source === undefined || source === null || typeof source !== "object") {
    throw new PusherError("ERR_INVALID_CONFIG", "no environment found: pass one to Pusher.fromEnv(env)");
  }
  const read = reader(source);
  const masterKey = read("PUSHER_ENCRYPTION_MASTER_KEY_BASE64");
  const withKey: ExtraOptions = masterKey === undefined ? extra : { encryptionMasterKeyBase64: masterKey, ...extra };
  const url = read("PUSHER_URL");
  if (url !== undefined) return optionsFromURL(url, withKey);

  const appId = read("PUSHER_APP_ID");
  const key = read("PUSHER_KEY");
  const secret = read("PUSHER_SECRET");
  const cluster = read("PUSHER_CLUSTER");
  const host = read("PUSHER_HOST");
  const missing: string[] = [];
  if (appId === undefined) missing.push("PUSHER_APP_ID");
  if (key === undefined) missing.push("PUSHER_KEY");
  if (secret === undefined) missing.push("PUSHER_SECRET");
  if (cluster === undefined && host === undefined && extra.host === undefined && extra.cluster === undefined) {
    missing.push("PUSHER_CLUSTER (or PUSHER_HOST)");
  }
  if (missing.length > 0) {
    throw new PusherError(
      "ERR_INVALID_CONFIG",
      `missing environment variable${missing.length > 1 ? "s" : ""}: ${missing.join(", ")} (or set PUSHER_URL)`,
    );
  }
  const port = read("PUSHER_PORT");
  const useTLS = read("PUSHER_USE_TLS");
  if (useTLS !== undefined && !/^(true|false|1|0)$/i.test(useTLS)) {
    throw new PusherError("ERR_INVALID_CONFIG", "PUSHER_USE_TLS must be true, false, 1 or 0");
  }
  if (port !== undefined && !/^[0-9]{1,5}$/.test(port)) {
    throw new PusherError("ERR_INVALID_CONFIG", "PUSHER_PORT must be a port number");
  }
  const fromEnv: ExtraOptions = {};
  if (cluster !== undefined) fromEnv.cluster = cluster;
  if (host !== undefined) fromEnv.host = host;
  if (port !== undefined) fromEnv.port = Number(port);
  if (useTLS !== undefined) fromEnv.useTLS = /^(true|1)$/i.test(useTLS);
  const prefix = read("PUSHER_PATH_PREFIX");
  if (prefix !== undefined) fromEnv.pathPrefix = prefix;
  return { ...fromEnv, ...withKey, appId: appId!, key: key!, secret: secret! };
}
