// A throwaway redis-server on a free loopback port (no persistence), and server processes to run against it.
// redis-server comes from Debian (scripts/ci_setup_redis.sh); without it the Redis tests skip, except under CI=true.

export function findRedisServer(): string | undefined {
  for (const dir of ["/usr/bin", "/usr/local/bin", ...(Deno.env.get("PATH") ?? "").split(":")]) {
    try {
      if (Deno.statSync(`${dir}/redis-server`).isFile) return `${dir}/redis-server`;
    } catch { /* next */ }
  }
  return undefined;
}

export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = l.addr as Deno.NetAddr;
  l.close();
  return port;
}

async function pings(port: number): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    try {
      await conn.write(new TextEncoder().encode("PING\r\n"));
      const buf = new Uint8Array(16);
      const n = await conn.read(buf);
      return n !== null && new TextDecoder().decode(buf.subarray(0, n)).startsWith("+PONG");
    } finally {
      conn.close();
    }
  } catch {
    return false;
  }
}

/** A redis-server child that can be stopped and started again on the same port (its data is lost each time). */
export class RedisProcess {
  readonly port: number;
  #child: Deno.ChildProcess | undefined;
  constructor(readonly bin: string, port = freePort()) {
    this.port = port;
  }
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    this.#child = new Deno.Command(this.bin, {
      args: ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      stdout: "null",
      stderr: "null",
    }).spawn();
    const deadline = Date.now() + 10_000;
    while (!(await pings(this.port))) {
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on ${this.port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  async stop(): Promise<void> {
    if (!this.#child) return;
    this.#child.kill("SIGKILL");
    await this.#child.status;
    this.#child = undefined;
  }
}

/** A server process (any runtime) started from a command line, with its port parsed from the banner. */
export class ServerProcess {
  port = 0;
  #child: Deno.ChildProcess | undefined;
  constructor(readonly cmd: string, readonly args: string[], readonly env: Record<string, string>) {}

  async start(): Promise<void> {
    const child = this.#child = new Deno.Command(this.cmd, {
      args: this.args,
      env: { ...this.env, PORT: String(this.port || freePort()), HOST: "127.0.0.1", NO_COLOR: "1" },
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let out = "";
    const deadline = Date.now() + 30_000;
    for (;;) {
      const m = /listening on http:\/\/[^:\s]+:(\d+)/.exec(out);
      if (m && out.includes("cluster: Redis channel bus")) {
        this.port = Number(m[1]);
        break;
      }
      if (Date.now() > deadline) throw new Error(`no banner from ${this.cmd}: ${out}`);
      const { value, done } = await reader.read();
      if (done) throw new Error(`${this.cmd} exited: ${out}`);
      out += value;
    }
    (async () => {
      try {
        while (!(await reader.read()).done);
      } catch { /* closed */ }
    })();
  }

  async kill(signal: Deno.Signal = "SIGTERM"): Promise<void> {
    if (!this.#child) return;
    try {
      this.#child.kill(signal);
    } catch { /* gone */ }
    await this.#child.status;
    this.#child = undefined;
  }
}
