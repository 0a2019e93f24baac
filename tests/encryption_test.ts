// The ./encryption subpath: byte-identical to tweetnacl and the official package, its negatives, webhook
// decryption, and a bundle of mod.ts that contains no XSalsa20/Poly1305 code.
import assert from "node:assert/strict";
import nacl from "tweetnacl";
import { PusherError } from "../mod.ts";
import {
  channelSharedSecret,
  decryptPayload,
  decryptWebhookEvents,
  encryption,
  encryptPayload,
} from "../src/encryption/mod.ts";

const MASTER_KEY = "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=";
const NONCE = Uint8Array.from({ length: 24 }, (_, i) => i);
const b64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
const unb64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

async function rejectsCode(p: Promise<unknown>, code: string) {
  await assert.rejects(p, (err) => (err instanceof PusherError && err.code === code) || assert.fail(String(err)));
}

Deno.test("encryptPayload() with a fixed nonce gives the spec's known answer", async () => {
  const data = await encryptPayload("private-encrypted-bla", { msg: "hi" }, MASTER_KEY, { nonce: NONCE });
  assert.equal(
    data,
    '{"nonce":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYX","ciphertext":"MXL1xH6q8rI1prQqoLyfaQEidzKTCSSJmXzdaQ=="}',
  );
});

Deno.test("encryptPayload() is byte-identical to tweetnacl secretbox for random inputs", async () => {
  const key = await channelSharedSecret("private-encrypted-x", MASTER_KEY);
  for (let i = 0; i < 20; i++) {
    const nonce = crypto.getRandomValues(new Uint8Array(24));
    const value = { i, s: "é€😀".repeat(i), list: Array.from({ length: i }, (_, j) => j) };
    const ours = JSON.parse(await encryptPayload("private-encrypted-x", value, MASTER_KEY, { nonce }));
    const theirs = nacl.secretbox(new TextEncoder().encode(JSON.stringify(value)), nonce, key);
    assert.equal(ours.ciphertext, b64(theirs));
    assert.equal(ours.nonce, b64(nonce));
    const opened = nacl.secretbox.open(unb64(ours.ciphertext), nonce, key);
    assert.equal(new TextDecoder().decode(opened!), JSON.stringify(value));
  }
});

Deno.test("secretbox matches tweetnacl at every length 0-199 and refuses any flipped tag or ciphertext bit", async () => {
  const channel = "private-encrypted-x";
  const key = await channelSharedSecret(channel, MASTER_KEY);
  for (let len = 0; len < 200; len++) {
    const nonce = crypto.getRandomValues(new Uint8Array(24));
    const text = "é".repeat(len % 3) + "x".repeat(len);
    const theirs = nacl.secretbox(new TextEncoder().encode(JSON.stringify(text)), nonce, key);
    const ours = JSON.parse(await encryptPayload(channel, text, MASTER_KEY, { nonce }));
    assert.equal(ours.ciphertext, b64(theirs));
    const wrap = (box: Uint8Array) => JSON.stringify({ nonce: b64(nonce), ciphertext: b64(box) });
    assert.equal(await decryptPayload(channel, wrap(theirs), MASTER_KEY), JSON.stringify(text));
    for (const i of [0, 15, 16, theirs.length - 1]) {
      const forged = theirs.slice();
      forged[i] ^= 1 << (len % 8);
      await rejectsCode(decryptPayload(channel, wrap(forged), MASTER_KEY), "ERR_DECRYPTION_FAILED");
    }
  }
});

Deno.test("encryptPayload() always JSON-encodes, even a string, like the official package", async () => {
  const data = await encryptPayload("private-encrypted-a", "Hello!", MASTER_KEY);
  assert.equal(await decryptPayload("private-encrypted-a", data, MASTER_KEY), '"Hello!"');
});

Deno.test("encryptPayload() uses a fresh random nonce each time", async () => {
  const a = JSON.parse(await encryptPayload("private-encrypted-a", 1, MASTER_KEY));
  const b = JSON.parse(await encryptPayload("private-encrypted-a", 1, MASTER_KEY));
  assert.notEqual(a.nonce, b.nonce);
  assert.equal(unb64(a.nonce).length, 24);
});

Deno.test("encryptPayload() rejects a non-encrypted channel, a bad key and a short nonce", async () => {
  await rejectsCode(encryptPayload("private-a", 1, MASTER_KEY), "ERR_NOT_ENCRYPTED_CHANNEL");
  await rejectsCode(encryptPayload("private-encrypted-a", 1, "c2hvcnQ="), "ERR_ENCRYPTION_KEY_INVALID");
  await rejectsCode(
    encryptPayload("private-encrypted-a", 1, MASTER_KEY, { nonce: new Uint8Array(23) }),
    "ERR_NONCE_INVALID",
  );
  await rejectsCode(encryptPayload("private-encrypted-a", undefined, MASTER_KEY), "ERR_INVALID_PARAM");
});

