/**
 * pusher-edge on Bun: `bun run examples/bun/server.ts` (Bun serves a default export that has `fetch`).
 *
 * @module
 */
import process from "node:process";
import { Pusher } from "@pusher-edge/pusher-edge";

const pusher = Pusher.fromEnv(process.env);

export default {
  port: 3000,
  async fetch(req: Request): Promise<Response> {
    const { pathname } = new URL(req.url);
    if (req.method === "POST" && pathname === "/pusher/auth") {
      const form = await req.formData();
      return Response.json(
        await pusher.authorizeChannel(String(form.get("socket_id")), String(form.get("channel_name"))),
      );
    }
    if (req.method === "POST" && pathname === "/pusher/webhook") {
      const webhook = pusher.webhook({ headers: req.headers, rawBody: await req.text() });
      if (!(await webhook.isValid())) return new Response("Invalid webhook", { status: 401 });
      for (const event of await webhook.getEvents()) console.log("webhook", event.name);
      return new Response(null, { status: 204 });
    }
    if (req.method === "POST" && pathname === "/notify") {
      await pusher.trigger("chat", "message", { text: await req.text() });
      return new Response(null, { status: 202 });
    }
    return new Response("Not found", { status: 404 });
  },
};
