import type { HonoContext as Context } from "./types.ts";
import { verify } from "hono/jwt";
import type { ChannelAuthRequest, ChannelDecision, Denial, UserAuthRequest, UserDecision } from "./auth.ts";

/** Options of {@linkcode jwtAuthPolicy}. */
export interface JwtPolicyOptions {
  /** The HS256 secret shared with whatever issues your users' tokens. */
  secret: string;
  /** The claim listing the channels a token may join (`*` matches any run of characters); `"channels"` by default. */
  channelsClaim?: string;
  /** The claim whose object becomes `user_info` on presence channels and in `user_data`; `"user_info"` by default. */
  userInfoClaim?: string;
  /**
   * Lets a token without the channels claim join every private, presence and encrypted channel. Off by default: such a
   * token joins no channel (user authentication still works).
   */
  allowAllChannels?: boolean;
  /**
   * Accepts tokens without `exp`, if their `iat` is at most this many seconds old (tokens with `exp` must also meet
   * it). Without it, every token must carry `exp`.
   */
  maxTokenAgeSeconds?: number;
  /** When set, the token's `aud` (a string or a list) must contain one of these. */
  audience?: string | readonly string[];
  /** When set, the token's `iss` must be one of these. */
  issuer?: string | readonly string[];
}

/** The two hooks {@linkcode jwtAuthPolicy} returns, ready for {@linkcode pusherChannelAuth} and {@linkcode pusherUserAuth}. */
export interface AuthPolicy {
  /** The `authorize` hook for channel authorization. */
  authorize: (c: Context, request: ChannelAuthRequest) => Promise<ChannelDecision>;
  /** The `authenticate` hook for user authentication. */
  authenticate: (c: Context, request: UserAuthRequest) => Promise<UserDecision>;
}

const ENCRYPTED = "private-encrypted-";

