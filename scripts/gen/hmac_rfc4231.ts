/**
 * Layer 0: RFC 4231 HMAC-SHA-256 test cases 1-7 (Wycheproof MacTest shape inside our envelope), plus
 * modified-tag cases. They check the runtime's HMAC before any Pusher composition is tested.
 *
 * @module
 */
import { expectKnown, flipHexBit, hmacHex, makeFile, type TestSpec, toHex, utf8, type VectorFile } from "./_common.ts";
import { SRC } from "./_sources.ts";

const rep = (byte: number, n: number) => toHex(new Uint8Array(n).fill(byte));
const ascii = (s: string) => toHex(utf8(s));

// [case, key hex, data hex, HMAC-SHA-256 from the RFC text (case 5 already truncated to 128 bits)]
const RFC: [number, string, string, string][] = [
  [1, rep(0x0b, 20), ascii("Hi There"), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"],
  [
    2,
    ascii("Jefe"),
    ascii("what do ya want for nothing?"),
    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
  ],
  [3, rep(0xaa, 20), rep(0xdd, 50), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"],
  [
    4,
    toHex(Uint8Array.from({ length: 25 }, (_, i) => i + 1)),
    rep(0xcd, 50),
    "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
  ],
  [5, rep(0x0c, 20), ascii("Test With Truncation"), "a3b6167473100ee06e0c796c2955552b"],
  [
    6,
    rep(0xaa, 131),
    ascii("Test Using Larger Than Block-Size Key - Hash Key First"),
    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
  ],
  [
    7,
    rep(0xaa, 131),
    ascii(
      "This is a test using a larger than block-size key and a larger than block-size data. " +
        "The key needs to be hashed before being used by the HMAC algorithm.",
    ),
    "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
  ],
];

const fromHexBytes = (h: string) => new Uint8Array(h.match(/../g)!.map((x) => parseInt(x, 16)));

function check(key: string, msg: string, tag: string): void {
  // The RFC's printed value and node:crypto must agree before anything is written.
  const full = hmacHex(fromHexBytes(key), fromHexBytes(msg));
  if (full.slice(0, tag.length) !== tag) throw new Error(`RFC 4231 tag mismatch: ${tag} vs ${full}`);
}

function valid(n: number, key: string, msg: string, tag: string): TestSpec {
  check(key, msg, tag);
  const flags = ["Rfc4231"];
  if (tag.length < 64) flags.push("TruncatedTag");
  if (key.length > 128) flags.push("LongKey");
  return {
    comment: `RFC 4231 test case ${n}`,
    flags,
    result: "valid",
    input: { key, msg, tag },
    expected: { tag },
  };
}

function modified(n: number, key: string, msg: string, tag: string, bit: number, how: string): TestSpec {
  return {
    comment: `RFC 4231 test case ${n}, ${how}`,
    flags: ["ModifiedTag"],
    result: "invalid",
    input: { key, msg, tag: flipHexBit(tag, bit) },
    error: { code: "ERR_SIGNATURE_MISMATCH", stage: "auth" },
  };
}

export default function (): Promise<VectorFile> {
  const full = RFC.filter(([n]) => n !== 5);
  const [c1, c2] = full;
  const c5 = RFC.find(([n]) => n === 5)!;
  return Promise.resolve(makeFile("hmac", [
    "HMAC-SHA-256 known answers from RFC 4231 (cases 1-7), in the Wycheproof MacTest shape.",
    "key, msg and tag are lower-case hex; the tag is the first tagSize bits of HMAC-SHA-256(key, msg).",
    "valid: recompute the tag and compare. invalid: the given tag must not verify.",
  ], [
    {
      source: { name: "rfc4231", version: "2005-12", url: "https://www.rfc-editor.org/rfc/rfc4231" },
      tagSize: 256,
      tests: [
        ...full.map(([n, k, m, t]) => valid(n, k, m, t)),
        modified(c1[0], c1[1], c1[2], c1[3], 0, "first bit of the tag flipped"),
        modified(c1[0], c1[1], c1[2], c1[3], 255, "last bit of the tag flipped"),
        modified(c2[0], c2[1], c2[2], c2[3], 128, "bit 128 of the tag flipped"),
      ],
    },
    {
      source: { name: "rfc4231", version: "2005-12", url: "https://www.rfc-editor.org/rfc/rfc4231" },
      tagSize: 128,
      tests: [
        valid(c5[0], c5[1], c5[2], c5[3]),
        modified(c5[0], c5[1], c5[2], c5[3], 127, "last bit of the truncated tag flipped"),
      ],
    },
    // v1.1: pusher-http-go's HMAC known answer (HMAC-SHA256("supersecret", "Hello!")).
    {
      source: SRC.goCrypto,
      tagSize: 256,
      tests: (() => {
        const [key, msg] = [ascii("supersecret"), ascii("Hello!")];
        const tag = "64e3f44166575febbc5de88c9476325ea7d4b3684752158d9fdb31fce34b980d";
        expectKnown(SRC.goCrypto, "hmac Go TestHmacSignature", tag, hmacHex(fromHexBytes(key), fromHexBytes(msg)));
        return [
          {
            comment: "pusher-http-go TestHmacSignature",
            flags: ["SdkKnownAnswer"],
            result: "valid",
            input: { key, msg, tag },
            expected: { tag },
          },
          {
            comment: "pusher-http-go TestCheckInvalidSignature's idea: a tag that is not the HMAC",
            flags: ["ModifiedTag"],
            result: "invalid",
            input: { key, msg, tag: flipHexBit(tag, 255) },
            error: { code: "ERR_SIGNATURE_MISMATCH", stage: "auth" },
          },
        ] satisfies TestSpec[];
      })(),
    },
  ]));
}
