// Runs a bundled matrix worker in workerd through Miniflare's API (no wrangler, no network: cf: false) and prints
// "MATRIX_RESULT <json>". Usage: node run_workerd.mjs <worker.js> <dir holding node_modules/miniflare>
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import process from "node:process";

const [script, toolsDir] = process.argv.slice(2);
const require = createRequire(`${toolsDir}/package.json`);
const { Miniflare } = await import(pathToFileURL(require.resolve("miniflare")).href);
const mf = new Miniflare({
  modules: [{ type: "ESModule", path: "worker.js", contents: readFileSync(script, "utf8") }],
  compatibilityDate: "2026-04-01",
  cf: false,
});
try {
  const res = await mf.dispatchFetch("http://matrix.local/");
  const text = await res.text();
  if (!res.ok) throw new Error(`worker answered ${res.status}: ${text.slice(0, 2000)}`);
  const version = require("miniflare/package.json").version;
  console.log(
    `MATRIX_RESULT ${JSON.stringify({ version: `workerd (miniflare ${version})`, results: JSON.parse(text) })}`,
  );
} finally {
  await mf.dispose();
}
