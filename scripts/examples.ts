// Runs the servers in examples/ from a clone, with the package built from this repository (it is not published yet).
//
//   npx -y deno@2.9.6 task examples [name…]   every example (or the named ones) end to end: six checks each
//   npx -y deno@2.9.6 task example <name>     one example on PORT (3000), against PUSHER_URL or a fresh emulator
//
// Deno runs examples/deno from the source (Deno resolves the package name to this repository). The others get a
// project in .cache/examples/<name> (gitignored): the example's files, a package.json with pinned versions and the
// tarball of `task build:npm` (`npm pack` of npm/), installed with npm. Node 20 runs examples/node, Bun 1.4.4 (from
// scripts/ci_setup_matrix.sh) examples/bun, Miniflare 4.20260426.0 runs examples/cloudflare-workers in workerd, and
// Next.js 15.5 runs a real `next build` + `next start` of examples/nextjs.
//
// Each example is configured with PUSHER_URL alone and checked over HTTP: private auth and presence auth (signatures
// recomputed here with node:crypto, presence channel_data present), a bad socket id (4xx with a reason), an authentic
// webhook (signed here with node:crypto), a tampered one (401), and POST /notify, whose event must reach the emulator.
import { createHmac } from "node:crypto";
import { createApp } from "../src/hono/mod.ts";
import { ensureNpmBuild, ROOT, run } from "./_exports.ts";
import { type Example, EXAMPLES, prepare } from "./examples/_setup.ts";

const APP = { appId: "1", key: "examples-key", secret: "examples-secret" };

const args = Deno.args.filter((a) => !a.startsWith("--"));
const serve = Deno.args.includes("--serve");
const unknown = args.filter((a) => !EXAMPLES.some((e) => e.name === a));
if (unknown.length || (serve && args.length !== 1)) {
  console.error(
    `usage: npx -y deno@2.9.6 task examples [name…] | npx -y deno@2.9.6 task example <name>\n` +
      `  names: ${EXAMPLES.map((e) => e.name).join(", ")}${unknown.length ? `\n  unknown: ${unknown.join(", ")}` : ""}`,
  );
  Deno.exit(2);
}
const chosen = args.length ? EXAMPLES.filter((e) => args.includes(e.name)) : EXAMPLES;

// --- one example, for a person ---------------------------------------------------------------------------------------
async function serveOne(example: Example): Promise<never> {
  const env: Record<string, string> = {};
  const given = ["PUSHER_URL", "PUSHER_APP_ID", "PUSHER_KEY", "PUSHER_SECRET", "PUSHER_CLUSTER", "PUSHER_HOST"]
    .filter((n) => Deno.env.get(n));
  if (!given.length) {
    const emulator = startEmulator();
    env.PUSHER_URL = emulator.url;
    console.log(`emulator (no PUSHER_URL set): ${emulator.origin}/ (debug page)`);
    console.log(`PUSHER_URL=${emulator.url}`);
  }
  const port = Deno.env.get("PORT") || "3000";
  const cmd = await prepare(example, { log: (l) => console.log(l) });
  console.log(`${example.name}: ${cmd.start.join(" ")} on PORT=${port}`);
  const child = spawn(cmd.start, cmd.cwd, { ...env, PORT: port }, "inherit");
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
    });
  }
  Deno.exit((await child.status).code);
}

