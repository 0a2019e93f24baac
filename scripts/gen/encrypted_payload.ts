/**
 * encrypted-payload: end-to-end encrypted event data (pusher-spec.md §4.3, §7, §9 #22-#24).
 *
 * Reference: node:crypto SHA-256 for the shared secret and tweetnacl `secretbox` (the library the official
 * package uses) for the ciphertext. Cross-check: the official package's `channelSharedSecret`.
 * Encrypt tests give `plaintext` (always a JSON text: the official package encrypts JSON.stringify(data)) and a
 * fixed `nonce_b64`; decrypt tests give `data`, the `{"nonce","ciphertext"}` string.
 *
 * @module
 */
import Pusher from "pusher";
import nacl from "tweetnacl";
import {
  b64,
  crossCheck,
  DOCS,
  err,
  expectKnown,
  GEN_SOURCE,
  hmacHex,
  makeFile,
  sha256,
  type TestSpec,
  toHex,
  unb64,
  utf8,
  type VectorFile,
} from "./_common.ts";
import { clientErr, type ClientErrorCode } from "./_client_flags.ts";
import { SRC } from "./_sources.ts";

const HIGH_BYTE_KEY = "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU="; // pusher-http-node test key
const COUNTING_KEY = b64(Uint8Array.from({ length: 32 }, (_, i) => i));
const NONCE_0_23 = b64(Uint8Array.from({ length: 24 }, (_, i) => i));
const NONCE_FF = b64(new Uint8Array(24).fill(0xff));
const NONCE_RANDOMISH = b64(Uint8Array.from({ length: 24 }, (_, i) => (i * 37 + 11) & 0xff));

const ENCRYPTED = /^private-encrypted-[A-Za-z0-9_\-=@,.;]*$/;

function sharedSecret(channel: string, masterKeyB64: string): Uint8Array {
  const secret = sha256(new Uint8Array([...utf8(channel), ...unb64(masterKeyB64)]));
  // channelSharedSecret exists on the official class but not in its index.d.ts.
  const official = (new Pusher({
    appId: "1",
    key: "k",
    secret: "s",
    cluster: "mt1",
    encryptionMasterKeyBase64: masterKeyB64,
  }) as unknown as { channelSharedSecret(c: string): Uint8Array }).channelSharedSecret(channel);
  crossCheck(`shared secret of ${channel}`, [], toHex(secret), toHex(new Uint8Array(official)));
  return secret;
}

function seal(channel: string, masterKey: string, plaintext: string, nonceB64: string) {
  const key = sharedSecret(channel, masterKey);
  const ct = nacl.secretbox(utf8(plaintext), unb64(nonceB64), key);
  return {
    shared_secret_hex: toHex(key),
    ciphertext_b64: b64(ct),
    data: JSON.stringify({ nonce: nonceB64, ciphertext: b64(ct) }),
  };
}

const enc = (
  comment: string,
  flags: string[],
  channel: string,
  masterKey: string,
  plaintext: string,
  nonce: string,
  known?: string,
): TestSpec => {
  if (JSON.stringify(JSON.parse(plaintext)) !== plaintext) {
    throw new Error(`${comment}: plaintext is not JSON.stringify form`);
  }
  const expected = seal(channel, masterKey, plaintext, nonce);
  if (known && expected.ciphertext_b64 !== known) throw new Error(`${comment}: known answer not reproduced`);
  return { comment, flags, result: "valid", input: { channel_name: channel, plaintext, nonce_b64: nonce }, expected };
};

const dec = (comment: string, flags: string[], channel: string, masterKey: string, data: string): TestSpec => {
  const { nonce, ciphertext } = JSON.parse(data);
  const key = sharedSecret(channel, masterKey);
  const opened = nacl.secretbox.open(unb64(ciphertext), unb64(nonce), key);
  if (!opened) throw new Error(`${comment}: does not open`);
  return {
    comment,
    flags,
    result: "valid",
    input: { channel_name: channel, data },
    expected: { shared_secret_hex: toHex(key), plaintext: new TextDecoder("utf-8", { fatal: true }).decode(opened) },
  };
};

