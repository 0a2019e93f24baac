// Consumer smoke test for the npm build (issue 5):
//
//   npx -y deno@2.9.6 task test:npm
//
// npm pack npm/ -> install the tarball into a fresh project under .cache/ -> Node (20 in CI) `import`s and `require`s
// it and runs a signing + channel auth + user auth + webhook round trip -> tsc type-checks a consumer .ts under
// moduleResolution nodenext and bundler (TypeScript 5.9.3) and node16 (TypeScript 4.9.5, which rejects `.ts` paths in
// .d.ts files). The `pusher-edge` bin from the tarball: executable, --help, `sign` printing what the Deno CLI prints,
// `vectors run` passing every suite on Node, `emulator` refusing clearly, `conformance` finding a WebSocket (ws on
// Node 20; run against soketi when it is installed), and starting without the optional hono peer.
// The ./vectors subpath and its raw JSON files from Node. Builds npm/ first if it is missing. Exits 1 on any failure
// and prints "N passed, M failed".
import { ensureNpmBuild, readDenoJson, ROOT, run, subpaths } from "./_exports.ts";
import { soketiInstalled, startSoketi } from "./_soketi.ts";

const deno = readDenoJson();
const PKG = deno.name;
const dir = `${ROOT}/.cache/npm-consumer`;
const results: { name: string; ok: boolean; detail: string }[] = [];

/** Runs `cmd`; it passes when `verify` (default: exit code 0) returns no complaint. */
async function check(
  name: string,
  cmd: string[],
  cwd = dir,
  verify = (r: { code: number; out: string }): string | undefined => r.code === 0 ? undefined : `exit ${r.code}`,
): Promise<boolean> {
  const t0 = performance.now();
  const r = await run(cmd, { cwd, quiet: true });
  const why = verify(r);
  const ok = why === undefined;
  if (!ok) r.out += `\n(${why})`;
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

// --- the pusher-edge bin ---------------------------------------------------------------------------------------------
const tgz = `${dir}/${tarball.split("/").pop()}`;
await check("tarball: esm/src/cli/bin.js is executable", ["tar", "-tvzf", tgz], dir, (r) => {
  const line = r.out.split("\n").find((l) => l.endsWith(" package/esm/src/cli/bin.js"));
  return line?.startsWith("-rwxr-xr-x") ? undefined : `mode line: ${line ?? "(bin.js missing)"}`;
});
// `--` so npx passes flags such as --help on to the bin instead of reading them itself.
const bin = ["npx", "--no", "--", "pusher-edge"];
await check(
  "npx pusher-edge --help",
  [...bin, "--help"],
  dir,
  (r) => r.code === 0 && r.out.includes("vectors run") ? undefined : `exit ${r.code}`,
);
const signArgs = ["sign", "GET", "/apps/3/channels", "--key", "278d425bdf160c739803", "--secret"];
signArgs.push("7ad3773142a6692b25b8", "--timestamp", "1353088179");
const denoSign = await run([Deno.execPath(), "run", "-A", `${ROOT}/src/cli/main.ts`, ...signArgs], { quiet: true });
await check(
  "npx pusher-edge sign = the Deno CLI's output",
  [...bin, ...signArgs],
  dir,
  (r) =>
    r.code !== 0 || denoSign.code !== 0
      ? `exit ${r.code} (deno: ${denoSign.code})`
      : r.out !== denoSign.out
      ? `differs from deno:\n${denoSign.out}`
      : /signature\s+[0-9a-f]{64}/.test(r.out)
      ? undefined
      : "no signature line",
);
await check(
  "npx pusher-edge vectors run --json: every suite passes on Node",
  [...bin, "vectors", "run", "--json"],
  dir,
  (r) => {
    const doc = JSON.parse(r.out.slice(r.out.indexOf("{\n"), r.out.lastIndexOf("}") + 1) || "{}");
    return r.code === 0 && doc.ok === true && doc.failed === 0 && doc.skipped === 0 && doc.passed > 0
      ? undefined
      : `exit ${r.code}, passed ${doc.passed}, failed ${doc.failed}, skipped ${doc.skipped}`;
  },
);
await check(
  "npx pusher-edge emulator: exit 2, says it needs Deno",
  [...bin, "emulator"],
  dir,
  (r) => r.code === 2 && r.out.includes("needs Deno") ? undefined : `exit ${r.code}`,
);
// Node 20 has no global WebSocket: the bin must install ws's for `conformance` (else it exits 2 saying so).
const closedPort = (() => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
})();
const confCreds = ["--app-id", "app-id", "--key", "app-key", "--secret", "app-secret"];
await check(
  "npx pusher-edge conformance: has a WebSocket on Node, exit 3 for a URL nobody listens on",
  [...bin, "conformance", `http://127.0.0.1:${closedPort}`, ...confCreds],
  dir,
  (r) => r.code === 3 && r.out.includes("could not be reached") ? undefined : `exit ${r.code}`,
);
if (soketiInstalled()) {
  const soketi = await startSoketi();
  try {
    await check(
      "npx pusher-edge conformance --scenario 1,14,20,29 against soketi passes on Node",
      [...bin, "conformance", soketi.origin, ...confCreds, "--scenario", "1,14,20,29"],
      dir,
      (r) => r.code === 0 && (r.out.match(/\| PASS \|/g) ?? []).length === 4 ? undefined : `exit ${r.code}`,
    );
  } finally {
    await soketi.stop();
  }
} else console.log("skip npx pusher-edge conformance against soketi: soketi is not installed");

