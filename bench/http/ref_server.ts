// The reference for scripts/bench_http.sh: node:http with no framework and the official `pusher` package
// (synchronous node:crypto HMAC), the way perf-baselines.md measured it. Run with Node (bundled).
//   args: <port> [seconds to live, default 900]
import http from "node:http";
import Pusher from "pusher";
import { APP_ID, KEY, SECRET } from "../_fixtures.ts";

// deno-lint-ignore no-explicit-any
const g = globalThis as any;
const port = Number(g.process.argv[2]);
const ttl = Number(g.process.argv[3] ?? 900);
// deno-lint-ignore no-explicit-any
const pusher = new (Pusher as any)({ appId: APP_ID, key: KEY, secret: SECRET });
const SOCKET_RE = /^\d+\.\d+$/;
const CHANNEL_RE = /^[A-Za-z0-9_\-=@,.;]+$/;

http.createServer((req, res) => {
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (d) => (body += d));
  req.on("end", () => {
    const p = new URLSearchParams(body);
    const s = p.get("socket_id"), c = p.get("channel_name");
    if (!s || !c || !SOCKET_RE.test(s) || !CHANNEL_RE.test(c)) {
      res.writeHead(400).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(pusher.authorizeChannel(s, c)));
  });
}).listen(port, "127.0.0.1");
setTimeout(() => g.process.exit(0), ttl * 1000);
