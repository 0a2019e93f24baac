// Private: who may talk to the emulator. It holds a secret (or a real app's secret) and signs with it, so a page on
// another origin must not drive it (cross-site requests, CSRF) and a foreign host name must not reach it (DNS
// rebinding: evil.example resolving to 127.0.0.1 makes the browser treat the emulator as evil.example).
import type { Context, MiddlewareHandler } from "hono";
import { jsonError } from "../_http.ts";

const LOOPBACK = /^(localhost|[a-z0-9-]+\.localhost|127(\.[0-9]{1,3}){3}|\[::1\])$/;

/** Checks the allowed-host list eagerly. */
export function checkHosts(hosts: unknown): readonly string[] {
  if (hosts === undefined) return [];
  if (!Array.isArray(hosts) || !hosts.every((h) => typeof h === "string" && h !== "")) {
    throw new TypeError("createEmulator: allowedHosts must be a list of host names");
  }
  return hosts.map((h) => h.toLowerCase());
}

function hostAllowed(hostname: string, allowed: readonly string[]): boolean {
  return LOOPBACK.test(hostname) || allowed.includes("*") || allowed.includes(hostname);
}

/**
 * The guard for every emulator route: a loopback (or configured) host name; for the debug page and `/emulator/*`
 * also no foreign `Origin`, and for a POST a non-simple request (JSON content type or an `X-Pusher-Emulator` header),
 * which a cross-site form or `no-cors` fetch cannot send without a CORS preflight the emulator never grants.
 */
export function emulatorGuard(allowed: readonly string[], browserRoutes: boolean): MiddlewareHandler {
  return async (c: Context, next) => {
    const url = new URL(c.req.url);
    if (!hostAllowed(url.hostname.toLowerCase(), allowed)) {
      throw jsonError(
        403,
        `The emulator answers only loopback host names; ${JSON.stringify(url.hostname)} is not one ` +
          "(allow it with PUSHER_EMULATOR_HOSTS or createEmulator({ allowedHosts }))",
        { code: "ERR_EMULATOR_HOST" },
      );
    }
    if (browserRoutes) {
      const origin = c.req.header("origin");
      if (origin !== undefined && origin !== url.origin) {
        throw jsonError(403, "Cross-origin requests to the emulator's control routes are refused", {
          code: "ERR_EMULATOR_ORIGIN",
        });
      }
      if (c.req.header("sec-fetch-site") === "cross-site") {
        throw jsonError(403, "Cross-site requests to the emulator's control routes are refused", {
          code: "ERR_EMULATOR_ORIGIN",
        });
      }
      if (c.req.method === "POST") {
        const type = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
        if (type !== "application/json" && c.req.header("x-pusher-emulator") === undefined) {
          throw jsonError(
            415,
            "Emulator control requests need Content-Type: application/json or an X-Pusher-Emulator header",
            { code: "ERR_EMULATOR_SIMPLE_REQUEST" },
          );
        }
      }
    }
    await next();
  };
}
