/**
 * Next.js App Router route handler: `app/api/pusher/webhook/route.ts`. Verifies the HMAC over the raw body with the
 * credentials from `PUSHER_URL` (or `PUSHER_KEY` and `PUSHER_SECRET`).
 *
 * @module
 */
import { errorResponse, pusher } from "../../../../lib/pusher.ts";

/** Opt into the Edge runtime; delete this line to stay on Node. Either works. */
export const runtime = "edge";

/** Receives a Pusher webhook: 200 when authentic, 401 with the reason when not. */
export async function POST(request: Request): Promise<Response> {
  try {
    const { events, unknownEvents } = await pusher().webhook(request).verify();
    for (const event of [...events, ...unknownEvents]) console.log("pusher webhook", event.name);
    return Response.json({ ok: true });
  } catch (error) {
    return errorResponse(error);
  }
}
