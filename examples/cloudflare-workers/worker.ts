/**
 * pusher-edge on Cloudflare Workers (no `nodejs_compat` flag needed). Secrets: `wrangler secret put PUSHER_SECRET`.
 *
 * @module
 */
import { authorizeChannel, Pusher, verifyWebhook } from "@pusher-edge/pusher-edge";

/** The bindings this Worker reads (set them as vars/secrets in wrangler.jsonc). */
export interface Env {
  PUSHER_APP_ID: string;
  PUSHER_KEY: string;
  PUSHER_SECRET: string;
  PUSHER_CLUSTER: string;
}

export default {
  async fetch(req: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(req.url);
    if (req.method !== "POST") return new Response("Not found", { status: 404 });
    const credentials = { key: env.PUSHER_KEY, secret: env.PUSHER_SECRET };
    if (pathname === "/pusher/auth") {
      const form = await req.formData();
      const auth = await authorizeChannel({
        ...credentials,
        socketId: String(form.get("socket_id")),
        channel: String(form.get("channel_name")),
      });
      return Response.json(auth);
    }
    if (pathname === "/pusher/webhook") {
      try {
        const { events } = await verifyWebhook({ request: req, credentials });
        for (const event of events) console.log("webhook", event.name);
        return new Response(null, { status: 204 });
      } catch {
        return new Response("Invalid webhook", { status: 401 });
      }
    }
    if (pathname === "/notify") {
      await Pusher.fromEnv({ ...env }).trigger("chat", "message", { text: await req.text() });
      return new Response(null, { status: 202 });
    }
    return new Response("Not found", { status: 404 });
  },
};
