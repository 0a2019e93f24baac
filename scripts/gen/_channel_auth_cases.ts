/**
 * channel-auth cases, grouped by source and group parameters. Append only: tcIds follow file order.
 *
 * @module
 */
import { b64, type Credentials, DOCS, DOCS_SOURCE, type ErrorCode, GEN_SOURCE, type Source, utf8 } from "./_common.ts";
import { SDK_GROUPS } from "./_channel_auth_sdk.ts";
import { SRC } from "./_sources.ts";
import { a, bytes, GENERATED, KEY32, keyGroup, S } from "./_channel_auth_generated.ts";

/** One channel-auth case. `known` is a published signature (or its prefix) the reference must reproduce. */
export interface ACase {
  comment: string;
  flags: string[];
  socket: string;
  channel: string;
  data?: string;
  expect: "valid" | "acceptable" | ErrorCode;
  known?: string;
  /** What an SDK signs for an input this suite rejects (recomputed from socket:channel[:data], never expected). */
  sdkSigns?: string;
}
export interface Group {
  comment?: string;
  source: Source;
  credentials: Credentials;
  encryptionMasterKeyB64?: string;
  cases: ACase[];
}

const MR_CHANNELS = '{"user_id":10,"user_info":{"name":"Mr. Channels"}}';
const UTF8_DATA = '"ą§¶™€łü€ß£"';

