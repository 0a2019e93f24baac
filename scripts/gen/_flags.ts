/**
 * The flag glossary shared by every vector file, and the project's policy table.
 *
 * A file's `notes` are the entries of this table its tests use. `node` records how pusher-http-node 5.3.4
 * behaves differently; only a test carrying such a flag may disagree with the official package (the
 * generator enforces this in `_common.ts`).
 *
 * @module
 */

/** Wycheproof's bug classes. */
export type BugType =
  | "FUNCTIONALITY"
  | "CANONICALIZATION"
  | "AUTH_BYPASS"
  | "INPUT_VALIDATION"
  | "REPLAY"
  | "INTEROP"
  | "MALLEABILITY";

/** One glossary entry. */
export interface FlagInfo {
  bugType: BugType;
  description: string;
  /** Set when pusher-http-node 5.3.4 behaves differently; the text says how. */
  node?: string;
}

const F = (bugType: BugType, description: string, node?: string): FlagInfo => ({ bugType, description, node });

/** Every flag a vector may carry. Keep descriptions short: they are copied into each file's `notes`. */
export const FLAGS: Record<string, FlagInfo> = {
  // provenance
  OfficialExample: F("FUNCTIONALITY", "Worked example published in Pusher's documentation (pusher/docs)."),
  DocsErratum: F(
    "INTEROP",
    "The published documentation prints a different value or format; the vector holds the correct one.",
  ),
  SdkKnownAnswer: F(
    "FUNCTIONALITY",
    "Known answer taken from an official Pusher SDK's own test suite (see the group source).",
  ),
  // hmac (layer 0)
  Rfc4231: F("FUNCTIONALITY", "RFC 4231 HMAC-SHA-256 test case."),
  TruncatedTag: F("FUNCTIONALITY", "Tag truncated to the group's tagSize bits (RFC 4231 case 5)."),
  LongKey: F("FUNCTIONALITY", "Key longer than the 64-byte block: it must be hashed first."),
  ModifiedTag: F("AUTH_BYPASS", "The tag was modified; verification must fail."),
  // REST signing
  EmptyBody: F("FUNCTIONALITY", "Empty or absent body: no body_md5 is added."),
  NonAsciiBody: F("CANONICALIZATION", "body_md5 is the MD5 of the body's UTF-8 bytes."),
  UnescapedQueryValue: F("CANONICALIZATION", "Values are not URL-escaped in the string to sign."),
  ParamOrder: F("CANONICALIZATION", "Params are sorted by key (byte order) whatever order they are given in."),
  SortOrder: F("CANONICALIZATION", "Keys whose byte order differs from a naive reading ('0' < '_' < 'a')."),
  NumericParamValue: F("CANONICALIZATION", "A finite number value is rendered in its shortest decimal form."),
  PathPrefix: F("FUNCTIONALITY", "The signed path is the full request path, including any prefix before /apps/{id}."),
  MethodCase: F("CANONICALIZATION", "The method is upper-cased before signing."),
  KeyCaseFolding: F(
    "INTEROP",
    "Param key with upper-case letters. The docs lower-case keys when signing, pusher-http-node does not, so the signer rejects it.",
    "signs the key as given (upper case sorts first)",
  ),
  InvalidParamKey: F(
    "INPUT_VALIDATION",
    "Param key outside ^[a-z0-9_]+$.",
    "signs any key as given",
  ),
  ArrayParam: F(
    "INTEROP",
    "Array param value: SDKs disagree (a,b vs k[]=a&k[]=b), so it is rejected.",
    "joins with ','",
  ),
  NonStringParamValue: F(
    "INPUT_VALIDATION",
    "Param value that is neither a string nor a finite number.",
    "uses String(v)",
  ),
  ReservedParam: F(
    "INPUT_VALIDATION",
    "Caller-supplied auth_key, auth_timestamp, auth_version, auth_signature or body_md5.",
  ),
  DuplicateParam: F("INPUT_VALIDATION", "A key given twice (possibly only after lower-casing)."),
  Year2038: F("FUNCTIONALITY", "auth_timestamp at or after 2^31 s.", "(Date.now()/1000)|0 wraps to a negative number"),
  // REST verification
  PlusAsSpace: F("INTEROP", "'+' in the received query (form encoding of a space) where the signer signed a space."),
  PercentEncoded: F(
    "CANONICALIZATION",
    "Percent-encoded value in the received query; decode before rebuilding the string to sign.",
  ),
  KeyLowercasing: F("CANONICALIZATION", "The verifier lower-cases received keys, as the docs say."),
  TimestampBoundary: F(
    "REPLAY",
    "auth_timestamp exactly at or one second inside/outside the tolerance (|now - ts| >= 600 fails).",
  ),
  StaleTimestamp: F("REPLAY", "auth_timestamp too far in the past."),
  FutureTimestamp: F("REPLAY", "auth_timestamp too far in the future."),
  MissingAuthParam: F("AUTH_BYPASS", "A required auth param (or body_md5 for a non-empty body) is missing."),
  UnsupportedAuthVersion: F("AUTH_BYPASS", "auth_version other than 1.0."),
  UnknownKey: F("AUTH_BYPASS", "The key is not one of the configured credentials."),
  BodyMd5Mismatch: F("AUTH_BYPASS", "body_md5 does not match the received body."),
  EmptyBodyMd5: F("INTEROP", "body_md5 of the empty body on a GET (pusher-http-python sends one); must be accepted."),
  ModifiedSignature: F("AUTH_BYPASS", "One bit of the signature flipped."),
  PrefixSignature: F("AUTH_BYPASS", "Only the first 32 hex digits are right; catches prefix or early-exit comparison."),
  TruncatedSignature: F("AUTH_BYPASS", "Signature of the wrong length."),
  MalformedSignature: F("AUTH_BYPASS", "Signature that is not hex."),
  UppercaseHex: F("MALLEABILITY", "Signature in upper-case hex.", "compares hex strings, so upper case is rejected"),
  DuplicateSignatureParam: F("MALLEABILITY", "auth_signature present twice."),
  ModifiedRequest: F("AUTH_BYPASS", "Method, path, params or secret differ from what was signed."),
  KeyRotation: F("FUNCTIONALITY", "Signed with one of the extraCredentials; valid."),
  RawBody: F("CANONICALIZATION", "The signature covers the raw body bytes; a re-serialised body must fail."),
  // channel and user auth
  DelimiterInjection: F(
    "AUTH_BYPASS",
    "':' inside a socket id or channel name would let one signed string be read as another.",
  ),
  UnicodeDigits: F(
    "INPUT_VALIDATION",
    "Non-ASCII digits in a socket id (Python's \\d matches them; JS and Go do not).",
  ),
  SocketIdFormat: F("INPUT_VALIDATION", "Socket id not matching ^[0-9]+\\.[0-9]+$."),
  ChannelNameChars: F("INPUT_VALIDATION", "Channel name characters outside [A-Za-z0-9_\\-=@,.;] or empty name."),
  ChannelNameLength: F(
    "INPUT_VALIDATION",
    "Channel names of 164 (valid), 165 to 200 (policy ChannelNameOver164) and 201 (invalid) characters.",
  ),
  ChannelNameOver164: F(
    "INTEROP",
    "Channel name of 165 to 200 characters: Pusher's channel docs and pusher-http-dotnet allow 164; node, python and go allow 200.",
  ),
  ClientEventDataObject: F(
    "INTEROP",
    "Correctly signed client_event whose data is a JSON object (soketi sends one; Pusher documents a string): keep the event.",
  ),
  DotnetKeyDerivation: F(
    "INTEROP",
    "Payload sealed with pusher-http-dotnet's channel key HMAC-SHA256(master_key, channel_name) instead of SHA-256(channel_name || master_key).",
  ),
  ProductionMessage: F(
    "FUNCTIONALITY",
    "error.message holds the production server's text for this failure (from pusher-signature's spec).",
  ),
  Presence: F(
    "FUNCTIONALITY",
    "Presence channel: channel_data is signed byte for byte as given and returned unchanged.",
  ),
  ByteExactJson: F(
    "CANONICALIZATION",
    "JSON not in JSON.stringify form (spaces, escapes): sign it as given, never re-serialise.",
  ),
  NumericUserId: F(
    "INTEROP",
    "Presence user_id is a number, as in the docs' example. Clients and other SDKs expect a string.",
    "signs any channel_data without checking user_id",
  ),
  PresenceMissingChannelData: F(
    "INPUT_VALIDATION",
    "Presence channel without channel_data.",
    "signs socket_id:channel_name without data",
  ),
  PresenceMissingUserId: F(
    "INPUT_VALIDATION",
    "Presence channel_data without a non-empty string user_id.",
    "signs any channel_data without checking user_id",
  ),
  InvalidChannelData: F(
    "INPUT_VALIDATION",
    "channel_data that is not a JSON object.",
    "signs whatever JSON.stringify(data) gives",
  ),
  ChannelDataOnNonPresence: F(
    "INPUT_VALIDATION",
    "channel_data given for a non-presence channel.",
    "signs channel_data on any channel",
  ),
  EncryptedChannel: F(
    "FUNCTIONALITY",
    "shared_secret = SHA-256(utf8(channel_name) || master_key), base64; not covered by the HMAC.",
  ),
  EncryptedPrefixCase: F("FUNCTIONALITY", "The private-encrypted- prefix is case-sensitive and may be the whole name."),
  MasterKeyMissing: F("INPUT_VALIDATION", "Encrypted channel but no encryption master key configured."),
  MasterKeyLength: F("INPUT_VALIDATION", "Master key that does not decode to exactly 32 bytes."),
  HighByteMasterKey: F(
    "CANONICALIZATION",
    "Master key with bytes >= 0x80 (guards against hashing the key as a string).",
  ),
  NonAsciiData: F("CANONICALIZATION", "channel_data / user_data with non-ASCII characters: HMAC over UTF-8 bytes."),
  UserDataMissingId: F("INPUT_VALIDATION", "user_data without a non-empty string id."),
  InvalidUserData: F("INPUT_VALIDATION", "user_data that is not a JSON object."),
  // webhooks
  WrongKeyHeader: F("AUTH_BYPASS", "x-pusher-key is not a configured key."),
  MissingKeyHeader: F("AUTH_BYPASS", "x-pusher-key header absent."),
  MissingSignatureHeader: F("AUTH_BYPASS", "x-pusher-signature header absent."),
  ContentTypeParams: F(
    "INTEROP",
    "Content-Type application/json with parameters (; charset=utf-8).",
    "requires content-type to equal application/json exactly",
  ),
  WrongContentType: F("INPUT_VALIDATION", "Content-Type other than application/json."),
  MissingContentType: F("INPUT_VALIDATION", "No Content-Type header."),
  InvalidJsonBody: F("INPUT_VALIDATION", "Correctly signed body that is not JSON: rejected after the signature check."),
  WebhookShape: F(
    "INPUT_VALIDATION",
    "Correctly signed JSON that is not {time_ms: number, events: array}.",
    "accepts any JSON body",
  ),
  EventTypes: F("FUNCTIONALITY", "Each documented webhook event type."),
};

/**
 * The project's choices for behaviour the vectors leave open (`acceptable`) or that diverge between the docs
 * and the SDKs. Written to vectors/policy.json; the runner checks `acceptable` tests against it.
 */
export const POLICY: Record<string, "accept" | "reject"> = {
  ArrayParam: "reject",
  ChannelDataOnNonPresence: "reject",
  ChannelNameOver164: "accept",
  ClientEventDataObject: "accept",
  ContentTypeParams: "accept",
  DotnetKeyDerivation: "reject",
  DuplicateParam: "reject",
  EmptyBodyMd5: "accept",
  InvalidParamKey: "reject",
  KeyCaseFolding: "reject",
  MissingContentType: "reject",
  NonStringParamValue: "reject",
  NumericUserId: "reject",
  PlusAsSpace: "accept",
  PresenceMissingUserId: "reject",
  ReservedParam: "reject",
  UppercaseHex: "accept",
};
