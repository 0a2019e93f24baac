// The same smoke suite (tests/_hono_smoke.ts) against the standalone app on every runtime: Deno.serve, workerd
// (Miniflare's API, cf: false), Node (@hono/node-server) and Bun. The Workers, Node and Bun entry points are bundled
// with `deno bundle` first, as a deploy would. Bun is optional: the test is skipped, with the install command, when
// no Bun binary is found (PUSHER_EDGE_BUN, .cache/matrix from scripts/ci_setup_matrix.sh, ~/.cache/pusher-edge/bun,
// or PATH).
import assert from "node:assert/strict";
import { createApp } from "../src/hono/mod.ts";
import { type Send, smokeSuite } from "./_hono_smoke.ts";

const ROOT = new URL("../", import.meta.url).pathname;

/** Bundles `entry` into a temporary directory that `await using` removes afterwards. */
async function bundle(
  entry: string,
  platform: "browser" | "deno",
): Promise<{ path: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "pusher-edge-bundle-" });
  const dispose = () => Deno.remove(dir, { recursive: true });
  const out = `${dir}/${entry.split("/").pop()!.replace(/\.ts$/, ".mjs")}`;
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--quiet", `--platform=${platform}`, "--format=esm", "-o", out, `${ROOT}${entry}`],
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (code !== 0) await dispose();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  return { path: out, [Symbol.asyncDispose]: dispose };
}

function httpSend(origin: string): Send {
  return (path, init) => fetch(origin + path, init);
}

/** Starts `cmd args` with PORT=0, waits for the banner's URL, runs the smoke suite, and stops the process. */
async function smokeProcess(cmd: string, args: string[]): Promise<string[]> {
  const child = new Deno.Command(cmd, {
    args,
    cwd: ROOT,
    env: { PORT: "0", HOST: "127.0.0.1", NO_COLOR: "1" },
    clearEnv: false,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const stderr = new Response(child.stderr).text();
  try {
    let out = "";
    const deadline = Date.now() + 20_000;
    let origin: string | undefined;
    while (!origin) {
      if (Date.now() > deadline) throw new Error(`no banner from ${cmd}: ${out}`);
      const { value, done } = await reader.read();
      if (done) throw new Error(`${cmd} exited: ${out}\n${await stderr}`);
      out += value;
      origin = /listening on (http:\/\/[^\s]+)/.exec(out)?.[1];
    }
    assert.match(out, /emulator/);
    return await smokeSuite(httpSend(origin));
  } finally {
    child.kill("SIGTERM");
    await reader.cancel().catch(() => {});
    await child.status;
    await stderr.catch(() => "");
  }
}

Deno.test("runtime smoke: Deno.serve", async () => {
  const app = createApp({});
  const ac = new AbortController();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen() {} }, app.fetch);
  try {
    const ran = await smokeSuite(httpSend(`http://127.0.0.1:${server.addr.port}`));
    assert.ok(ran.length >= 10);
  } finally {
    ac.abort();
    await server.finished;
  }
});

Deno.test("runtime smoke: workerd through Miniflare (bundled src/hono/serve_workers.ts)", async () => {
  const { Miniflare } = await import("miniflare");
  await using bundled = await bundle("src/hono/serve_workers.ts", "browser");
  const script = await Deno.readTextFile(bundled.path);
  const mf = new Miniflare({
    modules: [{ type: "ESModule", path: "worker.mjs", contents: script }],
    compatibilityDate: "2026-04-01",
    cf: false,
    bindings: { PUSHER_EMULATOR: "1" }, // what .dev.vars sets for wrangler dev
  });
  try {
    const send: Send = async (path, init) => {
      // Miniflare's fetch takes undici-style init; strings are all the smoke suite sends.
      const res = await mf.dispatchFetch(`http://localhost${path}`, init as never);
      return { status: res.status, headers: res.headers, text: () => res.text() };
    };
    const ran = await smokeSuite(send);
    assert.ok(ran.length >= 10);
  } finally {
    await mf.dispose();
  }
});

Deno.test("runtime smoke: Node with @hono/node-server (bundled src/hono/serve_node.ts)", async () => {
  await using bundled = await bundle("src/hono/serve_node.ts", "deno");
  const ran = await smokeProcess("node", [bundled.path]);
  assert.ok(ran.length >= 10);
});

function findBun(): string | undefined {
  const candidates = [
    Deno.env.get("PUSHER_EDGE_BUN"),
    `${ROOT}.cache/matrix/node_modules/.bin/bun`,
    `${Deno.env.get("HOME")}/.cache/pusher-edge/bun/node_modules/.bin/bun`,
    ...(Deno.env.get("PATH") ?? "").split(":").map((d) => `${d}/bun`),
  ];
  for (const c of candidates) {
    if (!c) continue;
    try {
      if (Deno.statSync(c).isFile) return c;
    } catch { /* next */ }
  }
  return undefined;
}

const BUN = findBun();
if (!BUN) {
  console.log(
    "SKIP runtime smoke: Bun: no bun binary. Install it with: " +
      "mkdir -p ~/.cache/pusher-edge/bun && npm install --prefix ~/.cache/pusher-edge/bun --no-audit --no-fund bun@1.4.4 " +
      "(or run scripts/ci_setup.sh)",
  );
}

Deno.test({
  name: "runtime smoke: Bun (bundled src/hono/serve_bun.ts)",
  ignore: !BUN,
  async fn() {
    await using bundled = await bundle("src/hono/serve_bun.ts", "browser");
    const ran = await smokeProcess(BUN!, [bundled.path]);
    assert.ok(ran.length >= 10);
  },
});
