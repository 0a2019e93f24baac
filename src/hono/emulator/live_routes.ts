// `GET /emulator/live`: the engine's connections, occupied channels, recent frames and webhook attempts, each list
// capped so the answer stays small however many sockets are open.
import type { Hono } from "hono";
import type { EmulatorState } from "./state.ts";

const MAX_ROWS = 200;

export function liveRoutes(app: Hono, state: EmulatorState): void {
  // A test hook for close-code scenarios: `{"code": 4200, "reason": "…"}` closes one socket like the server would.
  app.post("/emulator/connections/:socketId/close", async (c) => {
    const engine = state.live?.engine;
    if (!engine) return c.json({ error: "No WebSocket server", status: 404 }, 404);
    let body: { code?: unknown; reason?: unknown } = {};
    try {
      body = JSON.parse((await c.req.text()).slice(0, 4096) || "{}");
    } catch {
      return c.json({ error: "Body must be JSON", status: 400 }, 400);
    }
    const code = body.code ?? 4200;
    if (typeof code !== "number" || !Number.isInteger(code) || code < 4000 || code > 4999) {
      return c.json({ error: "code must be an integer from 4000 to 4999", status: 400 }, 400);
    }
    const reason = typeof body.reason === "string" ? body.reason : "Closed by the emulator";
    const closed = engine.closeSocket(c.req.param("socketId"), code, reason);
    return closed ? c.json({ closed: true }) : c.json({ error: "No such socket", status: 404 }, 404);
  });

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
