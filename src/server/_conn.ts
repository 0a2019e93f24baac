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

/** When the connection next needs attention: a server ping, or the 4201 close after one. */
export function deadline(c: Conn, activityTimeout: number, pongTimeout: number): number {
  return c.pingSentAt !== undefined ? c.pingSentAt + pongTimeout * 1000 : c.lastSeen + activityTimeout * 1000;
}
