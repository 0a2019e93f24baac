// Connection records: created on connect, turned into JSON snapshots and back (hibernating hosts).
import type { Conn } from "./_context.ts";
import type { ConnectionSnapshot, SocketSink } from "./types.ts";

export function newConn(socketId: string, sink: SocketSink, t: number): Conn {
  return {
    socketId,
    sink,
    connectedAt: t,
    lastSeen: t,
    channels: new Map(),
    rateWindowStart: 0,
    rateCount: 0,
    queue: Promise.resolve(),
    queued: 0,
    closed: false,
  };
}

export function toSnapshot(c: Conn): ConnectionSnapshot {
  const presence: Record<string, string> = {};
  for (const [ch, user] of c.channels) if (user !== undefined) presence[ch] = user;
  return {
    socketId: c.socketId,
    ...(c.userId !== undefined ? { userId: c.userId } : {}),
    ...(c.userInfo !== undefined ? { userInfo: c.userInfo } : {}),
    channels: [...c.channels.keys()],
    ...(Object.keys(presence).length > 0 ? { presence } : {}),
    connectedAt: c.connectedAt,
    lastSeen: c.lastSeen,
  };
}

export function fromSnapshot(snapshot: ConnectionSnapshot, sink: SocketSink): Conn {
  const conn = newConn(snapshot.socketId, sink, snapshot.connectedAt);
  conn.lastSeen = snapshot.lastSeen;
  conn.userId = snapshot.userId;
  conn.userInfo = snapshot.userInfo;
  for (const ch of snapshot.channels) conn.channels.set(ch, snapshot.presence?.[ch]);
  return conn;
}

// pusher-js pings exactly activity_timeout after its last received frame; the server waits a little longer before
// pinging, so a live client's own ping always wins the race, and takes the slack back from the pong wait, so a dead
// client is still closed activity_timeout + pong wait after its last frame.
function slack(pongTimeout: number): number {
  return Math.min(2000, (pongTimeout * 1000) / 2);
}

/** When the server pings a silent connection. */
export function pingDue(c: Conn, activityTimeout: number, pongTimeout: number): number {
  return c.lastSeen + activityTimeout * 1000 + slack(pongTimeout);
}

/** When a connection that did not answer the server's ping is closed with 4201. */
export function closeDue(c: Conn, pongTimeout: number): number {
  return (c.pingSentAt ?? 0) + pongTimeout * 1000 - slack(pongTimeout);
}

/** When the connection next needs attention: a server ping, or the 4201 close after one. */
export function deadline(c: Conn, activityTimeout: number, pongTimeout: number): number {
  return c.pingSentAt !== undefined ? closeDue(c, pongTimeout) : pingDue(c, activityTimeout, pongTimeout);
}
