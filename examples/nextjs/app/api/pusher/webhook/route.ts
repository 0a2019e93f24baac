/**
 * Next.js App Router route handler: `app/api/pusher/webhook/route.ts`. Verifies the HMAC over the raw body.
 *
 * @module
 */
import { verifyWebhook } from "@pusher-edge/pusher-edge";

/** Opt into the Edge runtime; delete this line to stay on Node. Either works. */
export const runtime = "edge";

/** Receives a Pusher webhook. */
export async function POST(request: Request): Promise<Response> {
  const env = globalThis.process?.env ?? {};
  try {
    const { events } = await verifyWebhook({
      request,
      credentials: { key: String(env.PUSHER_KEY), secret: String(env.PUSHER_SECRET) },
    });
    for (const event of events) console.log("pusher webhook", event.name);
    return new Response(null, { status: 204 });
  } catch {
    return new Response("Invalid webhook", { status: 401 });
  }
}
