/**
 * §13 scenarios 43–44: webhooks, received by the runner's {@linkcode WebhookSink} (`--webhooks PORT`).
 *
 * @module
 */
import { hookEv } from "./_ws_webhooks.ts";
import type { Scenario } from "./_ws_scenario.ts";

/** Scenarios 43–44. */
export const WEBHOOKS: Scenario[] = [
  {
    id: 43,
    title: "channel_occupied / channel_vacated webhooks: signed, time_ms in ms, no pair for a quick flap",
    ref: "§9",
    settled: true,
    async run(env) {
      const sink = env.sink();
      const from = sink.hooks.length;
      const ch = env.channel();
      const a = await env.connect();
      await env.join(a.sock, "", ch);
      const occ = await sink.wait(hookEv("channel_occupied", ch), env.t.waitMs, from);
      if (!occ) return env.fail("no channel_occupied webhook after the first subscribe");
      env.check(!occ.hook.error, `channel_occupied did not verify: ${occ.hook.error}`);
      env.check(occ.hook.headers.get("x-pusher-key") === env.t.key, "X-Pusher-Key is not the app key");
      const t = Number(occ.hook.timeMs);
      if (t > 1e9 && t < 1e11) env.deviate(`time_ms ${t} is in seconds (pusher-fake)`);
      else env.check(Math.abs(t - Date.now()) < 60_000, `time_ms ${occ.hook.timeMs} is not the current Unix ms`);
      await a.sock.closeAndWait();
      const vac = await sink.wait(hookEv("channel_vacated", ch), 3000 + env.t.waitMs, from);
      env.check(vac && !vac.hook.error, `no verified channel_vacated within 3 s of the last socket closing`);

      const flap = env.channel();
      const b = await env.connect();
      await env.join(b.sock, "", flap);
      env.check(await sink.wait(hookEv("channel_occupied", flap), env.t.waitMs, from), "no occupied for the flap");
      const mark = sink.hooks.length;
      const c = await env.connect();
      await b.sock.closeAndWait();
      await env.join(c.sock, "", flap);
      await env.sleep(4000);
      const pair = sink.events((e) => e.channel === flap, mark).map((r) => String(r.event.name));
      if (pair.length) env.deviate(`leaving and rejoining within 1 s sent ${pair.join(" + ")} (soketi: no 3 s delay)`);
      return `vacated ${vac!.hook.at - occ.hook.at} ms after occupied`;
    },
  },
  {
    id: 44,
    title: "a webhook answered 500 is retried with the same body until a 2xx",
    ref: "§9",
    settled: true,
    timeoutMs: 40_000,
    async run(env) {
      const sink = env.sink();
      const from = sink.hooks.length;
      const ch = env.channel();
      sink.failNext(hookEv("channel_occupied", ch), 2);
      const a = await env.connect();
      await env.join(a.sock, "", ch);
      const first = await sink.wait(hookEv("channel_occupied", ch), env.t.waitMs, from);
      if (!first) return env.fail("no channel_occupied webhook");
      const deliveries = () => sink.hooks.slice(from).filter((h) => h.body === first.hook.body);
      const ok = await sink.wait(
        (e) => e.name === "channel_occupied" && e.channel === ch && deliveries().some((h) => h.answered === 200),
        30_000,
        from,
      );
      if (deliveries().length === 1) {
        env.differs("not retried within 30 s after a 500 (soketi and pusher-fake never retry)");
      }
      env.check(ok, `delivered ${deliveries().length} times, never answered 200 within 30 s`);
      await env.sleep(3000);
      const n = deliveries().length;
      env.check(n === 3, `${n} deliveries of the same body; expected 3 (500, 500, 200) and none after the 2xx`);
      return `retried after ${deliveries().map((h) => h.at - first.hook.at).join(", ")} ms`;
    },
  },
];
