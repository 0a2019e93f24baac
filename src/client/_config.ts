/**
 * Checks `PusherOptions` once, at construction, and turns them into the frozen settings the client uses.
 *
 * @module
 */

import { PusherError } from "../errors.ts";
import { parseMasterKey } from "../shared_secret.ts";
import type { EncryptionProvider } from "./_encryption.ts";
import type { PusherOptions, RequestEvent, ResponseEvent } from "./options.ts";

/** The resolved retry policy. */
export interface RetryPolicy {
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
  posts: boolean;
}

/** Settings after validation. Holds the secret: never log or serialise it. */
export interface ResolvedConfig {
  appId: string;
  key: string;
  secret: string;
  /** `https://host[:port]` */
  baseURL: string;
  host: string;
  useTLS: boolean;
  /** `""` or `/prefix` (no trailing slash) */
  pathPrefix: string;
  /** `pathPrefix + "/apps/" + appId` */
  appPath: string;
  masterKey: Uint8Array | undefined;
  encryption: EncryptionProvider | undefined;
  timeout: number;
  fetch: typeof fetch;
  retry: RetryPolicy | undefined;
  maxPayloadBytes: number;
  onRequest: ((event: RequestEvent) => void) | undefined;
  onResponse: ((event: ResponseEvent) => void) | undefined;
}

/** The default per-attempt timeout, in ms. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** The default payload limit, in UTF-8 bytes. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 10_240;

const APP_ID = /^[A-Za-z0-9_\-.]+$/;
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~]+)$/;
const CLUSTER = /^[A-Za-z0-9\-]+$/;
const PREFIX_SEGMENT = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%]+$/;

function bad(message: string): PusherError {
  return new PusherError("ERR_INVALID_CONFIG", message);
}

function nonEmptyString(value: unknown, name: string): string {
  if (typeof value !== "string" || value === "") throw bad(`${name} must be a non-empty string`);
  return value;
}

function positiveInt(value: unknown, name: string, allowZero: boolean): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0 || (!allowZero && value === 0)) {
    throw bad(`${name} must be a ${allowZero ? "non-negative" : "positive"} integer`);
  }
  return value;
}

/** Normalises a path prefix to `""` or `/a/b` (no trailing slash). */
export function normalizePathPrefix(prefix: unknown): string {
  if (prefix === undefined || prefix === "" || prefix === "/") return "";
  if (typeof prefix !== "string") throw bad("pathPrefix must be a string");
  const trimmed = prefix.replace(/^\/+|\/+$/g, "");
  const segments = trimmed.split("/");
  if (segments.some((s) => !PREFIX_SEGMENT.test(s))) {
    throw bad("pathPrefix must be a path such as /pusher (no query, fragment, spaces or empty segments)");
  }
  return "/" + segments.join("/");
}

