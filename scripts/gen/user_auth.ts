/**
 * user-auth: `pusher:signin` user authentication (pusher-spec.md §5, §9 #20-#21, Appendix A).
 *
 * Reference: node:crypto. Cross-check: the official `authenticateUser` when user_data is in JSON.stringify form.
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
  DOCS_SOURCE,
  err,
  type ErrorCode,
  expectKnown,
  GEN_SOURCE,
  type GroupSpec,
  hmacHex,
  makeFile,
  type Source,
  type TestSpec,
  type VectorFile,
} from "./_common.ts";

interface UCase {
  comment: string;
  flags: string[];
  socket: string;
  data: string;
  expect: "valid" | ErrorCode;
  known?: string;
}
type Outcome = { ok: true; expected: Record<string, unknown> } | { ok: false; code: ErrorCode };

function reference(cred: Credentials, c: UCase): Outcome {
  if (!/^[0-9]+\.[0-9]+$/.test(c.socket)) return { ok: false, code: "ERR_INVALID_SOCKET_ID" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(c.data);
  } catch {
    return { ok: false, code: "ERR_INVALID_USER_DATA" };
  }
  const id = (parsed as { id?: unknown } | null)?.id;
  if (typeof parsed !== "object" || Array.isArray(parsed) || typeof id !== "string" || id === "") {
    return { ok: false, code: "ERR_INVALID_USER_DATA" };
  }
  const string_to_sign = `${c.socket}::user::${c.data}`;
  return {
    ok: true,
    expected: {
      string_to_sign,
      response: { auth: `${cred.key}:${hmacHex(cred.secret, string_to_sign)}`, user_data: c.data },
    },
  };
}

function official(cred: Credentials, c: UCase): unknown {
  let data: unknown;
  try {
    data = JSON.parse(c.data);
  } catch {
    return undefined;
  }
  if (JSON.stringify(data) !== c.data) return undefined;
  return attempt(() => {
    const r = new Pusher({ appId: cred.app_id, key: cred.key, secret: cred.secret }).authenticateUser(
      c.socket,
      data as never,
    ) as { auth: string; user_data: string };
    return { auth: r.auth, user_data: r.user_data };
  });
}

function build(source: Source, cred: Credentials, c: UCase): TestSpec {
  const what = `user-auth "${c.comment}"`;
  const ref = reference(cred, c);
  const node = official(cred, c);
  if (node !== undefined) crossCheck(what, c.flags, ref.ok ? ref.expected.response : { threw: true }, node);
  if (c.known) {
    expectKnown(
      source,
      what,
      c.known,
      ref.ok ? (ref.expected.response as { auth: string }).auth.split(":")[1] : undefined,
    );
  }
  const base = { comment: c.comment, flags: c.flags, input: { socket_id: c.socket, user_data: c.data } };
  if (c.expect === "valid") {
    if (!ref.ok) throw new Error(`${what}: reference rejects with ${ref.code}`);
    return { ...base, result: "valid", expected: ref.expected };
  }
  if (ref.ok || ref.code !== c.expect) throw new Error(`${what}: reference gives ${JSON.stringify(ref)}`);
  return { ...base, result: "invalid", error: err(c.expect) };
}

const u = (
  comment: string,
  flags: string[],
  socket: string,
  data: string,
  expect: UCase["expect"],
  known?: string,
) => ({
  comment,
  flags,
  socket,
  data,
  expect,
  ...(known ? { known } : {}),
});
const bad = (data: string, what: string, flags: string[]) =>
  u(`user_data ${what}`, flags, "1234.1234", data, "ERR_INVALID_USER_DATA");
const badSocket = (id: string, what: string, flags = ["SocketIdFormat"]) =>
  u(`socket_id ${what}`, flags, id, '{"id":"12345"}', "ERR_INVALID_SOCKET_ID");

const GROUPS: [Source, Credentials, UCase[]][] = [
  [{ ...DOCS_SOURCE, url: "docs/channels/library_auth_reference/auth-signatures.md" }, DOCS, [
    u(
      "documented example (pusher-websockets-protocol.md prints key::user::sig; the response is key:sig)",
      ["OfficialExample", "DocsErratum"],
      "1234.1234",
      '{"id":"12345"}',
      "valid",
      "4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba",
    ),
  ]],
  [SRC.nodeUser, { app_id: "1", key: "aaaa", secret: "tofu" }, [
    u(
      "id only",
      ["SdkKnownAnswer"],
      "123.456",
      '{"id":"45678"}',
      "valid",
      "f4b1fdeea7c93e32648c7230e32b172057c5623cace6cfce791c6e7035e0babd",
    ),
    u(
      "id and user_name",
      ["SdkKnownAnswer"],
      "123.456",
      '{"id":"55555","user_name":"test"}',
      "valid",
      "b8a9f173455903792ae2b788add0c4c78ad7372b3ae7fb5769479276a1993743",
    ),
    u(
      "UTF-8 id",
      ["SdkKnownAnswer", "NonAsciiData"],
      "1.1",
      '{"id":"ą§¶™€łü€ß£"}',
      "valid",
      "620494cee53d6c568b49598313194088afda37218f0d059af03c0c898ed61ff4",
    ),
  ]],
  [SRC.phpUser, {
    app_id: "1",
    key: "thisisaauthkey",
    secret: "thisisasecret",
  }, [
    u(
      "id only",
      ["SdkKnownAnswer"],
      "12345.6789",
      '{"id":"123"}',
      "valid",
      "fc713f433deb729d0d96f9e26ef054285cbc3e833ebe840b93722a2fa16a6a18",
    ),
  ]],
  [GEN_SOURCE, DOCS, [
    u(
      "id and watchlist",
      [],
      "1234.1234",
      '{"id":"12345","watchlist":["a","b"]}',
      "valid",
      "b2848e295a9699f0fbc1a8a72f6e227b08d11b8b45f72a798cd6055c3bdc09b2",
    ),
    u("id and user_info", [], "1234.1234", '{"id":"12345","user_info":{"name":"Mr. Channels"}}', "valid"),
    u("user_data with spaces is signed as given", ["ByteExactJson"], "1234.1234", '{ "id": "12345" }', "valid"),
    u("user_data with \\u escapes is signed as given", ["ByteExactJson"], "1234.1234", '{"id":"Jos\\u00e9"}', "valid"),
    u("id containing '::user::'", ["DelimiterInjection"], "1234.1234", '{"id":"a::user::b"}', "valid"),
    bad('{"user_info":{"name":"x"}}', "without id", ["UserDataMissingId"]),
    bad('{"id":""}', "with an empty id", ["UserDataMissingId"]),
    bad('{"id":12345}', "with a numeric id", ["UserDataMissingId"]),
    bad('{"id":null}', "with a null id", ["UserDataMissingId"]),
    bad("not json", "that is not JSON", ["InvalidUserData"]),
    bad("null", "that is JSON null", ["InvalidUserData"]),
    bad('["12345"]', "that is a JSON array", ["InvalidUserData"]),
    bad('"12345"', "that is a JSON string", ["InvalidUserData"]),
    bad("", "that is empty", ["InvalidUserData"]),
    badSocket("1234", "without a dot"),
    badSocket("1234.1234\n", "with a trailing newline"),
    badSocket("1234.1234:x", "with ':'", ["DelimiterInjection"]),
    badSocket("１２３４.１２３４", "in full-width digits", ["UnicodeDigits"]),
    badSocket("", "empty"),
  ]],
  // v1.1: appended groups.
  [SRC.nodeUserSecrets, { app_id: "10000", key: "11111", secret: "1" }, [
    u(
      "secret '1'",
      ["SdkKnownAnswer"],
      "123.456",
      '{"id":"45678"}',
      "valid",
      "79bddf29fe8e2153dd5d8d569b3f45e5aeb26ae2eb4758879d844791b466cfa2",
    ),
  ]],
  [SRC.nodeUserSecrets, { app_id: "10000", key: "11111", secret: "2" }, [
    u(
      "secret '2'",
      ["SdkKnownAnswer"],
      "123.456",
      '{"id":"45678"}',
      "valid",
      "a542498ffa6faf6de7c17a8106b923c042319bd73acfd1d274df32e269b55d1f",
    ),
  ]],
  [SRC.phpUserData, { app_id: "1", key: "thisisaauthkey", secret: "thisisasecret" }, [
    u(
      "id and name",
      ["SdkKnownAnswer"],
      "12345.6789",
      '{"id":"123","name":"John Smith"}',
      "valid",
      "0dddb208b53c7649f3fbbb86254a6e1986bc6f8b566423ea690c9ca773497373",
    ),
    u(
      "empty id (testInvalidUserId)",
      ["SdkKnownAnswer", "UserDataMissingId"],
      "12345.6789",
      '{"id":""}',
      "ERR_INVALID_USER_DATA",
    ),
    u(
      "no id (testInvalidInvalidUserData)",
      ["SdkKnownAnswer", "UserDataMissingId"],
      "12345.6789",
      '{"name":"John Smith"}',
      "ERR_INVALID_USER_DATA",
    ),
  ]],
  [SRC.goUser, { app_id: "appid", key: "key", secret: "secret" }, [
    u(
      "id only",
      ["SdkKnownAnswer"],
      "12345.12345",
      '{"id":"1234"}',
      "valid",
      "e4c63b82c1e1d0955901f6a29ca51b244155bafda93968bc5664010f5ba54a41",
    ),
    u("user data without id", ["SdkKnownAnswer", "UserDataMissingId"], "12345.12345", "{}", "ERR_INVALID_USER_DATA"),
  ]],
];

export default function (): Promise<VectorFile> {
  const groups: GroupSpec[] = GROUPS.map(([source, credentials, cases]) => ({
    source,
    credentials,
    tests: cases.map((c) => build(source, credentials, c)),
  }));
  return Promise.resolve(makeFile("user-auth", [
    "User authentication (pusher:signin): string_to_sign = socket_id '::user::' user_data (byte-exact);",
    "response = {auth: key ':' hex(HMAC-SHA256(secret, string_to_sign)), user_data}. user_data must be a",
    "JSON object with a non-empty string id; socket_id must match ^[0-9]+\\.[0-9]+$.",
  ], groups));
}
