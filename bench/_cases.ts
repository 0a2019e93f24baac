// The benchmark cases, one group per hot operation. Each group has our implementation, raw Web Crypto with a cached
// key (the floor: what the operation cannot go below), the official `pusher` package and `pusher-http-edge` doing the
// same operation. Runtime-neutral: used by bench/*.bench.ts (deno bench) and by scripts/bench_compare.ts, which
// bundles it for Node and Bun. Every group checks before timing that all implementations produce the same output.
import Pusher from "pusher";
import PusherEdge from "pusher-http-edge";
// The MD5 each peer uses for body_md5: node:crypto in the official package, spark-md5 in pusher-http-edge.
import { getMD5 as officialMd5 } from "pusher/lib/util.js";
import { getMD5 as edgeMd5 } from "pusher-http-edge/dist/util.js";
import { authenticateUser, authorizeChannel, signRequest, verifyRequest, verifyWebhook } from "../mod.ts";
import { decryptPayload, encryptPayload } from "../src/encryption/mod.ts";
import { md5Hex } from "../src/_md5.ts";
import nacl from "tweetnacl";
import * as F from "./_fixtures.ts";

/** Who implements a case. */
export type Impl = "ours" | "raw" | "official" | "edge";

/** One timed function. `sync` cases return a value; the others return a promise. */
export interface Case {
  impl: Impl;
  name: string;
  sync: boolean;
  fn: () => unknown;
}

/** One operation, implemented several ways. */
export interface Group {
  id: string;
  title: string;
  /** What the raw baseline does, and any caveat about the comparison. */
  note: string;
  cases: Case[];
}

/** Optional extra groups (encryption, client) plug in here once those modules exist. */
export type GroupFactory = () => Promise<Group[]>;

const enc = new TextEncoder();
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
function hex(buf: ArrayBuffer): string {
  const b = new Uint8Array(buf);
  let s = "";
  for (let i = 0; i < b.length; i++) s += HEX[b[i]];
  return s;
}
function unhex(s: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}
function b64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s);
}

