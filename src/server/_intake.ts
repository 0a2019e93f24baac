// One frame from a socket, before dispatch: keep-alive, size and backlog checks, then the per-socket queue that keeps
// a socket's commands in order.
import { dispatch } from "./_dispatch.ts";
import { byteLength, errorFrame, PONG } from "./_frames.ts";
import type { Conn, Ctx } from "./_context.ts";

// pusher-js sends every subscribe at once after (re)connecting, so the per-socket backlog is bounded in bytes, not
// frames: hundreds of small subscribes fit, a flood of large frames does not.
const MAX_QUEUED_BYTES = 1024 * 1024;

export function intake(ctx: Ctx, conn: Conn, data: string | ArrayBuffer | Uint8Array): Promise<void> {
  conn.lastSeen = ctx.now();
  conn.pingSentAt = undefined;
  if (typeof data !== "string") {
    ctx.send(conn, errorFrame(null, "Binary frames are not supported"));
    return Promise.resolve();
  }
  ctx.observe?.({
    direction: "in",
    socketId: conn.socketId,
    text: data.length > 2048 ? data.slice(0, 2048) + "…" : data,
    time: ctx.now(),
  });
  if (data.length > ctx.limits.maxFrameBytes || byteLength(data) > ctx.limits.maxFrameBytes) {
    ctx.send(conn, errorFrame(null, `Frame larger than ${ctx.limits.maxFrameBytes} bytes`));
    return Promise.resolve();
  }
  // Keep-alive needs no ordering and is the most frequent frame: answer it without queueing.
  if (/^\s*\{\s*"event"\s*:\s*"pusher:ping"/.test(data)) return Promise.resolve(ctx.send(conn, PONG));
  if (/^\s*\{\s*"event"\s*:\s*"pusher:pong"/.test(data)) return Promise.resolve();
  if (conn.queued + data.length > MAX_QUEUED_BYTES) {
    ctx.send(conn, errorFrame(null, "Too many frames in flight; slow down"));
    return Promise.resolve();
  }
  conn.queued += data.length;
  const run = conn.queue.then(async () => {
    if (conn.closed) return;
    try {
      await dispatch(ctx, conn, data);
    } catch {
      ctx.send(conn, errorFrame(null, "Internal error while handling the frame"));
    }
  }).finally(() => (conn.queued -= data.length));
  conn.queue = run;
  return run;
}
