/**
 * Next.js App Router route handler: `app/api/pusher/auth/route.ts`. Runs on the Edge and Node runtimes alike.
 * pusher-js: `new Pusher(key, { cluster, channelAuthorization: { endpoint: "/api/pusher/auth" } })`.
 *
 * @module
 */
import { Pusher } from "@pusher-edge/pusher-edge";

/** Opt into the Edge runtime; delete this line to stay on Node. Either works. */
export const runtime = "edge";

/** Authorizes a private or presence channel for the signed-in user. */
export async function POST(request: Request): Promise<Response> {
  const pusher = Pusher.fromEnv(globalThis.process?.env ?? {});
  const form = await request.formData();
  const channel = String(form.get("channel_name"));
  // Check your session here; return 403 when this user may not join `channel`.
  const presence = channel.startsWith("presence-") ? { user_id: "user-1", user_info: { name: "Ada" } } : undefined;
  return Response.json(await pusher.authorizeChannel(String(form.get("socket_id")), channel, presence));
}
