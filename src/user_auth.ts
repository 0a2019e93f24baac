import { signerForKey } from "./_hmac.ts";
import { jsonText } from "./_json.ts";
import { PusherError } from "./errors.ts";
import { validateSocketId } from "./validate.ts";

/** The signed-in user, as pusher-js `signin()` sends it to Pusher. */
export interface UserData {
  /** The user's id: a non-empty string. */
  id: string;
  /** Optional information about the user. */
  user_info?: unknown;
  /** Optional ids of users whose online status this user follows. */
  watchlist?: string[];
  /** Other fields are signed and passed through. */
  [field: string]: unknown;
}

/** What {@linkcode authenticateUser} needs. */
export interface AuthenticateUserOptions {
  /** The app key. */
  key: string;
  /** The app secret. */
  secret: string;
  /** The socket id pusher-js sent. */
  socketId: string;
  /** The user, or its exact JSON text (signed verbatim). */
  userData: string | UserData;
}

/** The JSON body to return to pusher-js for `pusher:signin`. */
export interface UserAuthResponse {
  /** `key:hex(HMAC-SHA256(secret, socket_id::user::user_data))`. */
  auth: string;
  /** The exact string that was signed. */
  user_data: string;
}

/**
 * Authenticates a user for `pusher:signin` (user-level features: send-to-user, terminate, watchlist).
 *
 * @param options the socket and the user
 * @returns the body to send back to pusher-js
 * @throws {PusherError} `ERR_INVALID_SOCKET_ID` or `ERR_INVALID_USER_DATA` (not a JSON object, or no non-empty string `id`)
 *
 * @example Pusher's documented sign-in example
 * ```ts
 * import { authenticateUser } from "@pusher-edge/pusher-edge";
 *
 * const body = await authenticateUser({
 *   key: "278d425bdf160c739803",
 *   secret: "7ad3773142a6692b25b8",
 *   socketId: "1234.1234",
 *   userData: { id: "12345" },
 * });
 * if (body.auth !== "278d425bdf160c739803:4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba") throw new Error("unexpected result");
 * ```
 */
export async function authenticateUser(options: AuthenticateUserOptions): Promise<UserAuthResponse> {
  const { key, userData } = options;
  const signer = signerForKey(key, options.secret);
  const socketId = validateSocketId(options.socketId);
  const [text, user] = jsonText(userData, "ERR_INVALID_USER_DATA", "user_data");
  if (typeof user !== "object" || user === null || Array.isArray(user)) {
    throw new PusherError("ERR_INVALID_USER_DATA", "user_data must be a JSON object");
  }
  const id = (user as { id?: unknown }).id;
  if (typeof id !== "string" || id.length === 0) {
    throw new PusherError("ERR_INVALID_USER_DATA", "user_data needs an id: a non-empty string");
  }
  return { auth: `${key}:${await signer.signHex(`${socketId}::user::${text}`)}`, user_data: text };
}