/** Validates options; throws `ERR_INVALID_CONFIG` (or `ERR_ENCRYPTION_KEY_INVALID`) naming the bad option. */
export function resolveConfig(options: PusherOptions): ResolvedConfig {
  if (options === null || typeof options !== "object") throw bad("options must be an object");
  const appIdRaw = typeof options.appId === "number" ? String(options.appId) : options.appId;
  const appId = nonEmptyString(appIdRaw, "appId");
  if (!APP_ID.test(appId)) throw bad("appId may contain only letters, digits, '_', '-' and '.'");
  const key = nonEmptyString(options.key, "key");
  const secret = nonEmptyString(options.secret, "secret");

  let host: string;
  if (options.host !== undefined) {
    host = nonEmptyString(options.host, "host");
    if (!HOST.test(host)) {
      throw bad("host must be a bare host name such as api-eu.pusher.com (no scheme, port or path)");
    }
  } else if (options.cluster !== undefined) {
    const cluster = nonEmptyString(options.cluster, "cluster");
    if (!CLUSTER.test(cluster)) throw bad("cluster may contain only letters, digits and '-'");
    host = `api-${cluster}.pusher.com`;
  } else {
    host = "api.pusherapp.com";
  }
  if (options.useTLS !== undefined && typeof options.useTLS !== "boolean") throw bad("useTLS must be a boolean");
  const useTLS = options.useTLS ?? true;
  let port: number | undefined;
  if (options.port !== undefined) {
    port = positiveInt(options.port, "port", false);
    if (port > 65535) throw bad("port must be at most 65535");
  }
  const pathPrefix = normalizePathPrefix(options.pathPrefix);

  if (options.encryptionMasterKeyBase64 !== undefined && options.encryptionMasterKey !== undefined) {
    throw bad("give encryptionMasterKeyBase64 or encryptionMasterKey, not both");
  }
  const masterKey = options.encryptionMasterKeyBase64 !== undefined
    ? masterKeyFromBase64(options.encryptionMasterKeyBase64)
    : options.encryptionMasterKey !== undefined
    ? rawMasterKey(options.encryptionMasterKey)
    : undefined;
  const encryption = options.encryption;
  if (
    encryption !== undefined &&
    (encryption === null || typeof encryption.encrypt !== "function" || typeof encryption.decrypt !== "function")
  ) {
    throw bad("encryption must be the `encryption` object from the ./encryption subpath");
  }

  const timeout = options.timeout === undefined ? DEFAULT_TIMEOUT_MS : positiveInt(options.timeout, "timeout", true);
  if (options.fetch !== undefined && typeof options.fetch !== "function") throw bad("fetch must be a function");
  const custom = options.fetch;
  // Called unbound: a Workers `fetch` throws "Illegal invocation" when called as a method of another object.
  const fetchImpl: typeof fetch = custom
    ? (input, init) => custom(input, init)
    : (input, init) => globalThis.fetch(input, init);
  const maxPayloadBytes = options.maxPayloadBytes === undefined
    ? DEFAULT_MAX_PAYLOAD_BYTES
    : positiveInt(options.maxPayloadBytes, "maxPayloadBytes", false);

  let retry: RetryPolicy | undefined;
  if (options.retry !== undefined && options.retry !== false) {
    const r = options.retry;
    if (r === null || typeof r !== "object") throw bad("retry must be an object or false");
    retry = {
      retries: r.retries === undefined ? 2 : positiveInt(r.retries, "retry.retries", true),
      minDelayMs: r.minDelayMs === undefined ? 100 : positiveInt(r.minDelayMs, "retry.minDelayMs", true),
      maxDelayMs: r.maxDelayMs === undefined ? 5_000 : positiveInt(r.maxDelayMs, "retry.maxDelayMs", true),
      posts: r.posts === true,
    };
  }
  for (const hook of ["onRequest", "onResponse"] as const) {
    if (options[hook] !== undefined && typeof options[hook] !== "function") throw bad(`${hook} must be a function`);
  }

  const baseURL = `${useTLS ? "https" : "http"}://${host}${port === undefined ? "" : `:${port}`}`;
  return {
    appId,
    key,
    secret,
    baseURL,
    host,
    useTLS,
    pathPrefix,
    appPath: `${pathPrefix}/apps/${appId}`,
    masterKey,
    encryption,
    timeout,
    fetch: fetchImpl,
    retry,
    maxPayloadBytes,
    onRequest: options.onRequest,
    onResponse: options.onResponse,
  };
}

function masterKeyFromBase64(value: unknown): Uint8Array {
  if (typeof value !== "string") {
    throw new PusherError("ERR_ENCRYPTION_KEY_INVALID", "encryptionMasterKeyBase64 must be a base64 string");
  }
  return parseMasterKey(value);
}

// The official package's deprecated option: the key's own UTF-8 bytes (Buffer.from(key)), which must be 32.
function rawMasterKey(value: unknown): Uint8Array {
  const bytes = typeof value === "string" ? new TextEncoder().encode(value) : undefined;
  if (bytes?.length !== 32) {
    throw new PusherError("ERR_ENCRYPTION_KEY_INVALID", "encryptionMasterKey must be a string of 32 bytes (UTF-8)");
  }
  return bytes;
}
