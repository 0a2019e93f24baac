// The core must run on any runtime with Web APIs: no node: imports under src/, and it type-checks with
// lib ES2022 + DOM and no ambient Node or Deno types.
import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);

async function* tsFiles(dir: URL): AsyncGenerator<URL> {
  for await (const entry of Deno.readDir(dir)) {
    const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory) yield* tsFiles(url);
    else if (entry.name.endsWith(".ts") || entry.name.endsWith(".tsx")) yield url;
  }
}

Deno.test("src/ has no node: imports", async () => {
  const offenders: string[] = [];
  for await (const file of tsFiles(new URL("src/", ROOT))) {
    if (/from\s+["']node:|import\(\s*["']node:/.test(await Deno.readTextFile(file))) offenders.push(file.pathname);
  }
  assert.deepEqual(offenders, []);
});

Deno.test("the core type-checks with lib ES2022 + DOM and types: []", async () => {
  const dir = await Deno.makeTempDir();
  const core = ["mod.ts", "src/server/mod.ts"];
  const tsconfig = {
    compilerOptions: {
      target: "ES2022",
      module: "ES2022",
      moduleResolution: "Bundler",
      lib: ["ES2022", "DOM"],
      types: [],
      strict: true,
      noEmit: true,
      allowImportingTsExtensions: true,
      skipLibCheck: true,
      baseUrl: new URL(".", ROOT).pathname,
    },
    files: core.map((f) => new URL(f, ROOT).pathname),
  };
  await Deno.writeTextFile(`${dir}/tsconfig.json`, JSON.stringify(tsconfig));
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "npm:typescript@5.9.3/tsc", "-p", `${dir}/tsconfig.json`],
    cwd: new URL(".", ROOT).pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  await Deno.remove(dir, { recursive: true });
  assert.equal(out.code, 0, text);
});
