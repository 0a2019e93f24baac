// Client events (protocol reference §7): `client-` names on private and presence channels the sender joined, never on
// encrypted ones; relayed to everyone else with `user_id` on presence; rate limited per connection.
import { byteLength } from "./_frames.ts";
import { type Conn, type Ctx, sendError } from "./_context.ts";

export async function clientEvent(ctx: Ctx, conn: Conn, event: string, channel: unknown, data: unknown): Promise<void> {
  if (!ctx.limits.clientEvents) {
    return sendError(
      ctx,
      conn,
      null,
      "To send client events, you must enable this feature in the Settings page of your dashboard.",
    );
  }
  if (typeof channel !== "string" || !conn.channels.has(channel)) {
    const name = typeof channel === "string" ? channel.slice(0, 200) : String(channel);
    return sendError(ctx, conn, null, `Cannot broadcast client event (connection not subscribed to channel ${name})`);
  }
  if (channel.startsWith("private-encrypted-")) {
    return sendError(ctx, conn, null, `Client events are not supported on encrypted channels (${channel})`);
  }
  if (!channel.startsWith("private-") && !channel.startsWith("presence-")) {
    return sendError(ctx, conn, null, `Client events are only supported on private and presence channels (${channel})`);
  }
  if (event.length > 200) return sendError(ctx, conn, null, "Client event name is longer than 200 characters");
  const now = ctx.now();
  if (now - conn.rateWindowStart >= 1000) {
    conn.rateWindowStart = now;
    conn.rateCount = 0;
  }
  if (++conn.rateCount > ctx.limits.clientEventsPerSecond) {
    return sendError(ctx, conn, 4301, "Client event rejected due to rate limit", channel);
  }
  const text = typeof data === "string" ? data : JSON.stringify(data ?? null);
  if (byteLength(text) > ctx.limits.maxDataBytes) {
    return sendError(ctx, conn, null, `Client event rejected: data exceeds ${ctx.limits.maxDataBytes} bytes`, channel);
  }
  const userId = conn.channels.get(channel);
  const out: Record<string, unknown> = { event, channel, data: data ?? null };
  if (userId !== undefined) out.user_id = userId;
  await ctx.bus.broadcast(channel, JSON.stringify(out), conn.socketId);
  ctx.webhook({
    name: "client_event",
    channel,
    event,
    data: text,
    socket_id: conn.socketId,
    ...(userId !== undefined ? { user_id: userId } : {}),
  });
}