/** Groups in file order. */
export const GROUPS: Group[] = [
  {
    source: { ...DOCS_SOURCE, url: "docs/channels/library_auth_reference/auth-signatures.md" },
    credentials: DOCS,
    cases: [
      a("private channel, documented example", ["OfficialExample"], S, "private-foobar", "valid", {
        known: "58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4",
      }),
      a(
        "presence, documented example (docs print afaed369..., the signature for Mr. Pusher)",
        ["OfficialExample", "DocsErratum", "Presence", "NumericUserId"],
        S,
        "presence-foobar",
        "acceptable",
        {
          data: MR_CHANNELS,
          known: "31935e7d86dba64c2a90aed31fdc61869f9b22ba9d8863bba239c03ca481bc80",
        },
      ),
      a(
        "presence, Mr. Pusher: the value the docs print",
        ["DocsErratum", "Presence", "NumericUserId"],
        S,
        "presence-foobar",
        "acceptable",
        {
          data: MR_CHANNELS.replace("Channels", "Pusher"),
          known: "afaed369",
        },
      ),
    ],
  },
  {
    source: SRC.goPresence,
    credentials: DOCS,
    cases: [a("presence with string user_id", ["SdkKnownAnswer", "Presence"], S, "presence-foobar", "valid", {
      data: '{"user_id":"10","user_info":{"name":"Mr. Pusher"}}',
      known: "48dac51d2d7569e1e9c0f48c227d4b26f238fa68e5c0bb04222c966909c4f7c4",
    })],
  },
  {
    source: SRC.nodeAuthorize,
    credentials: { app_id: "1", key: "aaaa", secret: "tofu" },
    cases: [
      a("public channel test", ["SdkKnownAnswer"], "123.456", "test", "valid", {
        known: "efa6cf7644a0b35cba36aa0f776f3cbf7bb60e95ea2696bde1dbe8403b61bd7c",
      }),
      a(
        "channel_data on the non-presence channel test (Node signs f41faf9e...)",
        ["SdkKnownAnswer", "ChannelDataOnNonPresence"],
        "123.456",
        "test",
        "ERR_INVALID_CHANNEL_DATA",
        { data: '{"foo":"bar"}' },
      ),
      a(
        "UTF-8 channel_data on the non-presence channel test (Node signs 2a229263...)",
        ["ChannelDataOnNonPresence", "NonAsciiData"],
        "1.1",
        "test",
        "ERR_INVALID_CHANNEL_DATA",
        { data: UTF8_DATA },
      ),
    ],
  },
  {
    source: SRC.nodeAuthorizeEncrypted,
    credentials: { app_id: "1", key: "f00d", secret: "tofu" },
    encryptionMasterKeyB64: "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=",
    cases: [
      a(
        "encrypted channel, master key with high bytes",
        ["SdkKnownAnswer", "EncryptedChannel", "HighByteMasterKey"],
        "123.456",
        "private-encrypted-bla",
        "valid",
      ),
      a(
        "channel_data on an encrypted channel (Node signs 962c48b7...)",
        ["SdkKnownAnswer", "ChannelDataOnNonPresence"],
        "123.456",
        "private-encrypted-bla",
        "ERR_INVALID_CHANNEL_DATA",
        { data: '"foo"' },
      ),
    ],
  },
  {
    source: SRC.phpAuthorize,
    credentials: { app_id: "1", key: "thisisaauthkey", secret: "thisisasecret" },
    encryptionMasterKeyB64: b64(bytes(32, () => 0x61)),
    cases: [
      a("public channel", ["SdkKnownAnswer"], "1.1", "testing_pusher-php", "valid", {
        known: "751ccc12aeaa79d46f7c199bced5fa47527d3480b51fe61a0bd10438241bd52d",
      }),
      a(
        "every allowed special character",
        ["SdkKnownAnswer", "ChannelNameChars"],
        "45055.28877557",
        "-azAZ9_=@,.;",
        "valid",
        {
          known: "d1c20ad7684c172271f92c108e11b45aef07499b005796ae1ec5beb924f361c4",
        },
      ),
      a(
        "presence-style channel_data on a public channel (PHP signs 3b3f1dcc...)",
        ["SdkKnownAnswer", "ChannelDataOnNonPresence"],
        "45055.28877557",
        "-azAZ9_=@,.;",
        "ERR_INVALID_CHANNEL_DATA",
        {
          data: '{"user_id": "123"}',
        },
      ),
      a(
        "encrypted channel, master key 'a' x 32",
        ["SdkKnownAnswer", "EncryptedChannel"],
        "1.1",
        "private-encrypted-channel-a",
        "valid",
      ),
    ],
  },
  {
    source: SRC.pyAuth,
    credentials: { app_id: "4", key: "foo", secret: "bar" },
    encryptionMasterKeyB64: "OHRXNUZRTG5pUTFzQlFGd3J3N3Q2VFZFc0paZDEweVk=",
    cases: [
      a("private channel", ["SdkKnownAnswer"], "345.23", "private-channel", "valid", {
        known: "89955e77e1b40e33df6d515a5ecbba86a01dc816a5b720da18a06fd26f7d92ff",
      }),
      a("encrypted channel", ["SdkKnownAnswer", "EncryptedChannel"], "345.23", "private-encrypted-channel", "valid", {
        known: "fff0503dfe4929f5162efe4d1dacbce524b0d8e7e1331117a8651c0e74d369e3",
      }),
    ],
  },
  { source: GEN_SOURCE, credentials: DOCS, encryptionMasterKeyB64: KEY32, cases: GENERATED },
  keyGroup("no master key configured", undefined, "ERR_ENCRYPTION_KEY_MISSING", [
    "MasterKeyMissing",
    "EncryptedChannel",
  ]),
  keyGroup("master key of 31 bytes", b64(bytes(31)), "ERR_ENCRYPTION_KEY_INVALID", [
    "MasterKeyLength",
    "EncryptedChannel",
  ]),
  keyGroup("master key of 33 bytes", b64(bytes(33)), "ERR_ENCRYPTION_KEY_INVALID", [
    "MasterKeyLength",
    "EncryptedChannel",
  ]),
  // v1.1: every group below was appended; the ones above keep their tcIds.
  ...SDK_GROUPS,
];

/** Shared secrets published by the SDKs, checked by the generator: "<master key base64> <channel>" -> base64. */
export const KNOWN_SHARED: Record<string, string> = {
  "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU= private-encrypted-bla": "nlr49ISQHz91yS3cy/yWmW8wFMNeTnNL5tNHnbPJcLQ=",
  [`${b64(bytes(32, () => 0x61))} private-encrypted-channel-a`]: "Rp+wpkNpL89qhqco1JkIG31AVXyU8PUVJBr1B2MvdoA=",
  "OHRXNUZRTG5pUTFzQlFGd3J3N3Q2VFZFc0paZDEweVk= private-encrypted-channel":
    "VmIsNZtCSteh8kazd2toc+ofhohBtUouQRSDtRvuyVI=",
  [`${b64(utf8("01234567890123456789012345678901"))} private-encrypted-bla`]:
    "BYBsePpRCQkGPvbWu/5j8x+MmUF5sgPH5DmNBwkTzYs=",
  // CryptoUtilTest prints it without padding.
  "VGhlIDMyIGNoYXJzIGxvbmcgZW5jcnlwdGlvbiBrZXk= private-encrypted-test": "1O0FFr6NiG4d9D4A5bWBh3EG9Y/wfjzqw172LUXwVQ4",
};
