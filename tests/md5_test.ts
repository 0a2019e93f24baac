// src/_md5.ts is our own MD5, so it is proven here against independent references: the RFC 1321 test suite (appendix
// A.5, values from the RFC text) and node:crypto, differentially, on random inputs and every block-boundary length.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { bodyMd5Hex, md5, md5Hex } from "../src/_md5.ts";

const nodeMd5 = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("hex");

function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

Deno.test("md5Hex() gives the RFC 1321 test suite's digests", () => {
  const suite: [string, string][] = [
    ["", "d41d8cd98f00b204e9800998ecf8427e"],
    ["a", "0cc175b9c0f1b6a831c399e269772661"],
    ["abc", "900150983cd24fb0d6963f7d28e17f72"],
    ["message digest", "f96b697d7cb7938d525a2f31aaf161d0"],
    ["abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"],
    ["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"],
    [
      "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
      "57edf4a22be3c955ac49da2e2107b67a",
    ],
  ];
  for (const [input, digest] of suite) {
    assert.equal(md5Hex(input), digest, JSON.stringify(input));
    assert.equal(md5Hex(new TextEncoder().encode(input)), digest, `${JSON.stringify(input)} as bytes`);
  }
});

Deno.test("md5Hex() matches node:crypto at every length from 0 to 4160 bytes (each 55/56/64-byte boundary)", () => {
  const data = randomBytes(4160);
  for (let n = 0; n <= 4160; n++) {
    assert.equal(md5Hex(data.subarray(0, n)), nodeMd5(data.subarray(0, n)), `length ${n}`);
  }
});

Deno.test("md5Hex() matches node:crypto around the block boundaries up to 100 KB", () => {
  const data = randomBytes(102_400 + 64);
  for (let block = 64; block <= 1600; block += 17) {
    for (const off of [-9, -8, -1, 0, 1, 54, 55, 56, 57, 63]) {
      const n = block * 64 + off;
      assert.equal(md5Hex(data.subarray(0, n)), nodeMd5(data.subarray(0, n)), `length ${n}`);
    }
  }
  for (let n = 102_400 - 70; n <= 102_400 + 64; n++) {
    assert.equal(md5Hex(data.subarray(0, n)), nodeMd5(data.subarray(0, n)), `length ${n}`);
  }
});

Deno.test("md5Hex() matches node:crypto on 10,000 random inputs from 0 to 100 KB", () => {
  const pool = randomBytes(102_400 + 4096);
  for (let i = 0; i < 10_000; i++) {
    // Lengths spread evenly over the orders of magnitude 1 B .. 100 KB, plus the ends, at random offsets (unaligned).
    const n = i === 0
      ? 0
      : i === 1
      ? 102_400
      : Math.min(102_400, Math.floor(Math.exp(Math.random() * Math.log(102_401))));
    const start = Math.floor(Math.random() * 4096);
    const input = pool.subarray(start, start + n);
    assert.equal(md5Hex(input), nodeMd5(input), `length ${n} at offset ${start}`);
  }
});

Deno.test("md5Hex() hashes strings as UTF-8, like node:crypto, including lone surrogates", () => {
  const units = [0x41, 0x7f, 0x80, 0x7ff, 0x800, 0xe9, 0x20ac, 0xffff, 0xd83d, 0xde00, 0xd800, 0xdfff];
  for (let i = 0; i < 2_000; i++) {
    const n = Math.floor(Math.random() * 300);
    const s = String.fromCharCode(...Array.from({ length: n }, () => units[Math.floor(Math.random() * units.length)]));
    // node:crypto encodes a string as UTF-8 with U+FFFD for lone surrogates, as TextEncoder does.
    assert.equal(md5Hex(s), createHash("md5").update(s, "utf8").digest("hex"), JSON.stringify(s));
  }
});

Deno.test("md5() gives the same digest after a large input has used a buffer of its own", () => {
  const big = randomBytes(300_000);
  assert.equal(md5Hex(big), nodeMd5(big));
  assert.equal(md5Hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  assert.equal(md5("a").length, 16);
  const s = "é".repeat(40_000);
  assert.equal(md5Hex(s), createHash("md5").update(s, "utf8").digest("hex"));
});

Deno.test("bodyMd5Hex() gives md5Hex() at once for short bodies and falls back where Web Crypto has no MD5", async () => {
  assert.equal(bodyMd5Hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  const small = randomBytes(1000);
  assert.equal(bodyMd5Hex(small), nodeMd5(small));
  const big = randomBytes(20_000);
  const pending = bodyMd5Hex(big);
  assert.ok(pending instanceof Promise, "the first long body probes Web Crypto");
  assert.equal(await pending, nodeMd5(big));
  // Once the probe said no, long bodies need no await either.
  assert.equal(bodyMd5Hex(big), nodeMd5(big));
});
