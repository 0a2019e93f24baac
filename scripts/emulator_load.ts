// Load test of the emulator's memory bounds (issue 11): runs the standalone app (zero configuration: the emulator) in a
// child process on 127.0.0.1, connects one SSE client that never reads, sends rejected requests carrying 60 KB each,
// reads /emulator/log while timing /health, and prints the child's RSS and the answer sizes. Exits 1 when the peak RSS
// goes over the limit. Bounded: a fixed request count, a 120 s deadline, the child is killed at the end.
//
//   deno task load:emulator                          # 3000 requests, limit 200 MiB
//   EMU_LOAD_REQUESTS=500 deno task load:emulator    # the quick version
//   EMU_LOAD_APP=/path/to/src/hono/mod.ts deno task load:emulator   # same load against another checkout, to compare
const REQUESTS = Number(Deno.env.get("EMU_LOAD_REQUESTS") ?? 3000);
const LIMIT_MIB = Number(Deno.env.get("EMU_LOAD_RSS_LIMIT_MIB") ?? 200);
const CONCURRENCY = 8;
const PAD = "x".repeat(60 * 1024);

if (Deno.args[0] === "--serve") {
  const mod = Deno.env.get("EMU_LOAD_APP") ?? new URL("../src/hono/mod.ts", import.meta.url).href;
  const { createApp } = await import(mod.startsWith("/") ? `file://${mod}` : mod);
  Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: ({ port }) => console.log(`PORT ${port}`) },
    createApp({}).fetch,
  );
} else {
  const deadline = setTimeout(() => {
    console.error("emulator_load: deadline (120 s) reached");
    Deno.exit(2);
  }, 120_000);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(import.meta.url).pathname, "--serve"],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let first = "";
  while (!first.includes("\n")) first += (await lines.read()).value ?? "";
  const port = Number(/PORT (\d+)/.exec(first)![1]);
  const origin = `http://127.0.0.1:${port}`;
  const rssMiB = () => {
    const status = Deno.readTextFileSync(`/proc/${child.pid}/status`);
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
  };
  let peak = 0;
  const sampler = setInterval(() => peak = Math.max(peak, rssMiB()), 50);

  try {
    await (await fetch(`${origin}/health`)).body?.cancel();
    const idle = rssMiB();

    // An SSE client that never reads: a raw socket, so nothing drains the server's writes.
    const stalled = await Deno.connect({ hostname: "127.0.0.1", port });
    await stalled.write(new TextEncoder().encode(`GET /emulator/stream HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`));

    let sent = 0;
    let rejected = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (sent < REQUESTS) {
        const i = sent++;
        const res = await fetch(`${origin}/apps/1/channels?auth_key=nope&pad=${PAD}&i=${i}`);
        if (res.status === 401) rejected++;
        await res.body?.cancel();
      }
    }));
    const loadSeconds = (performance.now() - t0) / 1000;

    // /health while the log is being read.
    const logReads = Array.from({ length: 4 }, () => fetch(`${origin}/emulator/log`).then((r) => r.text()));
    const h0 = performance.now();
    await (await fetch(`${origin}/health`)).text();
    const healthMs = performance.now() - h0;
    const logSizes = (await Promise.all(logReads)).map((t) => t.length);
    const eventsSize = (await (await fetch(`${origin}/emulator/events`)).text()).length;
    const after = rssMiB();
    stalled.close();

    console.log(`requests: ${REQUESTS} x 60 KB query, ${rejected} rejected with 401, in ${loadSeconds.toFixed(1)} s`);
    console.log(`stalled SSE client connected throughout`);
    console.log(`RSS idle ${idle.toFixed(1)} MiB, peak ${peak.toFixed(1)} MiB, after ${after.toFixed(1)} MiB`);
    console.log(`GET /emulator/log answer: ${logSizes[0]} bytes; /emulator/events: ${eventsSize} bytes`);
    console.log(`GET /health while 4 log reads were in flight: ${healthMs.toFixed(1)} ms`);
    console.log(`limit: peak RSS <= ${LIMIT_MIB} MiB -> ${peak <= LIMIT_MIB ? "PASS" : "FAIL"}`);
    if (peak > LIMIT_MIB) Deno.exitCode = 1;
  } finally {
    clearInterval(sampler);
    clearTimeout(deadline);
    child.kill("SIGTERM");
    await child.status;
  }
}