// --- every example, checked ------------------------------------------------------------------------------------------
async function checkAll(examples: readonly Example[]): Promise<void> {
  const emulator = startEmulator();
  let passed = 0;
  let failed = 0;
  const line = (name: string, check: string, ok: boolean, detail: string) => {
    ok ? passed++ : failed++;
    console.log(`${ok ? "PASS" : "FAIL"}  ${name.padEnd(18)} ${check.padEnd(18)} ${detail}`);
  };
  for (const example of examples) {
    const t0 = performance.now();
    let child: Deno.ChildProcess | undefined;
    const logs: string[] = [];
    try {
      const cmd = await prepare(example, { log: (l) => logs.push(l) });
      const port = await freePort();
      child = spawn(cmd.start, cmd.cwd, { PUSHER_URL: emulator.url, PORT: String(port) }, "piped");
      collect(child, logs);
      const origin = `http://127.0.0.1:${port}`;
      await waitForHttp(origin, child, example.startTimeoutMs ?? 60_000);
      for (const [check, fn] of CHECKS) {
        let result: [boolean, string];
        try {
          result = await fn(origin + (example.prefix ?? ""), emulator.origin);
        } catch (e) {
          result = [false, e instanceof Error ? e.message : String(e)];
        }
        line(example.name, check, ...result);
      }
      console.log(`      ${example.name}: ${((performance.now() - t0) / 1000).toFixed(1)} s including setup`);
    } catch (e) {
      line(example.name, "start", false, e instanceof Error ? e.message : String(e));
      console.log(logs.slice(-30).map((l) => `      | ${l}`).join("\n"));
    } finally {
      if (child) await stop(child);
    }
  }
  await emulator.server.shutdown();
  console.log(`\nexamples: ${passed} passed, ${failed} failed`);
  Deno.exit(failed ? 1 : 0);
}

type Check = (base: string, emulatorOrigin: string) => Promise<[boolean, string]>;

const hmac = (data: string) => createHmac("sha256", APP.secret).update(data).digest("hex");
const form = (fields: Record<string, string>) => ({
  method: "POST",
  signal: AbortSignal.timeout(30_000),
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});
const short = (s: string) => s.length > 90 ? `${s.slice(0, 87)}...` : s;

const CHECKS: [string, Check][] = [
  ["private auth", async (base) => {
    const res = await fetch(`${base}/pusher/auth`, form({ socket_id: "1234.5678", channel_name: "private-examples" }));
    const text = await res.text();
    const want = `${APP.key}:${hmac("1234.5678:private-examples")}`;
    const ok = res.status === 200 && JSON.parse(text).auth === want;
    return [ok, `${res.status} ${short(text)}`];
  }],
  ["presence auth", async (base) => {
    const res = await fetch(`${base}/pusher/auth`, form({ socket_id: "1234.5678", channel_name: "presence-examples" }));
    const text = await res.text();
    if (res.status !== 200) return [false, `${res.status} ${short(text)}`];
    const body = JSON.parse(text);
    const data = typeof body.channel_data === "string" ? JSON.parse(body.channel_data) : undefined;
    const signed = body.auth === `${APP.key}:${hmac(`1234.5678:presence-examples:${body.channel_data}`)}`;
    const ok = signed && typeof data?.user_id === "string" && data.user_id !== "";
    return [ok, `200 user_id=${data?.user_id} ${signed ? "signature ok" : "BAD SIGNATURE"}`];
  }],
  ["bad socket id", async (base) => {
    const res = await fetch(`${base}/pusher/auth`, form({ socket_id: "1234.5678:evil", channel_name: "private-x" }));
    const text = await res.text();
    const ok = res.status >= 400 && res.status < 500 && /socket/i.test(text);
    return [ok, `${res.status} ${short(text)}`];
  }],
  ["authentic webhook", async (base) => {
    const body = JSON.stringify({ time_ms: Date.now(), events: [{ name: "channel_occupied", channel: "examples" }] });
    const res = await fetch(`${base}/pusher/webhook`, webhook(body, hmac(body)));
    const text = await res.text();
    return [res.status >= 200 && res.status < 300, `${res.status} ${short(text)}`];
  }],
  ["tampered webhook", async (base) => {
    const body = JSON.stringify({ time_ms: Date.now(), events: [{ name: "channel_occupied", channel: "examples" }] });
    const res = await fetch(`${base}/pusher/webhook`, webhook(body.replace("examples", "exampleZ"), hmac(body)));
    const text = await res.text();
    return [res.status === 401, `${res.status} ${short(text)}`];
  }],
  ["/notify", async (base, emulatorOrigin) => {
    const nonce = `hello from the examples ${crypto.randomUUID()}`;
    const res = await fetch(`${base}/notify`, { method: "POST", body: nonce, signal: AbortSignal.timeout(30_000) });
    await res.body?.cancel();
    const events = await (await fetch(`${emulatorOrigin}/emulator/events?channel=chat`)).text();
    const reached = events.includes(nonce);
    return [res.status >= 200 && res.status < 300 && reached, `${res.status}, ${reached ? "" : "NOT "}in the emulator`];
  }],
];

