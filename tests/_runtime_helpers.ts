// Bundling an entry point for another runtime, and finding Bun (same rules as tests/hono_runtimes_test.ts).
import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url).pathname;

export async function bundle(entry: string, platform: "browser" | "deno"): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "pusher-edge-bundle-" });
  const out = `${dir}/${entry.split("/").pop()!.replace(/\.ts$/, ".mjs")}`;
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--quiet", `--platform=${platform}`, "--format=esm", "-o", out, `${ROOT}${entry}`],
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  return out;
}

export function findBun(): string | undefined {
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
