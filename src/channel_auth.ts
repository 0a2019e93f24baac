import { base64Encode } from "./_bytes.ts";
import { signerForKey } from "./_hmac.ts";
import { jsonText } from "./_json.ts";
import { PusherError } from "./errors.ts";
import { deriveSharedSecret, parseMasterKey } from "./shared_secret.ts";
import { isEncryptedChannel, isPresenceChannel, validateChannelName, validateSocketId } from "./validate.ts";

/** A presence channel member, as pusher-js will see it. */
export interface PresenceMember {
  /** The member's id: a non-empty string. */
  user_id: string;
  /** Anything JSON-serialisable to show other members. */
  user_info?: unknown;
}

/** What {@linkcode authorizeChannel} needs. */
export interface AuthorizeChannelOptions {
  /** The app key. */
  key: string;
  /** The app secret. */
  secret: string;
  /** The socket id pusher-js sent. */
  socketId: string;
  /** The channel pusher-js wants to join. */
  channel: string;
  /** Presence channels only: the member, or its exact JSON text (signed verbatim). */
  channelData?: string | PresenceMember;
  /** Encrypted channels only: the 32-byte master key, as base64 or bytes. */
  encryptionMasterKey?: string | Uint8Array;
}

/** The JSON body to return to pusher-js. */
export interface ChannelAuthResponse {
  /** `key:hex(HMAC-SHA256(secret, socket_id:channel[:channel_data]))`. */
  auth: string;
  /** Presence channels: the exact string that was signed. */
  channel_data?: string;
  /** Encrypted channels: base64 of the channel's shared secret. */
  shared_secret?: string;
}

function presenceData(channelData: string | PresenceMember | undefined): string {
  const [text, member] = jsonText(channelData, "ERR_INVALID_CHANNEL_DATA", "channel_data");
  const userId = (member as { user_id?: unknown } | null | undefined)?.user_id;
  if (typeof userId !== "string" || userId.length === 0) {
    throw new PusherError("ERR_INVALID_CHANNEL_DATA", "channel_data needs a user_id: a non-empty string");
  }
  return text;
}

/**
 * Authorizes a pusher-js subscription to a private, presence or encrypted channel, returning exactly the JSON
 * Pusher expects. The socket id and channel name are validated strictly first, so a `:` cannot smuggle one signed
 * string into another (GHSA-7v7m-pcw5-h3cg).
 *
 * @param options the subscription to authorize
 * @returns the body to send back to pusher-js
 * @throws {PusherError} `ERR_INVALID_SOCKET_ID`, `ERR_INVALID_CHANNEL_NAME`, `ERR_CHANNEL_NAME_TOO_LONG`,
 * `ERR_INVALID_CHANNEL_DATA`, `ERR_ENCRYPTION_KEY_MISSING`, `ERR_ENCRYPTION_KEY_INVALID`
 *
 * @example Pusher's documented private-channel example
 * ```ts
 * import { authorizeChannel } from "@pusher-edge/pusher-edge";
 *
 * const body = await authorizeChannel({
 *   key: "278d425bdf160c739803",
 *   secret: "7ad3773142a6692b25b8",
 *   socketId: "1234.1234",
 *   channel: "private-foobar",
 * });
 * if (body.auth !== "278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4") throw new Error("unexpected result");
 * ```
 */
export async function authorizeChannel(options: AuthorizeChannelOptions): Promise<ChannelAuthResponse> {
  const { key, channelData, encryptionMasterKey } = options;
  const signer = signerForKey(key, options.secret);
  const socketId = validateSocketId(options.socketId);
  const channel = validateChannelName(options.channel);
  let data: string | undefined;
  if (isPresenceChannel(channel)) {
    data = presenceData(channelData);
  } else if (channelData !== undefined) {
    throw new PusherError("ERR_INVALID_CHANNEL_DATA", "channel_data is only for presence channels");
  }
  // Parsed before signing, so a bad key fails before any crypto; the channel is not validated twice.
  const masterKey = isEncryptedChannel(channel) ? parseMasterKey(encryptionMasterKey) : undefined;
  const signature = await signer.signHex(
    data === undefined ? `${socketId}:${channel}` : `${socketId}:${channel}:${data}`,
  );
  const response: ChannelAuthResponse = { auth: `${key}:${signature}` };
  if (data !== undefined) response.channel_data = data;
  if (masterKey) {
    response.shared_secret = base64Encode(await deriveSharedSecret(channel, masterKey));
  }
  return response;
}
