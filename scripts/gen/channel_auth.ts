/**
 * channel-auth: private, presence and encrypted channel authorization (pusher-spec.md §4, §9 #15-#19, #22).
 *
 * Reference: node:crypto and the validation rules below. Cross-check: the official `authorizeChannel`,
 * whenever the byte-exact channel_data is what JSON.stringify would produce (otherwise Node cannot express it).
 *
 * @module
 */
import { OfficialPusher as Pusher } from "./_common.ts";
import {
  attempt,
  b64,
  type Credentials,
  crossCheck,
  err,
  type ErrorCode,
  expectKnown,
  hmacHex,
  makeFile,
  sha256,
  type Source,
  type TestSpec,
  toHex,
  unb64,
  utf8,
  type VectorFile,
} from "./_common.ts";
import { type ACase, GROUPS, KNOWN_SHARED } from "./_channel_auth_cases.ts";

type Outcome = { ok: true; expected: Record<string, unknown> } | { ok: false; code: ErrorCode };

/**
 * The strict rules (164-character names, as Pusher's channel docs and the .NET SDK say; string user ids). `allow` lists
 * the policy flags whose looser reading computes the accepted value of an `acceptable` test: NumericUserId (a number
 * user_id) and ChannelNameOver164 (up to 200 characters, as node, python and go accept).
 */
