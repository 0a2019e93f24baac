/**
 * §13 scenarios 13–19 and 25–28: subscribing, auth, unsubscribing and REST delivery.
 *
 * @module
 */
import { decoded, ev } from "./_ws_client.ts";
import { describe } from "./_ws_env.ts";
import { expect400, expectRefused, type Scenario } from "./_ws_scenario.ts";
import { hookEv } from "./_ws_webhooks.ts";

/** Scenarios 13–19 and 25–28. */
export const SUBSCRIBE: Scenario[] = [
  {
    id: 13,
    title: 'public subscribe → subscription_succeeded with data "{}"',
    ref: "§4.2",
    settled: true,
    async run(env) {
      const { sock } = await env.connect();
      const f = await env.join(sock, "", env.channel());
      if (f.data === undefined) {
        return env.differs('subscription_succeeded has no data (soketi omits it; Pusher sends "{}")');
      }
      env.check(
        typeof f.data === "string" && JSON.stringify(decoded(f)) === "{}",
        `data is ${JSON.stringify(f.data)}, expected "{}"`,
      );
    },
  },
  {
    id: 14,
    title: "private subscribe with valid auth; REST data byte-identical",
    ref: "§6.1",
    settled: true,
    async run(env) {
      const { sock, socketId } = await env.connect();
      const ch = env.channel("private-");
      await env.join(sock, socketId, ch);
      const data = '{"b": 1,  "a":"é ✓ \\u00e9"}';
      await env.trigger([ch], "my-event", data);
      const f = await sock.wait(ev("my-event", ch), env.t.waitMs);
      if (!f) return env.fail("the REST event was not delivered");
      env.check(f.data === data, `data changed: sent ${JSON.stringify(data)}, got ${JSON.stringify(f.data)}`);
    },
  },
  {
    id: 15,
    title: "private subscribe with a wrong HMAC is refused",
    ref: "§6.3",
    settled: true,
    async run(env) {
      const { sock, socketId } = await env.connect();
      const ch = env.channel("private-");
      const wrong = await env.sign(`${socketId}:${ch}x`);
      return await expectRefused(env, sock, ch, await env.subscribe(sock, ch, { auth: wrong }), "a wrong HMAC");
    },
  },
  {
    id: 16,
    title: "private subscribe without auth is refused",
    ref: "§6.3",
    settled: true,
    async run(env) {
      const { sock } = await env.connect();
      const ch = env.channel("private-");
      return await expectRefused(env, sock, ch, await env.subscribe(sock, ch, {}), "no auth");
    },
  },
  {
    id: 17,
    title: "a correct HMAC under another key is refused",
    ref: "§6.1",
    settled: true,
    async run(env) {
      const { sock, socketId } = await env.connect();
      const ch = env.channel("private-");
      const good = (await env.auth(socketId, ch)).auth;
      const auth = `other-key:${good.slice(good.lastIndexOf(":") + 1)}`;
      return await expectRefused(env, sock, ch, await env.subscribe(sock, ch, { auth }), "a foreign key prefix");
    },
  },
  {
    id: 18,
    title: "auth signed for socket A, replayed on socket B, is refused",
    ref: "§6.1",
    settled: true,
    async run(env) {
      const a = await env.connect();
      const b = await env.connect();
      const ch = env.channel("private-");
      const out = await env.subscribe(b.sock, ch, await env.auth(a.socketId, ch));
      return await expectRefused(env, b.sock, ch, out, "a replayed auth");
    },
  },
  {
    id: 19,
    title: "private-encrypted: subscribe without shared_secret, ciphertext relayed unchanged",
    ref: "§4.1",
    settled: true,
    async run(env) {
      const { sock, socketId } = await env.connect();
      const ch = env.channel("private-encrypted-");
      await env.join(sock, socketId, ch);
      const data = '{"nonce":"d2hhdCBhIG5vbmNlIGl0IGlz","ciphertext":"Y2lwaGVydGV4dCBieXRlcw=="}';
      await env.trigger([ch], "secret", data);
      const f = await sock.wait(ev("secret", ch), env.t.waitMs);
      env.check(f?.data === data, `expected the ciphertext unchanged, got ${describe(f)}`);
      return "relayed unchanged (decryption by pusher-js not checked)";
    },
  },
  {
    id: 25,
    title: "duplicate subscribe: pusher:error, and each event delivered once",
    ref: "§6.2",
    settled: true,
    async run(env) {
      const { sock } = await env.connect();
      const ch = env.channel();
      await env.join(sock, "", ch);
      const again = await env.subscribe(sock, ch, { auth: "" });
      const from = sock.frames.length;
      await env.trigger([ch], "once", "{}");
      await sock.wait(ev("once", ch), env.t.waitMs, from);
      await env.sleep();
      const n = sock.all(ev("once", ch), from).length;
      env.check(n === 1, `the event arrived ${n} times after a duplicate subscribe`);
      if (again.kind === "succeeded") {
        return env.differs("the duplicate got subscription_succeeded again (soketi, Reverb)");
      }
      env.check(again.kind === "error", `duplicate subscribe answered ${describe(again)}`);
    },
  },
  {
    id: 26,
    title: "unsubscribe: no reply, no more events, member_removed to others",
    ref: "§6.4",
    settled: true,
    async run(env) {
      const ch = env.channel("presence-");
      const a = await env.connect();
      await env.join(a.sock, a.socketId, ch, { user_id: env.user("1") });
      const b = await env.connect();
      await env.join(b.sock, b.socketId, ch, { user_id: env.user("2") });
      const from = a.sock.frames.length;
      a.sock.send({ event: "pusher:unsubscribe", data: { channel: ch } });
      const removed = await b.sock.wait(ev("pusher_internal:member_removed", ch), env.t.waitMs);
      env.check(removed, "B got no member_removed after A unsubscribed");
      await env.trigger([ch], "late", "{}");
      await b.sock.wait(ev("late", ch), env.t.waitMs);
      await env.sleep();
      const after = a.sock.all((f) => f.channel === ch, from);
      env.check(!after.length, `A received after unsubscribing: ${describe(after[0])}`);
      if (!env.t.webhooks) return "(channel_vacated webhook not checked: no --webhooks)";
      const hooksFrom = env.t.webhooks.hooks.length;
      b.sock.send({ event: "pusher:unsubscribe", data: { channel: ch } });
      const vacated = await env.t.webhooks.wait(hookEv("channel_vacated", ch), 3000 + env.t.waitMs, hooksFrom);
      env.check(vacated, "no channel_vacated webhook within 3 s of the last unsubscribe");
    },
  },
  {
    id: 27,
    title: "socket_id excludes the sender; an invalid socket_id is a 400",
    ref: "§10",
    settled: true,
    async run(env) {
      const ch = env.channel();
      const a = await env.connect();
      await env.join(a.sock, "", ch);
      const b = await env.connect();
      await env.join(b.sock, "", ch);
      await env.trigger([ch], "ex", "{}", { socket_id: a.socketId });
      env.check(await b.sock.wait(ev("ex", ch), env.t.waitMs), "B did not receive the event");
      await env.sleep();
      env.check(!a.sock.all(ev("ex", ch)).length, "the excluded socket received the event");
      expect400(
        env,
        await env.rest("POST", "/events", { body: { name: "ex", channels: [ch], data: "{}", socket_id: "abc" } }),
        "socket_id abc",
      );
    },
  },
  {
    id: 28,
    title: "a trigger to two channels arrives once per channel",
    ref: "§10",
    settled: true,
    async run(env) {
      const { sock } = await env.connect();
      const [c1, c2] = [env.channel(), env.channel()];
      await env.join(sock, "", c1);
      await env.join(sock, "", c2);
      await env.trigger([c1, c2], "multi", '{"m":1}');
      await sock.wait(ev("multi", c1), env.t.waitMs);
      await sock.wait(ev("multi", c2), env.t.waitMs);
      await env.sleep();
      const got = sock.all(ev("multi")).map((f) => f.channel).sort();
      env.check(JSON.stringify(got) === JSON.stringify([c1, c2].sort()), `got frames for ${JSON.stringify(got)}`);
    },
  },
];
