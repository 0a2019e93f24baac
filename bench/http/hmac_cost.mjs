// CPU per HMAC-SHA256 of a channel signature string: Web Crypto `subtle.sign` (32 in flight, cached key) against
// node:crypto `createHmac`, in one process; 3 rounds of 20,000. Plain JS, so it runs unbundled on Node and Bun:
//   taskset -c 1 node bench/http/hmac_cost.mjs        taskset -c 1 bun bench/http/hmac_cost.mjs
import { createHmac } from "node:crypto";
import process from "node:process";

const enc = new TextEncoder();
const SECRET = "7ad3773142a6692b25b8", MSG = "123456.7654321:private-foo", N = 20000;
const key = await crypto.subtle.importKey("raw", enc.encode(SECRET), { name: "HMAC", hash: "SHA-256" }, false, [
  "sign",
]);
async function web() {
  let left = N;
  const worker = async () => {
    while (left-- > 0) await crypto.subtle.sign("HMAC", key, enc.encode(MSG));
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}
function node() {
  for (let i = 0; i < N; i++) createHmac("sha256", SECRET).update(MSG).digest("hex");
}
for (let r = 1; r <= 3; r++) {
  for (const [name, f] of [["subtle.sign", web], ["createHmac", node]]) {
    const t0 = process.cpuUsage();
    await f();
    const d = process.cpuUsage(t0);
    console.log(`round ${r} ${name}: ${((d.user + d.system) / N).toFixed(1)} µs CPU per signature`);
  }
}
