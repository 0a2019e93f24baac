/**
 * Runs every vector file in vectors/manifest.json against pusher-edge (vectors/impl.ts), strict mode.
 */
import assert from "node:assert/strict";
import { impl } from "../vectors/impl.ts";
import { runVectors, type VectorDocument } from "../vectors/run.ts";

const dir = new URL("../vectors/", import.meta.url);
const manifest = JSON.parse(await Deno.readTextFile(new URL("manifest.json", dir))) as {
  files: { path: string; suite: string }[];
};

for (const { path, suite } of manifest.files) {
  const doc = JSON.parse(await Deno.readTextFile(new URL(path, dir))) as VectorDocument;
  Deno.test(`vectors: ${suite} (${path})`, async (t) => {
    const results = await runVectors([doc], impl, { strict: true });
    assert.ok(results.length > 0, "no tests ran");
    for (const r of results) {
      await t.step({
        name: `vectors: ${r.suite} #${r.tcId} ${r.comment}`,
        ignore: r.status === "skip",
        fn: () => assert.equal(r.status, "pass", `${r.result}: ${r.reason}`),
      });
    }
  });
}
