// Engine fan-out in process: one REST publish delivered to N in-memory sockets, with and without the debug page's
// frame log (LiveLog via onFrame). `deno bench -A bench/server_fanout_bench.ts`; compare the two rows of each size.
import { createEngine } from "../src/server/mod.ts";
import { LiveLog } from "../src/hono/emulator/live.ts";

async function setup(n: number, withLog: boolean) {
  const log = new LiveLog();
  const engine = createEngine({
    appId: "1",
    key: "k",
    secret: "s",
    onFrame: withLog ? (f) => log.frame(f) : undefined,
  });
  let delivered = 0;
  for (let i = 0; i < n; i++) {
    const id = engine.connect("/app/k?protocol=7", { send: () => delivered++, close() {} })!;
    await engine.message(id, '{"event":"pusher:subscribe","data":{"channel":"c","auth":""}}');
  }
  return { engine, delivered: () => delivered };
}

for (const n of [100, 1000]) {
  for (const withLog of [false, true]) {
    const { engine } = await setup(n, withLog);
    Deno.bench({
      name: `publish to ${n} sockets${withLog ? " + frame log" : ""}`,
      group: `fanout-${n}`,
      baseline: !withLog,
      async fn() {
        await engine.publish({ channels: ["c"], name: "e", data: '{"hello":"world"}' });
      },
    });
  }
}