function reference(
  cred: Credentials,
  masterKeyB64: string | undefined,
  c: ACase,
  allow: readonly string[],
): Outcome {
  const fail = (code: ErrorCode): Outcome => ({ ok: false, code });
  if (!/^[0-9]+\.[0-9]+$/.test(c.socket)) return fail("ERR_INVALID_SOCKET_ID");
  if (c.channel === "" || /[^A-Za-z0-9_\-=@,.;]/.test(c.channel)) return fail("ERR_INVALID_CHANNEL_NAME");
  if (c.channel.length > (allow.includes("ChannelNameOver164") ? 200 : 164)) return fail("ERR_CHANNEL_NAME_TOO_LONG");
  const numericUserId = allow.includes("NumericUserId");
  if (c.channel.startsWith("presence-")) {
    if (c.data === undefined) return fail("ERR_INVALID_CHANNEL_DATA");
    let parsed: unknown;
    try {
      parsed = JSON.parse(c.data);
    } catch {
      return fail("ERR_INVALID_CHANNEL_DATA");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return fail("ERR_INVALID_CHANNEL_DATA");
    const id = (parsed as { user_id?: unknown }).user_id;
    const okId = (typeof id === "string" && id !== "") || (numericUserId && typeof id === "number");
    if (!okId) return fail("ERR_INVALID_CHANNEL_DATA");
  } else if (c.data !== undefined) return fail("ERR_INVALID_CHANNEL_DATA");
  let shared: Uint8Array | undefined;
  if (c.channel.startsWith("private-encrypted-")) {
    if (masterKeyB64 === undefined) return fail("ERR_ENCRYPTION_KEY_MISSING");
    const key = unb64(masterKeyB64);
    if (key.length !== 32) return fail("ERR_ENCRYPTION_KEY_INVALID");
    shared = sha256(new Uint8Array([...utf8(c.channel), ...key]));
  }
  const string_to_sign = [c.socket, c.channel, ...(c.data === undefined ? [] : [c.data])].join(":");
  return {
    ok: true,
    expected: {
      string_to_sign,
      ...(shared ? { shared_secret_hex: toHex(shared) } : {}),
      response: {
        auth: `${cred.key}:${hmacHex(cred.secret, string_to_sign)}`,
        ...(c.data === undefined ? {} : { channel_data: c.data }),
        ...(shared ? { shared_secret: b64(shared) } : {}),
      },
    },
  };
}

/** The official package's response in our key order, or undefined when it cannot express the input. */
function official(cred: Credentials, masterKeyB64: string | undefined, c: ACase): unknown {
  let data: unknown;
  if (c.data !== undefined) {
    try {
      data = JSON.parse(c.data);
    } catch {
      return undefined;
    }
    if (JSON.stringify(data) !== c.data || !data) return undefined;
  }
  return attempt(() => {
    const p = new Pusher({
      appId: cred.app_id,
      key: cred.key,
      secret: cred.secret,
      ...(masterKeyB64 ? { encryptionMasterKeyBase64: masterKeyB64 } : {}),
    });
    const r = p.authorizeChannel(c.socket, c.channel, data as never) as unknown as Record<string, string>;
    return {
      auth: r.auth,
      ...(r.channel_data === undefined ? {} : { channel_data: r.channel_data }),
      ...(r.shared_secret === undefined ? {} : { shared_secret: r.shared_secret }),
    };
  });
}

const POLICY_FLAGS = ["NumericUserId", "ChannelNameOver164"];

function build(source: Source, cred: Credentials, masterKeyB64: string | undefined, c: ACase): TestSpec {
  const what = `channel-auth "${c.comment}"`;
  const allow = c.expect === "acceptable" ? c.flags.filter((f) => POLICY_FLAGS.includes(f)) : [];
  const ref = reference(cred, masterKeyB64, c, allow);
  const node = official(cred, masterKeyB64, c);
  if (node !== undefined) crossCheck(what, c.flags, ref.ok ? ref.expected.response : { threw: true }, node);
  const sig = ref.ok ? (ref.expected.response as { auth: string }).auth.split(":")[1] : undefined;
  if (c.known) {
    if (c.known.length === 64) expectKnown(source, what, c.known, sig);
    else if (!sig?.startsWith(c.known)) throw new Error(`${what}: known prefix ${c.known} not reproduced`);
  }
  // A published signature over an input this suite rejects: recompute it from the rules as the SDK applied them.
  if (c.sdkSigns) {
    const toSign = [c.socket, c.channel, ...(c.data === undefined ? [] : [c.data])].join(":");
    expectKnown(source, `${what} (as the SDK signs it)`, c.sdkSigns, hmacHex(cred.secret, toSign));
  }
  const shared = ref.ok ? (ref.expected.response as { shared_secret?: string }).shared_secret : undefined;
  const published = KNOWN_SHARED[`${masterKeyB64} ${c.channel}`];
  if (shared && published && source.name !== "generator") {
    expectKnown(source, `${what} shared_secret`, published.replace(/=+$/, ""), shared.replace(/=+$/, ""));
  }
  const input = {
    socket_id: c.socket,
    channel_name: c.channel,
    ...(c.data === undefined ? {} : { channel_data: c.data }),
  };
  const base = { comment: c.comment, flags: c.flags, input };
  if (c.expect === "valid" || c.expect === "acceptable") {
    if (!ref.ok) throw new Error(`${what}: reference rejects with ${ref.code}`);
    if (c.expect === "acceptable" && reference(cred, masterKeyB64, c, []).ok) {
      throw new Error(`${what}: acceptable, but the strict rules accept it too`);
    }
    return { ...base, result: c.expect, expected: ref.expected };
  }
  if (ref.ok || ref.code !== c.expect) throw new Error(`${what}: reference gives ${JSON.stringify(ref)}`);
  return { ...base, result: "invalid", error: err(c.expect) };
}

export default function (): Promise<VectorFile> {
  return Promise.resolve(makeFile(
    "channel-auth",
    [
      "Channel authorization: auth = key ':' hex(HMAC-SHA256(secret, string_to_sign)).",
      "private/encrypted: string_to_sign = socket_id ':' channel_name; presence adds ':' channel_data (byte-exact).",
      "socket_id must match ^[0-9]+\\.[0-9]+$; channel_name [A-Za-z0-9_\\-=@,.;]{1,164} (165-200: policy ChannelNameOver164);",
      "presence needs channel_data",
      "with a non-empty string user_id; other channels take no channel_data. private-encrypted-* also returns",
      "shared_secret = base64(SHA-256(utf8(channel_name) || master_key)), master key = 32 bytes (group base64).",
    ],
    GROUPS.map(({ cases, ...g }) => ({
      ...g,
      tests: cases.map((c) => build(g.source, g.credentials, g.encryptionMasterKeyB64, c)),
    })),
  ));
}
