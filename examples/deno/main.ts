/**
 * pusher-edge on Deno: `deno run --allow-net --allow-env examples/deno/main.ts`
 *
 * @module
 */
import { Pusher } from "@pusher-edge/pusher-edge";

const pusher = Pusher.fromEnv(Deno.env);

/** The three example routes, as a plain fetch handler. */
export async function handler(req: Request): Promise<Response> {
  const { pathname } = new URL(req.url);
  if (req.method !== "POST") return new Response("Not found", { status: 404 });
  if (pathname === "/pusher/auth") {
    const form = await req.formData();
    // Decide here whether the signed-in user may join the channel.
    const auth = await pusher.authorizeChannel(String(form.get("socket_id")), String(form.get("channel_name")));
    return Response.json(auth);
  }
  if (pathname === "/pusher/webhook") {
    const webhook = pusher.webhook({ headers: req.headers, rawBody: await req.text() });
    if (!(await webhook.isValid())) return new Response("Invalid webhook", { status: 401 });
    for (const event of await webhook.getEvents()) console.log("webhook", event.name, event);
    return new Response(null, { status: 204 });
  }
  if (pathname === "/notify") {
    await pusher.trigger("chat", "message", { text: await req.text() });
    return new Response(null, { status: 202 });
  }
  return new Response("Not found", { status: 404 });
}

if (import.meta.main) Deno.serve({ port: 8000 }, handler);
