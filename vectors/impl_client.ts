/**
 * The adapter for the client suites (`rest-request`, `encrypted-payload`), spread into `impl` in ./impl.ts.
 *
 * `rest-request` runs the operation on a `Pusher` whose `fetch` records the request instead of sending it
 * (Date.now pinned to the test's timestamp, the nonce injected through a fixed-nonce encryption plug-in), then
 * reports every intermediate. Only Web APIs are used.
 *
 * @module
 */
import { type BatchEvent, Pusher, PusherError, type TriggerParams } from "../mod.ts";
import {
  channelSharedSecret,
  decryptPayload,
  encryption,
  type EncryptionProvider,
  encryptPayload,
} from "../src/encryption/mod.ts";
import type { Group, Outcome } from "./run.ts";

const unb64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

async function outcome(fn: () => Promise<Record<string, unknown>>): Promise<Outcome> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    if (e instanceof PusherError) return { ok: false, code: e.code, stage: e.stage };
    throw e;
  }
}

function fixedNonce(nonce: Uint8Array): EncryptionProvider {
  return {
    encrypt: (channel, data, key) => encryptPayload(channel, data, key, { nonce }),
    decrypt: encryption.decrypt,
  };
}

// deno-lint-ignore no-explicit-any
type Args = Record<string, any>;

function call(p: Pusher, operation: string, a: Args): Promise<unknown> {
  switch (operation) {
    case "trigger":
      return p.trigger(a.channels, a.event, a.data, a.params as TriggerParams | undefined);
    case "triggerBatch":
      return p.triggerBatch(a.batch as BatchEvent[]);
    case "sendToUser":
      return p.sendToUser(a.user_id, a.event, a.data);
    case "terminateUserConnections":
      return p.terminateUserConnections(a.user_id);
    case "channels":
      return p.channels({ prefix: a.prefix, info: a.info });
    case "channel":
      return p.channel(a.channel, { info: a.info });
    case "users":
      return p.users(a.channel);
    case "get":
      return p.get({ path: a.path, params: a.params });
    case "post":
      return p.post({ path: a.path, body: a.body });
  }
  throw new TypeError(`unknown operation ${operation}`);
}

async function restRequest(g: Group, i: Record<string, unknown>): Promise<Outcome> {
  const cred = g.credentials as { app_id: string; key: string; secret: string };
  const sent: { method: string; url: URL; body: string | null }[] = [];
  const masterKey = i.encryptionMasterKeyB64 === null ? undefined : g.encryptionMasterKeyB64 as string | undefined;
  const pusher = new Pusher({
    appId: cred.app_id,
    key: cred.key,
    secret: cred.secret,
    host: "127.0.0.1",
    useTLS: false,
    encryptionMasterKeyBase64: masterKey,
    encryption: typeof i.nonce_b64 === "string" ? fixedNonce(unb64(i.nonce_b64)) : encryption,
    fetch: (input, init) => {
      sent.push({ method: init?.method ?? "GET", url: new URL(String(input)), body: (init?.body as string) ?? null });
      return Promise.resolve(Response.json({}));
    },
  });
  const realNow = Date.now;
  Date.now = () => (i.timestamp as number) * 1000;
  try {
    return await outcome(async () => {
      await call(pusher, i.operation as string, i.args as Args);
      if (sent.length !== 1) throw new Error(`expected one request, saw ${sent.length}`);
      const [{ method, url, body }] = sent;
      const query = url.search.slice(1);
      const cut = query.lastIndexOf("&auth_signature=");
      const canonical = query.slice(0, cut).split("&").map((pair) => {
        const eq = pair.indexOf("=");
        return `${pair.slice(0, eq)}=${decodeURIComponent(pair.slice(eq + 1))}`;
      }).join("&");
      return {
        method,
        path: url.pathname,
        body,
        body_md5: url.searchParams.get("body_md5"),
        canonical_query: canonical,
        string_to_sign: `${method}\n${url.pathname}\n${canonical}`,
        auth_signature: query.slice(cut + "&auth_signature=".length),
      };
    });
  } finally {
    Date.now = realNow;
  }
}

async function encryptedPayload(g: Group, i: Record<string, unknown>): Promise<Outcome> {
  const masterKey = g.encryptionMasterKeyB64 as string;
  const channel = i.channel_name as string;
  return await outcome(async () => {
    if (typeof i.data === "string") {
      const plaintext = await decryptPayload(channel, i.data, masterKey);
      return { plaintext, shared_secret_hex: toHex(await channelSharedSecret(channel, masterKey)) };
    }
    const nonce = unb64(i.nonce_b64 as string);
    // The library encrypts JSON.stringify(data); the vectors' plaintext is always in that form.
    const data = await encryptPayload(channel, JSON.parse(i.plaintext as string), masterKey, { nonce });
    return {
      shared_secret_hex: toHex(await channelSharedSecret(channel, masterKey)),
      ciphertext_b64: JSON.parse(data).ciphertext,
      data,
    };
  });
}

/** The client suites, keyed by suite name as `vectors/run.ts` expects. */
export const clientImpl = {
  "rest-request": restRequest,
  "encrypted-payload": encryptedPayload,
};
