// Runs one emulated REST request end to end: body cap, production-style verification, the operation, the log entry.
import type { Context } from "hono";
import { utf8Decode } from "../../_bytes.ts";
import { canonicalQuery } from "../../_params.ts";
import { RequestVerificationError, verifyRequest } from "../../verify_request.ts";
import type { EmulatedEvent, EmulatorState, LogEntry } from "./state.ts";
import { httpErrorCode } from "../_http.ts";
import { type ApiConfig, ApiError, type Operation } from "./api.ts";

const TRUNCATE = 4096;
function truncate(s: string): string {
  return s.length > TRUNCATE ? s.slice(0, TRUNCATE) + `… (${s.length} characters)` : s;
}

function canonicalFrom(query: string): string {
  const pairs: [string, string][] = [];
  for (const [k, v] of new URLSearchParams(query)) {
    const key = k.toLowerCase();
    if (key !== "auth_signature") pairs.push([key, v]);
  }
  return canonicalQuery(pairs);
}

function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { "content-type": "text/plain; charset=UTF-8" } });
}

function jsonBody(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** Runs one REST request: app check, capped body, verification, the operation, recording. */
export async function handleApi(
  c: Context,
  cfg: ApiConfig,
  state: EmulatorState,
  op: Operation,
): Promise<Response> {
  const { path, query } = splitUrl(c.req.url);
  const entry: Omit<LogEntry, "id" | "time"> = {
    kind: "rest",
    method: c.req.method,
    path,
    query,
    verdict: "rejected",
    status: 500,
  };
  const events: EmulatedEvent[] = [];
  let response: Response;
  try {
    if (c.req.param("appId") !== cfg.appId) {
      throw new ApiError(
        404,
        `Unknown app ${JSON.stringify(c.req.param("appId"))}: this emulator serves app ${cfg.appId}`,
      );
    }
    for (const name of ["channel", "user"]) {
      const value = c.req.param(name);
      if (value === "." || value === "..") {
        throw new ApiError(400, `A ${name === "user" ? "user id" : "channel name"} cannot be "." or ".." in a path`);
      }
    }
    const declared = Number(c.req.header("content-length") ?? "0");
    if (declared > cfg.maxBodyBytes) {
      throw new ApiError(413, `Request body too large (limit ${cfg.maxBodyBytes} bytes)`);
    }
    const bytes = new Uint8Array(await readCapped(c.req.raw, cfg.maxBodyBytes));
    let body: string;
    try {
      body = utf8Decode(bytes);
    } catch {
      throw new ApiError(400, "Request body is not valid UTF-8");
    }
    entry.body = truncate(body);
    let params: Record<string, string>;
    try {
      ({ params } = await verifyRequest({
        credentials: { key: cfg.key, secret: cfg.secret },
        method: c.req.method,
        path,
        query,
        body: bytes,
        now: cfg.now(),
      }));
    } catch (err) {
      if (err instanceof RequestVerificationError) {
        entry.stringToSign = err.stringToSign ?? canonicalString(c.req.method, path, query);
        if (err.sentSignature !== undefined) entry.sentSignature = err.sentSignature;
        const status = err.code === "ERR_DUPLICATE_PARAM" || err.code === "ERR_INVALID_PARAM" ? 400 : 401;
        throw new ApiError(status, err.message, err.code);
      }
      throw err;
    }
    entry.stringToSign = canonicalString(c.req.method, path, query);
    if (
      c.req.method === "POST" && body.length > 0 && !/^application\/json\b/i.test(c.req.header("content-type") ?? "")
    ) {
      throw new ApiError(415, "Expected Content-Type: application/json");
    }
    const result = await op({ params, body, c, events });
    entry.verdict = "accepted";
    entry.status = 200;
    if (events.length > 0) entry.events = events;
    response = jsonBody(200, result);
    entry.response = truncate(JSON.stringify(result));
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    entry.status = err.status;
    entry.reason = err.message;
    if (err.code) entry.code = err.code;
    // Production answers 401s in plain text, which SDKs surface verbatim; every other error is JSON here.
    response = err.status === 401 ? textResponse(401, err.message) : jsonBody(err.status, {
      error: err.message,
      status: err.status,
      code: err.code ?? httpErrorCode(err.status),
    });
    entry.response = truncate(err.message);
  }
  state.record(entry);
  return response;
}

// The path exactly as routed: the URL's own text, not `new URL().pathname`, which resolves `..` and `%2e%2e` and
// would verify a signature over one path for a request routed to another.
function splitUrl(url: string): { path: string; query: string } {
  const start = url.indexOf("/", url.indexOf("://") + 3);
  const rest = start < 0 ? "/" : url.slice(start);
  const q = rest.indexOf("?");
  const hash = rest.indexOf("#");
  const end = hash < 0 ? rest.length : hash;
  return q < 0 || q > end
    ? { path: rest.slice(0, end), query: "" }
    : { path: rest.slice(0, q), query: rest.slice(q + 1, end) };
}

function canonicalString(method: string, path: string, query: string): string {
  try {
    return `${method.toUpperCase()}\n${path}\n${canonicalFrom(query)}`;
  } catch {
    return `${method.toUpperCase()}\n${path}\n(undecodable query)`;
  }
}

async function readCapped(req: Request, max: number): Promise<Uint8Array> {
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > max) {
        await reader.cancel().catch(() => {});
        throw new ApiError(413, `Request body too large (limit ${max} bytes)`);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError(400, "Could not read the request body");
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
