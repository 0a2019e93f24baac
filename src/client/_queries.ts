/**
 * The GET helpers (`channels`, `channel`, `users`) and the response plumbing shared by the client's methods.
 *
 * @module
 */

import { PusherError } from "../errors.ts";
import { PusherRequestError } from "./errors.ts";
import type { Params } from "../sign_request.ts";
import { isPresenceChannel, validateChannelName, validateUserId } from "../validate.ts";
import type { ResolvedConfig } from "./_config.ts";
import { normalizeInfo } from "./_events.ts";
import { type ApiResponse, send } from "./_transport.ts";
import type { CallOptions } from "./options.ts";
import type { ChannelResult, ChannelsResult, UsersResult } from "./types.ts";

/** Parses a 2xx JSON answer, which must be an object; an empty body counts as `{}`. */
export function parseJson<T>(res: ApiResponse, method: string, path: string): T {
  let parsed: unknown;
  let cause: unknown;
  try {
    parsed = res.text.trim() === "" ? {} : JSON.parse(res.text);
  } catch (err) {
    cause = err;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    // A PusherRequestError like every other failed call, so one `instanceof` check covers them all.
    throw new PusherRequestError("ERR_REQUEST_FAILED", { method, path, status: res.status, body: res.text }, { cause });
  }
  return parsed as T;
}

/** Rebuilds a Fetch `Response` from an answer whose body was already read. */
export function toResponse(res: ApiResponse): Response {
  return new Response(res.text, { status: res.status, statusText: res.statusText, headers: res.headers });
}

/** Checks a caller-given path below `/apps/{appId}`. */
export function checkSubPath(path: unknown): string {
  if (typeof path !== "string" || !path.startsWith("/") || /[?#\s]/.test(path)) {
    throw new PusherError("ERR_INVALID_PARAM", "path must start with '/' and have no query, fragment or whitespace");
  }
  return path;
}

/** GETs `appPath + sub` and parses the JSON answer. */
export async function getJson<T>(cfg: ResolvedConfig, sub: string, params: Params, call?: CallOptions): Promise<T> {
  const path = cfg.appPath + sub;
  return parseJson<T>(await send(cfg, { method: "GET", path, params, signal: call?.signal }), "GET", path);
}

/** POSTs a JSON body to `appPath + sub` and parses the JSON answer. */
export async function postJson<T>(cfg: ResolvedConfig, sub: string, body: string, call?: CallOptions): Promise<T> {
  const path = cfg.appPath + sub;
  return parseJson<T>(await send(cfg, { method: "POST", path, body, signal: call?.signal }), "POST", path);
}

/** `GET /channels` with `filter_by_prefix` and `info`. */
export async function queryChannels(
  cfg: ResolvedConfig,
  options: { prefix?: string; info?: string | readonly string[] } | undefined,
  call?: CallOptions,
): Promise<ChannelsResult> {
  const params: [string, string][] = [];
  if (options?.prefix !== undefined) {
    if (typeof options.prefix !== "string" || !/^[A-Za-z0-9_\-=@,.;]*$/.test(options.prefix)) {
      throw new PusherError("ERR_INVALID_PARAM", "prefix may contain only channel-name characters");
    }
    params.push(["filter_by_prefix", options.prefix]);
  }
  const info = normalizeInfo(options?.info);
  if (info !== undefined) params.push(["info", info]);
  const result = await getJson<Partial<ChannelsResult>>(cfg, "/channels", params, call);
  return { channels: result.channels ?? {} };
}

/** `GET /channels/{name}` with `info`. */
export async function queryChannel(
  cfg: ResolvedConfig,
  name: string,
  options: { info?: string | readonly string[] } | undefined,
  call?: CallOptions,
): Promise<ChannelResult> {
  validateChannelName(name);
  const info = normalizeInfo(options?.info);
  const result = await getJson<ChannelResult>(
    cfg,
    `/channels/${name}`,
    info === undefined ? [] : [["info", info]],
    call,
  );
  return { ...result, occupied: result.occupied === true };
}

/** `GET /channels/{name}/users` for a presence channel. */
export async function queryUsers(cfg: ResolvedConfig, channel: string, call?: CallOptions): Promise<UsersResult> {
  validateChannelName(channel);
  if (!isPresenceChannel(channel)) {
    throw new PusherError("ERR_INVALID_CHANNEL_NAME", "users() needs a presence- channel");
  }
  const result = await getJson<Partial<UsersResult>>(cfg, `/channels/${channel}/users`, [], call);
  return { users: Array.isArray(result.users) ? result.users : [] };
}

/** `get()`/`post()`: a signed request to `appPath + path`, resolving to a `Response` (2xx only), as in `pusher`. */
export async function rawRequest(
  cfg: ResolvedConfig,
  method: "GET" | "POST",
  options: { path: string; body?: unknown; params?: Params },
  call?: CallOptions,
): Promise<Response> {
  const path = cfg.appPath + checkSubPath(options?.path);
  // The official package's serialisation: a truthy body is JSON.stringify-ed, anything else means no body.
  const body = method === "POST" && options.body ? JSON.stringify(options.body) : undefined;
  return toResponse(await send(cfg, { method, path, body, params: options.params, signal: call?.signal }));
}

/**
 * The terminate path for a user id that is one URL path segment and is sent exactly as signed: no `/ \ ? # %`,
 * whitespace, control or non-ASCII characters (`fetch` would percent-encode them after signing), and not `.` or `..`
 * (`fetch` would resolve them into another endpoint).
 */
export function terminatePath(userId: string): string {
  validateUserId(userId);
  const path = `/users/${userId}/terminate_connections`;
  if (!/^[^/?#%\s]+$/.test(userId) || new URL(path, "http://h").pathname !== path) {
    throw new PusherError(
      "ERR_INVALID_USER_ID",
      "a user id in a path must be one segment sent as is: no / \\ ? # %, whitespace, control or non-ASCII characters, not . or ..",
    );
  }
  return path;
}