// --- the ./vectors subpath from Node ---------------------------------------------------------------------------------
Deno.writeTextFileSync(
  `${dir}/vectors.mjs`,
  `import { documents, manifest, policy, runVectors } from "${PKG}/vectors";
import rawManifest from "${PKG}/vectors/manifest.json" with { type: "json" };
import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
const assert = (c, m) => { if (!c) throw new Error("assertion failed: " + m); };
assert(documents.length === manifest.files.length && manifest.files.length === rawManifest.files.length, "documents");
assert(policy.UppercaseHex === "accept", "policy");
// the raw files are the shipped bytes: their sha256 is the manifest's
for (const f of rawManifest.files) {
  const bytes = readFileSync(new URL(import.meta.resolve("${PKG}/vectors/" + f.path)));
  assert(createHash("sha256").update(bytes).digest("hex") === f.sha256, "sha256 " + f.path);
}
// a third-party adapter: RFC 4231 HMAC on node:crypto; every other suite is skipped
const impl = { policy: {}, async hmac(group, input) {
  const tag = createHmac("sha256", Buffer.from(input.key, "hex")).update(Buffer.from(input.msg, "hex")).digest("hex")
    .slice(0, group.tagSize / 4);
  return typeof input.tag === "string" && input.tag !== tag
    ? { ok: false, code: "ERR_SIGNATURE_MISMATCH", stage: "auth" } : { ok: true, value: { tag } };
} };
const rs = await runVectors(documents, impl);
const hmac = rs.filter((r) => r.suite === "hmac");
assert(hmac.length > 0 && hmac.every((r) => r.status === "pass"), "hmac suite");
assert(rs.filter((r) => r.suite !== "hmac").every((r) => r.status === "skip"), "others skipped");
console.log("vectors subpath ok: " + hmac.length + " hmac vectors passed, " + (rs.length - hmac.length) + " skipped");
`,
);
await check("node: ./vectors subpath (documents, raw JSON + sha256, runVectors)", ["node", "vectors.mjs"]);

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

// npm does not install an optional peer, so the bin must start without hono. Node would find hono in this repo's own
// node_modules above .cache/, so the installed package and its dependencies are copied to a directory outside it.
const bare = await Deno.makeTempDir({ prefix: "pusher-edge-nohono-" });
Deno.mkdirSync(`${bare}/node_modules`);
for (const d of ["@pusher-edge", ...Object.keys(npmPkg.dependencies ?? {}).map((n: string) => n.split("/")[0])]) {
  await run(["cp", "-r", `${dir}/node_modules/${d}`, `${bare}/node_modules/`], { quiet: true });
}
await check(
  "control: ./hono does not load there",
  ["node", "--input-type=module", "-e", `import "${PKG}/hono";`],
  bare,
  (r) => r.code !== 0 && r.out.includes("'hono'") ? undefined : `exit ${r.code}: hono was found`,
);
await check(
  "pusher-edge sign without the optional hono peer",
  [
    "node",
    `node_modules/${PKG}/esm/src/cli/bin.js`,
    ...signArgs,
  ],
  bare,
  (r) => r.code === 0 && r.out === denoSign.out ? undefined : `exit ${r.code}`,
);
await Deno.remove(bare, { recursive: true });
finish();

function finish(): never {
  const passed = results.filter((r) => r.ok).length;
  console.log(`\n${passed} passed, ${results.length - passed} failed`);
  Deno.exit(results.length === passed ? 0 : 1);
}
