/**
 * The rest-request cases. Valid ones are sent through the official package; invalid ones carry the code the
 * reference rules give (channel/event/socket/user rules, limits, encrypted-channel rules).
 *
 * @module
 */
import type { ClientErrorCode } from "./_client_flags.ts";

export interface RCase {
  comment: string;
  flags: string[];
  operation: string;
  args: Record<string, unknown>;
  timestamp?: number;
  nonce_b64?: string;
  noMasterKey?: boolean;
  expect: "valid" | ClientErrorCode;
  /** A known auth_signature from pusher-spec.md §9 to reproduce. */
  known?: string;
}

const NONCE_0_23 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYX";
const NONCE_FF = "////////////////////////////////";

const v = (
  comment: string,
  flags: string[],
  operation: string,
  args: Record<string, unknown>,
  extra: Partial<RCase> = {},
): RCase => ({
  comment,
  flags,
  operation,
  args,
  expect: "valid",
  ...extra,
});
const bad = (
  comment: string,
  flags: string[],
  operation: string,
  args: Record<string, unknown>,
  expect: ClientErrorCode,
  extra: Partial<RCase> = {},
): RCase => ({
  comment,
  flags,
  operation,
  args,
  expect,
  ...extra,
});

const channels = (n: number) => Array.from({ length: n }, (_, i) => `channel-${i}`);

