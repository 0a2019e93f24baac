/**
 * Checks `PusherOptions` once, at construction, and turns them into the frozen settings the client uses.
 *
 * @module
 */

import { utf8Encode } from "../_bytes.ts";
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
  /** `host:port`, the scheme's default port written out, for error messages */
  target: string;
  host: string;
  useTLS: boolean;
  /** `""` or `/prefix` (no trailing slash) */
  pathPrefix: string;
  /** `pathPrefix + "/apps/" + appId` */
  appPath: string;
  masterKey: Uint8Array | undefined;
  encryption?: EncryptionProvider;
  timeout: number;
  fetch: typeof fetch;
  retry: RetryPolicy | undefined;
  maxPayloadBytes: number;
  onRequest?: (event: RequestEvent) => void;
  onResponse?: (event: ResponseEvent) => void;
}

const SEGMENT = "[\\w\\-.~!$&'()*+,;=:@%]+";
const PREFIX = new RegExp(`^/*(?:${SEGMENT}(?:/${SEGMENT})*)?/*$`);

type Rule = [names: string, test: (value: never) => boolean, what: string];

const text = (re: RegExp) => (v: unknown) => typeof v === "string" && re.test(v);
const int = (min: number, max = 2 ** 53) => (v: number) => Number.isSafeInteger(v) && v >= min && v <= max;
const fn = (v: unknown) => typeof v === "function";

// One rule per option: a single loop checks them all, and every message is `<option> must be <what>`. The first
// rule's options are required.
const RULES: Rule[] = [
  ["appId key secret", text(/^[^]+$/), "a non-empty string"],
  ["appId", text(/^[\w\-.]+$/), "letters, digits, '_', '-' and '.'"],
  [
    "host",
    text(/^(?:\[[\dA-Fa-f:.]+\]|[\w\-.~]+)$/),
    "a host name (no scheme, port or path)",
  ],
  ["cluster", text(/^[A-Za-z\d\-]+$/), "letters, digits and '-'"],
  ["useTLS", (v) => typeof v === "boolean", "a boolean"],
  ["port", int(1, 65535), "an integer from 1 to 65535"],
  ["pathPrefix", text(PREFIX), "a path such as /pusher"],
  [
    "encryption",
    (v: EncryptionProvider) => fn(v?.encrypt) && fn(v.decrypt),
    "`encryption` from the ./encryption subpath",
  ],
  ["timeout retries minDelayMs maxDelayMs", int(0), "a non-negative integer"],
  ["maxPayloadBytes", int(1), "a positive integer"],
  ["fetch onRequest onResponse", fn, "a function"],
  ["retry", (v) => v === false || (!!v && typeof v === "object"), "an object or false"],
];

const bad = (message: string) => new PusherError("ERR_INVALID_CONFIG", message);

function check(options: object, prefix = ""): void {
  RULES.forEach(([names, test, what], i) => {
    for (const name of names.split(" ")) {
      const value = (options as Record<string, never>)[name];
      if ((value !== undefined || !(i || prefix)) && !test(value)) throw bad(`${prefix}${name} must be ${what}`);
    }
  });
}

/** Validates options; throws `ERR_INVALID_CONFIG` (or `ERR_ENCRYPTION_KEY_INVALID`) naming the bad option. */
export function resolveConfig(options: PusherOptions): ResolvedConfig {
  if (options === null || typeof options !== "object") throw bad("options must be an object");
  const o = { ...options, appId: typeof options.appId === "number" ? String(options.appId) : options.appId };
  check(o);
  const { retry: r, useTLS = true, port, encryptionMasterKeyBase64: b64, encryptionMasterKey: raw, fetch: custom } = o;
  if (r) check(r, "retry.");
  if (b64 !== undefined && raw !== undefined) {
    throw bad("give encryptionMasterKeyBase64 or encryptionMasterKey, not both");
  }
  const mk = b64 ?? raw;
  if (mk !== undefined && typeof mk !== "string") {
    throw new PusherError("ERR_ENCRYPTION_KEY_INVALID", "the master key must be a string");
  }
  // encryptionMasterKey is the official package's deprecated option: the key's own UTF-8 bytes, which must be 32.
  const masterKey = mk === undefined ? undefined : parseMasterKey(b64 ?? utf8Encode(raw!));
  const host = o.host ?? (o.cluster ? `api-${o.cluster}.pusher.com` : "api.pusherapp.com");
  const prefix = (o.pathPrefix ?? "").replace(/^\/+|\/+$/g, "");
  const pathPrefix = prefix && "/" + prefix;
  return {
    ...o,
    baseURL: `http${useTLS ? "s" : ""}://${host}${port ? ":" + port : ""}`,
    target: `${host}:${port ?? (useTLS ? 443 : 80)}`,
    host,
    useTLS,
    pathPrefix,
    appPath: `${pathPrefix}/apps/${o.appId}`,
    masterKey,
    timeout: o.timeout ?? 30_000,
    // Called unbound: a Workers `fetch` throws "Illegal invocation" when called as a method of another object.
    fetch: (input, init) => (custom ?? globalThis.fetch)(input, init),
    retry: r
      ? {
        retries: r.retries ?? 2,
        minDelayMs: r.minDelayMs ?? 100,
        maxDelayMs: r.maxDelayMs ?? 5_000,
        posts: r.posts === true,
      }
      : undefined,
    maxPayloadBytes: o.maxPayloadBytes ?? 10_240,
  };
}
