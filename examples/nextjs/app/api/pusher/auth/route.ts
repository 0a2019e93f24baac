/**
 * Next.js App Router route handler: `app/api/pusher/auth/route.ts`. Runs on the Edge and Node runtimes alike.
 * pusher-js: `new Pusher(key, { cluster, channelAuthorization: { endpoint: "/api/pusher/auth" } })`.
 *
 * @module
 */
import { errorResponse, pusher, yourSession } from "../../../../lib/pusher.ts";

/** Opt into the Edge runtime; delete this line to stay on Node. Either works. */
export const runtime = "edge";

/** Authorizes a private or presence channel for the signed-in user. */
export async function POST(request: Request): Promise<Response> {
  try {
    const form = await request.formData().catch(() => undefined);
    const socketId = form?.get("socket_id"), channel = form?.get("channel_name");
    if (typeof socketId !== "string" || typeof channel !== "string") {
      return Response.json({ error: "expected a form body with socket_id and channel_name" }, { status: 400 });
    }
    const user = yourSession(request);
    if (!user) return Response.json({ error: "sign in first" }, { status: 401 });
    // Decide here whether this user may join `channel`; answer 403 if not.
    const presence = channel.startsWith("presence-") ? user : undefined;
    return Response.json(await pusher().authorizeChannel(socketId, channel, presence));
  } catch (error) {
    return errorResponse(error);
  }
}
