/**
 * The options accepted by the {@linkcode Pusher} client and the hooks it calls.
 *
 * @module
 */

import type { EncryptionProvider } from "./_encryption.ts";

/** Retry policy. Retries are off unless this is given. */
export interface RetryOptions {
  /** How many times to retry after the first attempt. Default 2. */
  retries?: number;
  /** The first backoff step in ms; each retry doubles it, with full jitter. Default 100. */
  minDelayMs?: number;
  /** The largest backoff in ms, and the longest `Retry-After` honoured; a longer one is not waited for. Default 5000. */
  maxDelayMs?: number;
  /**
   * Also retry POSTs (trigger, batch, terminate). Off by default: a POST that reached the service before the
   * connection broke may be delivered twice.
   */
  posts?: boolean;
}

/** What `onRequest` receives, once per attempt. */
export interface RequestEvent {
  /** `GET` or `POST`. */
  method: string;
  /** The full path sent (with any `pathPrefix`), without the query string. */
  path: string;
  /** The full URL, including the signed query string (which holds the public key, never the secret). */
  url: string;
  /** The request body, or `undefined`. */
  body: string | undefined;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
}

/** What `onResponse` receives, once per attempt. */
export interface ResponseEvent {
  /** `GET` or `POST`. */
  method: string;
  /** The full path sent, without the query string. */
  path: string;
  /** The HTTP status, or `undefined` when the attempt failed without a response. */
  status: number | undefined;
  /** Milliseconds from sending to the response headers (or the failure). */
  durationMs: number;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
  /** The failure, when the attempt did not get a 2xx. */
  error?: Error;
}

/** Options for `new Pusher(options)`. */
export interface PusherOptions {
  /** The app id (digits on Pusher; any path-safe string on soketi or Reverb). */
  appId: string | number;
  /** The app key (public). */
  key: string;
  /** The app secret. Never logged, serialised or put in an error. */
  secret: string;
  /** The cluster, e.g. `eu`; the host becomes `api-<cluster>.pusher.com`. Ignored when `host` is set. */
  cluster?: string;
  /** The API host name (no scheme, no port). Default `api-<cluster>.pusher.com`, or `api.pusherapp.com`. */
  host?: string;
  /** The port; omitted from the URL when not set. */
  port?: number;
  /** Use HTTPS. Default **true** (the official package defaults to plain HTTP). */
  useTLS?: boolean;
  /** A path prefix in front of `/apps/<appId>` (soketi or Reverb behind a proxy). It is part of the signed path. */
  pathPrefix?: string;
  /** The end-to-end encryption master key: base64 of 32 bytes. */
  encryptionMasterKeyBase64?: string;
  /**
   * The master key as a raw 32-byte (UTF-8) string, as the official package's deprecated option.
   *
   * @deprecated Use `encryptionMasterKeyBase64`: a raw string key cannot hold arbitrary bytes.
   */
  encryptionMasterKey?: string;
  /**
   * The encryption plug-in, `encryption` from the `./encryption` subpath. Needed to trigger on
   * `private-encrypted-*` channels and to decrypt their webhook events; channel authorization needs only the key.
   */
  encryption?: EncryptionProvider;
  /** Per-attempt timeout in ms, including reading the answer. Default 30 000; `0` disables it. */
  timeout?: number;
  /** The `fetch` to use. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Opt-in retries for GETs (and POSTs with `posts: true`) on a network error, a 5xx or a 429. */
  retry?: RetryOptions | false;
  /** The largest event `data`, in UTF-8 bytes after encryption. Default 10 240 (Pusher's limit). */
  maxPayloadBytes?: number;
  /** Called before each attempt. */
  onRequest?: (event: RequestEvent) => void;
  /** Called after each attempt. */
  onResponse?: (event: ResponseEvent) => void;
}

/** Per-call options accepted by every method that sends a request. */
export interface CallOptions {
  /** Cancels the call (and any retry wait). */
  signal?: AbortSignal;
}
