// A loopback Channels API for the client tests: Deno.serve on 127.0.0.1 (port 0), every request verified with the
// core's verifyRequest, recorded byte for byte, and answered like the service (401 text on a bad signature).
import { PusherError } from "../src/errors.ts";
import { RequestVerificationError, verifyRequest } from "../src/verify_request.ts";

export const APP_ID = "42";
export const KEY = "278d425bdf160c739803";
export const SECRET = "7ad3773142a6692b25b8";

/** One request as the server received it. */
export interface Captured {
  method: string;
  path: string;
  /** The raw query string, without `?`. */
  query: string;
  body: string;
  headers: Headers;
  /** `true` when verifyRequest accepted it, otherwise the rejection code. */
  verified: true | string;
}

export type Responder = (req: Captured, index: number) => Response | Promise<Response> | undefined;

export interface Loopback {
  port: number;
  origin: string;
  requests: Captured[];
  /** Overrides the default answer; return undefined to fall back to it. */
  respond: Responder | undefined;
  close(): Promise<void>;
}

/** The service's answer for a verified request. */
export function defaultAnswer(req: Captured): Response {
  const sub = req.path.replace(/^.*\/apps\/[^/]+/, "");
  if (req.method === "POST" && sub === "/events") {
    const body = JSON.parse(req.body);
    if (!body.info) return Response.json({});
    const channels: Record<string, unknown> = {};
    for (const c of body.channels) {
      channels[c] = c.startsWith("presence-") ? { user_count: 2 } : { subscription_count: 3 };
    }
    return Response.json({ channels });
  }
  if (req.method === "POST" && sub === "/batch_events") {
    const { batch } = JSON.parse(req.body);
    if (!batch.some((e: { info?: string }) => e.info)) return Response.json({});
    return Response.json({ batch: batch.map((e: { info?: string }) => (e.info ? { subscription_count: 1 } : {})) });
  }
  if (req.method === "GET" && sub === "/channels") {
    return Response.json({ channels: { "presence-room": { user_count: 2 }, "presence-lobby": { user_count: 1 } } });
  }
  const users = /^\/channels\/([^/]+)\/users$/.exec(sub);
  if (req.method === "GET" && users) return Response.json({ users: [{ id: "1" }, { id: "2" }] });
  if (req.method === "GET" && /^\/channels\/[^/]+$/.test(sub)) {
    return Response.json({ occupied: true, subscription_count: 3, user_count: 2 });
  }
  return Response.json({});
}

export function startLoopback(): Loopback {
  const requests: Captured[] = [];
  const state: { respond: Responder | undefined } = { respond: undefined };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const url = new URL(request.url);
    const raw = request.url.indexOf("?") >= 0 ? request.url.slice(request.url.indexOf("?") + 1) : "";
    const body = await request.text();
    const captured: Captured = {
      method: request.method,
      path: url.pathname,
      query: raw,
      body,
      headers: request.headers,
      verified: true,
    };
    let denial: Response | undefined;
    try {
      await verifyRequest({
        credentials: { key: KEY, secret: SECRET },
        method: request.method,
        path: url.pathname,
        query: raw,
        body,
      });
    } catch (err) {
      if (!(err instanceof PusherError)) throw err;
      captured.verified = err.code;
      const text = err instanceof RequestVerificationError && err.stringToSign !== undefined
        ? `Invalid signature: you should have sent HmacSHA256Hex(${JSON.stringify(err.stringToSign)}, your_secret_key)`
        : err.message;
      denial = new Response(text + "\n", { status: 401 });
    }
    requests.push(captured);
    const custom = await state.respond?.(captured, requests.length - 1);
    return custom ?? denial ?? defaultAnswer(captured);
  });
  const port = server.addr.port;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    requests,
    get respond() {
      return state.respond;
    },
    set respond(r) {
      state.respond = r;
    },
    close: () => server.shutdown(),
  };
}

/** The query as a sorted multiset of raw pairs, minus auth_signature (for comparisons that ignore order). */
export function canonical(query: string): string {
  return query.split("&").filter((p) => !p.startsWith("auth_signature=")).sort().join("&");
}
