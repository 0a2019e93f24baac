/**
 * The adapter that runs the vectors against pusher-edge's public API (../mod.ts).
 *
 * Each suite maps a group and a test input onto one library call and turns a thrown `PusherError` into
 * `{ ok: false, code, stage }`. Any other exception propagates, so the runner reports it as a failure:
 * a vector must never make the library throw a `TypeError`. Only Web APIs are used, so a bundle of this file
 * runs on Deno, Node, Bun and workerd.
 *
 * @module
 */
import {
  authenticateUser,
  authorizeChannel,
  type Credentials,
  PusherError,
  signRequest,
  verifyRequest,
  verifyWebhook,
} from "../mod.ts";
import type { Group, Impl, Outcome } from "./run.ts";
import { clientImpl } from "./impl_client.ts";

const fromHex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

async function outcome(fn: () => Promise<Record<string, unknown>>): Promise<Outcome> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    if (e instanceof PusherError) return { ok: false, code: e.code, stage: e.stage };
    throw e;
  }
}

const creds = (g: Group) => g.credentials as Credentials & { app_id: string };
const allCreds = (g: Group): Credentials[] =>
  [g.credentials as Credentials, ...((g.extraCredentials as Credentials[] | undefined) ?? [])].map((c) => ({
    key: c.key,
    secret: c.secret,
  }));
const bodyOf = (i: Record<string, unknown>) =>
  typeof i.body_hex === "string" ? fromHex(i.body_hex) : (i.body as string | null);

/** pusher-edge's declared policy for the flags the vectors leave open (kept equal to vectors/policy.json). */
export const POLICY: Record<string, "accept" | "reject"> = {
  ArrayParam: "reject",
  ChannelDataOnNonPresence: "reject",
  ChannelNameOver164: "accept",
  ClientEventDataObject: "accept",
  ContentTypeParams: "accept",
  DotnetKeyDerivation: "reject",
  DuplicateParam: "reject",
  EmptyBodyMd5: "accept",
  InvalidParamKey: "reject",
  KeyCaseFolding: "reject",
  MissingContentType: "reject",
  NonStringParamValue: "reject",
  NumericUserId: "reject",
  PlusAsSpace: "accept",
  PresenceMissingUserId: "reject",
  ReservedParam: "reject",
  UppercaseHex: "accept",
};

/** The implementation object for vectors/run.ts. */
export const impl: Impl = {
  policy: POLICY,

  // Layer 0 checks the runtime's own HMAC, not the library.
  hmac: async (g: Group, i: Record<string, unknown>): Promise<Outcome> => {
    const key = await crypto.subtle.importKey(
      "raw",
      fromHex(i.key as string),
      { name: "HMAC", hash: "SHA-256" },
      false,
      [
        "sign",
      ],
    );
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, fromHex(i.msg as string)));
    const tag = toHex(mac.subarray(0, (g.tagSize as number) / 8));
    if (typeof i.tag === "string" && i.tag !== tag) return { ok: false, code: "ERR_SIGNATURE_MISMATCH", stage: "auth" };
    return { ok: true, value: { tag } };
  },

  "rest-sign": (g: Group, i: Record<string, unknown>) =>
    outcome(async () => {
      const r = await signRequest({
        key: creds(g).key,
        secret: creds(g).secret,
        method: i.method as string,
        path: i.path as string,
        params: (i.params_raw ?? i.params) as never,
        body: i.body as string | null,
        timestamp: i.timestamp as number,
      });
      return {
        body_md5: r.bodyMd5,
        canonical_query: r.canonicalQuery,
        string_to_sign: r.stringToSign,
        auth_signature: r.signature,
        signed_query: r.query,
      };
    }),

  "rest-verify": (g: Group, i: Record<string, unknown>) =>
    outcome(async () => {
      const clock = g.clock as { now: number; toleranceSeconds: number };
      const r = await verifyRequest({
        credentials: allCreds(g),
        method: i.method as string,
        path: i.path as string,
        query: i.query as string,
        body: bodyOf(i),
        now: clock.now,
        toleranceSeconds: clock.toleranceSeconds,
      });
      return { params: r.params, key: r.key, timestamp: r.timestamp };
    }),

  "channel-auth": (g: Group, i: Record<string, unknown>) =>
    outcome(async () => {
      const channel = i.channel_name as string;
      const response = await authorizeChannel({
        key: creds(g).key,
        secret: creds(g).secret,
        socketId: i.socket_id as string,
        channel,
        ...(i.channel_data === undefined ? {} : { channelData: i.channel_data as string }),
        ...(typeof g.encryptionMasterKeyB64 === "string" ? { encryptionMasterKey: g.encryptionMasterKeyB64 } : {}),
      });
      const sharedSecret = response.shared_secret;
      return {
        string_to_sign: [i.socket_id, channel, ...(i.channel_data === undefined ? [] : [i.channel_data])].join(":"),
        ...(sharedSecret
          ? { shared_secret_hex: toHex(Uint8Array.from(atob(sharedSecret), (c) => c.charCodeAt(0))) }
          : {}),
        response: { ...response },
      };
    }),

  "user-auth": (g: Group, i: Record<string, unknown>) =>
    outcome(async () => {
      const response = await authenticateUser({
        key: creds(g).key,
        secret: creds(g).secret,
        socketId: i.socket_id as string,
        userData: i.user_data as string,
      });
      return { string_to_sign: `${i.socket_id}::user::${i.user_data}`, response: { ...response } };
    }),

  "webhook-verify": (g: Group, i: Record<string, unknown>) =>
    outcome(async () => {
      const r = await verifyWebhook({
        headers: i.headers as Record<string, string>,
        body: bodyOf(i) ?? "",
        credentials: allCreds(g),
      });
      return { time_ms: r.timeMs, events: r.allEvents.length, key: r.key };
    }),
  ...clientImpl,
};
