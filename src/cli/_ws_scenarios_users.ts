/**
 * §13 scenarios 38–42 and 45–47: signin, server-to-user, terminate, watchlist, subscription counts, live REST
 * state and garbage frames.
 *
 * @module
 */
import { decoded, ev, type Frame } from "./_ws_client.ts";
import { describe, type Env } from "./_ws_env.ts";
import { closeText, errorData, expect400, type Scenario } from "./_ws_scenario.ts";

/** A socket signed in as `id`; fails the scenario if signin does not succeed. */
async function signedIn(env: Env, id: string, extra: Record<string, unknown> = {}) {
  const c = await env.connect();
  const user_data = JSON.stringify({ id, ...extra });
  const f = await env.signin(c.sock, c.socketId, user_data);
  env.check(f?.event === "pusher:signin_success", `signin as ${id}: ${describe(f)}${closeText(c.sock.closed)}`);
  const got = (decoded(f) as { user_data?: unknown })?.user_data;
  env.check(got === user_data, `signin_success user_data ${JSON.stringify(got)}, sent ${JSON.stringify(user_data)}`);
  return c;
}

/** Scenarios 38–42 and 45–47. */
export const USERS: Scenario[] = [
  {
    id: 38,
    title: "signin; #server-to-user events reach every socket of the user only",
    ref: "§8",
    settled: true,
    async run(env) {
      const u1 = env.user("u1");
      const socks = [await signedIn(env, u1), await signedIn(env, u1)];
      const ch = `#server-to-user-${u1}`;
      for (const s of socks) await env.join(s.sock, s.socketId, ch);
      const stranger = await env.connect();
      const accepted: string[] = [];
      for (const name of [ch, "#anything"]) {
        if ((await env.subscribe(stranger.sock, name, { auth: "" })).kind === "succeeded") accepted.push(name);
      }
      await env.trigger([ch], "to-user", '{"u":1}');
      for (const s of socks) {
        const f = await s.sock.wait(ev("to-user", ch), env.t.waitMs);
        env.check(f?.data === '{"u":1}', `a socket signed in as ${u1} got ${describe(f)}`);
      }
      await env.sleep();
      const leaked = stranger.sock.all(ev("to-user")).length > 0;
      env.check(
        !accepted.length && !leaked,
        `a socket not signed in was accepted on ${accepted.join(" and ") || "neither"}` +
          (leaked ? ` and received ${u1}'s event` : ", but did not receive the user's event"),
      );
    },
  },
  {
    id: 39,
    title: "signin with a bad signature, or as a second user, is refused",
    ref: "§8",
    settled: true,
    async run(env) {
      const a = await env.connect();
      const user_data = JSON.stringify({ id: env.user("u1") });
      const from = a.sock.frames.length;
      a.sock.send({ event: "pusher:signin", data: { auth: await env.sign(`${a.socketId}::user::{}`), user_data } });
      const err = await a.sock.wait(
        (f) => f.event.startsWith("pusher:signin") || f.event === "pusher:error",
        env.t.waitMs,
        from,
      );
      env.check(err?.event === "pusher:error", `bad signature answered ${describe(err)}`);
      const closed = await a.sock.waitClose(env.t.quietMs);
      if (closed) env.deviate(`bad signin: pusher:error then ${closeText(closed)} (soketi closes 4009)`);
      const b = await signedIn(env, env.user("u1"));
      const second = await env.signin(b.sock, b.socketId, { id: env.user("u2") });
      env.check(second?.event !== "pusher:signin_success", "a socket signed in as u1 then signed in as u2 too");
      return `pusher:error ${JSON.stringify(errorData(err).code)}; second signin: ${describe(second)}`;
    },
  },
  {
    id: 40,
    title: "terminate_connections closes the user's signed-in sockets only",
    ref: "§8",
    settled: true,
    async run(env) {
      const [u1, u2] = [env.user("u1"), env.user("u2")];
      const ch = env.channel("presence-");
      const s1 = await signedIn(env, u1);
      const s2 = await signedIn(env, u1);
      await env.join(s1.sock, s1.socketId, ch, { user_id: u1 });
      const member = await env.connect();
      await env.join(member.sock, member.socketId, ch, { user_id: u1 });
      const s4 = await signedIn(env, u2);
      await env.join(s4.sock, s4.socketId, ch, { user_id: u2 });
      const from = s4.sock.frames.length;
      const r = await env.rest("POST", `/users/${encodeURIComponent(u1)}/terminate_connections`, { body: {} });
      env.check(r.status === 200, `terminate answered ${r.status} ${r.text}`);
      if (r.text.trim() !== "{}") {
        env.deviate(`terminate answered ${r.text.slice(0, 40)}, not {} (soketi's {"ok":true})`);
      }
      const closes = await Promise.all([s1, s2].map((s) => s.sock.waitClose(env.t.waitMs)));
      env.check(closes.every(Boolean), `a signed-in socket of ${u1} stayed open`);
      await env.sleep();
      env.check(!member.sock.closed && !s4.sock.closed, "a socket that is not signed in as the user was closed");
      const removed = s4.sock.all(ev("pusher_internal:member_removed", ch), from);
      env.check(
        !removed.length,
        `member_removed while a presence-only socket of ${u1} remains: ${describe(removed[0])}`,
      );
      return `closed with ${closes.map(closeText).join(", ")} (the code is undocumented)`;
    },
  },
  {
    id: 41,
    title: "watchlist: online / offline events",
    ref: "§8",
    settled: true,
    async run(env) {
      const [u1, u2] = [env.user("u1"), env.user("u2")];
      const a = await signedIn(env, u1, { watchlist: [u2] });
      const b = await signedIn(env, u2);
      // The first burst after signin may list u2 as offline (its content is unknown, §8); wait for u2 online.
      const status = (name: string) => (f: Frame) =>
        f.event === "pusher_internal:watchlist_events" &&
        ((decoded(f) as { events?: { name?: unknown; user_ids?: unknown }[] })?.events ?? [])
          .some((e) => e.name === name && Array.isArray(e.user_ids) && e.user_ids.includes(u2));
      const on = await a.sock.wait(status("online"), env.t.waitMs);
      if (!on) {
        const any = a.sock.all(ev("pusher_internal:watchlist_events"));
        if (!any.length) {
          return env.differs("no pusher_internal:watchlist_events (soketi and Reverb have no watchlists)");
        }
        return env.fail(`no online event for ${u2}: ${describe(any.at(-1))}`);
      }
      const from = a.sock.frames.length;
      await b.sock.closeAndWait();
      const off = await a.sock.wait(status("offline"), env.t.waitMs, from);
      env.check(off, `no offline event after ${u2}'s last socket closed`);
    },
  },
  {
    id: 42,
    title: "subscription_count to every subscriber; never on presence",
    ref: "§6.2",
    settled: true,
    async run(env) {
      const ch = env.channel();
      const a = await env.connect();
      await env.join(a.sock, "", ch);
      const b = await env.connect();
      await env.join(b.sock, "", ch);
      const two = (f: { event: string; channel?: string; data?: unknown }) =>
        f.event === "pusher_internal:subscription_count" && f.channel === ch &&
        (decoded(f as never) as { subscription_count?: unknown })?.subscription_count === 2;
      const got = await Promise.all([a.sock.wait(two, env.t.waitMs), b.sock.wait(two, env.t.waitMs)]);
      if (!got[0] && !got[1] && !a.sock.all(ev("pusher_internal:subscription_count")).length) {
        env.skip("no pusher_internal:subscription_count: the feature is off for this app, or not implemented");
      }
      env.check(got[0] && got[1], `subscription_count 2 reached ${got.filter(Boolean).length} of 2 sockets`);
      const pch = env.channel("presence-");
      await env.join(a.sock, a.socketId, pch, { user_id: env.user("1") });
      await env.sleep();
      env.check(!a.sock.all(ev("pusher_internal:subscription_count", pch)).length, "subscription_count on presence");
      return "(subscription_count webhook not checked)";
    },
  },
  {
    id: 45,
    title: "live REST: user_count, /users, /channels filters and 400s",
    ref: "§10",
    settled: true,
    async run(env) {
      const ch = env.channel("presence-");
      const [u1, u2] = [env.user("1"), env.user("2")];
      for (const u of [u1, u1, u2]) {
        const c = await env.connect();
        await env.join(c.sock, c.socketId, ch, { user_id: u });
      }
      const one = await env.rest("GET", `/channels/${ch}`, { params: { info: "user_count" } });
      env.check(
        JSON.stringify(one.json) === JSON.stringify({ occupied: true, user_count: 2 }) ||
          (one.json as { user_count?: unknown })?.user_count === 2,
        `GET /channels/${ch}?info=user_count: ${one.text}`,
      );
      const users = await env.rest("GET", `/channels/${ch}/users`);
      const ids = ((users.json as { users?: { id: unknown }[] })?.users ?? []).map((u) => u.id).sort();
      env.check(JSON.stringify(ids) === JSON.stringify([u1, u2].sort()), `/users: ${users.text}`);
      const list = await env.rest("GET", "/channels", { params: { filter_by_prefix: ch, info: "user_count" } });
      const entry = (list.json as { channels?: Record<string, { user_count?: unknown }> })?.channels?.[ch];
      if (!entry) return env.fail(`GET /channels?filter_by_prefix=${ch}: ${list.text}`);
      if (entry.user_count !== 2) {
        env.deviate(`GET /channels ignores info=user_count: ${JSON.stringify(entry)} (soketi)`);
      }
      expect400(
        env,
        await env.rest("GET", "/channels", { params: { info: "user_count" } }),
        "info=user_count without prefix",
        "soketi ignores info on GET /channels",
      );
      const pub = env.channel();
      const c = await env.connect();
      await env.join(c.sock, "", pub);
      expect400(env, await env.rest("GET", `/channels/${pub}/users`), "users of a public channel");
      const empty = env.channel();
      const none = await env.rest("GET", `/channels/${empty}`);
      env.check((none.json as { occupied?: unknown })?.occupied === false, `unoccupied channel: ${none.text}`);
      const all = await env.rest("GET", "/channels");
      env.check(!(all.json as { channels?: Record<string, unknown> })?.channels?.[empty], "an empty channel is listed");
    },
  },
  {
    id: 46,
    title: "abrupt disconnect: member_removed and counts drop",
    ref: "§6.4",
    settled: true,
    run: (env) => env.skip("needs a TCP reset; the WebSocket API only closes cleanly"),
  },
  {
    id: 47,
    title: "garbage frames do not break the connection",
    ref: "§1",
    settled: true,
    async run(env) {
      const { sock } = await env.connect();
      const ch = env.channel();
      await env.join(sock, "", ch);
      const from = sock.frames.length;
      sock.send("this is not json {");
      sock.send({ event: "pusher:foo", data: {} });
      sock.send(new TextEncoder().encode('{"event":"pusher:ping","data":{}}'));
      await env.sleep();
      env.check(!sock.closed, `closed after garbage: ${closeText(sock.closed)}`);
      const pongFrom = sock.frames.length;
      sock.send({ event: "pusher:ping", data: {} });
      env.check(await sock.wait(ev("pusher:pong"), env.t.waitMs, pongFrom), "no pong after the garbage frames");
      await env.trigger([ch], "still", "{}");
      env.check(await sock.wait(ev("still", ch), env.t.waitMs), "no event after the garbage frames");
      const replies = sock.frames.slice(from, pongFrom).map((f) => f.event || "non-JSON");
      return replies.length ? `answered ${replies.join(", ")}` : "no replies to the garbage";
    },
  },
];