export const CASES: RCase[] = [
  v("trigger, one channel, object data (spec §9 #2)", ["NodeBodyOrder"], "trigger", {
    channels: "project-3",
    event: "foo",
    data: { some: "data" },
  }, { known: "3afbfced4119aeb18b1b441f623f438db238170e007bb8dda50203ad09031632" }),
  v("trigger with a non-ASCII body and socket_id (spec §9 #3)", ["NonAsciiBody", "NodeBodyOrder"], "trigger", {
    channels: "my-channel",
    event: "my-event",
    data: { msg: "héllo/<b>&" },
    params: { socket_id: "123.456" },
  }, { known: "cb6e7e3fb0066e327439dc2cb600178ea9fef8fdd9b1434caf64c6c233e7d274" }),
  v(
    "trigger to two channels, string data, socket_id and info (spec §9 #4)",
    ["StringDataRaw", "NodeBodyOrder"],
    "trigger",
    {
      channels: ["a", "b"],
      event: "ev",
      data: "plain string",
      params: { socket_id: "123.456", info: "subscription_count" },
    },
    { known: "2808ce8b9ef2d2a39e679920ae4421104e080964253927454f17035d36c6cc29" },
  ),
  v("trigger params keep the caller's order (info before socket_id)", ["CallerKeyOrder"], "trigger", {
    channels: "presence-room",
    event: "ev",
    data: [1, 2, 3],
    params: { info: "user_count", socket_id: "1.2" },
  }),
  v("trigger with string data that is itself JSON stays raw", ["StringDataRaw"], "trigger", {
    channels: "c",
    event: "e",
    data: '{"already":"json"}',
  }),
  v("trigger with number data", ["StringDataRaw"], "trigger", { channels: "c", event: "e", data: 42 }),
  v("trigger with emoji and a U+2028 separator", ["NonAsciiBody"], "trigger", {
    channels: "c",
    event: "e",
    data: { text: "😀\u2028end" },
  }),
  v("trigger to 100 channels (the limit)", ["ChannelLimit"], "trigger", {
    channels: channels(100),
    event: "e",
    data: 1,
  }),
  v("trigger with an event name of 200 characters (the limit)", ["EventNameLimit"], "trigger", {
    channels: "c",
    event: "e".repeat(200),
    data: "x",
  }),
  v("trigger with data of exactly 10240 bytes", ["PayloadBytes"], "trigger", {
    channels: "c",
    event: "e",
    data: "€".repeat(3413) + "x",
  }),
  v("trigger with every channel-name character", ["ChannelNameChars"], "trigger", {
    channels: "-azAZ9_=@,.;",
    event: "e",
    data: "x",
  }),
  v(
    "encrypted trigger with a fixed nonce (spec §9 #23)",
    ["EncryptedChannel", "FixedNonce", "JsonPlaintext"],
    "trigger",
    {
      channels: "private-encrypted-bla",
      event: "secret-ev",
      data: { msg: "hi" },
    },
    { nonce_b64: NONCE_0_23, known: "b22d7eccd919f049bff997bf914f44ebe7fb8238024f6119c0b03c512584ca1a" },
  ),
  v(
    "encrypted trigger of a string encrypts its JSON form",
    ["EncryptedChannel", "FixedNonce", "JsonPlaintext"],
    "trigger",
    {
      channels: "private-encrypted-bla",
      event: "e",
      data: "Hello!",
      params: { socket_id: "1.1" },
    },
    { nonce_b64: NONCE_FF },
  ),
  v("triggerBatch (spec §9 #5)", ["CallerKeyOrder", "StringDataRaw"], "triggerBatch", {
    batch: [
      { channel: "c1", name: "e1", data: "x" },
      { channel: "presence-c2", name: "e2", data: { n: 1 }, socket_id: "1.2", info: "user_count" },
    ],
  }, { known: "29d794d99cf8e321db4e3d79f8a1f9a6cc02e7e9e430f28b16a3b0809dc08b39" }),
  v("triggerBatch items keep the caller's key order", ["CallerKeyOrder"], "triggerBatch", {
    batch: [{ name: "e", data: { z: 1, a: 2 }, channel: "c" }, { data: "d", channel: "c2", name: "e2" }],
  }),
  v("triggerBatch of 10 events (the limit)", ["BatchLimit"], "triggerBatch", {
    batch: Array.from({ length: 10 }, (_, i) => ({ channel: `c${i}`, name: "e", data: { i } })),
  }),
  v("triggerBatch with an encrypted item and a fixed nonce", ["EncryptedChannel", "FixedNonce"], "triggerBatch", {
    batch: [{ channel: "private-encrypted-a", name: "e", data: { secret: 1 } }, { channel: "b", name: "e", data: 2 }],
  }, { nonce_b64: NONCE_0_23 }),
  v("sendToUser (spec §9 #11)", ["UserChannel"], "sendToUser", { user_id: "user-1", event: "greet", data: { hi: 1 } }, {
    known: "f8373f2cb7668e8849e714e0b64b706196a55ad6c78c2daade79d0029f825446",
  }),
  v("terminateUserConnections (spec §9 #10)", ["TerminateBody"], "terminateUserConnections", { user_id: "user-1" }, {
    known: "880052344e56f2b29dd6ae66856b69f1d496d6a262d22ccd4f50f94a6d98bf6a",
  }),
  v("channels() with no filter", ["TypedHelper", "GetNoBodyMd5"], "channels", {}),
  v("channels() with prefix and info (spec §9 #6)", ["TypedHelper", "GetNoBodyMd5"], "channels", {
    prefix: "presence-",
    info: "user_count",
  }, { known: "16819168891cb5dfd72b5c7a5d3d602605b26c6ba1930033b5e2eeeb65010291" }),
  v("channel() with a comma list (spec §9 #7)", ["TypedHelper", "CommaList"], "channel", {
    channel: "presence-foobar",
    info: "user_count,subscription_count",
  }, { known: "377ee9260ea002a70c0d40cd887d55cb36db9f7f821297f5efacbcce66be356d" }),
  v("channel() without info", ["TypedHelper", "GetNoBodyMd5"], "channel", { channel: "my-channel" }),
  v("users() of a presence channel (spec §9 #8)", ["TypedHelper", "GetNoBodyMd5"], "users", {
    channel: "presence-foobar",
  }, { known: "5567dd30e7f8575e66be615d2aac3f608a0c311c31ddab8513a278b022e9597e" }),
  v("get with params in any order", ["ParamOrder"], "get", {
    path: "/channels",
    params: { info: "user_count", filter_by_prefix: "presence-" },
  }),
  v("post with an object body", ["NodeBodyOrder"], "post", {
    path: "/events",
    body: { name: "e", data: "d", channels: ["c"] },
  }),
  v("trigger at another timestamp", ["NodeBodyOrder"], "trigger", { channels: "c", event: "e", data: {} }, {
    timestamp: 1700000000,
  }),
  // invalid: nothing may be sent
  bad(
    "trigger to 101 channels",
    ["ChannelLimit"],
    "trigger",
    { channels: channels(101), event: "e", data: 1 },
    "ERR_TOO_MANY_CHANNELS",
  ),
  bad("trigger with an event name of 201 characters", ["EventNameLimit"], "trigger", {
    channels: "c",
    event: "e".repeat(201),
    data: 1,
  }, "ERR_EVENT_NAME_TOO_LONG"),
  bad(
    "trigger with an empty event name",
    ["EmptyEventName"],
    "trigger",
    { channels: "c", event: "", data: 1 },
    "ERR_INVALID_EVENT_NAME",
  ),
  bad(
    "trigger to a channel with '#'",
    ["ChannelNameChars"],
    "trigger",
    { channels: "a#b", event: "e", data: 1 },
    "ERR_INVALID_CHANNEL_NAME",
  ),
  bad("trigger to a channel of 201 characters", ["ChannelNameLength"], "trigger", {
    channels: "c".repeat(201),
    event: "e",
    data: 1,
  }, "ERR_CHANNEL_NAME_TOO_LONG"),
  bad("trigger with socket_id '1.1:private-x'", ["DelimiterInjection"], "trigger", {
    channels: "c",
    event: "e",
    data: 1,
    params: { socket_id: "1.1:private-x" },
  }, "ERR_INVALID_SOCKET_ID"),
  bad("trigger with data of 10241 bytes", ["PayloadBytes"], "trigger", {
    channels: "c",
    event: "e",
    data: "x".repeat(10241),
  }, "ERR_PAYLOAD_TOO_LARGE"),
  bad("trigger with 3414 '€' (10242 UTF-8 bytes, 3414 characters)", ["PayloadBytes", "NonAsciiBody"], "trigger", {
    channels: "c",
    event: "e",
    data: "€".repeat(3414),
  }, "ERR_PAYLOAD_TOO_LARGE"),
  bad(
    "encrypted data over 10240 bytes after encryption",
    ["PayloadBytes", "EncryptedChannel"],
    "trigger",
    {
      channels: "private-encrypted-bla",
      event: "e",
      data: "x".repeat(7650),
    },
    "ERR_PAYLOAD_TOO_LARGE",
    { nonce_b64: NONCE_0_23 },
  ),
  bad("trigger to an encrypted and a plain channel", ["MultiChannelEncrypted"], "trigger", {
    channels: ["private-encrypted-a", "b"],
    event: "e",
    data: 1,
  }, "ERR_ENCRYPTED_MULTI_CHANNEL"),
  bad("trigger to two encrypted channels", ["MultiChannelEncrypted"], "trigger", {
    channels: ["private-encrypted-a", "private-encrypted-b"],
    event: "e",
    data: 1,
  }, "ERR_ENCRYPTED_MULTI_CHANNEL"),
  bad(
    "encrypted trigger without a master key",
    ["MasterKeyMissing"],
    "trigger",
    {
      channels: "private-encrypted-a",
      event: "e",
      data: 1,
    },
    "ERR_ENCRYPTION_KEY_MISSING",
    { noMasterKey: true },
  ),
  bad("triggerBatch of 11 events", ["BatchLimit"], "triggerBatch", {
    batch: Array.from({ length: 11 }, (_, i) => ({ channel: `c${i}`, name: "e", data: i })),
  }, "ERR_BATCH_TOO_LARGE"),
  bad("triggerBatch item with a bad channel", ["BatchValidation", "ChannelNameChars"], "triggerBatch", {
    batch: [{ channel: "ok", name: "e", data: 1 }, { channel: "bad channel", name: "e", data: 1 }],
  }, "ERR_INVALID_CHANNEL_NAME"),
  bad("triggerBatch item with a bad socket_id", ["BatchValidation", "SocketIdFormat"], "triggerBatch", {
    batch: [{ channel: "c", name: "e", data: 1, socket_id: "1" }],
  }, "ERR_INVALID_SOCKET_ID"),
  bad("triggerBatch item with data over 10240 bytes", ["BatchValidation", "PayloadBytes"], "triggerBatch", {
    batch: [{ channel: "c", name: "e", data: "x".repeat(10241) }],
  }, "ERR_PAYLOAD_TOO_LARGE"),
  bad(
    "sendToUser to an empty user id",
    ["UserIdRequired"],
    "sendToUser",
    { user_id: "", event: "e", data: 1 },
    "ERR_INVALID_USER_ID",
  ),
  bad(
    "terminateUserConnections of an empty user id",
    ["UserIdRequired"],
    "terminateUserConnections",
    { user_id: "" },
    "ERR_INVALID_USER_ID",
  ),
  bad(
    "get with a reserved param",
    ["ReservedParam"],
    "get",
    { path: "/channels", params: { auth_key: "x" } },
    "ERR_RESERVED_PARAM",
  ),
  bad("users() of a private channel", ["PresenceOnly"], "users", { channel: "private-a" }, "ERR_INVALID_CHANNEL_NAME"),
];
