/**
 * webhook-verify: X-Pusher-Key / X-Pusher-Signature webhooks (pusher-spec.md §6, §9 #25, Appendix A).
 *
 * Reference: the verifier below (node:crypto). Cross-check: the official `webhook({headers, rawBody}).isValid()`
 * verdict, for every test.
 *
 * @module
 */
import { OfficialPusher as Pusher } from "./_common.ts";
import { SRC } from "./_sources.ts";
import {
  attempt,
  type Credentials,
  crossCheck,
  DOCS,
  err,
  type ErrorCode,
  expectKnown,
  flipHexBit,
  GEN_SOURCE,
  type GroupSpec,
  hmacHex,
  makeFile,
  type Source,
  type TestSpec,
  type VectorFile,
} from "./_common.ts";

interface WCase {
  comment: string;
  flags: string[];
  headers: Record<string, string>;
  body: string;
  expect: "valid" | "acceptable" | ErrorCode;
  known?: string;
}
type Outcome = { ok: true; expected: { time_ms: number; events: number } } | { ok: false; code: ErrorCode };

function reference(creds: Credentials[], c: WCase): Outcome {
  const fail = (code: ErrorCode): Outcome => ({ ok: false, code });
  const ct = c.headers["content-type"];
  // Policy ContentTypeParams: the media type decides, parameters are ignored.
  if (ct === undefined || ct.split(";")[0].trim().toLowerCase() !== "application/json") {
    return fail("ERR_WEBHOOK_CONTENT_TYPE");
  }
  const cred = creds.find((x) => x.key === c.headers["x-pusher-key"]);
  if (!cred) return fail("ERR_UNKNOWN_KEY");
  const sig = c.headers["x-pusher-signature"];
  if (sig === undefined || !/^[0-9a-fA-F]{64}$/.test(sig)) return fail("ERR_SIGNATURE_MALFORMED");
  if (hmacHex(cred.secret, c.body) !== sig.toLowerCase()) return fail("ERR_SIGNATURE_MISMATCH");
  let data: { time_ms?: unknown; events?: unknown };
  try {
    data = JSON.parse(c.body);
  } catch {
    return fail("ERR_WEBHOOK_BODY_INVALID");
  }
  if (typeof data?.time_ms !== "number" || !Array.isArray(data.events)) return fail("ERR_WEBHOOK_BODY_INVALID");
  return { ok: true, expected: { time_ms: data.time_ms, events: data.events.length } };
}

function build(source: Source, creds: Credentials[], c: WCase): TestSpec {
  const what = `webhook-verify "${c.comment}"`;
  const ref = reference(creds, c);
  const [primary, ...extra] = creds;
  const pusher = new Pusher({ appId: primary.app_id, key: primary.key, secret: primary.secret });
  // Node throws a TypeError instead of returning false when x-pusher-signature is missing: count it as a rejection.
  const node = attempt(() => pusher.webhook({ headers: c.headers, rawBody: c.body }).isValid(extra));
  crossCheck(what, c.flags, ref.ok, node === true);
  if (c.known) {
    // A valid delivery's signature is recomputed; a rejected one's published header is kept byte for byte.
    const cred = creds.find((x) => x.key === c.headers["x-pusher-key"]);
    const computed = cred && ref.ok ? hmacHex(cred.secret, c.body) : c.headers["x-pusher-signature"];
    expectKnown(source, what, c.known, computed);
    if (c.headers["x-pusher-signature"] !== c.known) throw new Error(`${what}: header is not the published value`);
  }
  const base = { comment: c.comment, flags: c.flags, input: { headers: c.headers, body: c.body } };
  if (c.expect === "valid" || c.expect === "acceptable") {
    if (!ref.ok) throw new Error(`${what}: reference rejects with ${ref.code}`);
    return { ...base, result: c.expect, expected: ref.expected };
  }
  if (ref.ok || ref.code !== c.expect) throw new Error(`${what}: reference gives ${JSON.stringify(ref)}`);
  return { ...base, result: "invalid", error: err(c.expect) };
}

const JSON_CT = "application/json";
/** A correctly signed webhook; `h` overrides or (with undefined) removes headers. */
function w(
  cred: Credentials,
  comment: string,
  flags: string[],
  body: string,
  expect: WCase["expect"],
  h: Record<string, string | undefined> = {},
  known?: string,
): WCase {
  const all: Record<string, string | undefined> = {
    "content-type": JSON_CT,
    "x-pusher-key": cred.key,
    "x-pusher-signature": hmacHex(cred.secret, body),
    ...h,
  };
  const headers = Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return { comment, flags, headers, body, expect, ...(known ? { known } : {}) };
}

