/**
 * rest-request: a client operation → the exact request (method, path, body bytes, body_md5, canonical query,
 * string to sign, signature). Expected values are the requests the official `pusher` 5.3.4 package sends to a
 * loopback capture server (Date.now stubbed, tweetnacl's PRNG set to the test's nonce), re-derived with
 * node:crypto. Invalid tests come from an independent reference of the validation rules; where the official
 * package would send anyway, a flag records the divergence.
 *
 * @module
 */
import Pusher from "pusher";
import nacl from "tweetnacl";
import {
  DOCS,
  DOCS_TS,
  GEN_SOURCE,
  hmacHex,
  makeFile,
  md5Hex,
  NODE_SOURCE,
  type TestSpec,
  type VectorFile,
} from "./_common.ts";
import { clientErr, type ClientErrorCode } from "./_client_flags.ts";
import { unb64 } from "./_common.ts";
import { FLAGS } from "./_flags.ts";
import { CASES, type RCase } from "./_rest_request_cases.ts";

export const MASTER_KEY_B64 = "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=";

interface Captured {
  method: string;
  path: string;
  query: string;
  body: string;
}

/** Runs each case through the official package against a loopback server and returns what it sent. */
async function captureOfficial(cases: RCase[]): Promise<(Captured | { threw: string } | null)[]> {
  let last: Captured | null = null;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const raw = req.url.includes("?") ? req.url.slice(req.url.indexOf("?") + 1) : "";
    last = { method: req.method, path: new URL(req.url).pathname, query: raw, body: await req.text() };
    return Response.json({});
  });
  const realNow = Date.now;
  const out: (Captured | { threw: string } | null)[] = [];
  try {
    for (const c of cases) {
      const pusher = new Pusher({
        appId: DOCS.app_id,
        key: DOCS.key,
        secret: DOCS.secret,
        host: "127.0.0.1",
        port: String(server.addr.port),
        useTLS: false,
        ...(c.noMasterKey ? {} : { encryptionMasterKeyBase64: MASTER_KEY_B64 }),
      });
      const nonce = c.nonce_b64 ? unb64(c.nonce_b64) : undefined;
      nacl.setPRNG((x: Uint8Array, n: number) => {
        if (!nonce || n !== 24) throw new Error("unexpected randomness");
        x.set(nonce);
      });
      last = null;
      Date.now = () => (c.timestamp ?? DOCS_TS) * 1000;
      try {
        await officialCall(pusher, c);
        out.push(last);
      } catch (e) {
        out.push({ threw: String(e) });
      } finally {
        Date.now = realNow;
      }
    }
  } finally {
    await server.shutdown();
  }
  return out;
}

// deno-lint-ignore no-explicit-any
function officialCall(p: any, c: RCase): Promise<unknown> {
  const a = c.args as Record<string, never>;
  switch (c.operation) {
    case "trigger":
      return p.trigger(a.channels, a.event, a.data, a.params);
    case "triggerBatch":
      return p.triggerBatch(structuredClone(a.batch));
    case "sendToUser":
      return p.sendToUser(a.user_id, a.event, a.data);
    case "terminateUserConnections":
      return p.terminateUserConnections(a.user_id);
    case "channels": {
      const params: Record<string, string> = {};
      if (a.prefix !== undefined) params.filter_by_prefix = a.prefix;
      if (a.info !== undefined) params.info = a.info;
      return p.get({ path: "/channels", params });
    }
    case "channel":
      return p.get({ path: `/channels/${a.channel}`, params: a.info === undefined ? {} : { info: a.info } });
    case "users":
      return p.get({ path: `/channels/${a.channel}/users` });
    case "get":
      return p.get({ path: a.path, params: a.params });
    case "post":
      return p.post({ path: a.path, body: a.body });
  }
  throw new Error(`unknown operation ${c.operation}`);
}

