// The connection URL check (protocol reference §2.1-2.2): `/app/{key}?protocol=N`. Problems are reported as the
// documented 4xxx close codes; the HTTP upgrade itself is always accepted, because pusher-js retries a refused one
// forever.

export type Handshake = { ok: true } | { ok: false; code: number; message: string };

export function checkHandshake(url: string | URL, key: string): Handshake {
  let u: URL;
  try {
    u = typeof url === "string" ? new URL(url, "http://localhost") : url;
  } catch {
    return { ok: false, code: 4005, message: "Path not found" };
  }
  const m = /^(?:.*)\/app\/([^/]+)\/?$/.exec(u.pathname);
  if (!m) return { ok: false, code: 4005, message: "Path not found" };
  let appKey: string;
  try {
    appKey = decodeURIComponent(m[1]);
  } catch {
    appKey = m[1];
  }
  if (appKey !== key) {
    return { ok: false, code: 4001, message: `App key ${appKey.slice(0, 64)} does not exist.` };
  }
  const protocol = u.searchParams.get("protocol");
  if (protocol === null || protocol === "") return { ok: false, code: 4008, message: "No protocol version supplied" };
  if (!/^[0-9]{1,3}$/.test(protocol) || Number(protocol) < 4 || Number(protocol) > 7) {
    return { ok: false, code: 4007, message: "Unsupported protocol version" };
  }
  const version = u.searchParams.get("version");
  if (version !== null && !/^[0-9A-Za-z.+_-]{1,64}$/.test(version)) {
    return { ok: false, code: 4006, message: "Invalid version string format" };
  }
  return { ok: true };
}
