/**
 * The client's JSON calls to `/apps/{appId}…` and the checks of caller-given paths.
 *
 * @module
 */

import { PusherError } from "../errors.ts";
import { PusherRequestError } from "./errors.ts";
import type { Params } from "../sign_request.ts";
import { isPresenceChannel, validateChannelName, validateUserId } from "../validate.ts";
import { normalizeInfo } from "./_events.ts";
import type { ChannelResult, ChannelsResult, UsersResult } from "./types.ts";
import type { ResolvedConfig } from "./_config.ts";
import { send } from "./_transport.ts";
import type { CallOptions } from "./options.ts";

const invalid = (code: "ERR_INVALID_PARAM" | "ERR_INVALID_USER_ID", message: string) => new PusherError(code, message);

/** Sends to `appPath + sub` and parses the 2xx answer, which must be a JSON object (an empty body counts as `{}`). */
export async function json<T>(
  cfg: ResolvedConfig,
  sub: string,
  params?: Record<string, string | undefined>,
  body?: string,
  call?: CallOptions,
): Promise<Partial<T>> {
  const method = body ? "POST" : "GET";
  const path = cfg.appPath + sub;
  const pairs = params && Object.entries(params).filter(([, v]) => v !== undefined);
  const res = await send(cfg, method, path, pairs as Params, body || undefined, call);
  let parsed, cause;
  try {
    parsed = JSON.parse(res.text.trim() || "{}");
  } catch (err) {
    cause = err;
  }
  if (!(parsed instanceof Object) || Array.isArray(parsed)) {
    // A PusherRequestError like every other failed call, so one `instanceof` check covers them all.
    throw new PusherRequestError("ERR_REQUEST_FAILED", { method, path, status: res.status, body: res.text }, { cause });
  }
  return parsed;
}

/** Checks the path of `get()`/`post()`, below `/apps/{appId}`. */
export function checkPath(options: { path: string }): string {
  const path = options?.path;
  if (typeof path !== "string" || !/^\/[^?#\s]*$/.test(path)) {
    throw invalid("ERR_INVALID_PARAM", "path must start with '/', without query, fragment or space");
  }
  return path;
}

/**
 * The terminate path for a user id that is one URL path segment and is sent exactly as signed: no `/ \ ? # %`,
 * whitespace, control or non-ASCII characters (`fetch` would percent-encode them after signing), and not `.` or `..`
 * (`fetch` would resolve them into another endpoint).
 */
export function terminatePath(userId: string): string {
  const path = `/users/${validateUserId(userId)}/terminate_connections`;
  if (!/^[^/?#%\s]+$/.test(userId) || new URL(path, "http://h").pathname !== path) {
    throw invalid(
      "ERR_INVALID_USER_ID",
      "userId must be one path segment: no / \\ ? # %, space, control or non-ASCII, not . or ..",
    );
  }
  return path;
}

/** `GET /channels`: occupied channels, optionally by prefix. */
export async function listChannels(
  cfg: ResolvedConfig,
  options: { prefix?: string; info?: string | readonly string[] } | undefined,
  call: CallOptions | undefined,
): Promise<ChannelsResult> {
  const prefix = options?.prefix;
  if (prefix !== undefined && !/^[\w\-=@,.;]*$/.test(prefix)) {
    throw invalid("ERR_INVALID_PARAM", "prefix may contain only channel-name characters");
  }
  const params = { filter_by_prefix: prefix, info: normalizeInfo(options?.info) };
  return { channels: (await json<ChannelsResult>(cfg, "/channels", params, "", call)).channels ?? {} };
}

/** `GET /channels/{name}`: `occupied` always a boolean. */
export async function channelInfo(
  cfg: ResolvedConfig,
  name: string,
  options: { info?: string | readonly string[] } | undefined,
  call: CallOptions | undefined,
): Promise<ChannelResult> {
  const params = { info: normalizeInfo(options?.info) };
  const result = await json<ChannelResult>(cfg, "/channels/" + validateChannelName(name), params, "", call);
  return { ...result, occupied: result.occupied === true };
}

/** `GET /channels/{presence channel}/users`. */
export async function channelUsers(
  cfg: ResolvedConfig,
  channel: string,
  call: CallOptions | undefined,
): Promise<UsersResult> {
  if (!isPresenceChannel(validateChannelName(channel))) {
    throw new PusherError("ERR_INVALID_CHANNEL_NAME", "users() needs a presence- channel");
  }
  const { users } = await json<UsersResult>(cfg, `/channels/${channel}/users`, {}, "", call);
  return { users: Array.isArray(users) ? users : [] };
}