function webhook(body: string, signature: string): RequestInit {
  return {
    method: "POST",
    signal: AbortSignal.timeout(30_000),
    headers: { "content-type": "application/json", "x-pusher-key": APP.key, "x-pusher-signature": signature },
    body,
  };
}

// --- helpers ---------------------------------------------------------------------------------------------------------
function startEmulator() {
  const app = createApp({ credentials: APP, emulator: true });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  const origin = `http://127.0.0.1:${server.addr.port}`;
  return { server, origin, url: `http://${APP.key}:${APP.secret}@127.0.0.1:${server.addr.port}/apps/${APP.appId}` };
}

async function freePort(): Promise<number> {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = l.addr as Deno.NetAddr;
  l.close();
  return await Promise.resolve(port);
}

/** Only what a server needs (no PUSHER_* from the caller's shell): the example must work with PUSHER_URL alone. */
function spawn(
  cmd: string[],
  cwd: string,
  env: Record<string, string>,
  stdio: "inherit" | "piped",
): Deno.ChildProcess {
  const keep = ["PATH", "HOME", "TMPDIR", "LANG", "DENO_DIR", "npm_config_cache", "XDG_CACHE_HOME"];
  const base = Object.fromEntries(keep.flatMap((k) => Deno.env.get(k) ? [[k, Deno.env.get(k)!]] : []));
  return new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    cwd,
    clearEnv: true,
    env: { ...base, NO_COLOR: "1", NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdin: "null",
    stdout: stdio,
    stderr: stdio,
  }).spawn();
}

function collect(child: Deno.ChildProcess, logs: string[]): void {
  for (const stream of [child.stdout, child.stderr]) {
    (async () => {
      for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
        logs.push(...chunk.split("\n").filter(Boolean));
        if (logs.length > 200) logs.splice(0, logs.length - 200);
      }
    })().catch(() => {});
  }
}

async function waitForHttp(origin: string, child: Deno.ChildProcess, timeoutMs: number): Promise<void> {
  let exited: Deno.CommandStatus | undefined;
  child.status.then((s) => exited = s);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the server exited with code ${exited.code} before answering`);
    try {
      const res = await fetch(origin + "/", { signal: AbortSignal.timeout(2_000) });
      await res.body?.cancel();
      return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no answer on ${origin} within ${timeoutMs / 1000} s`);
}

async function stop(child: Deno.ChildProcess): Promise<void> {
  try {
    child.kill("SIGTERM");
  } catch { /* already gone */ }
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
  }, 5_000);
  await child.status;
  clearTimeout(timer);
}

function fail(message: string): never {
  console.error(message);
  Deno.exit(1);
}

// --- main ------------------------------------------------------------------------------------------------------------
if (chosen.some((e) => e.npm)) {
  await ensureNpmBuild();
  Deno.mkdirSync(`${ROOT}/.cache/examples`, { recursive: true });
  const packed = await run(["npm", "pack", "--silent", "--pack-destination", `${ROOT}/.cache/examples`], {
    cwd: `${ROOT}/npm`,
    quiet: true,
  });
  if (packed.code !== 0) fail(`npm pack failed:\n${packed.out}`);
}

if (serve) {
  await serveOne(chosen[0]);
} else {
  await checkAll(chosen);
}
