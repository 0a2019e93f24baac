/**
 * rest-sign cases produced for this suite (docs credentials, docs timestamp): pusher-spec.md §9 #6-#8,
 * #12-#14 and the rest-sign part of the negative-case checklist in vectors-format.md.
 *
 * @module
 */
import type { Case } from "./_rest_sign_cases.ts";

const CH = "/apps/3/channels";
const get = (comment: string, flags: string[], params: [string, string][], extra: Partial<Case> = {}): Case => ({
  comment,
  flags,
  method: "GET",
  path: CH,
  params,
  ...extra,
});
const reserved = (k: string): Case =>
  get(`caller sets ${k}`, ["ReservedParam"], [[k, "1"]], { error: "ERR_RESERVED_PARAM" });

/** In file order; append only. */
export const GENERATED: Case[] = [
  get("channels with filter_by_prefix and info", [], [["filter_by_prefix", "presence-"], ["info", "user_count"]], {
    known: { auth_signature: "16819168891cb5dfd72b5c7a5d3d602605b26c6ba1930033b5e2eeeb65010291" },
  }),
  get(
    "channel info with a comma-separated value",
    ["UnescapedQueryValue"],
    [["info", "user_count,subscription_count"]],
    {
      path: `${CH}/presence-foobar`,
      known: { auth_signature: "377ee9260ea002a70c0d40cd887d55cb36db9f7f821297f5efacbcce66be356d" },
    },
  ),
  get("users of a presence channel, no params", ["EmptyBody"], [], {
    path: `${CH}/presence-foobar/users`,
    known: { auth_signature: "5567dd30e7f8575e66be615d2aac3f608a0c311c31ddab8513a278b022e9597e" },
  }),
  get("value with a space is signed unescaped (docs: name=Something else)", ["UnescapedQueryValue"], [[
    "name",
    "Something else",
  ]]),
  get("params given out of order are sorted", ["ParamOrder"], [["info", "user_count"], [
    "filter_by_prefix",
    "presence-",
  ]]),
  get("keys that sort before and after the auth_* keys", ["SortOrder"], [["z", "1"], ["auth0", "2"], ["a", "3"]]),
  get("digits sort before '_' and letters", ["SortOrder"], [["b_c", "1"], ["b1", "2"], ["bc", "3"]]),
  get("lower-case method is upper-cased", ["MethodCase"], [["info", "user_count"]], { method: "get" }),
  {
    comment: "number value is rendered in decimal",
    flags: ["NumericParamValue"],
    method: "GET",
    path: CH,
    raw: [["baz", 123454321]],
  },
  { comment: "empty string body: no body_md5", flags: ["EmptyBody"], method: "POST", path: "/apps/3/events", body: "" },
  { comment: "null body: no body_md5", flags: ["EmptyBody"], method: "POST", path: "/apps/3/events", body: null },
  {
    comment: "body with 2-, 3- and 4-byte UTF-8 characters",
    flags: ["NonAsciiBody"],
    method: "POST",
    path: "/apps/3/events",
    body: '{"name":"ev","data":"é€😀","channels":["c"]}',
  },
  {
    comment: "path with a prefix before /apps/{id} is signed in full",
    flags: ["PathPrefix"],
    method: "POST",
    path: "/pusher/apps/3/events",
    body: '{"name":"ev","data":"x","channels":["c"]}',
  },
  {
    comment: "timestamp after 2038-01-19 (2^31 s)",
    flags: ["Year2038"],
    method: "GET",
    path: CH,
    params: [],
    ts: 2147483648,
  },
  reserved("auth_key"),
  reserved("auth_timestamp"),
  reserved("auth_version"),
  reserved("auth_signature"),
  reserved("body_md5"),
  get("duplicate param", ["DuplicateParam"], [["info", "user_count"], ["info", "subscription_count"]], {
    error: "ERR_DUPLICATE_PARAM",
  }),
  get("duplicate only after lower-casing (Name, name)", ["DuplicateParam", "KeyCaseFolding"], [["name", "a"], [
    "Name",
    "b",
  ]], { error: "ERR_INVALID_PARAM" }),
  get("mixed-case key (docs lower-case it, Node does not)", ["KeyCaseFolding"], [["Name", "Something else"]], {
    error: "ERR_INVALID_PARAM",
  }),
  get("upper-case reserved key AUTH_KEY", ["KeyCaseFolding", "ReservedParam"], [["AUTH_KEY", "x"]], {
    error: "ERR_RESERVED_PARAM",
  }),
  get("key with a hyphen", ["InvalidParamKey"], [["filter-by-prefix", "presence-"]], { error: "ERR_INVALID_PARAM" }),
  get("empty key", ["InvalidParamKey"], [["", "x"]], { error: "ERR_INVALID_PARAM" }),
  get("key with a space", ["InvalidParamKey"], [["info count", "x"]], { error: "ERR_INVALID_PARAM" }),
  {
    comment: "array value",
    flags: ["ArrayParam"],
    method: "GET",
    path: CH,
    raw: [["info", ["user_count", "subscription_count"]]],
    error: "ERR_INVALID_PARAM",
  },
  {
    comment: "boolean value",
    flags: ["NonStringParamValue"],
    method: "GET",
    path: CH,
    raw: [["flag", true]],
    error: "ERR_INVALID_PARAM",
  },
  {
    comment: "null value",
    flags: ["NonStringParamValue"],
    method: "GET",
    path: CH,
    raw: [["info", null]],
    error: "ERR_INVALID_PARAM",
  },
  {
    comment: "object value",
    flags: ["NonStringParamValue"],
    method: "GET",
    path: CH,
    raw: [["info", { a: 1 }]],
    error: "ERR_INVALID_PARAM",
  },
];
