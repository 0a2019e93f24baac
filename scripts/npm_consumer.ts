// Consumer smoke test for the npm build (issue 5):
//
//   npx -y deno@2.9.6 task test:npm
//
// npm pack npm/ -> install the tarball into a fresh project under .cache/ -> Node (20 in CI) `import`s and `require`s
// it and runs a signing + channel auth + user auth + webhook round trip -> tsc type-checks a consumer .ts under
// moduleResolution nodenext and bundler (TypeScript 5.9.3) and node16 (TypeScript 4.9.5, which rejects `.ts` paths in
// .d.ts files). Builds npm/ first if it is missing. Exits 1 on any failure and prints "N passed, M failed".
import { ensureNpmBuild, readDenoJson, ROOT, run, subpaths } from "./_exports.ts";

const deno = readDenoJson();
const PKG = deno.name;
const dir = `${ROOT}/.cache/npm-consumer`;
const results: { name: string; ok: boolean; detail: string }[] = [];

async function check(name: string, cmd: string[], cwd = dir): Promise<boolean> {
  const t0 = performance.now();
  const r = await run(cmd, { cwd, quiet: true });
  const ok = r.code === 0;
  results.push({ name, ok, detail: r.out.trim() });
  console.log(`${ok ? "ok  " : "FAIL"} ${name} (${Math.round(performance.now() - t0)} ms)`);
  if (!ok) console.log(r.out.trim().split("\n").map((l) => `     ${l}`).join("\n"));
  return ok;
}

await ensureNpmBuild();

await Deno.remove(dir, { recursive: true }).catch(() => {});
Deno.mkdirSync(dir, { recursive: true });

// --- pack + install --------------------------------------------------------------------------------------------------
const pack = await run(["npm", "pack", "--json", "--pack-destination", dir], { cwd: `${ROOT}/npm`, quiet: true });
const tarball = pack.code === 0 ? JSON.parse(pack.out.slice(pack.out.indexOf("[")))[0].filename as string : "";
if (!tarball) {
  console.error(`npm pack failed:\n${pack.out}`);
  Deno.exit(1);
}
const npmPkg = JSON.parse(Deno.readTextFileSync(`${ROOT}/npm/package.json`));
const peers = Object.entries(npmPkg.peerDependencies ?? {}).map(([n]) => {
  const target = Object.values(deno.imports ?? {}).find((t) => t.startsWith(`npm:${n}@`));
  return target ? `${n}@${target.slice(`npm:${n}@`.length)}` : n;
});
Deno.writeTextFileSync(
  `${dir}/package.json`,
  JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2),
);
const installed = await check("npm install <tarball>", [
  "npm",
  "install",
  "--no-audit",
  "--no-fund",
  "--no-package-lock",
  "--loglevel=error",
  `./${tarball.split("/").pop()}`,
  "typescript@5.9.3",
  "ts49@npm:typescript@4.9.5",
  ...peers,
]);
if (!installed) finish();

