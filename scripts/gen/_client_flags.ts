/**
 * Flags used by the client suites (rest-request, encrypted-payload). They are registered into the shared
 * glossary in `_flags.ts` when a client generator is loaded, so `makeFile` knows them and the README lists them.
 * (Owned by the client work; move them into `_flags.ts` when convenient.)
 *
 * @module
 */
import { type BugType, type FlagInfo, FLAGS } from "./_flags.ts";
import type { ErrorCode, ExpectedError, Stage } from "./_common.ts";

const F = (bugType: BugType, description: string, node?: string): FlagInfo => ({ bugType, description, node });

export const CLIENT_FLAGS: Record<string, FlagInfo> = {
  // rest-request
  NodeBodyOrder: F("CANONICALIZATION", "Trigger body keys in the official order: name, data, channels, then params."),
  StringDataRaw: F("CANONICALIZATION", "String event data is sent as is; anything else as JSON.stringify(data)."),
  CallerKeyOrder: F("CANONICALIZATION", "Batch items and trigger params keep the caller's key order."),
  GetNoBodyMd5: F("FUNCTIONALITY", "A GET carries no body and no body_md5."),
  CommaList: F("CANONICALIZATION", "info lists keep their commas unescaped in the signed string."),
  UserChannel: F("FUNCTIONALITY", "sendToUser triggers to the reserved channel #server-to-user-<id>."),
  TerminateBody: F("FUNCTIONALITY", "terminate_connections posts the body {} (body_md5 99914b93…)."),
  TypedHelper: F("FUNCTIONALITY", "A typed helper (channels/channel/users) sends exactly the equivalent signed GET."),
  ChannelLimit: F("INPUT_VALIDATION", "At most 100 channels per trigger."),
  EventNameLimit: F("INPUT_VALIDATION", "Event names are at most 200 characters."),
  EmptyEventName: F("INPUT_VALIDATION", "An empty event name is rejected before sending.", "sends it"),
  BatchLimit: F("INPUT_VALIDATION", "At most 10 events per batch request.", "does not check the batch size"),
  BatchValidation: F(
    "INPUT_VALIDATION",
    "Batch items are validated like triggers (channel, socket_id).",
    "does not validate batch items",
  ),
  PayloadBytes: F(
    "INPUT_VALIDATION",
    "Event data is limited to 10240 UTF-8 bytes (after encryption), checked before sending.",
    "does not check the payload size",
  ),
  UserIdRequired: F("INPUT_VALIDATION", "User ids are non-empty strings."),
  PresenceOnly: F(
    "INPUT_VALIDATION",
    "users() is for presence channels only (the API answers 400 otherwise).",
    "has no users() helper; its get() sends the request",
  ),
  // encrypted-payload (plus EncryptedChannel, MasterKeyMissing from _flags.ts)
  FixedNonce: F("FUNCTIONALITY", "The 24-byte nonce is injected so the ciphertext is deterministic."),
  JsonPlaintext: F("INTEROP", "The plaintext is always JSON.stringify(data), even for a string (as the Node SDK)."),
  TweetnaclCompat: F("INTEROP", "Ciphertext checked against tweetnacl secretbox (what the official SDK uses)."),
  RawPlaintext: F(
    "INTEROP",
    "A plaintext that is not JSON (sent by Python, Go or Ruby SDKs): decrypt returns it as is.",
  ),
  TamperedCiphertext: F("AUTH_BYPASS", "One bit of the ciphertext or tag flipped: Poly1305 must reject it."),
  WrongChannel: F("AUTH_BYPASS", "Decrypting with another channel's shared secret must fail."),
  NonceLength: F("INPUT_VALIDATION", "A nonce that does not decode to exactly 24 bytes."),
  ShortCiphertext: F("INPUT_VALIDATION", "A ciphertext shorter than the 16-byte Poly1305 tag."),
  MalformedWrapper: F("INPUT_VALIDATION", 'data that is not {"nonce":"<base64>","ciphertext":"<base64>"}.'),
  MultiChannelEncrypted: F(
    "INPUT_VALIDATION",
    "A trigger to several channels that include an encrypted one is refused (each needs its own key).",
  ),
  NotEncryptedChannel: F("INPUT_VALIDATION", "Encryption is only for private-encrypted- channels."),
};

for (const [name, info] of Object.entries(CLIENT_FLAGS)) {
  if (FLAGS[name] && FLAGS[name] !== info) throw new Error(`flag ${name} is already defined in _flags.ts`);
  FLAGS[name] = info;
}

const STAGES: Record<string, Stage> = { ERR_DECRYPTION_FAILED: "decrypt", ERR_NONCE_INVALID: "decrypt" };

/** Codes the client suites add to the shared `ErrorCode` subset (all are in src/errors.ts `PusherErrorCode`). */
export type ClientErrorCode =
  | ErrorCode
  | "ERR_TOO_MANY_CHANNELS"
  | "ERR_INVALID_EVENT_NAME"
  | "ERR_EVENT_NAME_TOO_LONG"
  | "ERR_BATCH_TOO_LARGE"
  | "ERR_PAYLOAD_TOO_LARGE"
  | "ERR_INVALID_USER_ID"
  | "ERR_ENCRYPTED_MULTI_CHANNEL"
  | "ERR_NOT_ENCRYPTED_CHANNEL"
  | "ERR_NONCE_INVALID"
  | "ERR_DECRYPTION_FAILED";

/** `err()` for the client codes, with the same stage table as src/errors.ts. */
export const clientErr = (code: ClientErrorCode): ExpectedError =>
  ({ code, stage: STAGES[code] ?? "input" }) as ExpectedError;
