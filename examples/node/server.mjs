// @ts-check
// pusher-edge on Node 20+: `npx -y deno@2.9.6 task example node` (see examples/README.md), or in your own project
// `node server.mjs`. Reads PORT (3000) and PUSHER_URL (or PUSHER_APP_ID, PUSHER_KEY, PUSHER_SECRET, PUSHER_CLUSTER).
// node:http in, Web Request/Response inside: the library itself needs no Node APIs.
import { createServer } from "node:http";
import process from "node:process";
import { Pusher, PusherError } from "@pusher-edge/pusher-edge";

const pusher = Pusher.fromEnv(process.env);

/**
 * STUB, "your session": who is making this request. Replace it with your own session lookup (cookie, JWT, …) and
 * return `undefined` for a visitor who is not signed in.
 * @param {Request} _req
 * @returns {{ user_id: string, user_info: { name: string } } | undefined}
 */
function yourSession(_req) {
  return { user_id: "your-session-user", user_info: { name: "Your Session" } };
}

/**
 * Bad input gets a 4xx with the reason, Pusher out of reach a 502; anything else is a bug (500).
 * @param {unknown} error
 */
function errorResponse(error) {
  if (!(error instanceof PusherError)) throw error;
  const status = error.stage === "transport" ? 502 : error.stage === "auth" ? 401 : 400;
  return Response.json({ error: error.message, code: error.code }, { status });
}

/**
 * The three example routes, as a fetch handler.
 * @param {Request} req
 * @returns {Promise<Response>}
 */
async function handler(req) {
  const { pathname } = new URL(req.url);
  try {
    if (req.method === "POST" && pathname === "/pusher/auth") {
      const form = await req.formData().catch(() => undefined);
      const socketId = form?.get("socket_id"), channel = form?.get("channel_name");
      if (typeof socketId !== "string" || typeof channel !== "string") {
        return Response.json({ error: "expected a form body with socket_id and channel_name" }, { status: 400 });
      }
      const user = yourSession(req);
      if (!user) return Response.json({ error: "sign in first" }, { status: 401 });
      // Decide here whether this user may join `channel`; answer 403 if not.
      const presence = channel.startsWith("presence-") ? user : undefined;
      return Response.json(await pusher.authorizeChannel(socketId, channel, presence));
    }
    if (req.method === "POST" && pathname === "/pusher/webhook") {
      const { events, unknownEvents } = await pusher.webhook(req).verify(); // throws PusherError if not authentic
      for (const event of [...events, ...unknownEvents]) console.log("webhook", event.name, event.channel ?? "");
      return Response.json({ ok: true });
    }
    if (req.method === "POST" && pathname === "/notify") {
      await pusher.trigger("chat", "message", { text: await req.text() });
      return Response.json({ ok: true }, { status: 202 });
    }
    return Response.json({ error: "not found" }, { status: 404 });
  } catch (error) {
    return errorResponse(error);
  }
}

const port = Number(process.env.PORT || 3000);
createServer(async (req, res) => {
  try {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(chunks);
    const answer = await handler(
      new Request(`http://localhost:${port}${req.url}`, { method: req.method, headers, body }),
    );
    res.writeHead(answer.status, Object.fromEntries(answer.headers)).end(Buffer.from(await answer.arrayBuffer()));
  } catch (e) {
    console.error(e);
    res.writeHead(500).end("Internal error");
  }
}).listen(port, () => console.log(`listening on http://localhost:${port}`));
