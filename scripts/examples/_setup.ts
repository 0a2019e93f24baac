// The five examples and how each one is set up as a project with the locally built package (see scripts/examples.ts).
import { ROOT } from "../_exports.ts";

/** One example: where its files are, what its project installs, and how it starts. */
export interface Example {
  name: string;
  /** false: runs from the repository (Deno); true: a project in .cache/examples/<name> with the npm tarball. */
  npm: boolean;
  /** Path prefix of the routes (Next.js serves them under /api). */
  prefix?: string;
  /** Pinned dependencies of the project, besides the package itself. */
  deps?: Record<string, string>;
  /** Commands run in the project after installing, when its files changed (`next build`). */
  build?: string[][];
  /** The start command, in the project directory (or the repository for Deno). */
  start: string[];
  startTimeoutMs?: number;
}

const NEXT = ["node", "node_modules/next/dist/bin/next"];

export const EXAMPLES: readonly Example[] = [
  {
    name: "deno",
    npm: false,
    start: [
      Deno.execPath(),
      "run",
      "--node-modules-dir=none",
      "--no-lock",
      "--allow-net",
      "--allow-env",
      "examples/deno/main.ts",
    ],
  },
  { name: "node", npm: true, start: ["node", "server.mjs"] },
  { name: "bun", npm: true, deps: { bun: "1.4.4" }, start: ["node_modules/.bin/bun", "run", "server.ts"] },
  {
    name: "cloudflare-workers",
    npm: true,
    deps: { miniflare: "4.20260426.0", esbuild: "0.28.2" },
    start: ["node", "dev.mjs"],
  },
  {
    name: "nextjs",
    npm: true,
    prefix: "/api",
    deps: {
      next: "15.5.29",
      react: "19.1.1",
      "react-dom": "19.1.1",
      typescript: "5.9.3",
      "@types/node": "20.19.9",
      "@types/react": "19.1.12",
    },
    build: [[...NEXT, "build"]],
    start: [...NEXT, "start"],
    startTimeoutMs: 120_000,
  },
];

/** The tarball `npm pack` writes for npm/ into .cache/examples. */
function tarball(): string {
  const pkg = JSON.parse(Deno.readTextFileSync(`${ROOT}/npm/package.json`));
  return `${pkg.name.replace(/^@/, "").replace("/", "-")}-${pkg.version}.tgz`;
}

/**
 * Makes the example runnable and returns its start command. An npm example gets a project in .cache/examples/<name>:
 * the files of examples/<name>, a package.json with the pinned dependencies and the local tarball, `npm install`
 * (again only when the package.json or the tarball changed), then its build commands when any file changed.
 */
export async function prepare(
  example: Example,
  { log }: { log: (line: string) => void },
): Promise<{ cwd: string; start: string[] }> {
  if (!example.npm) return { cwd: ROOT, start: example.start };
  const dir = `${ROOT}/.cache/examples/${example.name}`;
  Deno.mkdirSync(dir, { recursive: true });
  const tgz = tarball();
  const manifest = JSON.stringify(
    {
      private: true,
      name: `pusher-edge-example-${example.name}`,
      type: "module",
      dependencies: { "@pusher-edge/pusher-edge": `file:../${tgz}`, ...example.deps },
    },
    null,
    2,
  );
  const tgzHash = await sha256(await Deno.readFile(`${ROOT}/.cache/examples/${tgz}`));
  const installStamp = `${manifest}\n${tgzHash}`;
  if (read(`${dir}/.installed`) !== installStamp) {
    Deno.writeTextFileSync(`${dir}/package.json`, manifest);
    // npm keeps an installed 0.1.0 even when the tarball changed; remove it so the new build is installed.
    try {
      Deno.removeSync(`${dir}/node_modules/@pusher-edge`, { recursive: true });
    } catch { /* first install */ }
    await must(
      example,
      dir,
      ["npm", "install", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error"],
      log,
    );
    Deno.writeTextFileSync(`${dir}/.installed`, installStamp);
  }
  copyTree(`${ROOT}/examples/${example.name}`, dir);
  if (example.build) {
    const buildStamp = `${installStamp}\n${await sha256(treeBytes(`${ROOT}/examples/${example.name}`))}`;
    if (read(`${dir}/.built`) !== buildStamp) {
      for (const cmd of example.build) await must(example, dir, cmd, log);
      Deno.writeTextFileSync(`${dir}/.built`, buildStamp);
    }
  }
  return { cwd: dir, start: example.start };
}

/** Every install and build step is bounded, so a hung registry or build cannot hold CI for its whole budget. */
const STEP_TIMEOUT_MS = 10 * 60_000;

async function must(example: Example, cwd: string, cmd: string[], log: (line: string) => void): Promise<void> {
  log(`${example.name}: ${cmd.join(" ")}`);
  const out = await new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    cwd,
    env: { NEXT_TELEMETRY_DISABLED: "1", NO_COLOR: "1", FORCE_COLOR: "0" },
    stdin: "null",
    signal: AbortSignal.timeout(STEP_TIMEOUT_MS),
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  const r = { code: out.code, out: text(out.stdout) + text(out.stderr) };
  if (out.signal) r.out += `\nkilled after ${STEP_TIMEOUT_MS / 60_000} minutes (${out.signal})`;
  for (const line of r.out.split("\n").filter(Boolean)) log(line);
  if (r.code !== 0) {
    throw new Error(`${cmd.join(" ")} failed (exit ${r.code}):\n${r.out.trim().split("\n").slice(-25).join("\n")}`);
  }
}

function read(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return undefined;
  }
}

function copyTree(from: string, to: string): void {
  for (const e of Deno.readDirSync(from)) {
    if (e.isDirectory) {
      Deno.mkdirSync(`${to}/${e.name}`, { recursive: true });
      copyTree(`${from}/${e.name}`, `${to}/${e.name}`);
    } else if (e.isFile) {
      Deno.copyFileSync(`${from}/${e.name}`, `${to}/${e.name}`);
    }
  }
}

function treeBytes(dir: string): Uint8Array<ArrayBuffer> {
  const parts: Uint8Array[] = [];
  const walk = (d: string) => {
    for (const e of [...Deno.readDirSync(d)].sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory) walk(`${d}/${e.name}`);
      else if (e.isFile) parts.push(new TextEncoder().encode(`${d}/${e.name}\n`), Deno.readFileSync(`${d}/${e.name}`));
    }
  };
  walk(dir);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, at), at += p.length;
  return out;
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}