// `*` matches any run of characters, but never carries a pattern across into `private-encrypted-`: an encrypted channel
// hands out its shared secret, so only a pattern that names the prefix grants one.
function patternMatches(pattern: string, channel: string): boolean {
  if (channel.startsWith(ENCRYPTED) && !pattern.startsWith(ENCRYPTED)) return false;
  const body = pattern.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${body}$`).test(channel);
}

function list(value: string | readonly string[] | undefined, name: string): readonly string[] | undefined {
  if (value === undefined) return undefined;
  const out = typeof value === "string" ? [value] : value;
  if (!Array.isArray(out) || out.length === 0 || !out.every((v) => typeof v === "string" && v !== "")) {
    throw new TypeError(`jwtAuthPolicy: ${name} must be a non-empty string or list of strings`);
  }
  return out;
}

/**
 * A production policy for the auth endpoints: the request must carry `Authorization: Bearer <JWT>` signed with HS256
 * (verified with Hono's `hono/jwt`, including `exp` and `nbf`). The token's `sub` becomes the presence `user_id` and
 * the signed-in user's `id`; a claim (`channels` by default) lists the channel patterns it may join, e.g.
 * `["private-user-42", "presence-room-*"]`.
 *
 * It fails closed: a token without the channels claim joins no channel (unless `allowAllChannels`), a token without
 * `exp` is refused (unless `maxTokenAgeSeconds` bounds its `iat`), `aud` and `iss` are checked when `audience` and
 * `issuer` are set, and a wildcard never reaches into `private-encrypted-` unless the pattern starts with it.
 *
 * A missing or invalid token is refused with 401 and the reason; a channel outside the claim with 403.
 *
 * @param options the HS256 secret, claim names and the checks above
 * @returns `authorize` and `authenticate` hooks
 * @throws {TypeError} when the secret is missing or shorter than 16 characters, or an option is malformed
 *
 * @example Guard the channel-auth endpoint with a JWT
 * ```ts
 * import { Hono } from "hono";
 * import { sign } from "hono/jwt";
 * import { jwtAuthPolicy, pusherChannelAuth } from "@pusher-edge/pusher-edge/hono";
 *
 * const policy = jwtAuthPolicy({ secret: "a-long-random-jwt-secret" });
 * const app = new Hono();
 * app.post("/pusher/auth", pusherChannelAuth({ key: "k", secret: "s", authorize: policy.authorize }));
 *
 * const exp = Math.floor(Date.now() / 1000) + 600;
 * const token = await sign({ sub: "42", channels: ["presence-room-*"], exp }, "a-long-random-jwt-secret", "HS256");
 * const res = await app.request("/pusher/auth", {
 *   method: "POST",
 *   headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Bearer ${token}` },
 *   body: "socket_id=1.1&channel_name=presence-room-1",
 * });
 * if (JSON.parse((await res.json()).channel_data).user_id !== "42") throw new Error("sub should be the user_id");
 * ```
 */
export function jwtAuthPolicy(options: JwtPolicyOptions): AuthPolicy {
  if (typeof options?.secret !== "string" || options.secret.length < 16) {
    throw new TypeError("jwtAuthPolicy: secret must be a string of at least 16 characters");
  }
  const { secret } = options;
  const channelsClaim = options.channelsClaim ?? "channels";
  const userInfoClaim = options.userInfoClaim ?? "user_info";
  const allowAllChannels = options.allowAllChannels === true;
  const { maxTokenAgeSeconds } = options;
  if (
    maxTokenAgeSeconds !== undefined &&
    !(typeof maxTokenAgeSeconds === "number" && maxTokenAgeSeconds > 0 && Number.isFinite(maxTokenAgeSeconds))
  ) {
    throw new TypeError("jwtAuthPolicy: maxTokenAgeSeconds must be a positive number");
  }
  const audience = list(options.audience, "audience");
  const issuer = list(options.issuer, "issuer");

  type Claims = { payload: Record<string, unknown>; denial?: undefined } | { denial: Denial };
  async function claims(c: Context): Promise<Claims> {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer +([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+) *$/.exec(header);
    if (!match) return { denial: { deny: "Missing or malformed Authorization: Bearer <JWT> header", status: 401 } };
    let payload: Record<string, unknown>;
    try {
      payload = await verify(match[1], secret, "HS256") as Record<string, unknown>;
    } catch (err) {
      const name = err instanceof Error ? err.name : "JwtError";
      return { denial: { deny: `Invalid token (${name})`, status: 401 } };
    }
    if (typeof payload.sub !== "string" || payload.sub === "") {
      return { denial: { deny: "The token has no sub claim", status: 401 } };
    }
    const refuse = (why: string): Claims => ({ denial: { deny: why, status: 401 } });
    if (maxTokenAgeSeconds === undefined) {
      if (typeof payload.exp !== "number") return refuse("The token has no exp claim");
    } else {
      const iat = payload.iat;
      if (typeof iat !== "number" || !Number.isFinite(iat)) return refuse("The token has no iat claim");
      if (Date.now() / 1000 - iat > maxTokenAgeSeconds) return refuse("The token is too old (iat)");
    }
    if (audience) {
      const aud = typeof payload.aud === "string" ? [payload.aud] : Array.isArray(payload.aud) ? payload.aud : [];
      if (!aud.some((a) => audience.includes(a))) return refuse("The token's aud is not this service");
    }
    if (issuer && !issuer.includes(payload.iss as string)) return refuse("The token's iss is not trusted");
    return { payload };
  }

  return {
    async authorize(c, { channel }) {
      const result = await claims(c);
      if (result.denial) return result.denial;
      const { payload } = result;
      const sub = payload.sub as string;
      const allowed = payload[channelsClaim];
      if (allowed === undefined) {
        if (!allowAllChannels) return { deny: `The token has no ${channelsClaim} claim, so it allows no channel` };
      } else {
        if (!Array.isArray(allowed) || !allowed.every((p) => typeof p === "string")) {
          return { deny: `The token's ${channelsClaim} claim must be an array of strings` };
        }
        if (!allowed.some((p: string) => patternMatches(p, channel))) {
          return { deny: `The token does not allow channel ${JSON.stringify(channel)}` };
        }
      }
      if (channel.startsWith("presence-")) {
        const info = payload[userInfoClaim];
        return info === undefined ? { user_id: sub } : { user_id: sub, user_info: info };
      }
      return true;
    },
    async authenticate(c) {
      const result = await claims(c);
      if (result.denial) return result.denial;
      const { payload } = result;
      const sub = payload.sub as string;
      const info = payload[userInfoClaim];
      return info === undefined ? { id: sub } : { id: sub, user_info: info };
    },
  };
}
