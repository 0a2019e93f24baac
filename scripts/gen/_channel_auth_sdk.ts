/**
 * channel-auth groups added in v1.1: the remaining SDK known answers (node, java, ruby, python, go) and the channel
 * name length policy. Appended after the v1.0 groups, so earlier tcIds are unchanged. Append only.
 *
 * @module
 */
import { b64, DOCS, GEN_SOURCE, utf8 } from "./_common.ts";
import { a, S } from "./_channel_auth_generated.ts";
import type { Group } from "./_channel_auth_cases.ts";
import { SRC } from "./_sources.ts";

const AAAA_TOFU = { app_id: "10000", key: "aaaa", secret: "tofu" };
const AAAA_BEEF = { app_id: "10000", key: "aaaa", secret: "beef" };
const UTF8_DATA = '"ą§¶™€łü€ß£"';
const SK = ["SdkKnownAnswer"];

/** Groups in file order, after the v1.0 groups. */
export const SDK_GROUPS: Group[] = [
  {
    source: SRC.nodeAuthorizeOthers,
    credentials: AAAA_TOFU,
    cases: [
      a("another socket id", SK, "321.654", "test", "valid", {
        known: "f6ecb0a17d3e4f68aca28f1673197a7608587c09deb0208faa4b5519aee0a777",
      }),
      a("channel test1", SK, "123.456", "test1", "valid", {
        known: "d5ab857f805433cb50562da96afa41688d7742a3c3a021ed15a4d991a4d8cf94",
      }),
      a("channel test2", SK, "123.456", "test2", "valid", {
        known: "43affa6a09af1fb9ce1cadf176171346beaf7366673ec1e5920f68b3e97a466d",
      }),
    ],
  },
  {
    source: SRC.nodeAuthorizeSecrets,
    credentials: { app_id: "10000", key: "11111", secret: "1" },
    cases: [a("secret '1'", SK, "123.456", "test", "valid", {
      known: "584828bd6e80b2d177d2b28fde07b8e170abf87ccb5a791a50c933711fb8eb28",
    })],
  },
  {
    source: SRC.nodeAuthorizeSecrets,
    credentials: { app_id: "10000", key: "11111", secret: "2" },
    cases: [a("secret '2'", SK, "123.456", "test", "valid", {
      known: "269bbf3f7625db4e0d0525b617efa5915c3ae667fd222dc8e4cb94bc531f26f2",
    })],
  },
  {
    source: SRC.nodeAuthorizeNonEncrypted,
    credentials: { app_id: "1234", key: "f00d", secret: "tofu" },
    encryptionMasterKeyB64: "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=",
    cases: [
      a(
        "channel_data on the public channel bla (Node signs 013ad3da...)",
        ["SdkKnownAnswer", "ChannelDataOnNonPresence"],
        "123.456",
        "bla",
        "ERR_INVALID_CHANNEL_DATA",
        { data: '"foo"', sdkSigns: "013ad3da0d88e0df6ae0a8184bef50b9c3933f2344499e6e3d1ad67fad799e20" },
      ),
    ],
  },
  {
    source: SRC.nodeAuthOld,
    credentials: AAAA_BEEF,
    cases: [
      a("secret beef, socket 123.456", SK, "123.456", "test", "valid", {
        known: "d16bec9b73b4b3b9186bc5ce87daddc14e6afa714f663fd35839f94be1707ea3",
      }),
      a("secret beef, socket 321.654", SK, "321.654", "test", "valid", {
        known: "69858dbfae85099306caa764f698d4e29970d93baa746a6df6788c92c0ec4409",
      }),
      a("secret beef, channel test1", SK, "123.456", "test1", "valid", {
        known: "2e8533af473c22fbf5456375ace186413bcdd64513edefc60657d7327c1a43af",
      }),
      a("secret beef, channel test2", SK, "123.456", "test2", "valid", {
        known: "c26e4dce5ab543b2deac513708ea03e91aac2cd1caa4cdd261fc7739ba09cfbe",
      }),
      a(
        "secret beef, channel_data on the public channel test (Node signs 4ec8fab5...)",
        ["SdkKnownAnswer", "ChannelDataOnNonPresence"],
        "123.456",
        "test",
        "ERR_INVALID_CHANNEL_DATA",
        { data: '{"foo":"bar"}', sdkSigns: "4ec8fab54df3950d32d95a579e46b53060ea3579bc678842a80b7c530f90d439" },
      ),
      a(
        "secret beef, UTF-8 channel_data on the public channel test (Node signs 0d392e30...)",
        ["SdkKnownAnswer", "ChannelDataOnNonPresence", "NonAsciiData"],
        "1.1",
        "test",
        "ERR_INVALID_CHANNEL_DATA",
        { data: UTF8_DATA, sdkSigns: "0d392e309f194ebfd063409e2a35d1e5f0fb0148e6ff5e9e92233816a70f2a12" },
      ),
    ],
  },
  {
    comment: "The raw 32-character encryptionMasterKey of the older Node suite, here as its base64 form.",
    source: SRC.nodeAuthOldEncrypted,
    credentials: { app_id: "1234", key: "f00d", secret: "beef" },
    encryptionMasterKeyB64: b64(utf8("01234567890123456789012345678901")),
    cases: [
      a(
        "encrypted channel bla, ASCII master key",
        ["SdkKnownAnswer", "EncryptedChannel"],
        "123.456",
        "private-encrypted-bla",
        "valid",
      ),
      a(
        "channel_data on encrypted channel bla (Node signs d8df1e52...)",
        ["SdkKnownAnswer", "ChannelDataOnNonPresence", "EncryptedChannel"],
        "123.456",
        "private-encrypted-bla",
        "ERR_INVALID_CHANNEL_DATA",
        { data: '"foo"', sdkSigns: "d8df1e524cf38fbde4f1dc38e6eaa4943e60412122801eed1f0e89c8a1268784" },
      ),
    ],
  },
  {
    source: SRC.javaAuth,
    credentials: DOCS,
    cases: [
      a(
        "private channel with every allowed special character",
        ["SdkKnownAnswer", "ChannelNameChars"],
        S,
        "private-azAZ9_=@,.;",
        "valid",
        {
          known: "208cbbce2a22fd7d7c3509046b17a97b99d345cf4c195bc0d54af9004a022b0b",
        },
      ),
      a(
        "socket_id with a trailing ':'",
        ["SdkKnownAnswer", "DelimiterInjection"],
        "1.1:",
        "private-foobar",
        "ERR_INVALID_SOCKET_ID",
      ),
      a(
        "socket_id with a trailing newline",
        ["SdkKnownAnswer", "SocketIdFormat"],
        "1.1\n",
        "private-foobar",
        "ERR_INVALID_SOCKET_ID",
      ),
      a(
        "socket_id with a leading ':'",
        ["SdkKnownAnswer", "DelimiterInjection"],
        ":1.1",
        "private-foobar",
        "ERR_INVALID_SOCKET_ID",
      ),
      a(
        "channel name with a trailing ':'",
        ["SdkKnownAnswer", "DelimiterInjection"],
        "1.1",
        "private-foobar:",
        "ERR_INVALID_CHANNEL_NAME",
      ),
      a(
        "channel name with a leading ':' and newline",
        ["SdkKnownAnswer", "DelimiterInjection"],
        "1.1",
        ":\nprivate-foobar",
        "ERR_INVALID_CHANNEL_NAME",
      ),
    ],
  },
  {
    comment: "Java's CryptoUtilTest has no app credentials: the docs' are used; the known answer is the shared secret.",
    source: SRC.javaCrypto,
    credentials: DOCS,
    encryptionMasterKeyB64: "VGhlIDMyIGNoYXJzIGxvbmcgZW5jcnlwdGlvbiBrZXk=",
    cases: [
      a(
        "encrypted channel private-encrypted-test",
        ["SdkKnownAnswer", "EncryptedChannel"],
        S,
        "private-encrypted-test",
        "valid",
      ),
    ],
  },
  {
    source: SRC.rubyChannel,
    credentials: { app_id: "20", key: "12345678900000001", secret: "12345678900000001" },
    cases: [a("public channel test_channel", SK, "1.1", "test_channel", "valid", {
      known: "02259dff9a2a3f71ea8ab29ac0c0c0ef7996c8f3fd3702be5533f30da7d7fed4",
    })],
  },
  {
    source: SRC.pyPresence,
    credentials: { app_id: "4", key: "foo", secret: "bar" },
    cases: [
      a("presence channel with user_info", ["SdkKnownAnswer", "Presence"], "345.43245", "presence-channel", "valid", {
        data: '{"user_id":"fred","user_info":{"key":"value"}}',
        known: "e80ba6439492c2113022c39297a87a948de14061cc67b5788e045645a68b8ccd",
      }),
    ],
  },
  {
    source: SRC.pyJson,
    credentials: { app_id: "4", key: "key", secret: "secret" },
    cases: [a(
      "presence channel_data without user_id (Python signs 7f2ae592...)",
      ["SdkKnownAnswer", "Presence", "PresenceMissingUserId"],
      "1.1",
      "presence-c1",
      "ERR_INVALID_CHANNEL_DATA",
      { data: '{"money": "1.32"}', sdkSigns: "7f2ae5922800a20b9615543ce7c8e7d1c97115d108939410825ea690f308a05f" },
    )],
  },
  {
    comment: 'Go\'s crypto tests use the 33-byte key "This is a string that is 32 chars"; this suite rejects it.',
    source: SRC.goCrypto33,
    credentials: { app_id: "1", key: "key", secret: "supersecret" },
    encryptionMasterKeyB64: b64(utf8("This is a string that is 32 chars")),
    cases: [
      a(
        "encrypted channel with Go's 33-byte master key",
        ["MasterKeyLength", "EncryptedChannel"],
        S,
        "private-encrypted-bla",
        "ERR_ENCRYPTION_KEY_INVALID",
      ),
    ],
  },
  {
    comment: "Channel name length: 164 per Pusher's channel docs and .NET; node, python and go accept 200 (policy).",
    source: GEN_SOURCE,
    credentials: DOCS,
    cases: [
      a("channel name of 164 characters", ["ChannelNameLength"], S, "private-" + "a".repeat(156), "valid"),
      a(
        "channel name of 165 characters",
        ["ChannelNameLength", "ChannelNameOver164"],
        S,
        "private-" + "a".repeat(157),
        "acceptable",
      ),
    ],
  },
];