Deno.test("decryptPayload() rejects tampering, the wrong channel and malformed wrappers", async () => {
  const data = await encryptPayload("private-encrypted-a", { x: 1 }, MASTER_KEY, { nonce: NONCE });
  const { nonce, ciphertext } = JSON.parse(data);
  const ct = unb64(ciphertext);
  ct[ct.length - 1] ^= 1;
  await rejectsCode(
    decryptPayload("private-encrypted-a", JSON.stringify({ nonce, ciphertext: b64(ct) }), MASTER_KEY),
    "ERR_DECRYPTION_FAILED",
  );
  await rejectsCode(decryptPayload("private-encrypted-b", data, MASTER_KEY), "ERR_DECRYPTION_FAILED");
  await rejectsCode(
    decryptPayload("private-encrypted-a", JSON.stringify({ nonce: b64(NONCE.slice(1)), ciphertext }), MASTER_KEY),
    "ERR_NONCE_INVALID",
  );
  await rejectsCode(
    decryptPayload("private-encrypted-a", JSON.stringify({ nonce, ciphertext: "AAAA" }), MASTER_KEY),
    "ERR_DECRYPTION_FAILED",
  );
  await rejectsCode(decryptPayload("private-encrypted-a", "not json", MASTER_KEY), "ERR_NONCE_INVALID");
  await rejectsCode(decryptPayload("private-encrypted-a", '{"nonce":1}', MASTER_KEY), "ERR_NONCE_INVALID");
});

Deno.test("decryptWebhookEvents() decrypts encrypted client events only, without mutating input", async () => {
  const channel = "private-encrypted-room";
  const events = [
    {
      name: "client_event" as const,
      channel,
      event: "client-x",
      socket_id: "1.1",
      data: await encryptPayload(channel, { t: 1 }, MASTER_KEY),
    },
    { name: "client_event" as const, channel: "private-room", event: "client-x", socket_id: "1.1", data: "{}" },
    { name: "channel_occupied" as const, channel },
  ];
  const before = structuredClone(events);
  const out = await decryptWebhookEvents(events, MASTER_KEY);
  assert.deepEqual(events, before);
  assert.equal(out[0].name === "client_event" && out[0].data, '{"t":1}');
  assert.deepEqual(out.slice(1), events.slice(1));
});

Deno.test("encryption plug-in round-trips with raw key bytes", async () => {
  const key = unb64(MASTER_KEY);
  const data = await encryption.encrypt("private-encrypted-a", [1, "two"], key);
  assert.equal(await encryption.decrypt("private-encrypted-a", data, key), '[1,"two"]');
  assert.ok(Object.isFrozen(encryption));
});

async function bundle(entry: string): Promise<string> {
  const dir = await Deno.makeTempDir();
  const out = `${dir}/out.js`;
  const root = new URL("../", import.meta.url).pathname;
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--quiet", entry, "-o", out],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(result.code, 0, new TextDecoder().decode(result.stderr));
  const text = await Deno.readTextFile(out);
  await Deno.remove(dir, { recursive: true });
  return text;
}

Deno.test("a bundle of mod.ts contains no XSalsa20/Poly1305 code; a bundle of ./encryption does", async () => {
  const main = await bundle("mod.ts");
  assert.match(main, /var Pusher = class/, "the client is in the main bundle");
  assert.doesNotMatch(main, /salsa|poly1305|secretbox/i);
  assert.doesNotMatch(main, /expand 32-byte k|@noble\/ciphers/);
  const enc = await bundle("src/encryption/mod.ts");
  assert.match(enc, /xsalsa20poly1305/);
});

Deno.test("encryptPayload() never reuses a derived key after the caller refills its master-key array", async () => {
  const { decryptPayload, encryptPayload } = await import("../src/encryption/mod.ts");
  const key = new Uint8Array(32).fill(1);
  const channel = "private-encrypted-refill";
  const first = await encryptPayload(channel, "a", key);
  key.fill(2);
  const second = await encryptPayload(channel, "b", key);
  assert.equal(await decryptPayload(channel, second, new Uint8Array(32).fill(2)), '"b"');
  await assert.rejects(decryptPayload(channel, first, key), { code: "ERR_DECRYPTION_FAILED" });
});
