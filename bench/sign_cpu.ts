// signRequest ÷ raw subtle.sign in CPU time, on Deno, Node and Bun (issue 16):
//   deno run -A bench/sign_cpu.ts [rounds=30] [n=300]        (run `task bench:compare` once first: it installs bun)
// bench:compare times wall clock on CPU 0; on a shared machine other jobs on that core swing its ratios by ±30 %. This
// measures the process's own CPU time (process.cpuUsage: user + system, every thread, so Node's Web Crypto thread pool
// counts too), pinned to CPU 0 with taskset where it exists, rounds interleaved, and prints the median of the per-round ratios. `stub` rows replace subtle.sign
// with a resolved promise: what is left is our JavaScript alone.
import * as esbuild from "esbuild";

const ROOT = new URL("../", import.meta.url).pathname;
const rounds = Deno.args[0] ?? "30";
const n = Deno.args[1] ?? "300";

const worker = `
import process from "node:process";
import { signRequest } from ${JSON.stringify(`${ROOT}src/sign_request.ts`)};
import { BODY_200, CHANNELS_PATH, EVENTS_PATH, KEY, SECRET } from ${JSON.stringify(`${ROOT}bench/_fixtures.ts`)};
const [R, N, STUB] = [Number(process.argv.at(-3)), Number(process.argv.at(-2)), process.argv.at(-1) === "stub"];
if (STUB) { const mac = new Uint8Array(32).buffer; crypto.subtle.sign = () => Promise.resolve(mac); }
const enc = new TextEncoder();
const key = await crypto.subtle.importKey("raw", enc.encode(SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const hex = (b) => { const u = new Uint8Array(b); let s = ""; for (let i = 0; i < u.length; i++) s += HEX[u[i]]; return s; };
const post = { key: KEY, secret: SECRET, method: "POST", path: EVENTS_PATH, body: BODY_200 };
const get = { key: KEY, secret: SECRET, method: "GET", path: CHANNELS_PATH, params: { filter_by_prefix: "presence-", info: "user_count" } };
const sts = (await signRequest(post)).stringToSign;
const cases = {
  raw: async () => hex(await crypto.subtle.sign("HMAC", key, enc.encode(sts))),
  "signRequest, 200 B body": async () => (await signRequest(post)).query,
  "signRequest, GET 2 params": async () => (await signRequest(get)).query,
};
const us = {};
for (let r = 0; r < R; r++) for (const [name, f] of Object.entries(cases)) {
  const c0 = process.cpuUsage();
  for (let i = 0; i < N; i++) await f();
  const c = process.cpuUsage(c0);
  (us[name] ??= []).push((c.user + c.system) / N);
}
const med = (v) => v.slice().sort((a, b) => a - b)[v.length >> 1];
console.log(JSON.stringify(Object.fromEntries(Object.entries(us).map(([k, v]) => [k, [med(v), med(v.map((x, i) => x / us.raw[i]))]]))));
`;

const out = `${ROOT}.bench-cache/out/sign_cpu.mjs`;
await Deno.mkdir(`${ROOT}.bench-cache/out`, { recursive: true });
await esbuild.build({
  stdin: { contents: worker, resolveDir: ROOT, loader: "js" },
  bundle: true,
  format: "esm",
  platform: "node",
  outfile: out,
  logLevel: "silent",
});
await esbuild.stop();

const bun = `${ROOT}.bench-cache/node_modules/.bin/bun`;
const runtimes: [string, string[]][] = [["deno", [Deno.execPath(), "run", "-A", out]], ["node", ["node", out]]];
try {
  Deno.statSync(bun);
  runtimes.push(["bun", [bun, out]]);
} catch { /* bun not installed: run `task bench:compare` once */ }

let pinned = true;
try {
  Deno.statSync("/usr/bin/taskset");
} catch {
  pinned = false;
}
console.log(`| runtime | mode | raw µs CPU | signRequest 200 B body µs / ÷ raw | signRequest GET µs / ÷ raw |`);
console.log(`|---|---|--:|--:|--:|`);
for (const [name, cmd] of runtimes) {
  for (const mode of ["real", "stub"]) {
    // Pinned to one CPU like bench:compare, so Web Crypto's worker thread and the JS thread share it.
    const argv = [...(pinned ? ["taskset", "-c", "0"] : []), ...cmd, rounds, n, mode];
    const p = await new Deno.Command(argv[0], { args: argv.slice(1), stderr: "inherit" }).output();
    const r = JSON.parse(new TextDecoder().decode(p.stdout)) as Record<string, [number, number]>;
    const cell = (k: string) => `${r[k][0].toFixed(2)} / **${r[k][1].toFixed(2)}**`;
    console.log(
      `| ${name} | ${mode} | ${r.raw[0].toFixed(2)} | ${cell("signRequest, 200 B body")} | ${
        cell("signRequest, GET 2 params")
      } |`,
    );
  }
}
