/**
 * The client's signing helpers that send nothing: channel authorization, user authentication, shared secrets and
 * signed query strings, with the official package's argument conventions.
 *
 * @module
 */

import { authorizeChannel, type ChannelAuthResponse } from "../channel_auth.ts";
import { PusherError } from "../errors.ts";
import { channelSharedSecret } from "../shared_secret.ts";
import { type Params, signRequest } from "../sign_request.ts";
import { authenticateUser, type UserAuthResponse, type UserData } from "../user_auth.ts";
import type { ResolvedConfig } from "./_config.ts";

/** `pusher.authorizeChannel`: presence data is `JSON.stringify`-ed when given, as the official package does. */
export function authorize(
  cfg: ResolvedConfig,
  socketId: string,
  channel: string,
  presenceData: unknown,
): Promise<ChannelAuthResponse> {
  return authorizeChannel({
    key: cfg.key,
    secret: cfg.secret,
    socketId,
    channel,
    channelData: presenceData ? JSON.stringify(presenceData) : undefined,
    encryptionMasterKey: cfg.masterKey,
  });
}

/** `pusher.authenticateUser`. */
export function authenticate(cfg: ResolvedConfig, socketId: string, userData: UserData): Promise<UserAuthResponse> {
  return authenticateUser({ key: cfg.key, secret: cfg.secret, socketId, userData });
}

/** `pusher.channelSharedSecret`: needs the master key. */
export function sharedSecret(cfg: ResolvedConfig, channel: string): Promise<Uint8Array> {
  if (cfg.masterKey === undefined) {
    return Promise.reject(new PusherError("ERR_ENCRYPTION_KEY_MISSING", "set encryptionMasterKeyBase64 first"));
  }
  return channelSharedSecret(channel, cfg.masterKey);
}

/** `pusher.createSignedQueryString`: the path is signed as given; an empty body means no `body_md5`. */
export async function signedQueryString(
  cfg: ResolvedConfig,
  options: { method: string; path: string; params?: Params; body?: string },
): Promise<string> {
  return (await signRequest({ key: cfg.key, secret: cfg.secret, ...options, body: options.body || null })).query;
}
