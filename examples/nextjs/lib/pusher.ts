/**
 * Shared by the route handlers: one client from `PUSHER_URL` (or `PUSHER_APP_ID`, `PUSHER_KEY`, `PUSHER_SECRET`,
 * `PUSHER_CLUSTER`), the session stub and the error answer. With `PUSHER_ENCRYPTION_MASTER_KEY_BASE64` set, the
 * encryption plug-in lets it trigger on `private-encrypted-*` channels.
 *
 * @module
 */
import { Pusher, PusherError } from "@pusher-edge/pusher-edge";
import { encryption } from "@pusher-edge/pusher-edge/encryption";

let client: Pusher | undefined;
/** The client, created on first use so `next build` does not need the credentials. */
export function pusher(): Pusher {
  return client ??= Pusher.fromEnv(process.env, { encryption });
}

/**
 * STUB, "your session": who is making this request. Replace it with your own session lookup (cookies(), your auth
 * library, …) and return `undefined` for a visitor who is not signed in.
 */
export function yourSession(_req: Request): { user_id: string; user_info: { name: string } } | undefined {
  return { user_id: "your-session-user", user_info: { name: "Your Session" } };
}

/** Bad input gets a 4xx with the reason, Pusher out of reach a 502; anything else is a bug (500). */
export function errorResponse(error: unknown): Response {
  if (!(error instanceof PusherError)) throw error;
  const status = error.stage === "transport" ? 502 : error.stage === "auth" ? 401 : 400;
  return Response.json({ error: error.message, code: error.code }, { status });
}
