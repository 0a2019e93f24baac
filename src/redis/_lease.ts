// Each process's lease in Redis, renewed by a heartbeat; the others remove a dead process's subscriptions and users
// (announcing member_removed and vacated); after an outage a process re-registers what it holds; close leaves cleanly.
import type { RedisChannelBus } from "./_bus.ts";

// Heartbeat: renew this process's lease, then remove the sockets of every process whose lease has expired.
export async function beat(bus: RedisChannelBus): Promise<void> {
  if (!bus.up || bus.closed) return;
  const p = bus.p;
  try {
    const res = await bus.cmd.pipeline()
      .set(`${p}lease:${bus.node}`, "1", "PX", bus.leaseMs)
      .sadd(`${p}nodes`, bus.node)
      .smembers(`${p}nodes`)
      .exec();
    const others = ((res?.[2]?.[1] ?? []) as string[]).filter((n) => n !== bus.node);
    if (others.length === 0) return;
    const check = bus.cmd.pipeline();
    for (const n of others) check.exists(`${p}lease:${n}`);
    const leases = (await check.exec()) ?? [];
    for (const [i, n] of others.entries()) {
      if (leases[i]?.[1] === 1) continue;
      // One process reaps a dead one; the lock outlives a slow reap so two never announce the same removals.
      if (await bus.cmd.set(`${p}reap:${n}`, bus.node, "PX", 30_000, "NX") !== "OK") continue;
      await reap(bus, n);
    }
  } catch (err) {
    bus.failed(err);
  }
}

async function reap(bus: RedisChannelBus, dead: string): Promise<void> {
  const p = bus.p;
  for (const entry of await bus.cmd.smembers(`${p}ns:${dead}`)) {
    const nl = entry.indexOf("\n");
    const channel = entry.slice(0, nl);
    const left = await bus.runLeave(channel, entry.slice(nl + 1), dead);
    if (left.left) bus.host?.left?.(channel, left);
  }
  await userEntries(bus, await bus.users.redis.registered(dead), -1, dead);
  await bus.cmd.pipeline().del(`${p}ns:${dead}`, `${p}nu:${dead}`).srem(`${p}nodes`, dead).exec();
}

// Adds or removes signed-in sockets (`{socket id}\n{user id}`) in the cluster count, announcing transitions.
async function userEntries(
  bus: RedisChannelBus,
  entries: Iterable<string>,
  delta: 1 | -1,
  node = bus.node,
): Promise<void> {
  for (const entry of entries) {
    const nl = entry.indexOf("\n");
    const userId = entry.slice(nl + 1);
    const count = await bus.users.redis.change(delta, userId, entry.slice(0, nl), node);
    if (count >= 0) await bus.users.counted(userId, count, delta);
  }
}

// Back from an outage: register what this process holds now and remove what it held before (the others may have
// reaped it meanwhile), announcing each difference as a live join or leave would have.
export async function recover(bus: RedisChannelBus): Promise<void> {
  if (bus.up || bus.closed) return;
  try {
    await bus.cmd.set(`${bus.p}lease:${bus.node}`, "1", "PX", bus.leaseMs);
    // Up from here on, so the announcements below reach the other processes.
    bus.up = true;
    const before = new Set(await bus.cmd.smembers(`${bus.p}ns:${bus.node}`));
    for (const [entry, member] of bus.own) {
      if (before.delete(entry)) continue;
      const nl = entry.indexOf("\n");
      const channel = entry.slice(0, nl);
      const socketId = entry.slice(nl + 1);
      const [first, added, count, fresh] = await bus.runJoin(channel, socketId, member ?? undefined, Infinity);
      if (fresh !== 1) continue;
      const result = { first: first === 1, userAdded: added === 1, subscriptionCount: count };
      bus.host?.joined?.(channel, socketId, member ?? undefined, result);
    }
    for (const entry of before) {
      const nl = entry.indexOf("\n");
      const channel = entry.slice(0, nl);
      const left = await bus.runLeave(channel, entry.slice(nl + 1));
      if (left.left) bus.host?.left?.(channel, left);
    }
    const now = bus.users.entries();
    const had = new Set(await bus.users.redis.registered(bus.node));
    await userEntries(bus, [...now].filter((e) => !had.has(e)), 1);
    await userEntries(bus, [...had].filter((e) => !now.has(e)), -1);
    bus.since = Date.now();
    await beat(bus);
  } catch (err) {
    bus.up = false;
    console.error("pusher-edge redis bus: resync failed:", err instanceof Error ? err.message : String(err));
    if (bus.cmd.status === "ready") setTimeout(() => void recover(bus), 1000);
  }
}

/** Leaves the shared state (announcing the removals), drops the lease and disconnects. */
export async function closeBus(bus: RedisChannelBus): Promise<void> {
  if (bus.closed) return;
  clearInterval(bus.timer);
  if (bus.up) {
    try {
      for (const entry of [...bus.own.keys()]) {
        const nl = entry.indexOf("\n");
        const channel = entry.slice(0, nl);
        bus.own.delete(entry);
        const left = await bus.runLeave(channel, entry.slice(nl + 1));
        if (left.left) bus.host?.left?.(channel, left);
      }
      await userEntries(bus, bus.users.entries(), -1);
      await bus.cmd.pipeline().del(`${bus.p}lease:${bus.node}`, `${bus.p}ns:${bus.node}`)
        .srem(`${bus.p}nodes`, bus.node).exec();
    } catch { /* the others reap what is left when the lease expires */ }
  }
  bus.closed = true;
  bus.cmd.disconnect();
  bus.sub.disconnect();
}
