// The worker side of bench/workerd_md5.ts: GET /?op=NAME&n=N runs the operation N times (awaiting each) inside one
// request and answers its last result. workerd does not advance clocks during CPU work, so the timing is done outside.
import { getMD5 as sparkMd5 } from "pusher-http-edge/dist/util.js";
import { bodyMd5Hex, md5Hex } from "../src/_md5.ts";
import { signRequest } from "../src/sign_request.ts";
import { hexEncode, utf8Encode } from "../src/_bytes.ts";
import { signerFor } from "../src/_hmac.ts";
import { canonicalQuery, normalizeParams, wireQuery } from "../src/_params.ts";
import { BODY_10K, BODY_200, EVENTS_PATH, KEY, SECRET, TIMESTAMP } from "./_fixtures.ts";

const key = crypto.subtle.importKey("raw", utf8Encode(SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
const stringToSign = (await signRequest({
  key: KEY,
  secret: SECRET,
  method: "POST",
  path: EVENTS_PATH,
  body: BODY_200,
  timestamp: TIMESTAMP,
})).stringToSign;
const GET_PARAMS = { filter_by_prefix: "presence-", info: "user_count" };
const native = async (s: string) => hexEncode(new Uint8Array(await crypto.subtle.digest("MD5", utf8Encode(s))));

const ops: Record<string, () => unknown> = {
  noop: () => "",
  "md5-200 ours (JS)": () => md5Hex(BODY_200),
  "md5-200 native subtle.digest": () => native(BODY_200),
  "md5-200 bodyMd5Hex (dispatch)": () => bodyMd5Hex(BODY_200),
  "md5-200 spark-md5": () => sparkMd5(BODY_200),
  "md5-10k ours (JS)": () => md5Hex(BODY_10K),
  "md5-10k native subtle.digest": () => native(BODY_10K),
  "md5-10k bodyMd5Hex (dispatch)": () => bodyMd5Hex(BODY_10K),
  "md5-10k spark-md5": () => sparkMd5(BODY_10K),
  "signRequest 200 B body": async () =>
    (await signRequest({ key: KEY, secret: SECRET, method: "POST", path: EVENTS_PATH, body: BODY_200 })).query,
  // What signRequest adds besides MD5: the same request without a body (no body_md5).
  "signRequest GET, 2 params": async () =>
    (await signRequest({ key: KEY, secret: SECRET, method: "GET", path: EVENTS_PATH, params: GET_PARAMS })).query,
  // Where signRequest's time goes: the signer alone, and the synchronous work around it (params, sort, wire query).
  "signer.signHex (our signer)": () => signerFor(SECRET).signHex(stringToSign),
  "signRequest's sync work, GET": () => {
    const pairs = normalizeParams(GET_PARAMS);
    pairs.push(["auth_key", KEY], ["auth_timestamp", String(TIMESTAMP)], ["auth_version", "1.0"]);
    const canonical = canonicalQuery(pairs);
    return wireQuery(pairs, `GET\n${EVENTS_PATH}\n${canonical}`.length ? canonical : "");
  },
  "raw subtle.sign (cached key)": async () =>
    hexEncode(new Uint8Array(await crypto.subtle.sign("HMAC", await key, utf8Encode(stringToSign)))),
};

export default {
  async fetch(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const op = ops[url.searchParams.get("op") ?? ""];
    if (!op) return new Response(JSON.stringify(Object.keys(ops)), { headers: { "content-type": "application/json" } });
    const n = Number(url.searchParams.get("n") ?? 1);
    let last: unknown;
    for (let i = 0; i < n; i++) last = await op();
    return new Response(String(last));
  },
};
