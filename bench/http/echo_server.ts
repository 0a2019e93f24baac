// Loopback stand-in for the Pusher REST API, for the trigger test in scripts/bench_http.sh: answers every request
// with 200 {} after reading the body. Run with Node (bundled), pinned to its own CPU.
//   args: <port> [seconds to live, default 600]
import http from "node:http";

// deno-lint-ignore no-explicit-any
const g = globalThis as any;
const port = Number(g.process.argv[2]);
const ttl = Number(g.process.argv[3] ?? 600);
http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json", "content-length": "2" });
    res.end("{}");
  });
}).listen(port, "127.0.0.1");
setTimeout(() => g.process.exit(0), ttl * 1000);