const T = 1327078148132;
const ev = (...events: Record<string, unknown>[]) => JSON.stringify({ time_ms: T, events });
const OCCUPIED = ev({ name: "channel_occupied", channel: "test-channel" });
const MEMBER_ADDED = ev({ name: "member_added", channel: "presence-your_channel_name", user_id: "a_user_id" });
const D = DOCS;
const K2: Credentials = { app_id: "3", key: "k2", secret: "s2" };
const good = hmacHex(D.secret, OCCUPIED);
const sigH = (s: string | undefined) => ({ "x-pusher-signature": s });

const generated: WCase[] = [
  w(D, "channel_occupied", ["RawBody", "EventTypes"], OCCUPIED, "valid"),
  w(
    D,
    "member_added (pusher-spec.md §9 #25)",
    ["EventTypes"],
    MEMBER_ADDED,
    "valid",
    {},
    "eca9b3c96ae06efb1c2900f448c2996f546b37d92d8038b54831089072065d86",
  ),
  w(D, "channel_vacated", ["EventTypes"], ev({ name: "channel_vacated", channel: "test-channel" }), "valid"),
  w(D, "member_removed", ["EventTypes"], ev({ name: "member_removed", channel: "presence-a", user_id: "u1" }), "valid"),
  w(
    D,
    "client_event on a presence channel",
    ["EventTypes"],
    ev({
      name: "client_event",
      channel: "presence-a",
      event: "client-typing",
      data: '{"t":1}',
      socket_id: "1.1",
      user_id: "u1",
    }),
    "valid",
  ),
  w(D, "cache_miss", ["EventTypes"], ev({ name: "cache_miss", channel: "cache-a" }), "valid"),
  w(
    D,
    "subscription_count",
    ["EventTypes"],
    ev({ name: "subscription_count", channel: "a", subscription_count: 101 }),
    "valid",
  ),
  w(
    D,
    "batch of three events",
    ["EventTypes"],
    ev({ name: "channel_occupied", channel: "a" }, { name: "channel_occupied", channel: "b" }, {
      name: "channel_vacated",
      channel: "c",
    }),
    "valid",
  ),
  w(D, "empty events array", [], ev(), "valid"),
  w(
    D,
    "body re-serialised with a space",
    ["RawBody"],
    OCCUPIED.replace(":", ": "),
    "ERR_SIGNATURE_MISMATCH",
    sigH(good),
  ),
  w(
    D,
    "last bit of the signature flipped",
    ["ModifiedSignature"],
    OCCUPIED,
    "ERR_SIGNATURE_MISMATCH",
    sigH(flipHexBit(good, 255)),
  ),
  w(
    D,
    "first bit of the signature flipped",
    ["ModifiedSignature"],
    OCCUPIED,
    "ERR_SIGNATURE_MISMATCH",
    sigH(flipHexBit(good, 0)),
  ),
  w(
    D,
    "only the first 32 hex digits right",
    ["PrefixSignature"],
    OCCUPIED,
    "ERR_SIGNATURE_MISMATCH",
    sigH(good.slice(0, 32) + "0".repeat(32)),
  ),
  w(D, "signature in upper-case hex", ["UppercaseHex"], OCCUPIED, "acceptable", sigH(good.toUpperCase())),
  w(D, "signature of 63 hex digits", ["TruncatedSignature"], OCCUPIED, "ERR_SIGNATURE_MALFORMED", sigH(good.slice(1))),
  w(
    D,
    "signature with a non-hex digit",
    ["MalformedSignature"],
    OCCUPIED,
    "ERR_SIGNATURE_MALFORMED",
    sigH("g" + good.slice(1)),
  ),
  w(D, "empty signature header", ["MalformedSignature"], OCCUPIED, "ERR_SIGNATURE_MALFORMED", sigH("")),
  w(D, "missing signature header", ["MissingSignatureHeader"], OCCUPIED, "ERR_SIGNATURE_MALFORMED", sigH(undefined)),
  w(D, "wrong x-pusher-key", ["WrongKeyHeader"], OCCUPIED, "ERR_UNKNOWN_KEY", { "x-pusher-key": "not-a-key" }),
  w(D, "missing x-pusher-key", ["MissingKeyHeader"], OCCUPIED, "ERR_UNKNOWN_KEY", { "x-pusher-key": undefined }),
  w(K2, "signed with the rotation key k2", ["KeyRotation"], OCCUPIED, "valid"),
  w(
    D,
    "x-pusher-key k2 but signed with the primary secret",
    ["KeyRotation", "ModifiedSignature"],
    OCCUPIED,
    "ERR_SIGNATURE_MISMATCH",
    { "x-pusher-key": "k2" },
  ),
  w(D, "content-type with charset parameter", ["ContentTypeParams"], OCCUPIED, "acceptable", {
    "content-type": "application/json; charset=utf-8",
  }),
  w(D, "content-type text/plain", ["WrongContentType"], OCCUPIED, "ERR_WEBHOOK_CONTENT_TYPE", {
    "content-type": "text/plain",
  }),
  w(D, "content-type missing", ["MissingContentType"], OCCUPIED, "ERR_WEBHOOK_CONTENT_TYPE", {
    "content-type": undefined,
  }),
  w(D, "correctly signed body that is not JSON", ["InvalidJsonBody"], "not json", "ERR_WEBHOOK_BODY_INVALID"),
  w(D, "correctly signed empty body", ["InvalidJsonBody"], "", "ERR_WEBHOOK_BODY_INVALID"),
  w(D, "correctly signed JSON without time_ms", ["WebhookShape"], '{"events":[]}', "ERR_WEBHOOK_BODY_INVALID"),
  w(
    D,
    "correctly signed JSON whose events is not an array",
    ["WebhookShape"],
    `{"time_ms":${T},"events":{}}`,
    "ERR_WEBHOOK_BODY_INVALID",
  ),
];