const bad = (
  comment: string,
  flags: string[],
  input: Record<string, unknown>,
  code: ClientErrorCode,
  masterKey = HIGH_BYTE_KEY,
): TestSpec => {
  // Reference outcome, independent of src/.
  const channel = input.channel_name as string;
  let got: ClientErrorCode | "ok";
  if (typeof input.data === "string") {
    let w: { nonce?: unknown; ciphertext?: unknown } = {};
    try {
      w = JSON.parse(input.data);
    } catch { /* malformed */ }
    const nonceOk = typeof w.nonce === "string" && /^[A-Za-z0-9+/]*={0,2}$/.test(w.nonce) && w.nonce.length % 4 === 0;
    if (!nonceOk || typeof w.ciphertext !== "string" || unb64(w.nonce as string).length !== 24) {
      got = "ERR_NONCE_INVALID";
    } else if (!ENCRYPTED.test(channel)) got = "ERR_NOT_ENCRYPTED_CHANNEL";
    else {
      const ct = unb64(w.ciphertext);
      const opened = ct.length >= 16 &&
        nacl.secretbox.open(ct, unb64(w.nonce as string), sharedSecret(channel, masterKey));
      got = opened ? "ok" : "ERR_DECRYPTION_FAILED";
    }
  } else {
    got = !ENCRYPTED.test(channel)
      ? "ERR_NOT_ENCRYPTED_CHANNEL"
      : unb64(input.nonce_b64 as string).length !== 24
      ? "ERR_NONCE_INVALID"
      : "ok";
  }
  if (got !== code) throw new Error(`${comment}: reference gives ${got}, not ${code}`);
  return { comment, flags, result: "invalid", input, error: clientErr(code) };
};

