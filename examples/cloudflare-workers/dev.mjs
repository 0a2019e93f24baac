// Runs worker.ts in workerd, offline, the way `wrangler dev --local` would: esbuild bundles it, Miniflare 4.20260426.0
// (the last release for Node 20) serves it on PORT (3000) with PUSHER_URL (or PUSHER_APP_ID, PUSHER_KEY, PUSHER_SECRET,
// PUSHER_CLUSTER) as bindings. `npx -y deno@2.9.6 task example cloudflare-workers` installs both and runs this file.
import process from "node:process";
import * as esbuild from "esbuild";
import { Miniflare } from "miniflare";

const bundle = await esbuild.build({
  entryPoints: [new URL("./worker.ts", import.meta.url).pathname],
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  write: false,
  logLevel: "error",
});
const names = ["PUSHER_URL", "PUSHER_APP_ID", "PUSHER_KEY", "PUSHER_SECRET", "PUSHER_CLUSTER"];
const bindings = Object.fromEntries(names.filter((n) => process.env[n]).map((n) => [n, String(process.env[n])]));
const port = Number(process.env.PORT || 3000);
const mf = new Miniflare({
  modules: [{ type: "ESModule", path: "worker.js", contents: bundle.outputFiles[0].text }],
  compatibilityDate: "2026-04-01",
  bindings,
  cf: false,
  host: "127.0.0.1",
  port,
});
const url = await mf.ready;
console.log(`listening on ${url.origin} (workerd through Miniflare; bindings: ${Object.keys(bindings).join(", ")})`);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => mf.dispose().then(() => process.exit(0)));
