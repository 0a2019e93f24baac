// @ts-check
// pusher-edge on Node 20+: `npm install @pusher-edge/pusher-edge && node examples/node/server.mjs`
// node:http in, Web Request/Response inside: the library itself needs no Node APIs.
import { createServer } from "node:http";
import process from "node:process";
import { Pusher } from "@pusher-edge/pusher-edge";

const pusher = Pusher.fromEnv(process.env);

/** @param {import("node:http").IncomingMessage} req */
async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

createServer(async (req, res) => {
  try {
    const body = await readBody(req);
    if (req.method === "POST" && req.url === "/pusher/auth") {
      const form = new URLSearchParams(body);
      const auth = await pusher.authorizeChannel(String(form.get("socket_id")), String(form.get("channel_name")));
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(auth));
    } else if (req.method === "POST" && req.url === "/pusher/webhook") {
      // Node's IncomingHttpHeaders works as is; the raw body must be the exact bytes Pusher signed.
      const webhook = pusher.webhook({ headers: req.headers, rawBody: body });
      if (!(await webhook.isValid())) return void res.writeHead(401).end("Invalid webhook");
      for (const event of await webhook.getEvents()) console.log("webhook", event.name);
      res.writeHead(204).end();
    } else if (req.method === "POST" && req.url === "/notify") {
      await pusher.trigger("chat", "message", { text: body });
      res.writeHead(202).end();
    } else {
      res.writeHead(404).end("Not found");
    }
  } catch (e) {
    console.error(e);
    res.writeHead(500).end("Internal error");
  }
}).listen(Number(process.env.PORT ?? 3000), () => console.log(`listening on :${process.env.PORT ?? 3000}`));