const NODE_WH: Credentials = { app_id: "1", key: "123456789", secret: "tofu" };
const NODE_BODY = '{"time_ms":1403175510755,"events":[{"channel":"test_channel","name":"channel_vacated"}]}';
const NODE_SIG = "c17257e92037cd7de407ebc1ed174ceb7b2e518db127f44411b9ffc4f5b28cc5";
const GO_WH: Credentials = { app_id: "id", key: "key", secret: "secret" };
const HELLO = '{"hello":"world"}';
const GO_SIG = "2677ad3e7c090b2fa2c0fb13020d66d5420879b8316eb356a2d60fb9073bc778";
// .NET's WebHook takes no key; the vectors need one, so the group's key is a placeholder.
const DOTNET_ALT: Credentials = { app_id: "1", key: "dotnet-key", secret: "1c9c753dddfd049dd7f1" };
const DOTNET: Credentials = { app_id: "1", key: "dotnet-key", secret: "some_crazy_secret" };
const SK = ["SdkKnownAnswer"];

const V11_GROUPS: [Source, Credentials, Credentials[], WCase[]][] = [
  [SRC.nodeWebhookMore, NODE_WH, [], [
    w(NODE_WH, "x-pusher-key 000 (incorrect key)", [...SK, "WrongKeyHeader"], NODE_BODY, "ERR_UNKNOWN_KEY", {
      "x-pusher-key": "000",
      "x-pusher-signature": "df1465f5ff93f83238152fd002cb904f9562d39569e68f00a6bfa0d8ccf88334",
    }, "df1465f5ff93f83238152fd002cb904f9562d39569e68f00a6bfa0d8ccf88334"),
    w(
      NODE_WH,
      "signature 000 (incorrect signature)",
      [...SK, "TruncatedSignature"],
      NODE_BODY,
      "ERR_SIGNATURE_MALFORMED",
      {
        "x-pusher-signature": "000",
      },
    ),
  ]],
  [SRC.nodeWebhookMore, NODE_WH, [{ app_id: "1", key: "1234", secret: "tofu" }], [
    w(
      { app_id: "1", key: "1234", secret: "tofu" },
      "signed with the extra token 1234",
      [...SK, "KeyRotation"],
      NODE_BODY,
      "valid",
      {},
      NODE_SIG,
    ),
  ]],
  [SRC.nodeWebhookMore, NODE_WH, [
    { app_id: "1", key: "1", secret: "nope" },
    { app_id: "1", key: "2", secret: "not really" },
    { app_id: "1", key: "3", secret: "tofu" },
  ], [
    w(
      { app_id: "1", key: "3", secret: "tofu" },
      "signed with the third extra token",
      [...SK, "KeyRotation"],
      NODE_BODY,
      "valid",
      {},
      NODE_SIG,
    ),
  ]],
  [SRC.goWebhookMore, GO_WH, [], [
    w(GO_WH, "unknown x-pusher-key", [...SK, "WrongKeyHeader"], HELLO, "ERR_UNKNOWN_KEY", {
      "x-pusher-key": "narr you're going down!",
      "x-pusher-signature": GO_SIG,
    }, GO_SIG),
    w(GO_WH, "signature that is not hex", [...SK, "MalformedSignature"], HELLO, "ERR_SIGNATURE_MALFORMED", {
      "x-pusher-signature": "2677ad3e7c090i'mgonnagetyaeb356a2d60fb9073bc778",
    }),
    w(GO_WH, "no signature header", [...SK, "MissingSignatureHeader"], HELLO, "ERR_SIGNATURE_MALFORMED", {
      "x-pusher-signature": undefined,
    }),
  ]],
  [SRC.dotnetWebhook, DOTNET_ALT, [], [
    w(
      DOTNET_ALT,
      "channel_occupied (alternative values)",
      [...SK, "EventTypes"],
      '{"time_ms":1423778833207,"events":[{"channel":"test_channel","name":"channel_occupied"}]}',
      "valid",
      {},
      "851f492bab8f7652a2e4c82cd0212d97b4e678edf085c06bf640ed45ee7b1169",
    ),
  ]],
  [SRC.dotnetWebhook, DOTNET, [], [
    w(
      DOTNET,
      "body with spaces is signed byte for byte",
      [...SK, "RawBody"],
      '{"time_ms": 1327078148132, "events": [{"name": "channel_occupied", "channel": "test_channel" }]}',
      "valid",
      {},
      "003a63ce4da20830c4fecffb63d5b3944b64989b6458e15b26e08e244f758954",
    ),
  ]],
  [GEN_SOURCE, D, [], [
    w(
      D,
      "client_event whose data is an object (soketi) is kept",
      ["EventTypes", "ClientEventDataObject"],
      ev({
        name: "client_event",
        channel: "private-a",
        event: "client-typing",
        data: { t: 1, who: "u1" },
        socket_id: "1.1",
      }),
      "valid",
    ),
    w(
      D,
      "client_event whose data is an array is kept",
      ["EventTypes", "ClientEventDataObject"],
      ev({ name: "client_event", channel: "private-a", event: "client-list", data: [1, 2], socket_id: "1.1" }),
      "valid",
    ),
  ]],
];

