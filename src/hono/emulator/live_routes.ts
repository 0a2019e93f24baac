// `GET /emulator/live`: the engine's connections, occupied channels, recent frames and webhook attempts, each list
// capped so the answer stays small however many sockets are open.
import type { Hono } from "hono";
import type { EmulatorState } from "./state.ts";

const MAX_ROWS = 200;

export function liveRoutes(app: Hono, state: EmulatorState): void {
  app.get("/emulator/live", async (c) => {
    const live = state.live;
    if (!live) return c.json({ enabled: false });
    // channels() first: an engine spread over several hosts refreshes its connection list there.
    const channels = await live.engine.channels("");
    const connections = live.engine.connections();
    return c.json({
      enabled: true,
      connectionCount: connections.length,
      connections: connections.slice(0, MAX_ROWS),
      channelCount: channels.length,
      channels: Object.fromEntries(channels.slice(0, MAX_ROWS)),
      frames: live.log.frames.slice(-MAX_ROWS),
      webhookAttempts: live.log.attempts.slice(-50),
    });
  });
}