export default function build(): VectorFile {
  const good = seal("private-encrypted-bla", HIGH_BYTE_KEY, '{"msg":"hi"}', NONCE_0_23).data;
  const { nonce, ciphertext } = JSON.parse(good);
  const ct = unb64(ciphertext);
  const flip = (i: number) => {
    const c = ct.slice();
    c[(i + c.length) % c.length] ^= 1;
    return JSON.stringify({ nonce, ciphertext: b64(c) });
  };
  const high: TestSpec[] = [
    enc(
      'spec §9 #23: {"msg":"hi"} with nonce 00..17',
      ["FixedNonce"],
      "private-encrypted-bla",
      HIGH_BYTE_KEY,
      '{"msg":"hi"}',
      NONCE_0_23,
      "MXL1xH6q8rI1prQqoLyfaQEidzKTCSSJmXzdaQ==",
    ),
    enc(
      "a string is encrypted as its JSON form",
      ["FixedNonce", "JsonPlaintext"],
      "private-encrypted-bla",
      HIGH_BYTE_KEY,
      '"Hello!"',
      NONCE_FF,
    ),
    enc(
      "empty object",
      ["FixedNonce", "TweetnaclCompat"],
      "private-encrypted-bla",
      HIGH_BYTE_KEY,
      "{}",
      NONCE_RANDOMISH,
    ),
    enc(
      "non-ASCII plaintext (UTF-8 bytes)",
      ["FixedNonce", "NonAsciiData"],
      "private-encrypted-bla",
      HIGH_BYTE_KEY,
      '{"t":"é€😀"}',
      NONCE_0_23,
    ),
    enc(
      "array plaintext",
      ["FixedNonce", "TweetnaclCompat"],
      "private-encrypted-bla",
      HIGH_BYTE_KEY,
      "[1,2,3]",
      NONCE_0_23,
    ),
    enc("number plaintext", ["FixedNonce", "JsonPlaintext"], "private-encrypted-bla", HIGH_BYTE_KEY, "42", NONCE_0_23),
    enc(
      "a 1000-character plaintext (several Salsa20 blocks)",
      ["FixedNonce", "TweetnaclCompat"],
      "private-encrypted-bla",
      HIGH_BYTE_KEY,
      JSON.stringify("x".repeat(998)),
      NONCE_RANDOMISH,
    ),
    enc(
      "every channel-name character",
      ["FixedNonce", "ChannelNameChars"],
      "private-encrypted--azAZ9_=@,.;",
      HIGH_BYTE_KEY,
      '{"a":1}',
      NONCE_0_23,
    ),
    enc(
      "the bare prefix is an encrypted channel",
      ["FixedNonce", "EncryptedPrefixCase"],
      "private-encrypted-",
      HIGH_BYTE_KEY,
      '{"a":1}',
      NONCE_0_23,
    ),
    enc(
      "another channel, same key: another shared secret",
      ["FixedNonce", "WrongChannel"],
      "private-encrypted-blb",
      HIGH_BYTE_KEY,
      '{"msg":"hi"}',
      NONCE_0_23,
    ),
    dec("decrypts the spec §9 #23 payload", [], "private-encrypted-bla", HIGH_BYTE_KEY, good),
    dec(
      "decrypts non-ASCII text",
      ["NonAsciiData"],
      "private-encrypted-bla",
      HIGH_BYTE_KEY,
      seal("private-encrypted-bla", HIGH_BYTE_KEY, '{"t":"é€😀"}', NONCE_FF).data,
    ),
    dec(
      "a raw (non-JSON) plaintext is returned as is",
      ["RawPlaintext"],
      "private-encrypted-bla",
      HIGH_BYTE_KEY,
      (() => {
        const key = sharedSecret("private-encrypted-bla", HIGH_BYTE_KEY);
        return JSON.stringify({
          nonce: NONCE_FF,
          ciphertext: b64(nacl.secretbox(utf8("kkkT5OOkOkO5kT5TOO5TkOT5TTk5O55T"), unb64(NONCE_FF), key)),
        });
      })(),
    ),
    bad("encrypt for a private (not encrypted) channel", ["NotEncryptedChannel"], {
      channel_name: "private-bla",
      plaintext: "{}",
      nonce_b64: NONCE_0_23,
    }, "ERR_NOT_ENCRYPTED_CHANNEL"),
    bad("the prefix is case-sensitive", ["NotEncryptedChannel", "EncryptedPrefixCase"], {
      channel_name: "Private-encrypted-bla",
      plaintext: "{}",
      nonce_b64: NONCE_0_23,
    }, "ERR_NOT_ENCRYPTED_CHANNEL"),
    bad("encrypt with a 23-byte nonce", ["NonceLength"], {
      channel_name: "private-encrypted-bla",
      plaintext: "{}",
      nonce_b64: b64(new Uint8Array(23)),
    }, "ERR_NONCE_INVALID"),
    bad("encrypt with a 25-byte nonce", ["NonceLength"], {
      channel_name: "private-encrypted-bla",
      plaintext: "{}",
      nonce_b64: b64(new Uint8Array(25)),
    }, "ERR_NONCE_INVALID"),
    bad("last ciphertext byte flipped", ["TamperedCiphertext"], {
      channel_name: "private-encrypted-bla",
      data: flip(-1),
    }, "ERR_DECRYPTION_FAILED"),
    bad(
      "first tag byte flipped",
      ["TamperedCiphertext"],
      { channel_name: "private-encrypted-bla", data: flip(0) },
      "ERR_DECRYPTION_FAILED",
    ),
    bad("decrypted with another channel's secret", ["WrongChannel"], {
      channel_name: "private-encrypted-blb",
      data: good,
    }, "ERR_DECRYPTION_FAILED"),
    bad("nonce of 16 bytes", ["NonceLength"], {
      channel_name: "private-encrypted-bla",
      data: JSON.stringify({ nonce: b64(new Uint8Array(16)), ciphertext }),
    }, "ERR_NONCE_INVALID"),
    bad("nonce that is not base64", ["NonceLength", "MalformedWrapper"], {
      channel_name: "private-encrypted-bla",
      data: JSON.stringify({ nonce: "!!!!", ciphertext }),
    }, "ERR_NONCE_INVALID"),
    bad("ciphertext shorter than the tag", ["ShortCiphertext"], {
      channel_name: "private-encrypted-bla",
      data: JSON.stringify({ nonce, ciphertext: b64(ct.slice(0, 15)) }),
    }, "ERR_DECRYPTION_FAILED"),
    bad(
      "data that is not JSON",
      ["MalformedWrapper"],
      { channel_name: "private-encrypted-bla", data: "not json" },
      "ERR_NONCE_INVALID",
    ),
    bad("wrapper without a ciphertext", ["MalformedWrapper"], {
      channel_name: "private-encrypted-bla",
      data: JSON.stringify({ nonce }),
    }, "ERR_NONCE_INVALID"),
    bad("decrypt on a channel that is not encrypted", ["NotEncryptedChannel"], {
      channel_name: "private-bla",
      data: good,
    }, "ERR_NOT_ENCRYPTED_CHANNEL"),
  ];
  const counting: TestSpec[] = [
    enc(
      "master key bytes 00..1f",
      ["FixedNonce", "TweetnaclCompat"],
      "private-encrypted-room",
      COUNTING_KEY,
      '{"text":"hello"}',
      NONCE_0_23,
    ),
    enc(
      "master key bytes 00..1f, nonce ff..ff",
      ["FixedNonce", "TweetnaclCompat"],
      "private-encrypted-room",
      COUNTING_KEY,
      '{"text":"hello"}',
      NONCE_FF,
    ),
  ];
  return makeFile(
    "encrypted-payload",
    [
      "End-to-end encrypted event data: shared_secret = SHA-256(channel_name || master_key); data =",
      '{"nonce":b64(nonce),"ciphertext":b64(secretbox(plaintext, nonce, shared_secret))} (compact, nonce first).',
      "Encrypt tests: input plaintext (a JSON text) and nonce_b64 -> expected shared_secret_hex, ciphertext_b64, data.",
      "Decrypt tests: input data -> expected plaintext. Ciphertexts are tweetnacl's; shared secrets are checked with the",
      "official package's channelSharedSecret.",
    ],
    [
      {
        comment:
          "High-byte master key from pusher-http-node's tests (authenticate.js); the payloads are generated here",
        source: GEN_SOURCE,
        credentials: DOCS,
        encryptionMasterKeyB64: HIGH_BYTE_KEY,
        tests: high,
      },
      {
        comment: "Counting master key",
        source: GEN_SOURCE,
        credentials: DOCS,
        encryptionMasterKeyB64: COUNTING_KEY,
        tests: counting,
      },
      // v1.1: appended groups.
      ...v11Groups(),
    ],
  );
}

