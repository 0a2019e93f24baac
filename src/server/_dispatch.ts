// Routes one parsed client frame to its command handler.
import { dataObject, errorFrame, parseFrame, PONG } from "./_frames.ts";
import type { Conn, Ctx } from "./_context.ts";
import { subscribe, unsubscribe } from "./_subscribe.ts";
import { clientEvent } from "./_client_event.ts";
import { signin } from "./_signin.ts";

export async function dispatch(ctx: Ctx, conn: Conn, text: string): Promise<void> {
  const f = parseFrame(text);
  if (!f) {
    return void ctx.send(conn, errorFrame(null, "Invalid message format: expected a JSON object with an event"));
  }
  switch (f.event) {
    case "pusher:subscribe":
      return await subscribe(ctx, conn, dataObject(f));
    case "pusher:unsubscribe":
      return await unsubscribe(ctx, conn, dataObject(f));
    case "pusher:signin":
      return await signin(ctx, conn, dataObject(f));
    case "pusher:ping":
      return ctx.send(conn, PONG);
    case "pusher:pong":
      return;
  }
  if (f.event.startsWith("client-")) return await clientEvent(ctx, conn, f.event, f.channel, f.data);
  ctx.send(conn, errorFrame(null, `Unsupported event: ${f.event.slice(0, 64)}`));
}
