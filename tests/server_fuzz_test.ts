// 2,000 malformed and hostile frames over real sockets (scripts/fuzz_ws.ts, in a subprocess with --expose-gc): no
// unhandled error, a healthy server afterwards, no socket or channel left in the engine, and the heap back to its
// baseline apart from the bounded debug rings (frame log 256 KiB of text, request log 500 entries).
import assert from "node:assert/strict";

Deno.test("fuzzer: 2,000 hostile frames leave no crash, no leak and a working server", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--v8-flags=--expose-gc",
      new URL("../scripts/fuzz_ws.ts", import.meta.url).pathname,
      "2000",
      "7",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, text + new TextDecoder().decode(out.stderr));
  const r = JSON.parse(text.trim().split("\n").at(-1)!);
  assert.equal(r.frames, 2000);
  assert.equal(r.unhandled, 0);
  assert.equal(r.healthyAfter, true);
  assert.equal(r.connectionsLeft, 0);
  assert.equal(r.channelsLeft, 0);
  assert.ok(r.gc);
  assert.ok(r.heapGrowthBytes < 4 * 1024 * 1024, `heap grew by ${r.heapGrowthBytes} bytes`);
});
