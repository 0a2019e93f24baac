/**
 * pusher-edge on Bun: `npx -y deno@2.9.6 task example bun` (see examples/README.md), or in your own project
 * `bun run server.ts` (Bun serves a default export that has `fetch`). Reads `PORT` (3000) and `PUSHER_URL` (or
 * `PUSHER_APP_ID`, `PUSHER_KEY`, `PUSHER_SECRET`, `PUSHER_CLUSTER`).
 *
 * @module
 */
import process from "node:process";
import { Pusher, PusherError } from "@pusher-edge/pusher-edge";

const pusher = Pusher.fromEnv(process.env);

/**
 * STUB, "your session": who is making this request. Replace it with your own session lookup (cookie, JWT, …) and
 * return `undefined` for a visitor who is not signed in.
 */
function yourSession(_req: Request): { user_id: string; user_info: { name: string } } | undefined {
  return { user_id: "your-session-user", user_info: { name: "Your Session" } };
}

/** Bad input gets a 4xx with the reason, Pusher out of reach a 502; anything else is a bug (500). */
function errorResponse(error: unknown): Response {
  if (!(error instanceof PusherError)) throw error;
  const status = error.stage === "transport" ? 502 : error.stage === "auth" ? 401 : 400;
  return Response.json({ error: error.message, code: error.code }, { status });
}

export default {
  port: Number(process.env.PORT || 3000),
  async fetch(req: Request): Promise<Response> {
    const { pathname } = new URL(req.url);
    try {
      if (req.method === "POST" && pathname === "/pusher/auth") {
        const form = await req.formData().catch(() => undefined);
        const socketId = form?.get("socket_id"), channel = form?.get("channel_name");
        if (typeof socketId !== "string" || typeof channel !== "string") {
          return Response.json({ error: "expected a form body with socket_id and channel_name" }, { status: 400 });
        }
        const user = yourSession(req);
        if (!user) return Response.json({ error: "sign in first" }, { status: 401 });
        // Decide here whether this user may join `channel`; answer 403 if not.
        const presence = channel.startsWith("presence-") ? user : undefined;
        return Response.json(await pusher.authorizeChannel(socketId, channel, presence));
      }
      if (req.method === "POST" && pathname === "/pusher/webhook") {
        const { events, unknownEvents } = await pusher.webhook(req).verify(); // throws PusherError if not authentic
        for (const event of [...events, ...unknownEvents]) console.log("webhook", event.name, event.channel ?? "");
        return Response.json({ ok: true });
      }
      if (req.method === "POST" && pathname === "/notify") {
        await pusher.trigger("chat", "message", { text: await req.text() });
        return Response.json({ ok: true }, { status: 202 });
      }
      return Response.json({ error: "not found" }, { status: 404 });
    } catch (error) {
      return errorResponse(error);
    }
  },
};
