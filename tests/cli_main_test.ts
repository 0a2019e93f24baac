// The real entry point (src/cli/main.ts) in a child process: Deno's Io, exit codes, and the emulator command.
import assert from "node:assert/strict";
import { cli } from "./_cli_helpers.ts";

const MAIN = new URL("../src/cli/main.ts", import.meta.url).pathname;

function childEnv(): Record<string, string> {
  const env = Deno.env.toObject();
  for (const name of Object.keys(env)) {
    if (name.startsWith("PUSHER_") || name === "PORT" || name === "HOST") delete env[name];
  }
  return env;
}

async function runMain(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    env: childEnv(),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("cli main.ts exits with the documented codes", async () => {
  const help = await runMain(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^pusher-edge: /);
  assert.equal((await runMain(["nope"])).code, 2);
  const bad = await runMain(["verify", "/apps/1/channels?auth_key=emulator-key", "--json"]);
  assert.equal(bad.code, 1);
  assert.equal(JSON.parse(bad.stdout).code, "ERR_MISSING_AUTH_PARAM");
});

Deno.test("cli emulator serves the demo app that cli users and vectors run --against talk to", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "emulator", "--port", "0"],
    env: childEnv(),
    clearEnv: true,
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let banner = "";
    while (!/listening on (http:\/\/127\.0\.0\.1:\d+)/.test(banner)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`emulator exited: ${banner}`);
      banner += value;
    }
    reader.releaseLock();
    const origin = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)![1];
    assert.match(banner, /app id 1 {3}key emulator-key/);
    const env = { PUSHER_URL: `http://emulator-key:emulator-secret@${origin.slice("http://".length)}/apps/1` };
    const users = await cli(["users", "presence-demo"], { env });
    assert.equal(users.stdout, "2 user(s) on presence-demo:\n  1\n  2\n");
    const conformance = await cli(["vectors", "run", "--against", origin, "--json"]);
    assert.equal(conformance.code, 0);
    assert.equal(conformance.json().failed, 0);
  } finally {
    child.kill("SIGTERM");
    await child.stdout.cancel().catch(() => {});
    await child.status;
  }
});

Deno.test("cli compile.json pins the same versions as deno.json", async () => {
  const root = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
  const compile = JSON.parse(await Deno.readTextFile(new URL("../src/cli/compile.json", import.meta.url)));
  for (const [name, spec] of Object.entries(compile.imports)) assert.equal(spec, root.imports[name], name);
  assert.equal(root.tasks["cli:compile"].includes("--config src/cli/compile.json"), true);
});
