/**
 * The error taxonomy shared by the library and the conformance vectors.
 *
 * Every failure caused by input the library cannot trust (a request, a webhook, a socket id) is a
 * {@linkcode PusherError} with a stable {@linkcode PusherErrorCode}; a programming mistake (a wrong type
 * passed to a function) is a plain `TypeError`.
 *
 * @module
 */

/**
 * Every error code this library throws. The same strings appear as `error.code` in the vectors.
 *
 * @example Narrowing on a code
 * ```ts
 * import { PusherError, type PusherErrorCode } from "@pusher-edge/pusher-edge";
 * const code: PusherErrorCode = "ERR_INVALID_SOCKET_ID";
 * const err = new PusherError(code, "bad socket id");
 * if (err.code !== "ERR_INVALID_SOCKET_ID") throw new Error("unreachable");
 * ```
 */
export type PusherErrorCode =
  // input: channel, socket and user rules
  | "ERR_INVALID_SOCKET_ID"
  | "ERR_INVALID_CHANNEL_NAME"
  | "ERR_CHANNEL_NAME_TOO_LONG"
  | "ERR_INVALID_CHANNEL_DATA"
  | "ERR_INVALID_USER_DATA"
  | "ERR_INVALID_USER_ID"
  | "ERR_INVALID_EVENT_NAME"
  | "ERR_EVENT_NAME_TOO_LONG"
  | "ERR_TOO_MANY_CHANNELS"
  | "ERR_BATCH_TOO_LARGE"
  | "ERR_PAYLOAD_TOO_LARGE"
  | "ERR_INVALID_PARAM"
  | "ERR_RESERVED_PARAM"
  | "ERR_DUPLICATE_PARAM"
  | "ERR_INVALID_CONFIG"
  // auth: request and webhook verification
  | "ERR_MISSING_AUTH_PARAM"
  | "ERR_UNSUPPORTED_AUTH_VERSION"
  | "ERR_UNKNOWN_KEY"
  | "ERR_TIMESTAMP_OUT_OF_WINDOW"
  | "ERR_BODY_MD5_MISMATCH"
  | "ERR_SIGNATURE_MALFORMED"
  | "ERR_SIGNATURE_MISMATCH"
  | "ERR_WEBHOOK_CONTENT_TYPE"
  | "ERR_WEBHOOK_BODY_INVALID"
  | "ERR_WEBHOOK_STALE"
  // encryption
  | "ERR_ENCRYPTION_KEY_MISSING"
  | "ERR_ENCRYPTION_KEY_INVALID"
  | "ERR_NOT_ENCRYPTED_CHANNEL"
  | "ERR_ENCRYPTED_MULTI_CHANNEL"
  | "ERR_NONCE_INVALID"
  | "ERR_DECRYPTION_FAILED"
  // transport
  | "ERR_REQUEST_FAILED"
  | "ERR_TIMEOUT"
  | "ERR_ABORTED"
  | "ERR_NETWORK";

/**
 * The stage at which an operation failed, as the vectors record it: `input` (rejected before any crypto),
 * `parse` (bytes authenticated but malformed), `auth` (signature or freshness), `decrypt`.
 *
 * @example
 * ```ts
 * import type { PusherErrorStage } from "@pusher-edge/pusher-edge";
 * const stage: PusherErrorStage = "auth";
 * ```
 */
export type PusherErrorStage = "input" | "parse" | "auth" | "decrypt" | "transport";

// The stage follows from the code's name; vectors_schema_test checks it against every vector's recorded stage.
function stageOf(code: PusherErrorCode): PusherErrorStage {
  return /^ERR_(MISSING_AUTH|UNSUPPORTED|UNKNOWN_KEY|TIMESTAMP|BODY_MD5|SIGNATURE|WEBHOOK_[CS])/.test(code)
    ? "auth"
    : code === "ERR_WEBHOOK_BODY_INVALID"
    ? "parse"
    : /DECRYPTION|NONCE/.test(code)
    ? "decrypt"
    : /REQUEST_F|TIMEOUT|ABORTED|NETWORK/.test(code)
    ? "transport"
    : "input";
}

/**
 * The one error class the library throws for untrusted input. Messages never contain a secret, a master key
 * or an expected signature.
 *
 * @example Catching a typed error
 * ```ts
 * import { authorizeChannel, PusherError } from "@pusher-edge/pusher-edge";
 * try {
 *   await authorizeChannel({ key: "k", secret: "s", socketId: "1.1:evil", channel: "private-a" });
 * } catch (err) {
 *   if (!(err instanceof PusherError) || err.code !== "ERR_INVALID_SOCKET_ID") throw err;
 * }
 * ```
 */
export class PusherError extends Error {
  /** The stable, machine-readable reason. */
  declare readonly code: PusherErrorCode;
  /** Where the failure happened; see {@linkcode PusherErrorStage}. */
  declare readonly stage: PusherErrorStage;

  /**
   * Creates an error with a stable `code`; its `stage` follows from the code.
   *
   * @param code the stable error code
   * @param message a human-readable explanation, free of secrets
   * @param options the standard `cause`
   */
  constructor(code: PusherErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PusherError";
    this.code = code;
    this.stage = stageOf(code);
  }
}