// --- runtime round trip, ESM and CJS ---------------------------------------------------------------------------------
const body = `
const assert = (c, m) => { if (!c) throw new Error("assertion failed: " + m); };
const hmac = (secret, s) => createHmac("sha256", secret).update(s).digest("hex");
async function main() {
  const key = "278d425bdf160c739803", secret = "7ad3773142a6692b25b8";
  // Pusher's documented channel-auth example
  const ch = await lib.authorizeChannel({ key, secret, socketId: "1234.1234", channel: "private-foobar" });
  assert(ch.auth === key + ":58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4", "channel auth " + ch.auth);
  // user auth, checked against node:crypto
  const u = await lib.authenticateUser({ key, secret, socketId: "1234.1234", userData: { id: "42" } });
  assert(u.auth === key + ":" + hmac(secret, "1234.1234::user::" + u.user_data), "user auth");
  // sign a trigger, verify it as the server would
  const payload = JSON.stringify({ name: "e", channels: ["c"], data: "{}" });
  const s = await lib.signRequest({ key, secret, method: "POST", path: "/apps/1/events", body: payload });
  assert(s.signature === hmac(secret, s.stringToSign), "signature");
  const v = await lib.verifyRequest({ credentials: { key, secret }, method: "POST", path: "/apps/1/events", query: s.query, body: payload });
  assert(v.key === key, "verifyRequest");
  let rejected = false;
  try { await lib.verifyRequest({ credentials: { key, secret }, method: "POST", path: "/apps/1/events", query: s.query, body: payload + " " }); }
  catch (e) { rejected = e instanceof lib.PusherError; }
  assert(rejected, "tampered body rejected with PusherError");
  // webhook
  const wh = JSON.stringify({ time_ms: Date.now(), events: [{ name: "channel_occupied", channel: "c" }] });
  const res = await lib.verifyWebhook({
    headers: { "x-pusher-key": key, "x-pusher-signature": hmac(secret, wh), "content-type": "application/json" },
    body: wh, credentials: { key, secret } });
  assert(res.events.length === 1 && res.events[0].name === "channel_occupied", "webhook");
  console.log("round trip ok on node " + process.version + " via " + MODE);
}
main().catch((e) => { console.error(e); process.exit(1); });
`;
Deno.writeTextFileSync(
  `${dir}/esm.mjs`,
  `import * as lib from "${PKG}";\nimport { createHmac } from "node:crypto";\nconst MODE = "import";\n${body}`,
);
Deno.writeTextFileSync(
  `${dir}/cjs.cjs`,
  `const lib = require("${PKG}");\nconst { createHmac } = require("node:crypto");\nconst MODE = "require";\n${body}`,
);
await check("node: import (ESM) round trip", ["node", "esm.mjs"]);
await check("node: require (CJS, require(esm)) round trip", ["node", "cjs.cjs"]);
// every subpath loads from the installed package
const subs = subpaths(deno).map((s) => s.subpath === "." ? PKG : `${PKG}/${s.subpath.slice(2)}`);
await check(`node: import every subpath (${subs.length})`, [
  "node",
  "--input-type=module",
  "-e",
  subs.map((s, i) => `import * as m${i} from "${s}"; if (!Object.keys(m${i}).length) throw new Error("${s}");`)
    .join("\n"),
]);

// --- types -----------------------------------------------------------------------------------------------------------
Deno.writeTextFileSync(
  `${dir}/consumer.ts`,
  `import { authorizeChannel, PusherError, signRequest, verifyWebhook, type WebhookEvent } from "${PKG}";
${
    subs.slice(1).filter((s) => !s.endsWith("/hono")).map((s, i) => `import * as sub${i} from "${s}";\nvoid sub${i};`)
      .join("\n")
  }
const auth: { auth: string; channel_data?: string } = await authorizeChannel({
  key: "k", secret: "s", socketId: "1.1", channel: "private-a" });
const signed = await signRequest({ key: "k", secret: "s", method: "GET", path: "/apps/1/channels" });
const q: string = signed.query;
// @ts-expect-error the secret is required
await signRequest({ key: "k", method: "GET", path: "/" });
const hook = await verifyWebhook({ headers: new Headers(), body: "{}", credentials: { key: "k", secret: "s" } });
const names: WebhookEvent["name"][] = hook.events.map((e) => e.name);
const err: unknown = new Error();
if (err instanceof PusherError) { const c: string = err.code; void c; }
export { auth, names, q };
`,
);
const base = { strict: true, noEmit: true, types: [], lib: ["ES2022", "DOM"], target: "ES2022", skipLibCheck: false };
for (
  const [name, opts, tsc] of [
    ["nodenext", { module: "nodenext", moduleResolution: "nodenext" }, "typescript"],
    ["bundler", { module: "esnext", moduleResolution: "bundler" }, "typescript"],
    // TypeScript 4.9 has no "bundler"; node16 is enough to prove the .d.ts files carry no `.ts` paths
    ["node16 (TS 4.9.5)", { module: "node16", moduleResolution: "node16", skipLibCheck: true }, "ts49"],
  ] as const
) {
  const cfg = `tsconfig.${name.split(" ")[0]}.json`;
  Deno.writeTextFileSync(
    `${dir}/${cfg}`,
    JSON.stringify({ compilerOptions: { ...base, ...opts }, files: ["consumer.ts"] }, null, 2),
  );
  await check(`tsc ${name}`, ["node", `node_modules/${tsc}/bin/tsc`, "-p", cfg]);
}
finish();

function finish(): never {
  const passed = results.filter((r) => r.ok).length;
  console.log(`\n${passed} passed, ${results.length - passed} failed`);
  Deno.exit(results.length === passed ? 0 : 1);
}
