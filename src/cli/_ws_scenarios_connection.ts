/**
 * §13 scenarios 1–12: the handshake, rejections during it, and keep-alive.
 *
 * @module
 */
import { decoded, ev } from "./_ws_client.ts";
import { describe } from "./_ws_env.ts";
import { closeText, inBatches, type Scenario } from "./_ws_scenario.ts";

const HOOK = "needs a server test hook and pusher-js (the issue-14 pusher-js suite covers it)";

/** Scenarios 1–12. */
export const CONNECTION: Scenario[] = [
  {
    id: 1,
    title: "handshake: connection_established first, string data",
    ref: "§2.3",
    settled: true,
    async run(env) {
      const sock = env.open();
      const f = await sock.wait(() => true, env.t.waitMs);
      if (!f) return env.fail(`no frame within ${env.t.waitMs} ms (${closeText(sock.closed)})`);
      env.check(f.event === "pusher:connection_established", `the first frame is ${describe(f)}`);
      env.check(typeof f.data === "string", `data is not a JSON string (double encoding): ${describe(f)}`);
      const d = decoded(f) as { socket_id?: unknown; activity_timeout?: unknown };
      env.check(typeof d.socket_id === "string" && /^\d+\.\d+$/.test(d.socket_id), `bad socket_id in ${f.raw}`);
      const at = d.activity_timeout;
      env.check(Number.isInteger(at) && (at as number) > 0, `activity_timeout must be an integer > 0: ${f.raw}`);
      return `socket_id ${d.socket_id}, activity_timeout ${at} s`;
    },
  },
  {
    id: 2,
    title: "200 connections get 200 distinct socket ids",
    ref: "§2.4",
    settled: true,
    timeoutMs: 60_000,
    async run(env) {
      const ids = await inBatches([...Array(200).keys()], 50, async () => {
        const { sock, socketId } = await env.connect();
        sock.close();
        return socketId;
      });
      const distinct = new Set(ids).size;
      env.check(distinct === 200, `${200 - distinct} socket ids were reused`);
      env.check(ids.every((id) => /^\d+\.\d+$/.test(id)), "a socket id does not match ^\\d+\\.\\d+$");
      return "200 distinct";
    },
  },
  {
    id: 3,
    title: "unknown app key: upgrade accepted, then close 4001",
    ref: "§2.2",
    settled: true,
    async run(env) {
      const sock = env.open(env.wsUrl("nope"));
      const closed = await sock.waitClose(env.t.waitMs);
      env.check(sock.opened, `the upgrade was refused at the HTTP level (${closeText(closed)}); pusher-js would retry`);
      if (!closed) return env.fail(`still open after ${env.t.waitMs} ms: ${describe(sock.frames[0])}`);
      env.check(closed.code === 4001, `${closeText(closed)}, expected 4001`);
      const err = sock.frames.find((f) => f.event === "pusher:error");
      return `${err ? `pusher:error ${JSON.stringify(err.data)}, then ` : ""}${closeText(closed)}`;
    },
  },
  {
    id: 4,
    title: "disabled app: close 4003",
    ref: "§2.2",
    settled: true,
    async run(env) {
      const key = env.t.disabledKey ?? env.skip("needs --disabled-key: a disabled app on the server");
      const sock = env.open(env.wsUrl(key));
      const closed = await sock.waitClose(env.t.waitMs);
      env.check(sock.opened, `the upgrade was refused at the HTTP level (${closeText(closed)}); pusher-js would retry`);
      env.check(closed?.code === 4003, `${closeText(closed)}, expected 4003`);
      return closeText(closed);
    },
  },
  {
    id: 5,
    title: "connection quota: close 4004",
    ref: "§2.2",
    settled: true,
    async run(env) {
      const key = env.t.quotaKey ?? env.skip("needs --quota-key: an app whose connection quota is 1");
      await env.connect(env.wsUrl(key));
      const second = env.open(env.wsUrl(key));
      const closed = await second.waitClose(env.t.waitMs);
      env.check(second.opened, `the upgrade was refused at the HTTP level (${closeText(closed)})`);
      if (closed?.code === 4100) return env.differs("close 4100 (soketi), so pusher-js retries every second");
      env.check(closed?.code === 4004, `the second socket: ${closeText(closed)}, expected 4004`);
      return closeText(closed);
    },
  },
  {
    id: 6,
    title: "protocol 5 accepted; none → 4008, 3 → 4007 (strict mode)",
    ref: "§2.1",
    settled: false,
    async run(env) {
      await env.connect(env.wsUrl(env.t.key, "protocol=5&client=java-client&version=2.4.0"));
      const notes: string[] = ["protocol=5 accepted"];
      for (const [query, code] of [["client=js&version=8.6.0", 4008], ["protocol=3&client=js&version=8.6.0", 4007]]) {
        const sock = env.open(env.wsUrl(env.t.key, query as string));
        const got = await sock.wait(ev("pusher:connection_established"), env.t.waitMs);
        if (got) env.deviate(`${query} was accepted, not closed ${code} (soketi and Reverb accept every protocol)`);
        else if (sock.closed?.code !== code) return env.fail(`${query}: ${closeText(sock.closed)}, expected ${code}`);
        else notes.push(`${query} → ${code}`);
      }
      return notes.join("; ");
    },
  },
  {
    id: 7,
    title: "Sec-WebSocket-Protocol pusher-channels-protocol-7 is accepted",
    ref: "§2.1",
    settled: true,
    async run(env) {
      const { sock } = await env.connect(undefined, ["pusher-channels-protocol-7"]);
      return sock.protocol ? `echoed ${sock.protocol}` : "no subprotocol header in the answer";
    },
  },
  {
    id: 8,
    title: 'pusher:ping with data {}, none and "{}" → pusher:pong each',
    ref: "§3.1",
    settled: true,
    async run(env) {
      const { sock } = await env.connect();
      for (
        const ping of [{ event: "pusher:ping", data: {} }, { event: "pusher:ping" }, {
          event: "pusher:ping",
          data: "{}",
        }]
      ) {
        const from = sock.frames.length;
        sock.send(ping);
        const pong = await sock.wait(ev("pusher:pong"), 1000, from);
        env.check(pong, `no pusher:pong within 1 s for ${JSON.stringify(ping)} (${closeText(sock.closed)})`);
      }
      await env.sleep();
      env.check(!sock.closed, `the socket closed after the pings: ${closeText(sock.closed)}`);
      return "3 pongs";
    },
  },
  {
    id: 9,
    title: "pusher-js pings after activity_timeout",
    ref: "§3.3",
    settled: true,
    run: (env) => env.skip(HOOK),
  },
  {
    id: 10,
    title: "pong timeout: pusher-js reconnects and resubscribes",
    ref: "§3.3",
    settled: true,
    run: (env) => env.skip(HOOK),
  },
  {
    id: 11,
    title: "silent client closed with 4201 after activity_timeout + ≤30 s",
    ref: "§3.5",
    settled: true,
    slow: true,
    // Pusher's activity_timeout is 120 s: the 4201 may come 152 s in (activity + 30 s + 2 s of slack).
    timeoutMs: 160_000,
    async run(env) {
      const sock = env.open();
      const f = await sock.wait(ev("pusher:connection_established"), env.t.waitMs);
      if (!f) return env.fail(`no handshake: ${closeText(sock.closed)}`);
      const activity = Number((decoded(f) as { activity_timeout?: unknown }).activity_timeout) || 120;
      const bound = (activity + 30) * 1000 + 2000;
      const early = await sock.waitClose(bound);
      if (early?.code === 4201) return `closed 4201 after ${(early.at / 1000).toFixed(1)} s`;
      if (early) return env.fail(`${closeText(early)} after ${(early.at / 1000).toFixed(1)} s, expected 4201`);
      const late = await sock.waitClose(Math.max(0, 125_000 - bound));
      if (late?.code === 4201) {
        env.differs(
          `closed 4201 after ${(late.at / 1000).toFixed(1)} s, later than activity_timeout + 30 s ` +
            "(soketi: 120 s after its own last frame)",
        );
      }
      if (!late && !sock.frames.some((x) => x.event === "pusher:ping")) {
        env.skip(
          "not closed, and no pusher:ping seen: the server may ping with WebSocket ping frames, " +
            "which the WebSocket API answers by itself",
        );
      }
      return env.fail(`${closeText(late)} within 125 s, expected 4201`);
    },
  },
  {
    id: 12,
    title: "close-code semantics seen by pusher-js",
    ref: "§3.4",
    settled: true,
    run: (env) => env.skip(HOOK),
  },
];