/** Independent re-derivation of every intermediate from the captured request. */
function expectedFrom(c: Captured, timestamp: number): Record<string, unknown> {
  const pairs = c.query.split("&");
  const signature = pairs.pop()!;
  if (!signature.startsWith("auth_signature=")) throw new Error("auth_signature is not last");
  const canonical_query = pairs.join("&");
  const body = c.body === "" ? null : c.body;
  const body_md5 = body === null ? null : md5Hex(body);
  const mine = [`auth_key=${DOCS.key}`, `auth_timestamp=${timestamp}`, "auth_version=1.0"];
  if (body_md5) mine.push(`body_md5=${body_md5}`);
  for (const p of pairs) if (!p.startsWith("auth_") && !p.startsWith("body_md5=")) mine.push(p);
  mine.sort((x, y) => {
    const [a, b] = [x.split("=")[0], y.split("=")[0]];
    return a < b ? -1 : a > b ? 1 : 0;
  });
  if (mine.join("&") !== canonical_query) throw new Error(`canonical query differs: ${canonical_query}`);
  const string_to_sign = `${c.method}\n${c.path}\n${canonical_query}`;
  const auth_signature = hmacHex(DOCS.secret, string_to_sign);
  if (`auth_signature=${auth_signature}` !== signature) throw new Error("signature does not re-derive");
  return { method: c.method, path: c.path, body, body_md5, canonical_query, string_to_sign, auth_signature };
}

function input(c: RCase): Record<string, unknown> {
  return {
    operation: c.operation,
    args: c.args,
    timestamp: c.timestamp ?? DOCS_TS,
    ...(c.nonce_b64 ? { nonce_b64: c.nonce_b64 } : {}),
    ...(c.noMasterKey ? { encryptionMasterKeyB64: null } : {}),
  };
}

export default async function build(): Promise<VectorFile> {
  const official = await captureOfficial(CASES);
  const valid: TestSpec[] = [];
  const invalid: TestSpec[] = [];
  CASES.forEach((c, i) => {
    const got = official[i];
    const what = `rest-request "${c.comment}"`;
    if (c.expect === "valid") {
      if (got === null || "threw" in got) {
        throw new Error(`${what}: official package ${got ? got.threw : "sent nothing"}`);
      }
      const expected = expectedFrom(got, c.timestamp ?? DOCS_TS);
      if (c.known && expected.auth_signature !== c.known) throw new Error(`${what}: known answer not reproduced`);
      valid.push({ comment: c.comment, flags: c.flags, result: "valid", input: input(c), expected });
    } else {
      const sent = got !== null && !("threw" in got);
      const documented = c.flags.some((f) => FLAGS[f]?.node);
      if (sent && !documented) throw new Error(`${what}: the official package sends it but no flag says so`);
      invalid.push({
        comment: c.comment,
        flags: c.flags,
        result: "invalid",
        input: input(c),
        error: clientErr(c.expect as ClientErrorCode),
      });
    }
  });
  return makeFile(
    "rest-request",
    [
      "REST client operations → the exact HTTP request. Group credentials are the docs' (app 3); the client uses",
      "useTLS false, host 127.0.0.1. `input.args` are the operation's arguments as JSON (string data is sent raw).",
      "Encrypted cases use the group's encryptionMasterKeyB64 and input.nonce_b64 as the secretbox nonce;",
      "input.encryptionMasterKeyB64 null means no master key is configured. Invalid tests must fail before sending.",
    ],
    [
      {
        comment: "Requests captured from pusher 5.3.4 over loopback, re-derived with node:crypto",
        source: NODE_SOURCE,
        credentials: DOCS,
        encryptionMasterKeyB64: MASTER_KEY_B64,
        tests: valid,
      },
      {
        comment: "Validation before sending (reference rules; the official package's behaviour is in the notes)",
        source: GEN_SOURCE,
        credentials: DOCS,
        encryptionMasterKeyB64: MASTER_KEY_B64,
        tests: invalid,
      },
    ],
  );
}