const GROUPS: [Source, Credentials, Credentials[], WCase[]][] = [
  [SRC.nodeWebhook, { app_id: "1", key: "123456789", secret: "tofu" }, [], [
    w(
      { app_id: "1", key: "123456789", secret: "tofu" },
      "channel_vacated",
      ["SdkKnownAnswer"],
      '{"time_ms":1403175510755,"events":[{"channel":"test_channel","name":"channel_vacated"}]}',
      "valid",
      {},
      "c17257e92037cd7de407ebc1ed174ceb7b2e518db127f44411b9ffc4f5b28cc5",
    ),
  ]],
  [
    SRC.phpWebhook,
    { app_id: "1", key: "thisisaauthkey", secret: "thisisasecret" },
    [],
    [
      w(
        { app_id: "1", key: "thisisaauthkey", secret: "thisisasecret" },
        "client_event",
        ["SdkKnownAnswer", "EventTypes"],
        '{"time_ms":1530710011901,"events":[{"name":"client_event","channel":"private-my-channel","event":"client-event","data":"Unencrypted","socket_id":"240621.35780774"}]}',
        "valid",
        {},
        "a19cab2af3ca1029257570395e78d5d675e9e700ca676d18a375a7083178df1c",
      ),
      w(
        { app_id: "1", key: "thisisaauthkey", secret: "thisisasecret" },
        'body {"hello":"world"} is not a webhook',
        ["SdkKnownAnswer", "WebhookShape"],
        '{"hello":"world"}',
        "ERR_WEBHOOK_BODY_INVALID",
        {},
        "40e0ad3b9aa49529322879e84de1aaaf18bde1efe839ca263d540cc865510d25",
      ),
    ],
  ],
  [
    SRC.goWebhook,
    { app_id: "1", key: "key", secret: "secret" },
    [],
    [
      w(
        { app_id: "1", key: "key", secret: "secret" },
        'body {"hello":"world"} is not a webhook',
        ["SdkKnownAnswer", "WebhookShape"],
        '{"hello":"world"}',
        "ERR_WEBHOOK_BODY_INVALID",
        {},
        "2677ad3e7c090b2fa2c0fb13020d66d5420879b8316eb356a2d60fb9073bc778",
      ),
    ],
  ],
  [GEN_SOURCE, D, [K2], generated],
  // v1.1: appended groups.
  ...V11_GROUPS,
];

export default function (): Promise<VectorFile> {
  const groups: GroupSpec[] = GROUPS.map(([source, credentials, extra, cases]) => ({
    source,
    credentials,
    ...(extra.length ? { extraCredentials: extra } : {}),
    tests: cases.map((c) => build(source, [credentials, ...extra], c)),
  }));
  return Promise.resolve(makeFile("webhook-verify", [
    "Webhook verification: content-type application/json, x-pusher-key one of credentials/extraCredentials,",
    "x-pusher-signature = hex(HMAC-SHA256(secret, raw body)) compared in constant time, then the body must be",
    "JSON {time_ms: number, events: array}. Header names are lower-case. valid: expected.time_ms and",
    "expected.events (the number of events).",
  ], groups));
}
