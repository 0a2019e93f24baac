/**
 * channel-auth cases produced for this suite: the channel-auth part of the negative-case checklist in
 * vectors-format.md and pusher-spec.md §9 #16-#17. Append only.
 *
 * @module
 */
import { b64, DOCS, type ErrorCode, GEN_SOURCE } from "./_common.ts";
import type { ACase, Group } from "./_channel_auth_cases.ts";

export const a = (
  comment: string,
  flags: string[],
  socket: string,
  channel: string,
  expect: ACase["expect"],
  extra: Partial<ACase> = {},
): ACase => ({
  comment,
  flags,
  socket,
  channel,
  expect,
  ...extra,
});
export const S = "1234.1234";
export const bytes = (n: number, f = (i: number) => i) => Uint8Array.from({ length: n }, (_, i) => f(i));

export const KEY32 = b64(bytes(32));
const badSocket = (id: string, what: string, flags = ["SocketIdFormat"]) =>
  a(`socket_id ${what}`, flags, id, "private-foobar", "ERR_INVALID_SOCKET_ID");
const badChannel = (name: string, what: string, flags = ["ChannelNameChars"]) =>
  a(`channel name ${what}`, flags, S, name, "ERR_INVALID_CHANNEL_NAME");
const badData = (data: string | undefined, what: string, flags: string[]) =>
  a(
    `presence ${what}`,
    ["Presence", ...flags],
    S,
    "presence-foobar",
    "ERR_INVALID_CHANNEL_DATA",
    data === undefined ? {} : { data },
  );

/** Generated cases (docs credentials, master key 0x00..0x1f). */
export const GENERATED: ACase[] = [
  a("encrypted channel returns shared_secret", ["EncryptedChannel"], S, "private-encrypted-foo", "valid"),
  a(
    "channel named exactly private-encrypted- is encrypted",
    ["EncryptedChannel", "EncryptedPrefixCase"],
    S,
    "private-encrypted-",
    "valid",
  ),
  a(
    "Private-encrypted-foo is not encrypted (prefix is case-sensitive)",
    ["EncryptedPrefixCase"],
    S,
    "Private-encrypted-foo",
    "valid",
  ),
  a("presence with string user_id and user_info", ["Presence"], S, "presence-foobar", "valid", {
    data: '{"user_id":"10","user_info":{"name":"Mr. Channels"}}',
  }),
  a(
    "presence channel_data with spaces is signed as given",
    ["Presence", "ByteExactJson"],
    S,
    "presence-foobar",
    "valid",
    {
      data: '{ "user_id": "10", "user_info": { "name": "Mr. Channels" } }',
    },
  ),
  a(
    "presence channel_data with \\u escapes is signed as given",
    ["Presence", "ByteExactJson"],
    S,
    "presence-foobar",
    "valid",
    {
      data: '{"user_id":"10","user_info":{"name":"Jos\\u00e9 \\/ <b>"}}',
    },
  ),
  a("presence channel_data with non-ASCII characters", ["Presence", "NonAsciiData"], S, "presence-foobar", "valid", {
    data: '{"user_id":"ąé€😀","user_info":{"name":"Zoë"}}',
  }),
  a("socket_id with leading zeros", ["SocketIdFormat"], "01.10", "private-foobar", "valid"),
  a(
    "channel name of 200 characters (node, python, go accept it; the docs and .NET stop at 164)",
    ["ChannelNameLength", "ChannelNameOver164"],
    S,
    "private-" + "a".repeat(192),
    "acceptable",
  ),
  a(
    "channel name of 201 characters",
    ["ChannelNameLength"],
    S,
    "private-" + "a".repeat(193),
    "ERR_CHANNEL_NAME_TOO_LONG",
  ),
  a("presence with numeric user_id", ["Presence", "NumericUserId"], S, "presence-foobar", "acceptable", {
    data: '{"user_id":10}',
  }),
  badSocket("1234", "without a dot"),
  badSocket(".1234", "without digits before the dot"),
  badSocket("1234.", "without digits after the dot"),
  badSocket("1234.1234\n", "with a trailing newline"),
  badSocket(" 1234.1234", "with a leading space"),
  badSocket("1234.1234 ", "with a trailing space"),
  badSocket("1.1.1", "with two dots"),
  badSocket("-1.1", "with a sign"),
  badSocket("", "empty"),
  badSocket("1234.1234:private-admin", "smuggling a channel name", ["DelimiterInjection"]),
  badSocket("１２３４.１２３４", "in full-width digits", ["UnicodeDigits"]),
  badSocket("١.١", "in Arabic-Indic digits", ["UnicodeDigits"]),
  badChannel("private-foo:bar", "containing ':'", ["DelimiterInjection"]),
  badChannel("private-foo bar", "containing a space"),
  badChannel("private-a#b", "containing '#'"),
  badChannel("private-ñ", "containing a non-ASCII letter"),
  badChannel("private-foo\n", "with a trailing newline"),
  badChannel("", "empty"),
  badData(undefined, "without channel_data", ["PresenceMissingChannelData"]),
  badData("not json", "channel_data that is not JSON", ["InvalidChannelData"]),
  badData('["10"]', "channel_data that is a JSON array", ["InvalidChannelData"]),
  badData('"10"', "channel_data that is a JSON string", ["InvalidChannelData"]),
  badData('{"user_info":{"name":"x"}}', "channel_data without user_id", ["PresenceMissingUserId"]),
  badData('{"user_id":""}', "channel_data with an empty user_id", ["PresenceMissingUserId"]),
  badData('{"user_id":null}', "channel_data with a null user_id", ["PresenceMissingUserId"]),
  badData('{"user_id":["10"]}', "channel_data with an array user_id", ["PresenceMissingUserId"]),
  a(
    "private channel with channel_data",
    ["ChannelDataOnNonPresence"],
    S,
    "private-foobar",
    "ERR_INVALID_CHANNEL_DATA",
    {
      data: '{"user_id":"10"}',
    },
  ),
  a(
    "encrypted channel with channel_data",
    ["ChannelDataOnNonPresence", "EncryptedChannel"],
    S,
    "private-encrypted-foo",
    "ERR_INVALID_CHANNEL_DATA",
    {
      data: '{"user_id":"10"}',
    },
  ),
];

/** A group whose master key is missing or malformed. */
export const keyGroup = (comment: string, key: string | undefined, expect: ErrorCode, flags: string[]): Group => ({
  comment,
  source: GEN_SOURCE,
  credentials: DOCS,
  ...(key === undefined ? {} : { encryptionMasterKeyB64: key }),
  cases: [
    // Only without a key: with a malformed key, Node already throws when constructed.
    ...(key === undefined ? [a("private channel does not need the master key", [], S, "private-foobar", "valid")] : []),
    a(`encrypted channel: ${comment}`, flags, S, "private-encrypted-foo", expect),
  ],
});
