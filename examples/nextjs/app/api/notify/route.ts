/**
 * Next.js App Router route handler: `app/api/notify/route.ts`. Triggers `message` on `chat` with the request body.
 *
 * @module
 */
import { errorResponse, pusher } from "../../../lib/pusher.ts";

/** Sends the body as `{ text }` to the `chat` channel. */
export async function POST(request: Request): Promise<Response> {
  try {
    await pusher().trigger("chat", "message", { text: await request.text() });
    return Response.json({ ok: true }, { status: 202 });
  } catch (error) {
    return errorResponse(error);
  }
}
