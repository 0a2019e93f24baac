/**
 * The error the REST client throws when a request leaves the process and does not come back as a 2xx.
 *
 * @module
 */

import { PusherError, type PusherErrorCode } from "../errors.ts";

/** The transport codes a {@linkcode PusherRequestError} can carry. */
export type PusherRequestErrorCode = Extract<
  PusherErrorCode,
  "ERR_REQUEST_FAILED" | "ERR_TIMEOUT" | "ERR_ABORTED" | "ERR_NETWORK"
>;

/** How much of the service's answer is kept on an error, in UTF-16 code units. */
export const MAX_ERROR_BODY_CHARS = 1024;

/**
 * A failed call to the Channels HTTP API: a non-2xx status (`ERR_REQUEST_FAILED`), a timeout (`ERR_TIMEOUT`),
 * a cancelled call (`ERR_ABORTED`) or a connection failure (`ERR_NETWORK`).
 *
 * It carries the method, the endpoint path (never the query string, so no `auth_*` value), the HTTP status when
 * there was one, the service's message (truncated), and for a 401 the exact string this client signed, to compare
 * with the service's `you should have sent HmacSHA256Hex("…")` text.
 *
 * @example Telling a rejected request from a network failure
 * ```ts
 * import { PusherRequestError } from "@pusher-edge/pusher-edge";
 * const err = new PusherRequestError("ERR_REQUEST_FAILED", {
 *   method: "POST",
 *   path: "/apps/1/events",
 *   status: 413,
 *   body: "The data content of this event exceeds the allowed maximum (10240 bytes).",
 * });
 * if (err.code !== "ERR_REQUEST_FAILED" || err.status !== 413) throw new Error("unreachable");
 * if (err.stage !== "transport") throw new Error("unreachable");
 * ```
 */
export class PusherRequestError extends PusherError {
  /** The HTTP method of the failed call. */
  declare readonly method: string;
  /** The endpoint path as sent (with any `pathPrefix`), without the query string. */
  declare readonly path: string;
  /** The HTTP status, or `undefined` when no response arrived. */
  declare readonly status: number | undefined;
  /** The service's answer, truncated to {@linkcode MAX_ERROR_BODY_CHARS} characters; `""` when none. */
  declare readonly body: string;
  /** For a 401: the string this client signed (`METHOD\npath\ncanonicalQuery`), otherwise `undefined`. */
  declare readonly stringToSign: string | undefined;
  /** How many attempts were made, retries included. */
  declare readonly attempts: number;

  /**
   * Creates the error; the message is built from the details and never holds a query string or secret.
   *
   * @param code the transport code
   * @param details what is known about the failed call
   * @param options the standard `cause`
   */
  constructor(
    code: PusherRequestErrorCode,
    details: {
      method: string;
      path: string;
      status?: number;
      body?: string;
      stringToSign?: string;
      attempts?: number;
      /** `host:port` the call went to, for messages about timeouts and network failures. */
      target?: string;
      /** For ERR_NETWORK the cause code (`ECONNREFUSED`, `ENOTFOUND`, …); for ERR_TIMEOUT the limit. */
      reason?: string;
    },
    options?: { cause?: unknown },
  ) {
    const { method, path, status, target, reason } = details;
    const text = details.body ?? "";
    const body = text.length > MAX_ERROR_BODY_CHARS ? text.slice(0, MAX_ERROR_BODY_CHARS) + "…" : text;
    const line = body.trim().split("\n")[0].slice(0, 200);
    super(
      code,
      `${method} ${path}${target ? " to " + target : ""} ` + (
        code === "ERR_ABORTED"
          ? "was aborted"
          : code === "ERR_TIMEOUT"
          ? `timed out ${reason ?? ""}`.trim()
          : code === "ERR_NETWORK"
          ? "failed before a response arrived" + (reason ? ": " + reason : "")
          : `answered ${status}` + (status! < 300 ? " with a body that is not a JSON object" : line && ": " + line)
      ),
      options,
    );
    Object.assign(this, {
      name: "PusherRequestError",
      method,
      path,
      status,
      body,
      stringToSign: status === 401 ? details.stringToSign : undefined,
      attempts: details.attempts ?? 1,
    });
  }
}
