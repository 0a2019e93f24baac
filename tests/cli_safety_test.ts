// Issue 11 §6: the CLI never passes a server's control characters to the terminal, and takes the secret from stdin or
// the environment so it need not appear in `ps`.
import assert from "node:assert/strict";
import { cli } from "./_cli_helpers.ts";
import { APP_ID, KEY, SECRET, startLoopback } from "./_loopback.ts";

const HOSTILE = "\x1b]0;owned\x07\x1b[2J\x9b31m\u202eevil";

function assertClean(text: string) {
  // deno-lint-ignore no-control-regex -- matching control characters is the point
  assert.doesNotMatch(text, /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/, JSON.stringify(text));
}

Deno.test("cli escapes control characters a server sent, in text and in --json output", async () => {
  const server = startLoopback();
  try {
    const env = { PUSHER_APP_ID: APP_ID, PUSHER_KEY: KEY, PUSHER_SECRET: SECRET, PUSHER_HOST: "127.0.0.1" };
    const flags = ["--port", String(server.port), "--no-tls"];
    server.respond = () => Response.json({ channels: { [`presence-${HOSTILE}`]: { user_count: 1 } } });
    const list = await cli(["channels", ...flags], { env });
    assert.equal(list.code, 0, list.stderr);
    assertClean(list.stdout + list.stderr);
    assert.match(list.stdout, /\\u001b\]0;owned/, "shown, escaped");
    const json = await cli(["channels", ...flags, "--json"], { env });
    assertClean(json.stdout);
    assert.ok(Object.keys(json.json().channels as object)[0].endsWith(HOSTILE), "--json stays exact JSON");

    server.respond = () => new Response(`Bad things ${HOSTILE}`, { status: 500 });
    const failed = await cli(["channels", ...flags], { env });
    assert.notEqual(failed.code, 0);
    assertClean(failed.stdout + failed.stderr);
    assert.match(failed.stderr, /\\u001b/);
  } finally {
    await server.close();
  }
});

Deno.test("cli takes the secret from stdin with --secret -, or from PUSHER_SECRET", async () => {
  const server = startLoopback();
  try {
    const target = ["--app-id", APP_ID, "--key", KEY, "--host", "127.0.0.1", "--port", String(server.port), "--no-tls"];
    const fromStdin = await cli(["trigger", "a", "ev", "{}", ...target, "--secret", "-"], { stdin: SECRET + "\n" });
    assert.equal(fromStdin.code, 0, fromStdin.stderr);
    const fromEnv = await cli(["trigger", "a", "ev", "{}", ...target], { env: { PUSHER_SECRET: SECRET } });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    assert.ok(server.requests.length >= 2 && server.requests.every((r) => r.verified === true));
    const wrong = await cli(["trigger", "a", "ev", "{}", ...target, "--secret", "-"], { stdin: "nope\n" });
    assert.equal(wrong.code, 3);
    const clash = await cli(["trigger", "a", "ev", "-", ...target, "--secret", "-"], { stdin: SECRET });
    assert.equal(clash.code, 2);
    assert.match(clash.stderr, /reads stdin/);
    assert.equal(
      (await cli(["webhook", "verify", "--body", "{}", "--signature", "0".repeat(64), "--key", KEY, "--secret", "-"], {
        stdin: "",
      })).code,
      2,
    );
  } finally {
    await server.close();
  }
});