/** SDK payloads this suite rejects, each re-derived here, and the .NET key-derivation policy. */
function v11Groups() {
  const open = (ct: string, nonce: string, key: Uint8Array) => {
    const out = nacl.secretbox.open(unb64(ct), unb64(nonce), key);
    return out ? new TextDecoder().decode(out) : null;
  };
  // pusher-http-go crypto_test.go: a 33-byte "32 chars" key. SHA-256 and secretbox reproduce Go's values.
  const goKey = utf8("This is a string that is 32 chars");
  const goShared = sha256(new Uint8Array([...utf8("private-encrypted-bla"), ...goKey]));
  expectKnown(
    SRC.goCrypto33,
    "Go TestGenerateSharedSecret",
    "004831f99d2a4e86723e893caded3a2897deeddbed9514fe9497dcddc52bd50b",
    toHex(goShared),
  );
  const goData = '{"nonce":"sjklahvpWWQgAjTx5FfYHCCxd2AmaL9T","ciphertext":"zoDEe8dA3nDXKsybAWce/hXGW4szJw=="}';
  const goWrap = JSON.parse(goData);
  expectKnown(SRC.goCrypto33, "Go TestDecryptValidKey", "Hello!", open(goWrap.ciphertext, goWrap.nonce, goShared));
  // pusher-http-python test_crypto.py: channel without the private-encrypted- prefix, raw 32-byte key.
  const pyChannel = "pvUPIk0YG6MnxCEMIUUVFrbDmQwbhICXUcy";
  const pyKey = utf8("OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5");
  const pyShared = sha256(new Uint8Array([...utf8(pyChannel), ...pyKey]));
  expectKnown(
    SRC.pyCrypto,
    "Python test_generate_shared_secret",
    "709ef3090a24bfa98382cb5d025ca3622c82d31fa27f10b005c0dca27bae6516",
    toHex(pyShared),
  );
  const pyNonce = b64(utf8("XAJI0Y6DPBHSAHXTHV3A3ZMF"));
  const pyCt = b64(nacl.secretbox(utf8("kkkT5OOkOkO5kT5TOO5TkOT5TTk5O55T"), unb64(pyNonce), pyShared));
  expectKnown(SRC.pyCrypto, "Python test_encrypt nonce", "WEFKSTBZNkRQQkhTQUhYVEhWM0EzWk1G", pyNonce);
  expectKnown(
    SRC.pyCrypto,
    "Python test_encrypt",
    "tsYJa2JgGDOpVIYFe4aNVWAvZlpB7z7CjN9mpIdbATE0Yc4izN8aM8D6VigBxnIQ",
    pyCt,
  );
  // pusher-http-dotnet derives HMAC-SHA256(master, channel); sealed that way, a conforming reader cannot open it.
  const channel = "private-encrypted-room";
  const dotnetKey = fromHexBytes(hmacHex(unb64(COUNTING_KEY), channel));
  const dotnetData = JSON.stringify({
    nonce: NONCE_0_23,
    ciphertext: b64(nacl.secretbox(utf8('{"text":"hello"}'), unb64(NONCE_0_23), dotnetKey)),
  });
  if (open(JSON.parse(dotnetData).ciphertext, NONCE_0_23, sharedSecret(channel, COUNTING_KEY)) !== null) {
    throw new Error(".NET-derived payload opens with the standard key");
  }
  return [
    {
      comment: "pusher-http-go's 33-byte master key: rejected before decrypting",
      source: SRC.goCrypto33,
      credentials: DOCS,
      encryptionMasterKeyB64: b64(goKey),
      tests: [{
        comment: "decrypt Go's TestDecryptValidKey payload with its 33-byte key",
        flags: ["SdkKnownAnswer", "MasterKeyLength"],
        result: "invalid",
        input: { channel_name: "private-encrypted-bla", data: goData },
        error: err("ERR_ENCRYPTION_KEY_INVALID"),
      }] satisfies TestSpec[],
    },
    {
      comment: "pusher-http-python encrypts for a channel without the private-encrypted- prefix; this suite refuses",
      source: SRC.pyCrypto,
      credentials: DOCS,
      encryptionMasterKeyB64: b64(pyKey),
      tests: [
        bad("decrypt Python's test_encrypt payload on its unprefixed channel", [
          "SdkKnownAnswer",
          "NotEncryptedChannel",
        ], {
          channel_name: pyChannel,
          data: JSON.stringify({ nonce: pyNonce, ciphertext: pyCt }),
        }, "ERR_NOT_ENCRYPTED_CHANNEL"),
        bad("encrypt for Python's unprefixed channel", ["SdkKnownAnswer", "NotEncryptedChannel"], {
          channel_name: pyChannel,
          plaintext: '"kkkT5OOkOkO5kT5TOO5TkOT5TTk5O55T"',
          nonce_b64: pyNonce,
        }, "ERR_NOT_ENCRYPTED_CHANNEL"),
      ],
    },
    {
      comment: "pusher-http-dotnet's channel key HMAC-SHA256(master, channel) (PusherServer/CryptoHelper.cs@be5c2f13 " +
        "GenerateSharedSecret); policy DotnetKeyDerivation: not supported",
      source: GEN_SOURCE,
      credentials: DOCS,
      encryptionMasterKeyB64: COUNTING_KEY,
      tests: [
        bad(
          "payload sealed with the .NET-derived key",
          ["DotnetKeyDerivation"],
          {
            channel_name: channel,
            data: dotnetData,
          },
          "ERR_DECRYPTION_FAILED",
          COUNTING_KEY,
        ),
      ],
    },
  ];
}

function fromHexBytes(h: string): Uint8Array {
  return new Uint8Array(h.match(/../g)!.map((x) => parseInt(x, 16)));
}
