// MD5 (RFC 1321) for body_md5. Web Crypto has no MD5 outside workerd, so this is our own: at 10 KB about 2x spark-md5
// and 5x @noble/hashes (the previous choice), in about 0.7 KB gzip against noble's 2.1 KB (numbers: docs/performance.md).
// tests/md5_test.ts checks it against every RFC 1321 test and against node:crypto on 10,000 random inputs up to 100 KB
// and every length around the 55/56/64-byte block boundaries. Where Web Crypto has MD5 (workerd), bodyMd5Hex() uses it for bodies from 4 KB.
import { encoder, hexEncode, utf8Encode } from "./_bytes.ts";

const state = new Int32Array(4);
// Input is copied or UTF-8 encoded (encodeInto: no allocation) into one reused buffer and padded in place. Inputs too
// large for it get a buffer of their own, so the module never holds more than MAX_SCRATCH bytes.
const MAX_SCRATCH = 64 * 1024 + 128;
let scratch = new Uint8Array(1024);

// K[i] = floor(2^32 * |sin(i + 1)|), the RFC's definition (3.4); Int32Array.from wraps it to a signed word. Computing
// it saves 0.3 KB gzip of literals. It is exact wherever Math.sin errs by less than 3.5e-12 (no 2^32 * |sin(i + 1)|
// is closer than 0.015 to an integer), i.e. ~30,000 ulps; the body_md5 vectors run on every runtime of the matrix.
const K_ = Int32Array.from({ length: 64 }, (_, i) => Math.abs(Math.sin(i + 1)) * 2 ** 32);
const S_ = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const X = new Int32Array(16);

// One 64-byte block at m[o..o+64): little-endian words, then one loop per round (a fully unrolled version is 10-20 %
// faster but twice the size).
function block(m: Uint8Array, o: number): void {
  // Locals, not module bindings: each module-level read in the loops costs a context load and a TDZ check.
  const x = X, K = K_, S = S_;
  for (let j = 0; j < 16; j++, o += 4) x[j] = m[o] | m[o + 1] << 8 | m[o + 2] << 16 | m[o + 3] << 24;
  let a = state[0], b = state[1], c = state[2], d = state[3];
  for (let i = 0; i < 16; i++) {
    const t = a + (d ^ (b & (c ^ d))) + x[i] + K[i] | 0, s = S[i & 3];
    a = d;
    d = c;
    c = b;
    b = b + ((t << s) | (t >>> (32 - s))) | 0;
  }
  for (let i = 0; i < 16; i++) {
    const t = a + (c ^ (d & (b ^ c))) + x[(5 * i + 1) & 15] + K[16 + i] | 0, s = S[4 + (i & 3)];
    a = d;
    d = c;
    c = b;
    b = b + ((t << s) | (t >>> (32 - s))) | 0;
  }
  for (let i = 0; i < 16; i++) {
    const t = a + (b ^ c ^ d) + x[(3 * i + 5) & 15] + K[32 + i] | 0, s = S[8 + (i & 3)];
    a = d;
    d = c;
    c = b;
    b = b + ((t << s) | (t >>> (32 - s))) | 0;
  }
  for (let i = 0; i < 16; i++) {
    const t = a + (c ^ (b | ~d)) + x[(7 * i) & 15] + K[48 + i] | 0, s = S[12 + (i & 3)];
    a = d;
    d = c;
    c = b;
    b = b + ((t << s) | (t >>> (32 - s))) | 0;
  }
  state[0] = state[0] + a | 0;
  state[1] = state[1] + b | 0;
  state[2] = state[2] + c | 0;
  state[3] = state[3] + d | 0;
}

// The digest of the last run, reused: md5Hex() of a 200 B body then allocates no typed array (it shows in GC time).
const digest = new Uint8Array(16);

/** MD5 digest of a string (as UTF-8) or bytes: 16 bytes. */
export function md5(data: string | Uint8Array): Uint8Array<ArrayBuffer> {
  return run(data).slice();
}

function run(data: string | Uint8Array): Uint8Array<ArrayBuffer> {
  const str = typeof data === "string";
  // UTF-8 takes at most 3 bytes per UTF-16 unit; padding adds at most 72.
  const need = (str ? data.length * 3 : data.length) + 72;
  let m = scratch;
  if (need > m.length) {
    m = new Uint8Array(need);
    if (need <= MAX_SCRATCH) scratch = m;
  }
  let n: number;
  if (str) n = encoder.encodeInto(data, m).written;
  else {
    m.set(data);
    n = data.length;
  }
  // Padding: 0x80, zeros, then the length in bits as a 64-bit little-endian number.
  const end = ((n + 8) & ~63) + 64;
  m[n] = 0x80;
  m.fill(0, n + 1, end - 8);
  // A Uint8Array stores ToUint8(b): the integer part of b modulo 256, i.e. byte i of the bit count.
  for (let i = end - 8, b = n * 8; i < end; i++, b /= 256) m[i] = b;
  state[0] = 0x67452301;
  state[1] = 0xefcdab89 | 0;
  state[2] = 0x98badcfe | 0;
  state[3] = 0x10325476;
  for (let o = 0; o < end; o += 64) block(m, o);
  for (let i = 0; i < 16; i++) digest[i] = state[i >> 2] >>> (8 * (i & 3));
  return digest;
}

/** Lower-case hex MD5 of a string (as UTF-8) or bytes. */
export function md5Hex(data: string | Uint8Array): string {
  return hexEncode(run(data));
}

// Whether Web Crypto has MD5: undefined until probed, then the probe, then its answer.
let native: boolean | Promise<boolean> | undefined;

// Web Crypto's MD5 (workerd) is an async call of ~4 µs: in workerd it beats md5Hex() only from about 3 KB (200 B:
// 4.2 vs 1.3 µs; 10 KB: 24 vs 31 µs; docs/performance.md).
const NATIVE_MIN_LENGTH = 4096;

/**
 * Lower-case hex MD5 for body_md5: md5Hex() for short bodies and where Web Crypto has no MD5 (Node, Deno, Bun and
 * browsers refuse "MD5" with NotSupportedError; probed once), Web Crypto's MD5 for longer ones where it has one
 * (workerd). Returns a string when it needs no await.
 */
export function bodyMd5Hex(data: string | Uint8Array): string | Promise<string> {
  if (data.length < NATIVE_MIN_LENGTH || native === false) return md5Hex(data);
  return nativeMd5Hex(data);
}

async function nativeMd5Hex(data: string | Uint8Array): Promise<string> {
  // Inside then(), so a runtime that throws synchronously for "MD5" also answers false.
  native ??= Promise.resolve().then(() => crypto.subtle.digest("MD5", new Uint8Array(0))).then(
    () => (native = true),
    () => (native = false),
  );
  if (!(await native)) return md5Hex(data);
  const bytes = typeof data === "string" ? utf8Encode(data) : data as Uint8Array<ArrayBuffer>;
  return hexEncode(new Uint8Array(await crypto.subtle.digest("MD5", bytes)));
}
