import { Hono } from "hono";
import type { HonoApp } from "./types.ts";
import { HTTPException } from "hono/http-exception";
import { pusherChannelAuth, pusherUserAuth } from "./auth.ts";
import { type AppOptions, DEMO_CREDENTIALS } from "./config.ts";
import { createEmulator } from "./emulator/mod.ts";
import type { LiveHooks } from "./emulator/live.ts";
import { jwtAuthPolicy } from "./policy.ts";
import { pusherWebhook } from "./webhook.ts";
import { jsonResponse } from "./_http.ts";
import { replayGuard } from "./_replay.ts";

const NO_POLICY = "Authorization is disabled: no policy is configured. Set PUSHER_AUTH_JWT_SECRET to accept " +
  "Authorization: Bearer <JWT> (HS256; sub becomes the user id), or build your own endpoint with pusherChannelAuth.";

/**
 * Builds the standalone app: pusher-js auth endpoints (`POST /pusher/auth`, `POST /pusher/user-auth`), a webhook
 * receiver (`POST /pusher/webhook`) and, when no credentials are given (or `emulator: true`), the REST API emulator
 * with its debug page at `/` (see {@linkcode createEmulator}).
 *
 * The auth endpoints follow a bearer-JWT policy when `jwtSecret` is set ({@linkcode jwtAuthPolicy}); without one they
 * refuse every request with 403 and say why. Every error is JSON, without secrets; oversized bodies get 413.
 *
 * @param options credentials, emulator switch and auth policy (see {@linkcode appOptionsFromEnv})
 * @param live a running protocol engine whose live state the emulator serves (see {@linkcode createLiveServer})
 * @returns the Hono app; serve `app.fetch`
 * @throws {TypeError} on inconsistent options
 *
 * @example The zero-configuration emulator
 * ```ts
 * import { createApp } from "@pusher-edge/pusher-edge/hono";
 *
 * const app = createApp({});
 * const res = await app.request("/emulator/info");
 * if ((await res.json()).key !== "emulator-key") throw new Error("expected the demo key");
 * ```
 */
export function createApp(options: AppOptions = {}, live?: LiveHooks): HonoApp {
  if (typeof options !== "object" || options === null) throw new TypeError("createApp: options must be an object");
  const emulator = options.emulator ?? options.credentials === undefined;
  const demo = options.credentials === undefined;
  const creds = options.credentials ?? DEMO_CREDENTIALS;
  for (const name of ["appId", "key", "secret"] as const) {
    if (typeof creds[name] !== "string" || creds[name] === "") {
      throw new TypeError(`createApp: credentials.${name} must be a non-empty string`);
    }
  }
  const { key, secret, encryptionMasterKey } = creds;
  const policy = options.jwtSecret
    ? jwtAuthPolicy({ secret: options.jwtSecret, channelsClaim: options.jwtChannelsClaim })
    : undefined;
  const refuse = () => ({ deny: NO_POLICY });

  const app = new Hono();
  app.post(
    "/pusher/auth",
    pusherChannelAuth({
      key,
      secret,
      encryptionMasterKey,
      authorize: policy?.authorize ?? refuse,
      maxBodyBytes: options.maxBodyBytes,
    }),
  );
  app.post(
    "/pusher/user-auth",
    pusherUserAuth({ key, secret, authenticate: policy?.authenticate ?? refuse, maxBodyBytes: options.maxBodyBytes }),
  );
  app.post(
    "/pusher/webhook",
    pusherWebhook({ credentials: { key, secret }, ...replayGuard(options.webhookMaxAgeMs) }),
    (c) => {
      const { allEvents } = c.get("pusherWebhook");
      return c.json({ ok: true, events: allEvents.length });
    },
  );
  app.get("/health", (c) => {
    const mode = emulator ? "emulator" : "production";
    const shared = live?.health?.();
    // Degraded (Redis lost): still serving its own sockets, but a load balancer should send new clients elsewhere.
    if (shared) return c.json({ mode, ...shared, status: shared.ok ? "ok" : "degraded" }, shared.ok ? 200 : 503);
    return c.json({ ok: true, mode });
  });

  if (emulator) {
    app.route(
      "/",
      createEmulator({
        appId: creds.appId,
        key,
        secret,
        encryptionMasterKey,
        showSecret: demo,
        ...(options.emulatorHosts ? { allowedHosts: options.emulatorHosts } : {}),
        exposeSigned: options.emulatorExposeSigned ?? demo,
        live,
      }),
    );
  } else {
    app.get("/", (c) =>
      c.json({
        name: "pusher-edge",
        mode: "production",
        appId: creds.appId,
        endpoints: ["POST /pusher/auth", "POST /pusher/user-auth", "POST /pusher/webhook", "GET /health"],
        authPolicy: policy ? "bearer JWT (HS256)" : "none: auth endpoints refuse",
      }));
  }

  app.notFound((c) =>
    jsonResponse(404, { error: `No route for ${c.req.method} ${new URL(c.req.url).pathname}`, status: 404 })
  );
  app.onError((err) => {
    if (err instanceof HTTPException) {
      const res = err.getResponse();
      if (res.headers.get("content-type")?.includes("json")) return res;
      return jsonResponse(err.status, { error: err.message || "Request refused", status: err.status });
    }
    // Unknown errors: log the class only (messages may quote secrets from misconfigured hooks) and answer generically.
    console.error("pusher-edge app: unexpected error:", err instanceof Error ? err.name : typeof err);
    return jsonResponse(500, { error: "Internal server error", status: 500 });
  });
  return app;
}
