// The emulator's seeding routes (`/emulator/channels/…/occupancy`, `…/members`, `/emulator/reset`) and the debug page's
// demo trigger: what a test or the page sets up without a WebSocket client.
import type { Context, Hono } from "hono";
import type { PusherError } from "../../errors.ts";
import { signRequest } from "../../sign_request.ts";
import { isPresenceChannel, validateChannelName } from "../../validate.ts";
import { bodyReader, decodeUtf8, jsonError, parseJsonObject } from "../_http.ts";
import { type ApiConfig, type ApiError, userIdParam } from "./api.ts";
import { type EmulatorState, StateFullError } from "./state.ts";

const MAX_SEED_BODY = 16 * 1024;

const MAX_USER_INFO = 1024;

/** The debug page's demo: two presence members and one subscriber on `demo`. */
export function seedDemo(state: EmulatorState): void {
  state.setMember("presence-demo", "1", { name: "Ada Lovelace" });
  state.setMember("presence-demo", "2", { name: "Grace Hopper" });
  state.channel("demo").subscriptionCount = 1;
}

function full<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof StateFullError) throw jsonError(409, err.message, { code: "ERR_EMULATOR_FULL" });
    throw err;
  }
}

function channelParam(c: Context): string {
  const raw = c.req.param("channel");
  if (raw === "." || raw === "..") throw jsonError(400, 'A channel name cannot be "." or ".." in a path');
  try {
    return validateChannelName(raw);
  } catch (err) {
    throw jsonError(400, (err as Error).message, { code: (err as PusherError).code });
  }
}

function userParam(c: Context): string {
  try {
    return userIdParam(c.req.param("user"));
  } catch (err) {
    throw jsonError(400, (err as ApiError).message, { code: (err as ApiError).code });
  }
}

export function seedRoutes(
  app: Hono,
  cfg: ApiConfig,
  state: EmulatorState,
  { seed, expose }: { seed: boolean; expose: boolean },
): void {
  const readSeed = bodyReader(MAX_SEED_BODY);
  const seedBody = async (c: Context): Promise<Record<string, unknown>> => {
    const text = decodeUtf8(await readSeed(c));
    return text.trim() === "" ? {} : parseJsonObject(text);
  };

  app.post("/emulator/channels/:channel/occupancy", async (c) => {
    const name = channelParam(c);
    const { subscription_count: n } = await seedBody(c);
    if (!(typeof n === "number" && Number.isSafeInteger(n) && n >= 0)) {
      throw jsonError(400, "subscription_count must be a non-negative integer");
    }
    full(() => state.channel(name).subscriptionCount = n);
    return c.json({ channel: name, occupied: state.occupied(name), subscription_count: state.subscriptionCount(name) });
  });
  app.post("/emulator/channels/:channel/members", async (c) => {
    const name = channelParam(c);
    if (!isPresenceChannel(name)) throw jsonError(400, "Members can only be added to presence- channels");
    const { user_id, user_info } = await seedBody(c);
    if (typeof user_id !== "string" || user_id === "") throw jsonError(400, "user_id must be a non-empty string");
    if (JSON.stringify(user_info ?? null).length > MAX_USER_INFO) {
      throw jsonError(400, `user_info must be at most ${MAX_USER_INFO} characters of JSON`);
    }
    const members = state.channels.get(name)?.members;
    if (members && !members.has(user_id) && members.size >= 100) {
      throw jsonError(400, "Presence channels hold at most 100 members");
    }
    const count = full(() => state.setMember(name, user_id, user_info ?? null));
    return c.json({ channel: name, user_count: count });
  });
  app.delete("/emulator/channels/:channel/members/:user", (c) => {
    const name = channelParam(c);
    const removed = state.deleteMember(name, userParam(c));
    return c.json({ channel: name, removed, user_count: state.userCount(name) });
  });
  app.post("/emulator/reset", (c) => {
    state.reset();
    if (seed && c.req.query("seed") !== "false") seedDemo(state);
    return c.json({ ok: true });
  });

  app.post("/emulator/demo/trigger", async (c) => {
    if (!expose) {
      throw jsonError(
        403,
        "The demo trigger signs with the app's real secret, so it is off with real credentials " +
          "(PUSHER_EMULATOR_EXPOSE_SIGNED=1 or exposeSigned: true turns it on)",
        { code: "ERR_EMULATOR_NOT_EXPOSED" },
      );
    }
    const { tamper } = await seedBody(c);
    const body = JSON.stringify({
      name: "demo-event",
      data: JSON.stringify({ message: "Hello from the debug page", at: new Date().toISOString() }),
      channels: ["demo"],
    });
    const path = `/apps/${cfg.appId}/events`;
    const signed = await signRequest({ key: cfg.key, secret: cfg.secret, method: "POST", path, body });
    // A tampered copy: auth_timestamp changed after signing, so the signature no longer matches.
    const query = tamper
      ? signed.query.replace(/auth_timestamp=(\d+)/, (_, ts) => `auth_timestamp=${Number(ts) - 1}`)
      : signed.query;
    const res = await app.request(`${path}?${query}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    }, c.env);
    return c.json({ status: res.status, body: await res.text() });
  });
}
