// What a newcomer meets on `npx -y deno@2.9.6 task start`: a light first download and one-line start-up errors.
import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);
const deno = Deno.execPath();
const tasks = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT))).tasks as Record<string, string>;

async function run(args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(deno, { args, cwd: ROOT, env: { NO_COLOR: "1", ...env }, stdin: "null" })
    .output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

Deno.test("task start fetches only the emulator's own npm packages: at most 20, none with install scripts", async () => {
  // The task must not install the import map or the lock file's dev tools (miniflare, playwright-core, …).
  assert.match(tasks.start, /--node-modules-dir=none/);
  assert.match(tasks.start, /--no-lock/);
  const entry = tasks.start.split(" ").at(-1)!;
  const info = await run(["info", "--json", "--node-modules-dir=none", "--no-lock", entry]);
  assert.equal(info.code, 0, info.stderr);
  const packages = JSON.parse(info.stdout).npmPackages as Record<string, { localPath?: string }>;
  const names = Object.keys(packages).sort();
  assert.ok(names.length >= 1 && names.length <= 20, `task start needs ${names.length} packages: ${names.join(", ")}`);
  for (const [name, pkg] of Object.entries(packages)) {
    if (!pkg.localPath) continue;
    const manifest = JSON.parse(await Deno.readTextFile(`${pkg.localPath}/package.json`));
    const scripts = Object.keys(manifest.scripts ?? {}).filter((s) => /^(pre|post)?install$/.test(s));
    assert.deepEqual(scripts, [], `${name} has install scripts`);
  }
});

Deno.test("a bad PORT stops the server with one line naming PORT and exit code 2", async () => {
  const r = await run(["run", "-A", "src/hono/serve_deno.ts"], { PORT: "eighty" });
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, /PORT must be a port number/);
});

Deno.test("incomplete credentials stop the server with one line naming the missing variables and exit code 2", async () => {
  const r = await run(["run", "-A", "src/hono/serve_deno.ts"], { PUSHER_KEY: "k", PORT: "0" });
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, /PUSHER_APP_ID, PUSHER_SECRET \(or PUSHER_URL\)/);
});

Deno.test("a port in use is one line that names PORT, not a stack trace", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const r = await run(["run", "-A", "src/hono/serve_deno.ts"], { PORT: String(port) });
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use; set PORT`));
});
