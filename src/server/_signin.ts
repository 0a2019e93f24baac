// pusher:signin (protocol reference §8): verify `socket_id::user::user_data`, remember the user, answer signin_success.
import { frame } from "./_frames.ts";
import { watchlistFrame } from "./bus.ts";
import { checkAuth, type Conn, type Ctx, sendError } from "./_context.ts";

export async function signin(ctx: Ctx, conn: Conn, data: Record<string, unknown>): Promise<void> {
  const { auth, user_data } = data;
  if (typeof user_data !== "string") return sendError(ctx, conn, null, "Invalid signin: user_data must be a string");
  if (typeof auth !== "string" || !auth.includes(":")) {
    return sendError(ctx, conn, null, "Invalid format: auth must have the format key:signature");
  }
  let user: unknown;
  try {
    user = JSON.parse(user_data);
  } catch {
    return sendError(ctx, conn, null, "Invalid signin: user_data is not valid JSON");
  }
  const id = typeof user === "object" && user !== null ? (user as Record<string, unknown>).id : undefined;
  if (typeof id !== "string" || id === "" || id.length > 128) {
    return sendError(ctx, conn, null, "Invalid signin: user_data needs an id that is a non-empty string");
  }
  if (conn.userId !== undefined && conn.userId !== id) {
    return sendError(ctx, conn, null, "Signin refused: this connection is already signed in as another user");
  }
  const error = await checkAuth(ctx, auth, `${conn.socketId}::user::${user_data}`, "signin");
  if (error) return sendError(ctx, conn, null, error.replace("subscribe to signin", "sign in"));
  if (conn.closed) return;
  conn.userId = id;
  const info = (user as Record<string, unknown>).user_info;
  if (info !== undefined) conn.userInfo = info;
  await ctx.bus.setUser(conn.socketId, id);
  ctx.send(conn, frame("pusher:signin_success", { user_data }));
  const watchlist = (user as Record<string, unknown>).watchlist;
  if (Array.isArray(watchlist)) {
    const ids = [
      ...new Set(watchlist.filter((w): w is string => typeof w === "string" && w !== "" && w.length <= 128)),
    ];
    // Pusher keeps the first 100 ids and says so with 4302 after signin_success [reference §8].
    if (ids.length > 100) sendError(ctx, conn, 4302, "Watchlist limit exceeded: only the first 100 ids are watched");
    const online = await ctx.bus.watch(conn.socketId, ids.slice(0, 100));
    if (online.length > 0) ctx.send(conn, watchlistFrame("online", online));
  }
}
