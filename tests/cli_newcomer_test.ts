// The CLI as a newcomer meets it: its own name in usage lines, its own flags in messages, PORT for the local
// emulator, and --encryption-master-key on private-encrypted-* channels.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import nacl from "tweetnacl";
import { cli, startEmulator } from "./_cli_helpers.ts";

const MASTER_KEY = "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=";
const unb64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

Deno.test("trigger --encryption-master-key encrypts a private-encrypted-* event as pusher-js decrypts it", async () => {
  const emu = await startEmulator();
  try {
    const r = await cli([
      "trigger",
      "private-encrypted-room",
      "said",
      '{"text":"hi"}',
      "--encryption-master-key",
      MASTER_KEY,
    ], { env: emu.env });
    assert.equal(r.code, 0, r.stderr);
    const { events } = await (await fetch(`${emu.origin}/emulator/events?channel=private-encrypted-room`)).json();
    const { nonce, ciphertext } = JSON.parse(events.at(-1).data);
    // The shared secret as the protocol defines it: SHA-256(channel name ‖ master key bytes), with node:crypto.
    const key = createHash("sha256").update("private-encrypted-room").update(unb64(MASTER_KEY)).digest();
    const opened = nacl.secretbox.open(unb64(ciphertext), unb64(nonce), new Uint8Array(key));
    assert.ok(opened, "tweetnacl could not open the ciphertext");
    assert.deepEqual(JSON.parse(new TextDecoder().decode(opened)), { text: "hi" });
  } finally {
    await emu.close();
  }
});

Deno.test("trigger on an encrypted channel without a master key names the CLI flag, not a code option", async () => {
  const emu = await startEmulator();
  try {
    const r = await cli(["trigger", "private-encrypted-room", "said", "{}"], { env: emu.env });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--encryption-master-key \(or PUSHER_ENCRYPTION_MASTER_KEY_BASE64\)/);
    assert.doesNotMatch(r.stderr, /encryptionMasterKeyBase64|plug-in/);
  } finally {
    await emu.close();
  }
});

Deno.test("batch of 11 events without --split names --split, not { split: true }", async () => {
  const events = Array.from({ length: 11 }, (_, i) => ({ channel: "a", name: "e", data: String(i) }));
  const r = await cli(["batch", "events.json"], { files: { "events.json": JSON.stringify(events) } });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /add --split/);
  assert.doesNotMatch(r.stderr, /split: true/);
});

Deno.test("with no credentials the CLI talks to the emulator on PORT, as task start does", async () => {
  const emu = await startEmulator();
  try {
    const port = new URL(emu.origin).port;
    const r = await cli(["channels"], { env: { PORT: port } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`using the local emulator at http://127\\.0\\.0\\.1:${port}`));
    assert.match(r.stdout, /presence-demo/);
  } finally {
    await emu.close();
  }
});

Deno.test("usage lines name the program pusher-edge", async () => {
  const r = await cli([]);
  assert.match(r.stderr, /^Usage: pusher-edge <command>/m);
  assert.doesNotMatch(r.stderr, /Usage: cli\b/);
});
