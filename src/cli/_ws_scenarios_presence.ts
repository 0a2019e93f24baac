/**
 * §13 scenarios 20–24: presence channels.
 *
 * @module
 */
import { decoded, ev } from "./_ws_client.ts";
import { describe } from "./_ws_env.ts";
import { expectRefused, inBatches, type Scenario } from "./_ws_scenario.ts";

interface Presence {
  presence?: { ids?: unknown; hash?: Record<string, unknown>; count?: unknown };
}

/** Scenarios 20–24. */
export const PRESENCE: Scenario[] = [
  {
    id: 20,
    title: "presence join: ids, hash, count; member_added to the others only",
    ref: "§4.2",
    settled: true,
    async run(env) {
      const ch = env.channel("presence-");
      const [u1, u2] = [env.user("1"), env.user("2")];
      const a = await env.connect();
      const first = decoded(
        await env.join(a.sock, a.socketId, ch, { user_id: u1, user_info: { name: "A" } }),
      ) as Presence;
      const p1 = first?.presence;
      env.check(
        JSON.stringify(p1?.ids) === JSON.stringify([u1]) && p1?.count === 1 &&
          JSON.stringify(p1?.hash?.[u1]) === '{"name":"A"}',
        `A's subscription_succeeded: ${JSON.stringify(first)}`,
      );
      const b = await env.connect();
      const second = decoded(
        await env.join(b.sock, b.socketId, ch, { user_id: u2, user_info: { name: "B" } }),
      ) as Presence;
      const p2 = second?.presence;
      const ids = Array.isArray(p2?.ids) ? [...p2.ids].sort() : [];
      env.check(
        p2?.count === 2 && JSON.stringify(ids) === JSON.stringify([u1, u2].sort()),
        `B's: ${JSON.stringify(second)}`,
      );
      const added = await a.sock.wait(ev("pusher_internal:member_added", ch), env.t.waitMs);
      env.check(
        JSON.stringify(decoded(added)) === JSON.stringify({ user_id: u2, user_info: { name: "B" } }),
        `A's member_added: ${describe(added)}`,
      );
      await env.sleep();
      env.check(!b.sock.all(ev("pusher_internal:member_added", ch)).length, "B got a member_added for itself");
    },
  },
  {
    id: 21,
    title: "presence: one user on two sockets is one member",
    ref: "§4.2",
    settled: true,
    async run(env) {
      const ch = env.channel("presence-");
      const [u1, u2] = [env.user("1"), env.user("2")];
      const a = await env.connect();
      await env.join(a.sock, a.socketId, ch, { user_id: u1 });
      const b = await env.connect();
      await env.join(b.sock, b.socketId, ch, { user_id: u2 });
      await a.sock.wait(ev("pusher_internal:member_added", ch), env.t.waitMs); // A hears of B first
      const fromA = a.sock.frames.length, fromB = b.sock.frames.length;
      const c = await env.connect();
      const p = (decoded(await env.join(c.sock, c.socketId, ch, { user_id: u1 })) as Presence)?.presence;
      env.check(p?.count === 2, `count ${JSON.stringify(p?.count)} after user 1's second socket joined, expected 2`);
      env.check(Array.isArray(p?.ids) && p.ids.filter((i) => i === u1).length === 1, `ids ${JSON.stringify(p?.ids)}`);
      c.sock.send({ event: "pusher:unsubscribe", data: { channel: ch } });
      await env.sleep();
      const noise = [
        ...a.sock.all((f) => f.event.startsWith("pusher_internal:member_"), fromA),
        ...b.sock.all((f) => f.event.startsWith("pusher_internal:member_"), fromB),
      ];
      env.check(!noise.length, `a second socket of the same user caused ${describe(noise[0])}`);
      a.sock.send({ event: "pusher:unsubscribe", data: { channel: ch } });
      const removed = await b.sock.wait(ev("pusher_internal:member_removed", ch), env.t.waitMs, fromB);
      env.check(
        JSON.stringify(decoded(removed)) === JSON.stringify({ user_id: u1 }),
        `member_removed: ${describe(removed)}`,
      );
    },
  },
  {
    id: 22,
    title: "presence channel_data edited after signing is refused",
    ref: "§6.3",
    settled: true,
    async run(env) {
      const { sock, socketId } = await env.connect();
      const ch = env.channel("presence-");
      const { auth } = await env.auth(socketId, ch, JSON.stringify({ user_id: env.user("1"), user_info: { n: "A" } }));
      const tampered = JSON.stringify({ user_id: env.user("1"), user_info: { n: "Z" } });
      const out = await env.subscribe(sock, ch, { auth, channel_data: tampered });
      return await expectRefused(env, sock, ch, out, "tampered channel_data");
    },
  },
  {
    id: 23,
    title: "presence without channel_data on a signed-in socket joins as that user",
    ref: "§6.3",
    settled: true,
    async run(env) {
      const { sock, socketId } = await env.connect();
      const u1 = env.user("1");
      const ok = await env.signin(sock, socketId, { id: u1 });
      env.check(ok?.event === "pusher:signin_success", `signin failed: ${describe(ok)}`);
      const ch = env.channel("presence-");
      const out = await env.subscribe(sock, ch, { auth: await env.sign(`${socketId}:${ch}`) });
      if (out.kind === "subscription_error") return env.differs(`refused: ${describe(out)} (soketi: ServerError 4302)`);
      env.check(out.kind === "succeeded", `expected subscription_succeeded, got ${describe(out)}`);
      const p = (decoded(out.frame) as Presence)?.presence;
      env.check(JSON.stringify(p?.ids) === JSON.stringify([u1]), `members ${JSON.stringify(p)}`);
    },
  },
  {
    id: 24,
    title: "presence: the 101st distinct user is refused, another socket of a member is not",
    ref: "§5.2",
    settled: true,
    timeoutMs: 60_000,
    async run(env) {
      const ch = env.channel("presence-");
      await inBatches([...Array(100).keys()], 25, async (i) => {
        const { sock, socketId } = await env.connect();
        await env.join(sock, socketId, ch, { user_id: env.user(`m${i}`) });
      });
      const extra = await env.connect();
      const out = await env.subscribe(
        extra.sock,
        ch,
        await env.auth(extra.socketId, ch, JSON.stringify({ user_id: env.user("m101") })),
      );
      env.check(out.kind !== "succeeded", "the 101st distinct user was accepted");
      env.check(out.kind === "error" || out.kind === "subscription_error", `101st user: ${describe(out)}`);
      const again = await env.connect();
      const m0 = await env.subscribe(
        again.sock,
        ch,
        await env.auth(again.socketId, ch, JSON.stringify({ user_id: env.user("m0") })),
      );
      env.check(m0.kind === "succeeded", `101st user refused, but so was a 2nd socket of a member: ${describe(m0)}`);
      return `101st refused with ${describe(out)} (the real frame is unknown, §6.3)`;
    },
  },
];