/** Raw Web Crypto: a key imported once, the way every serious implementation should hold it. */
export async function rawKey(): Promise<CryptoKey> {
  return await crypto.subtle.importKey("raw", enc.encode(F.SECRET), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
}

// deno-lint-ignore no-explicit-any
type AnyPusher = any;

const OfficialPusher: AnyPusher = Pusher;
const EdgePusher: AnyPusher = PusherEdge;

export function peers(): { official: AnyPusher; officialEnc: AnyPusher; edge: AnyPusher; edgeEnc: AnyPusher } {
  const cfg = { appId: F.APP_ID, key: F.KEY, secret: F.SECRET };
  const encCfg = { ...cfg, encryptionMasterKeyBase64: F.MASTER_KEY_B64 };
  return {
    official: new OfficialPusher(cfg),
    officialEnc: new OfficialPusher(encCfg),
    edge: new EdgePusher(cfg),
    edgeEnc: new EdgePusher(encCfg),
  };
}

/** Strips the parts of a signed query that legitimately differ between calls a second apart. */
function sameSecond(q: string): string {
  return q.split("&").sort().join("&");
}

export async function coreGroups(): Promise<Group[]> {
  const key = await rawKey();
  const { official, officialEnc, edge, edgeEnc } = peers();
  const creds = { key: F.KEY, secret: F.SECRET };
  const sign = async (s: string) => hex(await crypto.subtle.sign("HMAC", key, enc.encode(s)));

  const masterKey = Uint8Array.from(atob(F.MASTER_KEY_B64), (c) => c.charCodeAt(0));

  // Webhook: signed once here; raw verifies the pre-decoded MAC.
  const hookSig = await sign(F.WEBHOOK_BODY);
  const hookMac = unhex(hookSig);
  const hookHeaders = { "content-type": "application/json", "x-pusher-key": F.KEY, "x-pusher-signature": hookSig };

  // Request verification (server side, e.g. the emulator): a signed GET with two params.
  const getParams = { filter_by_prefix: "presence-", info: "user_count" };
  const signedGet = await signRequest({
    ...creds,
    method: "GET",
    path: F.CHANNELS_PATH,
    params: getParams,
    timestamp: F.TIMESTAMP,
  });
  const getMac = unhex(signedGet.signature);
  const signedPost = await signRequest({
    ...creds,
    method: "POST",
    path: F.EVENTS_PATH,
    body: F.BODY_200,
    timestamp: F.TIMESTAMP,
  });
  const officialToken = new OfficialPusher.Token(F.KEY, F.SECRET);
  const edgeToken = new EdgePusher.Token(F.KEY, F.SECRET);

  const groups: Group[] = [
    {
      id: "auth-private",
      title: "authorizeChannel, private channel",
      note: "raw: subtle.sign(socket:channel) + hex",
      cases: [
        {
          impl: "ours",
          name: "pusher-edge authorizeChannel",
          sync: false,
          fn: () => authorizeChannel({ ...creds, socketId: F.SOCKET_ID, channel: F.PRIVATE_CHANNEL }),
        },
        {
          impl: "raw",
          name: "raw subtle.sign (cached key)",
          sync: false,
          fn: async () => ({ auth: `${F.KEY}:${await sign(`${F.SOCKET_ID}:${F.PRIVATE_CHANNEL}`)}` }),
        },
        {
          impl: "official",
          name: "pusher authorizeChannel (sync node:crypto)",
          sync: true,
          fn: () => official.authorizeChannel(F.SOCKET_ID, F.PRIVATE_CHANNEL),
        },
        {
          impl: "edge",
          name: "pusher-http-edge authorizeChannel",
          sync: false,
          fn: () => edge.authorizeChannel(F.SOCKET_ID, F.PRIVATE_CHANNEL),
        },
      ],
    },
    {
      id: "auth-presence",
      title: "authorizeChannel, presence channel",
      note: "raw: JSON.stringify(member) + subtle.sign + hex",
      cases: [
        {
          impl: "ours",
          name: "pusher-edge authorizeChannel",
          sync: false,
          fn: () =>
            authorizeChannel({
              ...creds,
              socketId: F.SOCKET_ID,
              channel: F.PRESENCE_CHANNEL,
              channelData: F.PRESENCE_MEMBER,
            }),
        },
        {
          impl: "raw",
          name: "raw subtle.sign (cached key)",
          sync: false,
          fn: async () => {
            const data = JSON.stringify(F.PRESENCE_MEMBER);
            return {
              auth: `${F.KEY}:${await sign(`${F.SOCKET_ID}:${F.PRESENCE_CHANNEL}:${data}`)}`,
              channel_data: data,
            };
          },
        },
        {
          impl: "official",
          name: "pusher authorizeChannel (sync node:crypto)",
          sync: true,
          fn: () => official.authorizeChannel(F.SOCKET_ID, F.PRESENCE_CHANNEL, F.PRESENCE_MEMBER),
        },
        {
          impl: "edge",
          name: "pusher-http-edge authorizeChannel",
          sync: false,
          fn: () => edge.authorizeChannel(F.SOCKET_ID, F.PRESENCE_CHANNEL, F.PRESENCE_MEMBER),
        },
      ],
    },
    {
      id: "auth-encrypted",
      title: "authorizeChannel, encrypted channel",
      note: "raw: subtle.sign + subtle.digest(SHA-256, channel || master key) + base64, one after the other",
      cases: [
        {
          impl: "ours",
          name: "pusher-edge authorizeChannel",
          sync: false,
          fn: () =>
            authorizeChannel({
              ...creds,
              socketId: F.SOCKET_ID,
              channel: F.ENCRYPTED_CHANNEL,
              encryptionMasterKey: F.MASTER_KEY_B64,
            }),
        },
        {
          impl: "raw",
          name: "raw subtle.sign + subtle.digest",
          sync: false,
          fn: async () => {
            const auth = `${F.KEY}:${await sign(`${F.SOCKET_ID}:${F.ENCRYPTED_CHANNEL}`)}`;
            const input = new Uint8Array([...enc.encode(F.ENCRYPTED_CHANNEL), ...masterKey]);
            return { auth, shared_secret: b64(new Uint8Array(await crypto.subtle.digest("SHA-256", input))) };
          },
        },
        {
          impl: "official",
          name: "pusher authorizeChannel (sync node:crypto)",
          sync: true,
          fn: () => officialEnc.authorizeChannel(F.SOCKET_ID, F.ENCRYPTED_CHANNEL),
        },
        {
          impl: "edge",
          name: "pusher-http-edge authorizeChannel",
          sync: false,
          fn: () => edgeEnc.authorizeChannel(F.SOCKET_ID, F.ENCRYPTED_CHANNEL),
        },
      ],
    },
    {
      id: "user-auth",
      title: "authenticateUser",
      note: "raw: JSON.stringify(user) + subtle.sign(socket::user::data) + hex",
      cases: [
        {
          impl: "ours",
          name: "pusher-edge authenticateUser",
          sync: false,
          fn: () => authenticateUser({ ...creds, socketId: F.SOCKET_ID, userData: F.USER_DATA }),
        },
        {
          impl: "raw",
          name: "raw subtle.sign (cached key)",
          sync: false,
          fn: async () => {
            const data = JSON.stringify(F.USER_DATA);
            return { auth: `${F.KEY}:${await sign(`${F.SOCKET_ID}::user::${data}`)}`, user_data: data };
          },
        },
        {
          impl: "official",
          name: "pusher authenticateUser (sync node:crypto)",
          sync: true,
          fn: () => official.authenticateUser(F.SOCKET_ID, F.USER_DATA),
        },
        {
          impl: "edge",
          name: "pusher-http-edge authenticateUser",
          sync: false,
          fn: () => edge.authenticateUser(F.SOCKET_ID, F.USER_DATA),
        },
      ],
    },
    {
      id: "webhook",
      title: "verifyWebhook (88 B channel_occupied)",
      note: "raw: subtle.verify(pre-decoded MAC, body); peers: webhook(...).isValid()",
      cases: [
        {
          impl: "ours",
          name: "pusher-edge verifyWebhook",
          sync: false,
          fn: async () =>
            (await verifyWebhook({ credentials: creds, headers: hookHeaders, body: F.WEBHOOK_BODY })).events.length ===
              1,
        },
        {
          impl: "raw",
          name: "raw subtle.verify (cached key)",
          sync: false,
          fn: () => crypto.subtle.verify("HMAC", key, hookMac, enc.encode(F.WEBHOOK_BODY)),
        },
        {
          impl: "official",
          name: "pusher webhook().isValid() (sync node:crypto)",
          sync: true,
          fn: () => official.webhook({ headers: hookHeaders, rawBody: F.WEBHOOK_BODY }).isValid(),
        },
        {
          impl: "edge",
          name: "pusher-http-edge webhook().isValid()",
          sync: false,
          fn: () => edge.webhook({ headers: hookHeaders, rawBody: F.WEBHOOK_BODY }).isValid(),
        },
      ],
    },
    {
      id: "sign-get",
      title: "signRequest, GET /channels with 2 params",
      note: "raw: subtle.sign(string-to-sign) + hex; peers: createSignedQueryString",
      cases: [
        {
          impl: "ours",
          name: "pusher-edge signRequest",
          sync: false,
          fn: async () =>
            (await signRequest({ ...creds, method: "GET", path: F.CHANNELS_PATH, params: getParams })).query,
        },
        {
          impl: "raw",
          name: "raw subtle.sign (cached key)",
          sync: false,
          fn: () => sign(signedGet.stringToSign),
        },
        {
          impl: "official",
          name: "pusher createSignedQueryString (sync node:crypto)",
          sync: true,
          fn: () => official.createSignedQueryString({ method: "GET", path: F.CHANNELS_PATH, params: getParams }),
        },
        {
          impl: "edge",
          name: "pusher-http-edge createSignedQueryString",
          sync: false,
          fn: () => edge.createSignedQueryString({ method: "GET", path: F.CHANNELS_PATH, params: getParams }),
        },
      ],
    },
    {
      id: "sign-post",
      title: "signRequest, POST /events with a 200 B body (incl. body_md5)",
      note: "raw: subtle.sign(string-to-sign) + hex, no MD5 (Web Crypto has none): the MD5 is extra work",
      cases: [
        {
          impl: "ours",
          name: "pusher-edge signRequest",
          sync: false,
          fn: async () =>
            (await signRequest({ ...creds, method: "POST", path: F.EVENTS_PATH, body: F.BODY_200 })).query,
        },
        {
          impl: "raw",
          name: "raw subtle.sign (cached key)",
          sync: false,
          fn: () => sign(signedPost.stringToSign),
        },
        {
          impl: "official",
          name: "pusher createSignedQueryString (sync node:crypto)",
          sync: true,
          fn: () => official.createSignedQueryString({ method: "POST", path: F.EVENTS_PATH, body: F.BODY_200 }),
        },
        {
          impl: "edge",
          name: "pusher-http-edge createSignedQueryString",
          sync: false,
          fn: () => edge.createSignedQueryString({ method: "POST", path: F.EVENTS_PATH, body: F.BODY_200 }),
        },
      ],
    },
    {
      id: "verify-get",
      title: "verifyRequest, signed GET /channels (server side)",
      note: "raw: subtle.verify(pre-decoded MAC, string-to-sign); peers have no request verifier: their " +
        "Token.verify(stringToSign, signature) is less work than parsing and checking a query",
      cases: [
        {
          impl: "ours",
          name: "pusher-edge verifyRequest",
          sync: false,
          fn: async () =>
            (await verifyRequest({
              credentials: creds,
              method: "GET",
              path: F.CHANNELS_PATH,
              query: signedGet.query,
              now: F.TIMESTAMP,
            })).key === F.KEY,
        },
        {
          impl: "raw",
          name: "raw subtle.verify (cached key)",
          sync: false,
          fn: () => crypto.subtle.verify("HMAC", key, getMac, enc.encode(signedGet.stringToSign)),
        },
        {
          impl: "official",
          name: "pusher Token.verify (sync node:crypto)",
          sync: true,
          fn: () => officialToken.verify(signedGet.stringToSign, signedGet.signature),
        },
        {
          impl: "edge",
          name: "pusher-http-edge Token.verify",
          sync: false,
          fn: () => edgeToken.verify(signedGet.stringToSign, signedGet.signature),
        },
      ],
    },
  ];

  for (const [id, body] of [["md5-200", F.BODY_200], ["md5-10k", F.BODY_10K]] as const) {
    groups.push({
      id,
      title: `MD5 hex of a ${body.length} B body`,
      note: "raw: subtle.sign of the same body (an HMAC reference only; Web Crypto has no MD5); " +
        "official: node:crypto createHash; edge: spark-md5; ours: own MD5 (src/_md5.ts)",
      cases: [
        { impl: "ours", name: "pusher-edge md5Hex (own MD5)", sync: true, fn: () => md5Hex(body) },
        { impl: "raw", name: "raw subtle.sign (cached key)", sync: false, fn: () => sign(body) },
        { impl: "official", name: "pusher getMD5 (node:crypto)", sync: true, fn: () => officialMd5(body) },
        { impl: "edge", name: "pusher-http-edge getMD5 (spark-md5)", sync: true, fn: () => edgeMd5(body) },
      ],
    });
  }
  groups.push(...await encryptionGroups(sign, officialEnc, edgeEnc, masterKey));
  await checkGroups(
    groups,
    // Encryption uses a fresh random nonce per call: checked by decrypting each output below instead.
    (id, impl) =>
      (id.startsWith("md5") && impl === "raw") || (id === "decrypt" && impl === "raw") ||
      id.startsWith("sign-") || id === "encrypt",
  );
  await checkSigned(groups);
  for (const c of groups.find((g) => g.id === "encrypt")!.cases.filter((c) => c.impl !== "raw")) {
    const plain = await decryptPayload(F.ENCRYPTED_CHANNEL, String(await c.fn()), masterKey);
    if (plain !== F.EVENT_DATA) throw new Error(`bench encrypt: ${c.name} does not round-trip`);
  }
  return groups;
}

/**
 * End-to-end encryption of one event payload (the per-channel key is derived on every call by all three). The peers
 * do not export their encrypt function, so their code is reproduced here: tweetnacl secretbox with the package's own
 * channelSharedSecret (sync node:crypto in the official package, async subtle.digest in pusher-http-edge).
 */
async function encryptionGroups(
  sign: (s: string) => Promise<string>,
  officialEnc: AnyPusher,
  edgeEnc: AnyPusher,
  masterKey: Uint8Array,
): Promise<Group[]> {
  const ch = F.ENCRYPTED_CHANNEL;
  const data = JSON.parse(F.EVENT_DATA);
  const wrap = (nonce: Uint8Array, box: Uint8Array) => JSON.stringify({ nonce: b64(nonce), ciphertext: b64(box) });
  const payload = await encryptPayload(ch, data, masterKey);
  const parsed = JSON.parse(payload);
  const unb64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  const nonce = unb64(parsed.nonce), box = unb64(parsed.ciphertext);
  const open = (key: Uint8Array) => {
    const plain = nacl.secretbox.open(box, nonce, key);
    if (!plain) throw new Error("decrypt failed");
    return new TextDecoder().decode(plain);
  };
  const note =
    "raw: subtle.sign of the same payload (an HMAC reference only; XSalsa20-Poly1305 is not in Web Crypto); " +
    "ours: subtle.digest key derivation + @noble/ciphers; peers: tweetnacl";
  return [
    {
      id: "encrypt",
      title: `encryptPayload (${F.EVENT_DATA.length} B event)`,
      note,
      cases: [
        {
          impl: "ours",
          name: "pusher-edge encryptPayload",
          sync: false,
          fn: () => encryptPayload(ch, data, masterKey),
        },
        { impl: "raw", name: "raw subtle.sign (cached key)", sync: false, fn: () => sign(F.EVENT_DATA) },
        {
          impl: "official",
          name: "pusher encrypt (tweetnacl, sync)",
          sync: true,
          fn: () => {
            const n = nacl.randomBytes(24);
            return wrap(n, nacl.secretbox(enc.encode(JSON.stringify(data)), n, officialEnc.channelSharedSecret(ch)));
          },
        },
        {
          impl: "edge",
          name: "pusher-http-edge encrypt (tweetnacl)",
          sync: false,
          fn: async () => {
            const n = nacl.randomBytes(24);
            const key = await edgeEnc.channelSharedSecret(ch);
            return wrap(n, nacl.secretbox(enc.encode(JSON.stringify(data)), n, key));
          },
        },
      ],
    },
    {
      id: "decrypt",
      title: `decryptPayload (${F.EVENT_DATA.length} B event)`,
      note,
      cases: [
        {
          impl: "ours",
          name: "pusher-edge decryptPayload",
          sync: false,
          fn: () => decryptPayload(ch, payload, masterKey),
        },
        { impl: "raw", name: "raw subtle.sign (cached key)", sync: false, fn: () => sign(F.EVENT_DATA) },
        {
          impl: "official",
          name: "pusher-style decrypt (tweetnacl, sync)",
          sync: true,
          fn: () => open(officialEnc.channelSharedSecret(ch)),
        },
        {
          impl: "edge",
          name: "pusher-http-edge-style decrypt (tweetnacl)",
          sync: false,
          fn: async () => open(await edgeEnc.channelSharedSecret(ch)),
        },
      ],
    },
  ];
}

/** Runs every case once and requires the same output from all of them (outside `skip`). */
export async function checkGroups(groups: Group[], skip: (id: string, impl: Impl) => boolean = () => false) {
  for (const g of groups) {
    let ref: string | undefined;
    for (const c of g.cases) {
      const out = await c.fn();
      if (skip(g.id, c.impl)) continue;
      const s = JSON.stringify(out, Object.keys(out ?? {}).sort());
      if (ref === undefined) ref = s;
      else if (s !== ref) throw new Error(`bench ${g.id}: ${c.name} returned ${s}, expected ${ref}`);
    }
  }
}

/** Signed queries carry the current time: compare them as sets of params, retrying across a second boundary. */
async function checkSigned(groups: Group[]) {
  for (const g of groups.filter((g) => g.id.startsWith("sign-"))) {
    const peers = g.cases.filter((c) => c.impl !== "raw");
    for (let attempt = 0;; attempt++) {
      const outs = await Promise.all(peers.map(async (c) => sameSecond(String(await c.fn()))));
      if (outs.every((o) => o === outs[0])) break;
      if (attempt === 2) throw new Error(`bench ${g.id}: signed queries differ: ${outs.join(" | ")}`);
    }
  }
}
