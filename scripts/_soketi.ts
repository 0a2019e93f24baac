// Starts and stops soketi 1.6.1, the reference Pusher-protocol server, through the shared reference-servers/soketi/
// start.sh (read-only, beside the clone as ../shared/). Used by `task conformance:soketi` and by the runner's test.
import { ROOT } from "./_exports.ts";

/** A running soketi and the app its start.sh configures. */
export interface Soketi {
  origin: string;
  appId: string;
  key: string;
  secret: string;
  pid: number;
  stop(): Promise<void>;
}

/** start.sh: $SOKETI_START, else ../shared/ beside the clone (or beside the worktree's parent). */
export function soketiStartScript(): string | undefined {
  const candidates = [
    Deno.env.get("SOKETI_START"),
    `${ROOT}/../shared/reference-servers/soketi/start.sh`,
    `${ROOT}/../../shared/reference-servers/soketi/start.sh`,
  ];
  return candidates.find((p) => p !== undefined && isFile(p));
}

/** Whether start.sh would start at once, without its one-minute first install (what the CI test needs). */
export function soketiInstalled(): boolean {
  const home = Deno.env.get("SOKETI_HOME") ?? `${Deno.env.get("HOME")}/.cache/pusher-ref-soketi`;
  return soketiStartScript() !== undefined && isFile(`${home}/node18/package/bin/node`) &&
    isFile(`${home}/srv/node_modules/@soketi/soketi/bin/server.js`);
}

function isFile(p: string): boolean {
  try {
    return Deno.statSync(p).isFile;
  } catch {
    return false;
  }
}

/** A free TCP port in 20000–40000 (soketi also binds port+3600 and port+5001, which must stay below 65536). */
export function freePort(): number {
  for (let i = 0; i < 50; i++) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    try {
      Deno.listen({ hostname: "127.0.0.1", port }).close();
      return port;
    } catch {
      // taken; try another
    }
  }
  throw new Error("no free port found");
}

function alive(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts soketi on a free loopback port (installing it first if needed) and resolves once it answers; with
 * `webhookUrl`, soketi sends every kind of webhook there.
 */
export async function startSoketi(options: { webhookUrl?: string } = {}): Promise<Soketi> {
  const script = soketiStartScript();
  if (!script) throw new Error("reference-servers/soketi/start.sh not found beside the clone (set SOKETI_START)");
  const port = freePort();
  const out = await new Deno.Command("bash", {
    args: [script, "--background"],
    env: { SOKETI_PORT: String(port), ...(options.webhookUrl ? { SOKETI_WEBHOOK_URL: options.webhookUrl } : {}) },
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const pid = Number(new TextDecoder().decode(out.stdout).trim());
  if (!out.success || !Number.isInteger(pid) || pid <= 0) throw new Error(`start.sh failed (exit ${out.code})`);
  return {
    origin: `http://127.0.0.1:${port}`,
    appId: "app-id",
    key: "app-key",
    secret: "app-secret",
    pid,
    async stop() {
      if (!alive(pid)) return;
      Deno.kill(pid, "SIGTERM");
      for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
      if (alive(pid)) Deno.kill(pid, "SIGKILL");
    },
  };
}
